// What each customer owes in the local ledger, counted as QuickBooks' AgedReceivables Total counts
// it, for the cross-check (crosscheck.ts). A read-only view over the ledger tables (invoices,
// payments, credit_notes, customers), which ledger/ledger.repo.ts owns and writes: nothing here
// changes a row.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import type { LocalReceivable } from './crosscheck';

interface ReceivableRow {
  external_id: string;
  name: string;
  currency: string;
  cents: number;
}

const stmts = perDb((db) => ({
  // Records dated after the report date are not in QuickBooks' aging yet, so not here either.
  receivables: db.prepare<[string, string, string, string, string, string, string], ReceivableRow>(
    `SELECT c.external_id, c.name, c.currency, SUM(t.cents) AS cents FROM (
       SELECT customer_id, balance_cents AS cents FROM invoices
         WHERE connection_id = ? AND deleted_at IS NULL AND status NOT IN ('void', 'draft') AND issue_date <= ?
       UNION ALL
       SELECT customer_id, -unapplied_cents FROM payments WHERE connection_id = ? AND deleted_at IS NULL AND date <= ?
       UNION ALL
       SELECT customer_id, -remaining_cents FROM credit_notes WHERE connection_id = ? AND deleted_at IS NULL AND status <> 'void' AND date <= ?
     ) t JOIN customers c ON c.id = t.customer_id
     WHERE c.connection_id = ? GROUP BY c.id`,
  ),
}));

/**
 * What each customer owes now in the local ledger, counted as QBO's aging Total counts it:
 * open invoice balances, less unapplied payments and unused credit (deleted and void rows
 * left out). Keyed by customer external id; customers who owe nothing are left out. Only "as of
 * today": past dates need the applications made since added back, which the report comparison
 * does not need.
 */
export function localReceivables(db: Db, connectionId: string, asOf = '9999-12-31'): Map<string, LocalReceivable> {
  const rows = stmts(db).receivables.all(connectionId, asOf, connectionId, asOf, connectionId, asOf, connectionId);
  const out = new Map<string, LocalReceivable>();
  for (const r of rows) if (r.cents !== 0) out.set(r.external_id, { cents: r.cents, name: r.name, currency: r.currency });
  return out;
}
