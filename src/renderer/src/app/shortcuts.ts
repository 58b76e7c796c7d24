// Every keyboard shortcut, declared once: the `?` dialog lists this table, and the global
// handler below implements the app-wide ones (the queue handles its own keys when focused).
import { useEffect } from 'react';
import { useAppStore, ROUTES } from '../stores/app.store';
import { useBoardStore } from '../stores/board.store';
import { useCustomerStore } from '../stores/customer.store';

export interface Shortcut {
  keys: string[];
  does: string;
}

export const SHORTCUT_GROUPS: { title: string; items: Shortcut[] }[] = [
  {
    title: 'Queue',
    items: [
      { keys: ['j', '↓'], does: 'Next customer' },
      { keys: ['k', '↑'], does: 'Previous customer' },
      { keys: ['→'], does: 'Show the customer’s invoices' },
      { keys: ['←'], does: 'Hide the invoices' },
      { keys: ['Space'], does: 'Show or hide the invoices' },
      { keys: ['Home', 'End'], does: 'First or last customer' },
      { keys: ['Enter'], does: 'Open the customer' },
      { keys: ['Esc'], does: 'Close the customer or a dialog' },
    ],
  },
  {
    title: 'Filters',
    items: [
      { keys: ['/'], does: 'Search customers and invoice numbers' },
      { keys: ['Esc'], does: 'In search: clear it and return to the queue' },
      { keys: ['1–5'], does: 'Filter by aging bucket (again to clear)' },
      { keys: ['x'], does: 'Clear all filters' },
      { keys: ['r'], does: 'Reload the board' },
    ],
  },
  {
    title: 'Approvals',
    items: [
      { keys: ['j', 'k'], does: 'Next or previous draft' },
      { keys: ['x'], does: 'Select or unselect the draft' },
      { keys: ['a'], does: 'Approve the selected drafts' },
    ],
  },
  {
    title: 'Go to',
    items: [
      ...ROUTES.map((r) => ({ keys: ['g', r.key], does: r.label })),
      { keys: ['?'], does: 'Show these shortcuts' },
    ],
  },
];

const BUCKET_KEYS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;

export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Focuses the queue's search box (switching to the board first if needed). */
export function focusSearch(): void {
  const app = useAppStore.getState();
  if (app.route !== 'board') app.navigate('board');
  requestAnimationFrame(() => {
    const input = document.getElementById('queue-search') as HTMLInputElement | null;
    input?.focus();
    input?.select();
  });
}

export function focusQueue(): void {
  document.getElementById('queue')?.focus({ preventScroll: true });
}

/** App-wide keys. Ignored while typing, while a dialog is open, and for keys the focused queue
 * already handled (it calls preventDefault). */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
      if (isEditable(e.target)) return;
      const app = useAppStore.getState();
      const dialogOpen = app.shortcutsOpen || useCustomerStore.getState().customerId !== null;
      if (dialogOpen || document.querySelector('[role="dialog"], [role="alertdialog"]')) return;

      if (pendingG && Date.now() - pendingG < 1200) {
        pendingG = 0;
        const route = ROUTES.find((r) => r.key === e.key.toLowerCase());
        if (route) {
          e.preventDefault();
          app.navigate(route.id);
          return;
        }
      }
      pendingG = 0;

      if (e.key === '?') {
        e.preventDefault();
        app.setShortcutsOpen(true);
        return;
      }
      if (e.key === 'g') {
        pendingG = Date.now();
        return;
      }
      if (app.route !== 'board') return;
      const board = useBoardStore.getState();
      if (e.key === '/') {
        e.preventDefault();
        focusSearch();
        return;
      }
      const onBody = e.target === document.body || e.target === document.documentElement || e.target === null;
      switch (e.key) {
        case 'j':
        case 'k':
          e.preventDefault();
          board.move(e.key === 'j' ? 1 : -1);
          focusQueue();
          return;
        case 'x':
          e.preventDefault();
          board.clearFilters();
          return;
        case 'r':
          e.preventDefault();
          void board.load({ keepSelection: true });
          return;
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
          e.preventDefault();
          board.toggleBucket(BUCKET_KEYS[Number(e.key) - 1]!);
          return;
        default:
      }
      // Arrows and Enter belong to whatever has focus; only take them when nothing does.
      if (!onBody) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        board.move(e.key === 'ArrowDown' ? 1 : -1);
        focusQueue();
      } else if (e.key === 'Enter') {
        const row = board.rows[board.selected];
        if (row) {
          e.preventDefault();
          useCustomerStore.getState().open(row.customerId, row.name);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
