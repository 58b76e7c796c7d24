// Which company the owner is looking at: the chosen one (settings.activeConnectionId), else the
// first still connected, else any; every feature that acts "on the active company" asks here.
// And removing a company with everything the ledger, scoring and sync hold about it.
import type { ConnectionSummary } from '../../../shared/model';
import { SettleError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { forgetPaymentDetails, getSettings } from '../settings';
import { deleteLedgerOf } from '../ledger';
import { deleteOverridesOf, deleteScoresOf } from '../scoring';
import { deleteSyncStateOf } from '../sync';
import { deleteConnectionRow, getConnectionRecord, listConnections } from './connections.repo';

/**
 * Deletes a company and every row of its ledger, scores, overrides, sync history and payment
 * details, in one transaction, each through its owner's repo. Returns false when there was none.
 */
export function removeCompany(db: Db, id: string): boolean {
  return db.transaction(() => {
    if (!getConnectionRecord(db, id)) return false;
    deleteScoresOf(db, id);
    deleteOverridesOf(db, id);
    deleteLedgerOf(db, id);
    deleteSyncStateOf(db, id);
    forgetPaymentDetails(db, id);
    return deleteConnectionRow(db, id);
  })();
}

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
