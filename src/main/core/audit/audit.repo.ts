// The owner of `audit_log`: the only module that writes it and the only decoder of its
// detail_json. Appending reads the last hash and inserts the new row in one transaction, so two
// writers can never chain onto the same row; how the hash is computed is chain.ts's business.
// The table is append-only (migration 0001's triggers refuse UPDATE and DELETE).
import { SettleError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

/** Who acted: the owner, a rule they switched on, Settle itself, or a sync. */
export type AuditActor = 'owner' | 'rule' | 'system' | 'sync';

/** One entry as read back, its detail decoded. */
export interface AuditRow {
  id: number;
  at: string;
  actor: AuditActor;
  action: string;
  entity: string | null;
  entityId: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

/** One entry exactly as stored, detail as its text: what the chain check hashes. */
export type StoredAuditRow = Omit<AuditRow, 'detail'> & { detailJson: string };

/** A row about to be appended; its links (prev_hash, hash) come from the caller's chain. */
export interface NewAuditRow {
  at: string;
  actor: AuditActor;
  action: string;
  entity: string | null;
  entityId: string | null;
  detailJson: string;
}

interface Row {
  id: number;
  at: string;
  actor: AuditActor;
  action: string;
  entity: string | null;
  entity_id: string | null;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

const stmts = perDb((db) => ({
  lastHash: db.prepare<[], string>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck(),
  insert: db
    .prepare<[string, string, string, string | null, string | null, string, string, string], number>(
      `INSERT INTO audit_log (at, actor, action, entity, entity_id, detail_json, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  all: db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY id'),
  count: db.prepare<[], number>('SELECT COUNT(*) FROM audit_log').pluck(),
  byEntity: db.prepare<[string, string, number], Row>(
    'SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?',
  ),
  recent: db.prepare<[number], Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
  about: db.prepare<[string, string, string], { id: number; at: string; actor: AuditActor; detail_json: string }>(
    `SELECT id, at, actor, detail_json FROM audit_log
     WHERE entity = ? AND entity_id = ? AND action = ?`,
  ),
}));

function toStored(r: Row): StoredAuditRow {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detailJson: r.detail_json,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toAuditRow(r: Row): AuditRow {
  const { detailJson, ...rest } = toStored(r);
  return { ...rest, detail: JSON.parse(detailJson) as unknown };
}

/**
 * Appends one row chained to the last: `link` gets the last row's hash (null on an empty log)
 * and returns the new row's prev_hash and hash. Runs as one transaction (a savepoint inside the
 * caller's, rolling back with it).
 */
export function appendChainedRow(
  db: Db,
  row: NewAuditRow,
  link: (lastHash: string | null) => { prevHash: string; hash: string },
): { id: number; prevHash: string; hash: string } {
  const s = stmts(db);
  return db.transaction(() => {
    const { prevHash, hash } = link(s.lastHash.get() ?? null);
    const id = s.insert.get(row.at, row.actor, row.action, row.entity, row.entityId, row.detailJson, prevHash, hash);
    if (id === undefined) throw new SettleError('internal', 'Could not append to the audit log');
    return { id, prevHash, hash };
  })();
}

export function countAuditRows(db: Db): number {
  return stmts(db).count.get() ?? 0;
}

/** Every row, oldest first, as stored (read lazily: the log can be long). */
export function* iterateStoredAudit(db: Db): Generator<StoredAuditRow> {
  for (const r of stmts(db).all.iterate()) yield toStored(r);
}

/** Newest entries first, optionally only those about one entity. */
export function readAuditRows(db: Db, opts: { entity?: string; entityId?: string | number; limit?: number } = {}): AuditRow[] {
  const s = stmts(db);
  const limit = opts.limit ?? 100;
  const rows =
    opts.entity !== undefined && opts.entityId !== undefined
      ? s.byEntity.all(opts.entity, String(opts.entityId), limit)
      : s.recent.all(limit);
  return rows.map(toAuditRow);
}

/**
 * Every entry with one action about one entity, in table order, its detail decoded (null when
 * the stored text is not JSON). The customer timeline reads tier overrides through it.
 */
export function auditEntriesAbout(
  db: Db,
  entity: string,
  entityId: string,
  action: string,
): { id: number; at: string; actor: AuditActor; detail: unknown }[] {
  return stmts(db)
    .about.all(entity, entityId, action)
    .map((a) => {
      let detail: unknown;
      try {
        detail = JSON.parse(a.detail_json) as unknown;
      } catch {
        detail = null;
      }
      return { id: a.id, at: a.at, actor: a.actor, detail };
    });
}
