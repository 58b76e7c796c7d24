// Settings → Connections, the Xero parts (issue 4): "Connect Xero" (with the owner's own client id
// when Settle has none), the organisation picker after the browser sign-in, and per Xero company
// its daily API budget, the pricing tier, and a calm warning when Xero sends its own reminders.
import * as Dialog from '@radix-ui/react-dialog';
import { Building2 } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import type { ConnectionSummary } from '../../../../shared/model';
import type { ApiBudget, XeroPendingConnect, XeroTier } from '../../../../shared/xero';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { useConnectionsStore } from '../../stores/connections.store';
import { useSettingsStore } from '../../stores/settings.store';
import './xero.css';

type XeroBusy = 'connect' | 'add' | 'cancel' | null;

interface XeroState {
  busy: XeroBusy;
  error: string | null;
  /** A finished sign-in whose organisations are being picked. */
  pending: XeroPendingConnect | null;
  budgets: Record<string, ApiBudget>;
  /** Per connection: Xero's own invoice reminders are on. */
  reminders: Record<string, boolean>;
  connect(clientId?: string): Promise<void>;
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
  async connect(clientId) {
    if (get().busy) return;
    set({ busy: 'connect', error: null });
    try {
      const input = clientId?.trim() ? { clientId: clientId.trim() } : {};
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

const TIER_LABEL: Record<XeroTier, string> = {
  standard: 'Standard (5,000 calls a day)',
  starter: 'Starter (1,000 calls a day)',
};

/** Under a Xero connection row: the budget meter, the tier, and Xero's own reminders. */
export function XeroConnectionExtras({ conn }: { conn: ConnectionSummary }): React.JSX.Element {
  const budget = useXeroStore((s) => s.budgets[conn.id]);
  const remindersOn = useXeroStore((s) => s.reminders[conn.id] === true);
  const loadBudgets = useXeroStore((s) => s.loadBudgets);
  const loadReminders = useXeroStore((s) => s.loadReminders);
  const tier = useSettingsStore((s) => s.settings?.xeroTier ?? 'standard');
  const saving = useSettingsStore((s) => s.saving);
  const updateSettings = useSettingsStore((s) => s.update);
  const lastSyncedAt = conn.lastSyncedAt;
  const tierId = useId();

  useEffect(() => {
    void loadBudgets();
  }, [loadBudgets, lastSyncedAt]);
  useEffect(() => {
    if (conn.status === 'active') void loadReminders(conn.id);
  }, [loadReminders, conn.id, conn.status]);

  const used = budget?.usedToday ?? 0;
  // Right after a tier change the core still reports the old limit until the next call; show the chosen one.
  const limit = budget && budget.tier === tier ? budget.limit : tier === 'starter' ? 1000 : 5000;
  return (
    <>
      <div className="xero-extras">
        <span className="xero-meter" data-testid="xero-budget">
          <meter min={0} max={limit} value={Math.min(used, limit)} high={limit * 0.8} optimum={0} aria-label="Xero calls used today" />
          <span>
            Calls today: {used.toLocaleString()} of {limit.toLocaleString()}
            {budget?.resetsAt ? `, paused until ${new Date(budget.resetsAt).toLocaleTimeString()}` : ''}
          </span>
        </span>
        <label htmlFor={tierId}>
          Xero plan
          <select
            id={tierId}
            value={tier}
            disabled={saving}
            data-testid="xero-tier"
            onChange={(e) => {
              void updateSettings({ xeroTier: e.target.value as XeroTier }).then(() => loadBudgets());
            }}
          >
            {(Object.keys(TIER_LABEL) as XeroTier[]).map((t) => (
              <option key={t} value={t}>
                {TIER_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {remindersOn && (
        <p className="banner xero-warn" role="status" data-testid="xero-reminders-warning">
          Xero is also sending reminders: turn them off in Xero to avoid chasing twice.
        </p>
      )}
    </>
  );
}

/** The organisation picker: every organisation of the sign-in, the connected ones disabled. */
function XeroOrgPicker(): React.JSX.Element {
  const pending = useXeroStore((s) => s.pending);
  const busy = useXeroStore((s) => s.busy);
  const add = useXeroStore((s) => s.add);
  const cancel = useXeroStore((s) => s.cancel);
  // The picks of this sign-in; a new sign-in starts with every organisation not yet connected.
  const [picks, setPicks] = useState<{ pendingId: string; ids: Set<string> } | null>(null);
  const chosen =
    pending && picks?.pendingId === pending.pendingId ? picks.ids : new Set(pending?.tenants.filter((t) => !t.connected).map((t) => t.tenantId) ?? []);

  const n = chosen.size;
  const toggle = (id: string, on: boolean): void => {
    if (!pending) return;
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setPicks({ pendingId: pending.pendingId, ids: next });
  };

  return (
    <Dialog.Root
      open={pending !== null}
      onOpenChange={(open) => {
        if (!open && busy !== 'add') void cancel();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="modal modal-sm" data-testid="xero-org-picker">
          <Dialog.Title className="modal-title">Choose Xero organisations</Dialog.Title>
          <Dialog.Description className="modal-body">Each organisation becomes its own company in Settle.</Dialog.Description>
          <fieldset className="xero-orgs modal-body" aria-label="Organisations">
            {(pending?.tenants ?? []).map((t) => (
              <label key={t.tenantId} data-disabled={t.connected ? '' : undefined}>
                <input
                  type="checkbox"
                  checked={t.connected || chosen.has(t.tenantId)}
                  disabled={t.connected || busy === 'add'}
                  onChange={(e) => toggle(t.tenantId, e.target.checked)}
                />
                {t.name}
                {t.connected && <span className="badge">Already connected</span>}
              </label>
            ))}
          </fieldset>
          <div className="modal-actions">
            <Dialog.Close asChild>
              <button type="button" className="btn" disabled={busy === 'add'}>
                Cancel
              </button>
            </Dialog.Close>
            <button type="button" className="btn btn-primary" disabled={n === 0 || busy !== null} onClick={() => void add([...chosen])}>
              {busy === 'add' && <Spinner size={13} />}
              Add {n} organisation{n === 1 ? '' : 's'}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The "Connect Xero" block (the picker dialog included). */
export function XeroConnectBlock(): React.JSX.Element {
  const busy = useXeroStore((s) => s.busy);
  const error = useXeroStore((s) => s.error);
  const connect = useXeroStore((s) => s.connect);
  const qboBusy = useConnectionsStore((s) => s.busy);
  const signInUrl = useConnectionsStore((s) => s.signInUrl);
  const savedClientId = useSettingsStore((s) => s.settings?.xeroClientId ?? null);
  const [showKey, setShowKey] = useState(false);
  const [clientId, setClientId] = useState('');
  const needKey = savedClientId === null || showKey;
  const connecting = busy === 'connect';

  const onConnect = async (): Promise<void> => {
    await connect(needKey ? clientId : undefined);
    if (!useXeroStore.getState().error) setShowKey(false);
  };

  return (
    <>
      <div className="setting" data-testid="xero-connect">
        <div className="setting-text">
          <span className="setting-label">
            <Building2 size={14} aria-hidden="true" /> Xero
          </span>
          <span className="setting-help">
            {connecting
              ? 'Finish signing in in your browser; Settle is waiting for Xero…'
              : 'Opens the Xero sign-in in your browser, then you choose the organisations to add. The sign-in is kept in your keychain.'}
          </span>
          {connecting && signInUrl && (
            <a className="setting-help" href={signInUrl} target="_blank" rel="noreferrer">
              No sign-in window? Open the Xero sign-in
            </a>
          )}
          {needKey && (
            <div className="connect-keys">
              <label>
                {/* Not "Client ID": that label is QuickBooks' field just above. */}
                Xero app ID
                <input
                  type="text"
                  value={clientId}
                  autoComplete="off"
                  placeholder="The client id from developer.xero.com"
                  onChange={(e) => setClientId(e.target.value)}
                />
              </label>
            </div>
          )}
          {!needKey && (
            <button type="button" className="link-btn" onClick={() => setShowKey(true)}>
              Use another Xero app
            </button>
          )}
        </div>
        <div className="row-gap">
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy !== null || qboBusy !== null || (needKey && !clientId.trim())}
            onClick={() => void onConnect()}
          >
            {connecting && <Spinner size={13} />}
            Connect Xero
          </button>
        </div>
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <XeroOrgPicker />
    </>
  );
}
