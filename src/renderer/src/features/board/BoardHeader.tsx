// The board's title line: the company (with the demo badge and its actions), the as-of date,
// and when the ledger was last synced, or that Settle is offline.
import { AlertTriangle, RefreshCw, WifiOff } from 'lucide-react';
import { useEffect, useState } from 'react';
import { formatDate, formatMoney, formatSince } from '../../lib/format';
import type { CrossCheckInfo } from '../../../../shared/model';
import { useAppStore } from '../../stores/app.store';
import { useBoardStore } from '../../stores/board.store';
import { useConnectionsStore } from '../../stores/connections.store';
import { useLocale } from '../../stores/settings.store';
import { Spinner } from '../../components/Spinner';
import { DemoActions, DemoBadge } from '../demo/DemoControls';

/** The current time, refreshed every minute so "Last synced 5 min ago" stays true. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function BoardHeader(): React.JSX.Element | null {
  const connection = useBoardStore((s) => s.connection);
  const summary = useBoardStore((s) => s.summary);
  const fetching = useBoardStore((s) => s.fetching);
  const load = useBoardStore((s) => s.load);
  const online = useAppStore((s) => s.online);
  const syncBusy = useConnectionsStore((s) => s.busy);
  const syncNow = useConnectionsStore((s) => s.syncNow);
  const stopSync = useConnectionsStore((s) => s.stopSync);
  const progress = useAppStore((s) => s.progress);
  const syncError = useConnectionsStore((s) => s.error);
  const crossCheck = useConnectionsStore((s) => (connection ? s.crossChecks[connection.id] : undefined));
  const locale = useLocale();
  const now = useMinuteClock();
  if (!connection || !summary) return null;
  const lastSynced = summary.lastSyncedAt ?? connection.lastSyncedAt;
  // A sync of this company is under way: Sync now, or one Settle started (the first after connecting).
  const syncing =
    syncBusy?.kind === 'sync' ||
    (progress !== null && progress.connectionId === connection.id && progress.phase !== 'done' && progress.phase !== 'error');
  return (
    <header className="board-header">
      <div className="board-title">
        <h1>{connection.name}</h1>
        {connection.isDemo && <DemoBadge />}
        {connection.status === 'needs_reconnect' && <span className="badge badge-warn">Needs reconnect</span>}
        {connection.status === 'disconnected' && <span className="badge badge-warn">Disconnected</span>}
        {connection.isDemo && <DemoActions compact />}
      </div>
      <div className="board-meta">
        <span className="meta-item">As of {formatDate(summary.asOf, locale)}</span>
        {crossCheck && crossCheck.mismatches.length > 0 && (
          <CrossCheckWarning check={crossCheck} provider={connection.provider === 'xero' ? 'Xero' : 'QuickBooks'} locale={locale} />
        )}
        {online ? (
          <span className="meta-item" data-testid="last-synced">
            {lastSynced ? `Last synced ${formatSince(lastSynced, locale, now)}` : 'Not synced yet'}
          </span>
        ) : (
          <span className="badge badge-offline" title="Showing the copy on this computer; sync resumes when you are back online.">
            <WifiOff size={12} aria-hidden="true" />
            Offline
          </span>
        )}
        {!connection.isDemo && connection.status !== 'disconnected' && (
          <button
            type="button"
            className="btn btn-sm"
            disabled={syncBusy !== null || !online}
            title={syncError ?? (online ? 'Fetch the latest changes from the ledger' : 'Offline')}
            onClick={() => void syncNow(connection.id)}
          >
            {syncBusy?.kind === 'sync' && <Spinner size={13} />}
            Sync now
          </button>
        )}
        {!connection.isDemo && syncing && (
          <button
            type="button"
            className="btn btn-sm"
            title="Stop after the last saved page; the next sync continues from there"
            onClick={() => void stopSync()}
          >
            Stop sync
          </button>
        )}
        <button
          type="button"
          className="icon-btn"
          aria-label="Reload the board"
          title="Reload (r)"
          onClick={() => void load({ keepSelection: true })}
        >
          {fetching ? <Spinner size={14} /> : <RefreshCw size={14} aria-hidden="true" />}
        </button>
      </div>
    </header>
  );
}

/** A calm note when the ledger's own figures (QuickBooks' A/R aging, Xero's contact balances) and Settle disagree for some customers; the names are in the tooltip. */
function CrossCheckWarning({ check, provider, locale }: { check: CrossCheckInfo; provider: string; locale: string }): React.JSX.Element {
  const n = check.mismatches.length;
  const lines = check.mismatches.map(
    (m) => `${m.name}: ${provider} ${formatMoney(m.qboCents, m.currency ?? check.currency, locale)}, Settle ${formatMoney(m.localCents, m.currency ?? check.currency, locale)}`,
  );
  const title = `Compared with ${provider === 'Xero' ? "Xero's contact balances" : "QuickBooks' A/R aging"}${check.asOf ? ` as of ${check.asOf}` : ''}:\n${lines.join('\n')}`;
  return (
    <span className="badge badge-warn" data-testid="crosscheck-warning" title={title} tabIndex={0} aria-label={`${n === 1 ? '1 customer disagrees' : `${n} customers disagree`} with ${provider}. ${lines.join('. ')}`}>
      <AlertTriangle size={12} aria-hidden="true" />
      {n === 1 ? `1 customer disagrees with ${provider}` : `${n} customers disagree with ${provider}`}
    </span>
  );
}
