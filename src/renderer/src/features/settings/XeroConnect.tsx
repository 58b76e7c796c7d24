// Settings → Connections, the Xero parts (issue 4): "Connect Xero" (with the owner's own client id
// when Settle has none), the organisation picker after the browser sign-in, and per Xero company
// its daily API budget, the pricing tier, and a calm warning when Xero sends its own reminders.
import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useId, useState } from 'react';
import type { ConnectionSummary } from '../../../../shared/model';
import type { XeroTier } from '../../../../shared/xero';
import { Spinner } from '../../components/Spinner';
import { useConnectionsStore } from '../../stores/connections.store';
import { useSettingsStore } from '../../stores/settings.store';
import { ProviderConnect } from './ConnectionsConnect';
import { useXeroStore } from './XeroConnect.store';
import './xero.css';

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

  const onConnect = async (): Promise<void> => {
    await connect(needKey ? clientId : undefined);
    if (!useXeroStore.getState().error) setShowKey(false);
  };

  return (
    <>
      <ProviderConnect
        provider="Xero"
        label="Xero"
        testId="xero-connect"
        help="Opens the Xero sign-in in your browser, then you choose the organisations to add. The sign-in is kept in your keychain."
        connecting={busy === 'connect'}
        signInUrl={signInUrl}
        keys={
          needKey ? (
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
          ) : null
        }
        otherKeys={needKey ? null : { label: 'Use another Xero app', onClick: () => setShowKey(true) }}
        disabled={busy !== null || qboBusy !== null || (needKey && !clientId.trim())}
        onConnect={() => void onConnect()}
      />
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <XeroOrgPicker />
    </>
  );
}
