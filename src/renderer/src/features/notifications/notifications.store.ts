// The in-app notification centre: what Settle showed (notifications.list), how many arrived
// since the owner last opened the bell, and, in browser mode, Web Notifications for new ones
// once the owner allowed them (the desktop app shows OS notifications from the main process).
import { create } from 'zustand';
import type { NotificationItem } from '../../../../shared/followup';
import { call } from '../../lib/api';
import { openTarget, targetOf } from './targets';

const SEEN_KEY = 'settle.notifications.seenAt';

/** Web Notifications apply only in browser mode and where the browser has them. */
export const webNotificationsAvailable = (): boolean => typeof window !== 'undefined' && !window.settle && 'Notification' in window;

interface NotificationsState {
  items: NotificationItem[];
  /** deliveredAt of the newest item the owner has seen in the popover. */
  seenAt: string;
  loaded: boolean;
  error: string | null;
  permission: NotificationPermission | 'unsupported';
  load(): Promise<void>;
  markSeen(): void;
  requestPermission(): Promise<void>;
}

const readSeen = (): string => {
  try {
    return localStorage.getItem(SEEN_KEY) ?? '';
  } catch {
    return '';
  }
};

export const useNotificationsStore = create<NotificationsState>((set, get) => ({
  items: [],
  seenAt: readSeen(),
  loaded: false,
  error: null,
  permission: webNotificationsAvailable() ? Notification.permission : 'unsupported',
  async load() {
    try {
      const items = await call('notifications.list');
      const { loaded, items: before } = get();
      set({ items, loaded: true, error: null });
      if (loaded) showWebNotifications(items, new Set(before.map((i) => i.key)));
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  markSeen() {
    const newest = get().items.reduce((m, i) => (i.deliveredAt > m ? i.deliveredAt : m), get().seenAt);
    try {
      localStorage.setItem(SEEN_KEY, newest);
    } catch {
      // Private mode: the count simply resets on reload.
    }
    set({ seenAt: newest });
  },
  async requestPermission() {
    if (!webNotificationsAvailable()) return;
    const permission = await Notification.requestPermission();
    set({ permission });
  },
}));

export function unreadCount(items: readonly NotificationItem[], seenAt: string): number {
  return items.filter((i) => i.deliveredAt > seenAt).length;
}

function showWebNotifications(items: readonly NotificationItem[], known: ReadonlySet<string>): void {
  if (!webNotificationsAvailable() || Notification.permission !== 'granted') return;
  for (const item of items) {
    if (known.has(item.key)) continue;
    const n = new Notification(item.title, { body: item.body, tag: item.key });
    n.onclick = () => {
      window.focus();
      openTarget(targetOf(item));
      n.close();
    };
  }
}
