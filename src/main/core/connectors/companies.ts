// Which company the owner is looking at: the chosen one (settings.activeConnectionId), else the
// first still connected, else any. Every feature that acts "on the active company" asks here.
import type { ConnectionSummary } from '../../../shared/model';
import { SettleError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { getSettings } from '../settings';
import { listConnections } from './connections.repo';

export function activeConnection(db: Db): ConnectionSummary | null {
  const all = listConnections(db);
  const chosen = getSettings(db).activeConnectionId;
  return all.find((c) => c.id === chosen) ?? all.find((c) => c.status !== 'disconnected') ?? all[0] ?? null;
}

/** The active company; throws not_found when there is none yet. */
export function requireActive(db: Db): ConnectionSummary {
  const conn = activeConnection(db);
  if (!conn) throw new SettleError('not_found', 'No company yet: explore the demo company or connect QuickBooks or Xero.');
  return conn;
}
