// Every decision Settle or the owner makes (an approval, a send, an override) is recorded here.
// Triggers refuse UPDATE and DELETE, and each row carries sha256(prev_hash + '\n' + canonical
// JSON of its content), so an edit made behind the triggers' back breaks the chain and shows.
// This module checks an entry and ties the pure chain (chain.ts) to the table (audit.repo.ts).
import type { AuditCheck } from '../../../shared/activity';
import { SettleError } from '../../../shared/errors';
import type { Clock } from '../ports';
import type { Db } from '../db/open';
import { appendChainedRow, countAuditRows, iterateStoredAudit, readAuditRows, type AuditActor, type AuditRow } from './audit.repo';
import { canonicalJson, checkChain, entryHash, GENESIS_HASH } from './chain';

export type { AuditActor, AuditRow } from './audit.repo';
export { canonicalJson, GENESIS_HASH } from './chain';

const ACTORS: ReadonlySet<string> = new Set<AuditActor>(['owner', 'rule', 'system', 'sync']);

export interface AuditInput {
  actor: AuditActor;
  /** What happened, as `domain.verb`, e.g. 'score.override' or 'outbox.sent'. */
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  /** Any JSON value; stored and hashed in canonical form. */
  detail?: unknown;
}

/** What audit.verify and `settle audit verify` report (shared with the renderer). */
export type AuditVerdict = AuditCheck;

/**
 * Appends one entry, chained to the last. Safe inside a caller's transaction (it then runs as a
 * savepoint and rolls back with the caller's work).
 */
export function appendAudit(db: Db, clock: Clock, entry: AuditInput): AuditRow {
  if (!ACTORS.has(entry.actor)) {
    throw new SettleError('invalid_input', `Audit actor must be owner, rule, system or sync, got ${String(entry.actor)}`);
  }
  if (typeof entry.action !== 'string' || entry.action.trim() === '') {
    throw new SettleError('invalid_input', 'An audit entry needs an action');
  }
  const at = clock.now().toISOString();
  const entity = entry.entity ?? null;
  const entityId = entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId);
  const detailJson = canonicalJson(entry.detail ?? {});
  const row = { at, actor: entry.actor, action: entry.action, entity, entityId, detailJson };
  const { id, prevHash, hash } = appendChainedRow(db, row, (lastHash) => {
    const prev = lastHash ?? GENESIS_HASH;
    return { prevHash: prev, hash: entryHash(prev, at, entry.actor, entry.action, entity, entityId, detailJson) };
  });
  return {
    id,
    at,
    actor: entry.actor,
    action: entry.action,
    entity,
    entityId,
    detail: JSON.parse(detailJson) as unknown,
    prevHash,
    hash,
  };
}

/** Walks the whole chain (chain.ts's checkChain) and reports the first broken row, if any. */
export function verifyAudit(db: Db): AuditVerdict {
  const rows = countAuditRows(db);
  return checkChain(iterateStoredAudit(db), rows);
}

/** Newest entries first, optionally only those about one entity. */
export function readAudit(db: Db, opts: { entity?: string; entityId?: string | number; limit?: number } = {}): AuditRow[] {
  return readAuditRows(db, opts);
}
