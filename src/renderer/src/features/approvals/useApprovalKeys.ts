// The Approvals page's keys: j/k move, x toggles the active item, a approves the selection (not
// right after g, which starts "go to"). Ignored while typing or while a dialog is open.
import { useEffect, useRef } from 'react';
import type { ApprovalItem } from '../../../../shared/approvals';
import { isEditable } from '../../app/shortcuts';

interface KeyState {
  items: ApprovalItem[];
  active: number;
  chosen: ApprovalItem[];
  busy: boolean;
  approveBlocked: boolean;
}

export function useApprovalKeys(
  now: KeyState,
  actions: {
    setActive(update: (a: number) => number): void;
    toggle(id: number): void;
    approve(ids: number[]): void;
  },
): void {
  const state = useRef(now);
  useEffect(() => {
    state.current = now;
  });
  const { setActive, toggle, approve } = actions;
  useEffect(() => {
    let lastG = 0;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isEditable(e.target)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      if (e.key === 'g') {
        lastG = Date.now();
        return;
      }
      if (Date.now() - lastG < 1200) {
        lastG = 0;
        return;
      }
      const s = state.current;
      if (s.items.length === 0) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setActive((a) => Math.max(0, Math.min(s.items.length - 1, a + (e.key === 'j' ? 1 : -1))));
      } else if (e.key === 'x') {
        e.preventDefault();
        const item = s.items[s.active];
        if (item) toggle(item.draft.id);
      } else if (e.key === 'a') {
        e.preventDefault();
        if (!s.busy && !s.approveBlocked) approve(s.chosen.map((i) => i.draft.id));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setActive, toggle, approve]);
}
