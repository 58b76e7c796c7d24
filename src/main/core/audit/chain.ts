// The audit log's hash chain, as pure functions: canonical JSON, the hash of one entry and the
// walk that finds the first broken link. No database here: audit.repo.ts stores and reads the
// rows, log.ts puts the two together.
import { createHash } from 'node:crypto';
import type { AuditCheck } from '../../../shared/activity';
import type { StoredAuditRow } from './audit.repo';

export const GENESIS_HASH = '0'.repeat(64);

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

/** sha256(prev_hash + '\n' + canonical JSON of the entry's content); throws when detailJson is not JSON. */
export function entryHash(prevHash: string, at: string, actor: string, action: string, entity: string | null, entityId: string | null, detailJson: string): string {
  const content = canonicalJson({ at, actor, action, entity, entityId, detail: JSON.parse(detailJson) as unknown });
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/**
 * Walks the chain from the first row and reports the first row whose content no longer matches
 * its hash (edited in place) or whose link does not match the row before it (a row removed,
 * inserted or re-hashed before it). Removing rows from the end leaves no trace in a hash chain.
 */
export function checkChain(rowsOldestFirst: Iterable<StoredAuditRow>, rows: number): AuditCheck {
  let expectedPrev = GENESIS_HASH;
  let before: StoredAuditRow | null = null;
  for (const r of rowsOldestFirst) {
    const what = `Row ${r.id} (${r.action}, ${r.at})`;
    let hash: string;
    try {
      hash = entryHash(r.prevHash, r.at, r.actor, r.action, r.entity, r.entityId, r.detailJson);
    } catch {
      return { ok: false, rows, brokenAtId: r.id, problem: 'unreadable', message: `${what} cannot be read: its detail is not valid JSON.` };
    }
    if (r.hash !== hash) {
      return { ok: false, rows, brokenAtId: r.id, problem: 'content', message: `${what} was changed after it was written: its content no longer matches its hash.` };
    }
    if (r.prevHash !== expectedPrev) {
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
