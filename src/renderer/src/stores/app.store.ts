// App-wide UI state: the current page, connectivity, sync progress and the shortcuts dialog.
// Routing is plain state; Settle has six pages and no deep links to keep in sync.
import { create } from 'zustand';
import type { SyncProgress } from '../../../shared/model';

export type Route = 'board' | 'approvals' | 'outbox' | 'promises' | 'activity' | 'settings';

export const ROUTES: { id: Route; label: string; key: string }[] = [
  { id: 'board', label: 'Board', key: 'b' },
  { id: 'approvals', label: 'Approvals', key: 'a' },
  { id: 'outbox', label: 'Outbox', key: 'o' },
  { id: 'promises', label: 'Promises', key: 'p' },
  { id: 'activity', label: 'Activity', key: 'y' },
  { id: 'settings', label: 'Settings', key: 's' },
];

interface AppState {
  route: Route;
  online: boolean;
  progress: SyncProgress | null;
  shortcutsOpen: boolean;
  navigate(route: Route): void;
  setOnline(online: boolean): void;
  setProgress(progress: SyncProgress | null): void;
  setShortcutsOpen(open: boolean): void;
}

let returnFocusTo: Element | null = null;

/** Where focus was when the shortcuts dialog opened, to give it back on close. */
export function shortcutsReturnFocus(): HTMLElement | null {
  return returnFocusTo instanceof HTMLElement && returnFocusTo.isConnected ? returnFocusTo : null;
}

export const useAppStore = create<AppState>((set) => ({
  route: 'board',
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  progress: null,
  shortcutsOpen: false,
  navigate: (route) => set({ route }),
  setOnline: (online) => set({ online }),
  setProgress: (progress) => set({ progress }),
  setShortcutsOpen: (shortcutsOpen) => {
    if (shortcutsOpen && typeof document !== 'undefined') returnFocusTo = document.activeElement;
    set({ shortcutsOpen });
  },
}));
