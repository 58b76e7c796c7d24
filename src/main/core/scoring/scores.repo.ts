// Scores are derived data: each recompute replaces a connection's whole set in one transaction,
// so the board never shows half of one run and half of another. Factors are stored as compact
// JSON tuples (about half the size of objects at 100k rows) and rebuilt on read.
import { SettleError } from '../../../shared/errors';
import type { IsoDate } from '../../../shared/dates';
import type { Factor, FactorName, NextAction, Tier } from '../../../shared/model';
import { NEXT_ACTIONS, TIERS } from '../../../shared/model';
import type { InvoiceScore } from '../ledger';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

/** A score as stored, with the date it was computed for and when. */
export interface StoredScore extends InvoiceScore {
  asOf: IsoDate;
  computedAt: string;
}

type FactorTuple = [FactorName, string, number, string, number, number];

interface Row {
  invoiceId: number;
  customerId: number;
  score: number;
  tier: Tier;
  nextAction: NextAction;
  factors: string;
  asOf: string;
  computedAt: string;
}

const SELECT = `SELECT s.invoice_id AS invoiceId, i.customer_id AS customerId, s.score, s.tier,
  s.next_action AS nextAction, s.factors_json AS factors, s.as_of AS asOf, s.computed_at AS computedAt
  FROM scores s JOIN invoices i ON i.id = s.invoice_id`;

const stmts = perDb((db) => ({
  deleteOf: db.prepare<[string]>('DELETE FROM scores WHERE invoice_id IN (SELECT id FROM invoices WHERE connection_id = ?)'),
  clear: db.prepare<[string]>(
    'DELETE FROM scores WHERE invoice_id IN (SELECT id FROM invoices WHERE connection_id = ?)',
  ),
  insert: db.prepare<[number, number, string, string, string, string, string]>(
    `INSERT INTO scores (invoice_id, score, tier, next_action, factors_json, as_of, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  invoiceConnection: db.prepare<[number], string>('SELECT connection_id FROM invoices WHERE id = ?').pluck(),
  one: db.prepare<[number], Row>(`${SELECT} WHERE s.invoice_id = ?`),
  forCustomer: db.prepare<[number], Row>(`${SELECT} WHERE i.customer_id = ? ORDER BY s.score DESC, s.invoice_id`),
  forConnection: db.prepare<[string], Row>(`${SELECT} WHERE i.connection_id = ?`),
  count: db
    .prepare<[string], number>(
      'SELECT COUNT(*) FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.connection_id = ?',
    )
    .pluck(),
  asOf: db
    .prepare<[string], string>(
      `SELECT s.as_of FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.connection_id = ? LIMIT 1`,
    )
    .pluck(),
}));

function encodeFactors(factors: readonly Factor[]): string {
  return JSON.stringify(factors.map((f): FactorTuple => [f.name, f.label, f.value, f.display, f.weight, f.contribution]));
}

function decodeFactors(json: string): Factor[] {
  const tuples = JSON.parse(json) as FactorTuple[];
  return tuples.map(([name, label, value, display, weight, contribution]) => ({
    name,
    label,
    value,
    display,
    weight,
    contribution,
  }));
}

function toScore(r: Row): StoredScore {
  return {
    invoiceId: r.invoiceId,
    customerId: r.customerId,
    score: r.score,
    tier: r.tier,
    nextAction: r.nextAction,
    factors: decodeFactors(r.factors),
    asOf: r.asOf,
    computedAt: r.computedAt,
  };
}

/**
 * Replaces every score of the connection with `scores`, all or nothing. An invoice that does not
 * exist or belongs to another connection, a score outside 0–100 or an unknown tier throws.
 */
export function replaceScores(
  db: Db,
  connectionId: string,
  scores: readonly InvoiceScore[],
  asOf: IsoDate,
  computedAtIso: string,
): number {
  const s = stmts(db);
  db.transaction(() => {
    s.clear.run(connectionId);
    for (const sc of scores) {
      if (!Number.isInteger(sc.score) || sc.score < 0 || sc.score > 100) {
        throw new SettleError('invalid_input', `Score for invoice ${sc.invoiceId} must be a whole number 0–100, got ${sc.score}`);
      }
      if (!TIERS.includes(sc.tier)) throw new SettleError('invalid_input', `Unknown tier "${sc.tier}" for invoice ${sc.invoiceId}`);
      if (!NEXT_ACTIONS.includes(sc.nextAction)) {
        throw new SettleError('invalid_input', `Unknown next action "${sc.nextAction}" for invoice ${sc.invoiceId}`);
      }
      try {
        s.insert.run(sc.invoiceId, sc.score, sc.tier, sc.nextAction, encodeFactors(sc.factors), asOf, computedAtIso);
      } catch (err) {
        if (s.invoiceConnection.get(sc.invoiceId) === undefined) {
          throw new SettleError('invalid_input', `Cannot score invoice ${sc.invoiceId}: no such invoice`);
        }
        if (err instanceof Error && /UNIQUE|PRIMARY KEY/.test(err.message)) {
          throw new SettleError('invalid_input', `Invoice ${sc.invoiceId} is scored twice in one run`);
        }
        throw err;
      }
    }
    // One count instead of one lookup per row: every score must belong to this connection.
    if (s.count.get(connectionId) !== scores.length) {
      const stray = scores.find((sc) => s.invoiceConnection.get(sc.invoiceId) !== connectionId);
      throw new SettleError(
        'invalid_input',
        `Invoice ${stray?.invoiceId ?? '?'} belongs to another connection than "${connectionId}"`,
      );
    }
  })();
  return scores.length;
}

export function getInvoiceScore(db: Db, invoiceId: number): StoredScore | null {
  const r = stmts(db).one.get(invoiceId);
  return r ? toScore(r) : null;
}

/** Scores of a customer's invoices, highest first. */
export function getScoresForCustomer(db: Db, customerId: number): StoredScore[] {
  return stmts(db).forCustomer.all(customerId).map(toScore);
}

/** The as-of date of the connection's stored scores, or null when none are stored. */
export function scoresAsOf(db: Db, connectionId: string): IsoDate | null {
  return stmts(db).asOf.get(connectionId) ?? null;
}

export function loadScores(db: Db, connectionId: string): Map<number, StoredScore> {
  const out = new Map<number, StoredScore>();
  for (const r of stmts(db).forConnection.iterate(connectionId)) out.set(r.invoiceId, toScore(r));
  return out;
}

/** Deletes a company's stored scores (before its ledger goes). */
export function deleteScoresOf(db: Db, connectionId: string): void {
  stmts(db).deleteOf.run(connectionId);
}
