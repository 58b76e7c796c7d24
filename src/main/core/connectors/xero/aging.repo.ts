// Local aging per Xero contact for the cross-check (crosscheck.ts), counted as Xero counts its
// contacts' Balances.AccountsReceivable: outstanding is open invoice balances less the contact's
// unused credit (credit notes' remaining credit, unapplied payments), and overdue is the part of the
// open invoices due before the day. A read-only view over the ledger tables (invoices, payments,
// credit_notes, customers), which ledger/ledger.repo.ts owns and writes: nothing here changes a row.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import type { LocalAging } from './crosscheck';

interface AgingRow {
  external_id: string;
  name: string;
  currency: string;
  outstanding: number;
  overdue: number;
}

const stmts = perDb((db) => ({
  // Xero nets unused credit into Outstanding (a contact with only 12.00 of unused credit shows
  // −12.00), but not into Overdue. Xero's overpayments and prepayments are not synced, so only
  // credit notes (and any unapplied payment money) can be netted here.
  aging: db.prepare<[string, string, string, string, string], AgingRow>(
    `SELECT c.external_id, c.name, c.currency, SUM(t.cents) AS outstanding, SUM(t.overdue) AS overdue FROM (
       SELECT customer_id, balance_cents AS cents, CASE WHEN due_date < ? THEN balance_cents ELSE 0 END AS overdue
         FROM invoices WHERE connection_id = ? AND deleted_at IS NULL AND status = 'open'
       UNION ALL
       SELECT customer_id, -remaining_cents, 0 FROM credit_notes WHERE connection_id = ? AND deleted_at IS NULL AND status <> 'void'
       UNION ALL
       SELECT customer_id, -unapplied_cents, 0 FROM payments WHERE connection_id = ? AND deleted_at IS NULL
     ) t JOIN customers c ON c.id = t.customer_id
     WHERE c.connection_id = ? GROUP BY c.id`,
  ),
}));

/** Local outstanding (open invoice balances net of unused credit) and overdue (open invoices due before `asOf`) per contact external id. */
export function localAging(db: Db, connectionId: string, asOf: string): Map<string, LocalAging> {
  const out = new Map<string, LocalAging>();
  for (const r of stmts(db).aging.all(asOf, connectionId, connectionId, connectionId, connectionId)) {
    if (r.outstanding === 0 && r.overdue === 0) continue;
    out.set(r.external_id, { name: r.name, currency: r.currency, outstandingCents: r.outstanding, overdueCents: r.overdue });
  }
  return out;
}
