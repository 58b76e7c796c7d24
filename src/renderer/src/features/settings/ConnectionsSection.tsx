// Settings → Connections: connect QuickBooks (with the owner's own Intuit keys when Settle has
// none), each company with its status (Active, Needs reconnect, Disconnected) and its actions.
import { useEffect, useState } from 'react';
import type { ConnectionSummary, SyncRun } from '../../../../shared/model';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Spinner } from '../../components/Spinner';
import { formatSince } from '../../lib/format';
import { useConnectionsStore } from '../../stores/connections.store';
import { useLocale, useSettingsStore } from '../../stores/settings.store';
import { ProviderConnect, useSignInBlocked } from './ConnectionsConnect';
import { XeroConnectBlock, XeroConnectionExtras } from './XeroConnect';
import { useXeroStore } from './XeroConnect.store';

const STATUS_LABEL: Record<ConnectionSummary['status'], string> = {
  active: 'Active',
  needs_reconnect: 'Needs reconnect',
  disconnected: 'Disconnected',
};

/** "Last sync: 1,204 records, 2 warnings", with the warning lines behind a disclosure. */
function LastSyncLine({ run }: { run: SyncRun }): React.JSX.Element {
  const records = `${run.records.toLocaleString()} record${run.records === 1 ? '' : 's'}`;
  const warnings = `${run.warnings.toLocaleString()} warning${run.warnings === 1 ? '' : 's'}`;
  const state = run.status === 'ok' ? '' : run.status === 'running' ? ' (running)' : run.status === 'aborted' ? ' (stopped)' : ' (failed)';
  const summary = `Last sync${state}: ${records}, ${warnings}`;
  if (run.warningLines.length === 0) {
    return (
      <span className="setting-help" data-testid="last-sync">
        {summary}
      </span>
    );
  }
  return (
    <details className="sync-warnings" data-testid="last-sync">
      <summary className="setting-help">{summary}</summary>
      <ul>
        {run.warningLines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
        {run.warnings > run.warningLines.length && <li>…and {(run.warnings - run.warningLines.length).toLocaleString()} more</li>}
      </ul>
    </details>
  );
}

function ConnectionRow({ conn }: { conn: ConnectionSummary }): React.JSX.Element {
  const busy = useConnectionsStore((s) => s.busy);
  const connectQbo = useConnectionsStore((s) => s.connectQbo);
  const connectXero = useXeroStore((s) => s.connect);
  const isXero = conn.provider === 'xero';
  const disconnect = useConnectionsStore((s) => s.disconnect);
  const syncNow = useConnectionsStore((s) => s.syncNow);
  const run = useConnectionsStore((s) => s.lastRuns[conn.id]);
  const locale = useLocale();
  const [confirming, setConfirming] = useState(false);
  const [now] = useState(() => Date.now());
  const xeroBusy = useXeroStore((s) => s.busy);
  const blocked = useSignInBlocked(isXero ? 'Xero' : 'QuickBooks');
  const status = STATUS_LABEL[conn.status];
  const synced = conn.lastSyncedAt ? `last synced ${formatSince(conn.lastSyncedAt, locale, now)}` : 'not synced yet';
  return (
    <div className="setting" data-testid={`connection-${conn.id}`}>
      <div className="setting-text">
        <span className="setting-label">
          {conn.name}{' '}
          <span className={`badge ${conn.status === 'active' ? '' : 'badge-warn'}`} data-testid="connection-status">
            {status}
          </span>
        </span>
        <span className="setting-help">
          {isXero ? 'Xero' : 'QuickBooks Online'}, home currency {conn.homeCurrency}, {synced}.
          {conn.status === 'needs_reconnect' && ` ${isXero ? 'Xero' : 'QuickBooks'} asked Settle to sign in again; syncing is paused until you reconnect.`}
          {conn.status === 'disconnected' && ' Syncing is off; the synced invoices stay on this computer.'}
        </span>
        {run && <LastSyncLine run={run} />}
        {isXero && <XeroConnectionExtras conn={conn} />}
      </div>
      <div className="row-gap">
        {conn.status === 'active' && (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void syncNow(conn.id)}>
            {busy?.kind === 'sync' && busy.id === conn.id && <Spinner size={13} />}
            Sync now
          </button>
        )}
        {conn.status !== 'active' && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy !== null || xeroBusy !== null || blocked !== null}
            title={blocked ?? `Sign in to ${isXero ? 'Xero' : 'QuickBooks'} again and choose ${conn.name}`}
            onClick={() => void (isXero ? connectXero(undefined, conn.id) : connectQbo({ connectionId: conn.id }))}
          >
            {(isXero ? xeroBusy === 'connect' : busy?.kind === 'connect') && <Spinner size={13} />}
            Reconnect
          </button>
        )}
        {conn.status !== 'disconnected' && (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => setConfirming(true)}>
            {busy?.kind === 'disconnect' && busy.id === conn.id && <Spinner size={13} />}
            Disconnect
          </button>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disconnect ${conn.name}?`}
        description={`Settle signs out of ${isXero ? 'Xero' : 'QuickBooks'}, forgets the sign-in and stops syncing. The invoices already synced stay on this computer.`}
        confirmLabel="Disconnect"
        danger
        onConfirm={() => void disconnect(conn.id)}
      />
    </div>
  );
}

export function ConnectionsSection(): React.JSX.Element {
  const list = useConnectionsStore((s) => s.list);
  const busy = useConnectionsStore((s) => s.busy);
  const error = useConnectionsStore((s) => s.error);
  const load = useConnectionsStore((s) => s.load);
  const connectQbo = useConnectionsStore((s) => s.connectQbo);
  const signInUrl = useConnectionsStore((s) => s.signInUrl);
  const savedClientId = useSettingsStore((s) => s.settings?.qboClientId ?? null);
  const [showKeys, setShowKeys] = useState(false);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  const companies = list.filter((c) => !c.isDemo);
  const needKeys = savedClientId === null || showKeys;
  const connecting = busy?.kind === 'connect';

  const onConnect = async (): Promise<void> => {
    const ok = await connectQbo(needKeys ? { clientId, clientSecret } : {});
    if (ok) {
      setClientSecret('');
      setShowKeys(false);
    }
  };

  return (
    <>
      {companies.map((c) => (
        <ConnectionRow key={c.id} conn={c} />
      ))}
      <ProviderConnect
        provider="QuickBooks"
        label="QuickBooks Online"
        testId="qbo-connect"
        help="Opens the QuickBooks sign-in in your browser. The sign-in is kept in your keychain, never in Settle’s data file."
        connecting={connecting}
        signInUrl={signInUrl}
        keys={
          needKeys ? (
            <div className="connect-keys">
              <label>
                Client ID
                <input type="text" value={clientId} autoComplete="off" onChange={(e) => setClientId(e.target.value)} />
              </label>
              <label>
                Client secret
                <input type="password" value={clientSecret} autoComplete="off" onChange={(e) => setClientSecret(e.target.value)} />
              </label>
            </div>
          ) : null
        }
        otherKeys={needKeys ? null : { label: 'Use other Intuit app keys', onClick: () => setShowKeys(true) }}
        disabled={busy !== null || (needKeys && (!clientId.trim() || !clientSecret))}
        onConnect={() => void onConnect()}
      />
      <XeroConnectBlock />
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
