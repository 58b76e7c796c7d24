// The Xero part of Settings → Connections' state: the sign-in, the organisation picker's pending
// sign-in, and per organisation its daily call budget and whether Xero sends its own reminders.
import { create } from 'zustand';
import type { ApiBudget, XeroPendingConnect } from '../../../../shared/xero';
import { call } from '../../lib/api';
import { useConnectionsStore } from '../../stores/connections.store';
import { useSettingsStore } from '../../stores/settings.store';

type XeroBusy = 'connect' | 'add' | 'cancel' | null;

interface XeroState {
  busy: XeroBusy;
  error: string | null;
  /** A finished sign-in whose organisations are being picked. */
  pending: XeroPendingConnect | null;
  budgets: Record<string, ApiBudget>;
  /** Per connection: Xero's own invoice reminders are on. */
  reminders: Record<string, boolean>;
  /** Signs in; with `connectionId`, as a reconnect of that organisation (the core refuses a sign-in without it). */
  connect(clientId?: string, connectionId?: string): Promise<void>;
  add(tenantIds: string[]): Promise<void>;
  cancel(): Promise<void>;
  loadBudgets(): Promise<void>;
  loadReminders(connectionId: string): Promise<void>;
}

export const useXeroStore = create<XeroState>((set, get) => ({
  busy: null,
  error: null,
  pending: null,
  budgets: {},
  reminders: {},
  async connect(clientId, connectionId) {
    if (get().busy) return;
    set({ busy: 'connect', error: null });
    try {
      const input = { ...(clientId?.trim() ? { clientId: clientId.trim() } : {}), ...(connectionId ? { connectionId } : {}) };
      const pending = await call('connections.connectXero', input);
      useConnectionsStore.getState().setSignInUrl(null);
      set({ busy: null, pending });
      if (input.clientId) void useSettingsStore.getState().load();
    } catch (err) {
      useConnectionsStore.getState().setSignInUrl(null);
      set({ busy: null, error: (err as Error).message });
    }
  },
  async add(tenantIds) {
    const pending = get().pending;
    if (!pending || get().busy) return;
    set({ busy: 'add', error: null });
    try {
      await call('connections.addXeroTenants', { pendingId: pending.pendingId, tenantIds });
      set({ busy: null, pending: null });
      await useConnectionsStore.getState().load();
      await get().loadBudgets();
    } catch (err) {
      set({ busy: null, error: (err as Error).message });
    }
  },
  async cancel() {
    const pending = get().pending;
    if (!pending) return;
    set({ busy: 'cancel', pending: null });
    try {
      await call('connections.cancelXero', { pendingId: pending.pendingId });
      set({ busy: null });
    } catch (err) {
      set({ busy: null, error: (err as Error).message });
    }
  },
  async loadBudgets() {
    try {
      const status = await call('sync.status');
      set({ budgets: status.budgets ?? {} });
    } catch {
      // The meter is a convenience; the connection row still shows the status.
    }
  },
  async loadReminders(connectionId) {
    try {
      const info = await call('connections.xeroReminders', { connectionId });
      set((s) => ({ reminders: { ...s.reminders, [connectionId]: info.enabled } }));
    } catch {
      // Unknown (offline, needs reconnect): no warning rather than a wrong one.
    }
  },
}));
