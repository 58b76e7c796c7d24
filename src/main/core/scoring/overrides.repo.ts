// The owner's tier for a customer, kept apart from computed scores so a recompute never
// erases it. Auditing the change is the caller's job (audit/log.ts, action 'score.override').
import { SettleError } from '../../../shared/errors';
import type { Override, Tier } from '../../../shared/model';
import { TIERS } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

const stmts = perDb((db) => ({
  deleteOf: db.prepare<[string]>('DELETE FROM overrides WHERE customer_id IN (SELECT id FROM customers WHERE connection_id = ?)'),
  customerExists: db.prepare<[number], number>('SELECT 1 FROM customers WHERE id = ?').pluck(),
  set: db.prepare<[number, Tier, string, string]>(
    `INSERT INTO overrides (customer_id, tier, reason, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, reason = excluded.reason, created_at = excluded.created_at`,
  ),
  clear: db.prepare<[number]>('DELETE FROM overrides WHERE customer_id = ?'),
  get: db.prepare<[number], Override>('SELECT tier, reason, created_at AS at FROM overrides WHERE customer_id = ?'),
}));

export function setOverride(db: Db, customerId: number, tier: Tier, reason: string, atIso: string): Override {
  if (!TIERS.includes(tier)) throw new SettleError('invalid_input', `Unknown tier "${String(tier)}"`);
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (why.length === 0) throw new SettleError('invalid_input', 'Say why you are overriding the tier');
  const s = stmts(db);
  if (s.customerExists.get(customerId) === undefined) {
    throw new SettleError('not_found', `No customer ${customerId}`);
  }
  s.set.run(customerId, tier, why, atIso);
  return { tier, reason: why, at: atIso };
}

/** Returns whether there was an override to clear. */
export function clearOverride(db: Db, customerId: number): boolean {
  return stmts(db).clear.run(customerId).changes > 0;
}

export function getOverride(db: Db, customerId: number): Override | null {
  return stmts(db).get.get(customerId) ?? null;
}

/** Deletes the owner's overrides on a company's customers (before its ledger goes). */
export function deleteOverridesOf(db: Db, connectionId: string): void {
  stmts(db).deleteOf.run(connectionId);
}
