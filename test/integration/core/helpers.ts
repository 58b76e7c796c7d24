// Shared setup for the core's handler tests: a real settle.db in a temp dir, a fixed clock, the
// in-process transport, and SQL "oracles" that work out expected figures straight from the
// tables, independently of the ledger code under test (julianday for days, a correlated
// subquery for as-of balances, bucket edges spelled out here).
import { createCore, type Core, type CoreDeps } from '../../../src/main/core/app';
import type { Db } from '../../../src/main/core/db/open';
import { fixedClock } from '../../../src/main/core/ports';
import type { Input } from '../../../src/shared/contract';
import type { Bucket, QueueRow } from '../../../src/shared/model';
import { inProcess, type InProcess } from '../../support/in-process';

export const NOW = '2026-11-21T15:00:00Z';
export const TODAY = '2026-11-21';
export const clock = fixedClock(NOW);

export interface Opened {
  core: Core;
  call: InProcess;
}

/** A core on `dataDir` with the fixed clock, started unless told otherwise. */
export function openCore(dataDir: string, deps: Partial<CoreDeps> & { start?: boolean } = {}): Opened {
  const { start = true, ...rest } = deps;
  const core = createCore({ dataDir, clock, ...rest });
  if (start) core.start();
  return { core, call: inProcess(core) };
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return db.prepare(sql).pluck().get(...params) as number;
}

export interface OracleInvoice {
  id: number;
  customerId: number;
  customerName: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  balance: number;
  /** asOf − due date in days, by SQLite's julianday. */
  days: number;
}

/**
 * Invoices open on `asOf`, straight from SQL: issued by then, not void/draft/deleted, customer
 * not deleted, and a positive balance once live applications dated after `asOf` are added back.
 */
export function openOn(db: Db, connectionId: string, asOf: string): OracleInvoice[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.customer_id AS customerId, c.name AS customerName, i.number, i.issue_date AS issueDate,
              i.due_date AS dueDate, i.currency,
              i.balance_cents + COALESCE((
                SELECT SUM(a.amount_cents) FROM payment_applications a
                LEFT JOIN payments p ON p.id = a.payment_id
                LEFT JOIN credit_notes n ON n.id = a.credit_note_id
                WHERE a.invoice_id = i.id AND a.applied_on > @asOf
                  AND (a.payment_id IS NULL OR p.deleted_at IS NULL)
                  AND (a.credit_note_id IS NULL OR n.deleted_at IS NULL)
              ), 0) AS balance,
              CAST(julianday(@asOf) - julianday(i.due_date) AS INTEGER) AS days
       FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.connection_id = @conn AND i.deleted_at IS NULL AND c.deleted_at IS NULL
         AND i.status IN ('open', 'paid') AND i.issue_date <= @asOf
       ORDER BY i.id`,
    )
    .all({ conn: connectionId, asOf }) as OracleInvoice[];
  return rows.filter((r) => r.balance > 0);
}

/** The aging bucket for days past due, edges written out (not imported from the code under test). */
export function bucketOf(days: number): Bucket {
  if (days < 1) return 'current';
  if (days < 31) return 'd1_30';
  if (days < 61) return 'd31_60';
  if (days < 91) return 'd61_90';
  return 'd90_plus';
}

export interface OracleCurrency {
  outstanding: number;
  overdue: number;
  open: number;
  overdueCount: number;
  customersOverdue: number;
  cents: Record<Bucket, number>;
  counts: Record<Bucket, number>;
}

export function summaryOf(rows: readonly OracleInvoice[]): Map<string, OracleCurrency> {
  const out = new Map<string, OracleCurrency>();
  const overdueCustomers = new Map<string, Set<number>>();
  for (const r of rows) {
    let c = out.get(r.currency);
    if (!c) {
      const zero = (): Record<Bucket, number> => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 });
      c = { outstanding: 0, overdue: 0, open: 0, overdueCount: 0, customersOverdue: 0, cents: zero(), counts: zero() };
      out.set(r.currency, c);
      overdueCustomers.set(r.currency, new Set());
    }
    const b = bucketOf(r.days);
    c.cents[b] += r.balance;
    c.counts[b] += 1;
    c.outstanding += r.balance;
    c.open += 1;
    if (r.days > 0) {
      c.overdue += r.balance;
      c.overdueCount += 1;
      overdueCustomers.get(r.currency)!.add(r.customerId);
    }
  }
  for (const [cur, c] of out) c.customersOverdue = overdueCustomers.get(cur)!.size;
  return out;
}

export type BoardQuery = NonNullable<Input<'board.get'>>;

/** Every row of a board query, page by page (so the test does not depend on one big page). */
export async function allRows(call: InProcess, query: BoardQuery = {}, pageSize = 500): Promise<QueueRow[]> {
  const rows: QueueRow[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await call('board.get', { ...query, offset, limit: pageSize });
    rows.push(...page.queue.rows);
    if (offset + pageSize >= page.queue.total) return rows;
  }
}
