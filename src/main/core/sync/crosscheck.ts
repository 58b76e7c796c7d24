// When a connector compares the books with the provider's own figures (QBO: AgedReceivables;
// Xero: Contacts' Balances) and where the result is kept. Both run after a successful backfill
// and otherwise at most daily; a check never fails the sync. The result is a CrossCheckInfo in the
// settings table (names and amounts, no secrets), read back by sync.status for the board's warning.
import type { CrossCheckInfo, SyncStatus, SyncRun } from '../../../shared/model';
import type { Db } from '../db/open';
import { getConnectionRecord, listConnections, type ConnectionRecord } from '../connectors';
import type { ProviderRegistry } from '../connectors';
import { getSetting, setSetting } from '../settings';
import { lastRun } from './sync-runs.repo';
import type { Clock, Logger } from '../ports';
import type { SyncOutcome } from './engine';

/** The cross-check runs after a backfill, and otherwise at most this often. */
export const CROSS_CHECK_EVERY_MS = 24 * 3_600_000;

/** The settings key of a connection's last cross-check ('qbo.crossCheck.<id>', 'xero.crossCheck.<id>'). */
export const crossCheckKey = (provider: 'qbo' | 'xero', connectionId: string): string => `${provider}.crossCheck.${connectionId}`;

export function lastCrossCheck(db: Db, provider: 'qbo' | 'xero', connectionId: string): CrossCheckInfo | null {
  return getSetting<CrossCheckInfo>(db, crossCheckKey(provider, connectionId)) ?? null;
}

export function saveCrossCheck(db: Db, provider: 'qbo' | 'xero', connectionId: string, info: CrossCheckInfo): void {
  setSetting(db, crossCheckKey(provider, connectionId), info, info.checkedAt);
}

export interface CrossCheckDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/**
 * After a sync of `provider`: runs `check` when the run was an ok backfill or the last check is a
 * day old, for an active connection only. A failing check is logged and tried after the next sync.
 */
export async function crossCheckAfterSync(
  deps: CrossCheckDeps,
  provider: 'qbo' | 'xero',
  outcome: SyncOutcome,
  check: (conn: ConnectionRecord) => Promise<CrossCheckInfo>,
): Promise<CrossCheckInfo | null> {
  if (outcome.status !== 'ok') return null;
  const conn = getConnectionRecord(deps.db, outcome.connectionId);
  if (!conn || conn.provider !== provider || conn.status !== 'active') return null;
  const last = lastCrossCheck(deps.db, provider, conn.id);
  const due = outcome.kind === 'full' || !last || deps.clock.now().getTime() - Date.parse(last.checkedAt) >= CROSS_CHECK_EVERY_MS;
  if (!due) return null;
  try {
    return await check(conn);
  } catch (err) {
    deps.logger.warn(`${provider} cross-check failed`, { connectionId: conn.id, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/** The date today in the company's (the clock's) time zone, YYYY-MM-DD. */
export function companyToday(clock: Clock): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: clock.timeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(clock.now());
}

/** sync.status's per-connection extras: the last cross-check and the last run of each synced company. */
export function syncStatusExtras(db: Db, providers: Pick<ProviderRegistry, 'syncs' | 'for'>): Pick<SyncStatus, 'crossChecks' | 'lastRuns'> {
  const crossChecks: Record<string, CrossCheckInfo> = {};
  const lastRuns: Record<string, SyncRun> = {};
  for (const c of listConnections(db)) {
    if (!providers.syncs(c)) continue;
    const run = lastRun(db, c.id);
    if (run) lastRuns[c.id] = run;
    const check = providers.for(c).lastCrossCheck?.(c.id);
    if (check) crossChecks[c.id] = check;
  }
  return { crossChecks, lastRuns };
}
