// Every decision Settle or the owner makes (an approval, a send, an override) is recorded here.
// Triggers refuse UPDATE and DELETE, and each row carries sha256(prev_hash + '\n' + canonical
// JSON of its content), so an edit made behind the triggers' back breaks the chain and shows.
import { createHash } from 'node:crypto';
import type { AuditCheck } from '../../../shared/activity';
import { SettleError } from '../../../shared/errors';
import type { Clock } from '../ports';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

/** Who acted: the owner, a rule they switched on, Settle itself, or a sync. */
export type AuditActor = 'owner' | 'rule' | 'system' | 'sync';
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

/** What audit.verify and `settle audit verify` report (shared with the renderer). */
export type AuditVerdict = AuditCheck;

export const GENESIS_HASH = '0'.repeat(64);

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
}));

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  // A JSON round trip first applies toJSON (Dates) and drops undefined, as storage will.
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : canonical(JSON.parse(text) as unknown);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}

function hashOf(prevHash: string, at: string, actor: string, action: string, entity: string | null, entityId: string | null, detailJson: string): string {
  const content = canonicalJson({ at, actor, action, entity, entityId, detail: JSON.parse(detailJson) as unknown });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

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
  const s = stmts(db);
  return db.transaction((): AuditRow => {
    const prevHash = s.lastHash.get() ?? GENESIS_HASH;
    const hash = hashOf(prevHash, at, entry.actor, entry.action, entity, entityId, detailJson);
    const id = s.insert.get(at, entry.actor, entry.action, entity, entityId, detailJson, prevHash, hash);
    if (id === undefined) throw new SettleError('internal', 'Could not append to the audit log');
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
  })();
}

/**
 * Walks the chain from the first row and reports the first row whose content no longer matches
 * its hash (edited in place) or whose link does not match the row before it (a row removed,
 * inserted or re-hashed before it). Removing rows from the end leaves no trace in a hash chain.
 */
export function verifyAudit(db: Db): AuditVerdict {
  const s = stmts(db);
  const rows = s.count.get() ?? 0;
  let expectedPrev = GENESIS_HASH;
  let before: Row | null = null;
  for (const r of s.all.iterate()) {
    const what = `Row ${r.id} (${r.action}, ${r.at})`;
    let hash: string;
    try {
      hash = hashOf(r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.detail_json);
    } catch {
      return { ok: false, rows, brokenAtId: r.id, problem: 'unreadable', message: `${what} cannot be read: its detail is not valid JSON.` };
    }
    if (r.hash !== hash) {
      return { ok: false, rows, brokenAtId: r.id, problem: 'content', message: `${what} was changed after it was written: its content no longer matches its hash.` };
    }
    if (r.prev_hash !== expectedPrev) {
      const after = before ? `row ${before.id}` : 'the start of the log';
      return {
        ok: false,
        rows,
        brokenAtId: r.id,
        problem: 'link',
        message: `${what} does not link to ${after}: a row between them was removed or inserted, or ${after} was rewritten.`,
      };
    }
    expectedPrev = r.hash;
    before = r;
  }
  return { ok: true, rows };
}

function toAuditRow(r: Row): AuditRow {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detail: JSON.parse(r.detail_json) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Newest entries first, optionally only those about one entity. */
export function readAudit(db: Db, opts: { entity?: string; entityId?: string | number; limit?: number } = {}): AuditRow[] {
  const s = stmts(db);
  const limit = opts.limit ?? 100;
  const rows =
    opts.entity !== undefined && opts.entityId !== undefined
      ? s.byEntity.all(opts.entity, String(opts.entityId), limit)
      : s.recent.all(limit);
  return rows.map(toAuditRow);
}
