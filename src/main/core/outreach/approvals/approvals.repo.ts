// What approvals reads besides the drafts (those are in ../drafts-access.repo.ts): the history the
// rules weigh for a company, from follow-up's disputes and the ledger's notes (contact history,
// including the reminders the outbox recorded). Read-only; approvals owns no table.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';

const stmts = perDb((db) => ({
  disputed: db
    .prepare<[string], number>(
      `SELECT DISTINCT di.invoice_id FROM dispute_invoices di JOIN disputes d ON d.id = di.dispute_id
       WHERE d.connection_id = ? AND d.status = 'open'`,
    )
    .pluck(),
  lastContact: db.prepare<[string], { customerId: number; at: string }>(
    `SELECT customer_id AS customerId, MAX(occurred_at) AS at FROM notes
     WHERE connection_id = ? AND kind IN ('email','call','reminder') GROUP BY customer_id`,
  ),
  reminders: db.prepare<[string, string], { invoiceId: number; n: number }>(
    `SELECT invoice_id AS invoiceId, COUNT(*) AS n FROM notes
     WHERE connection_id = ? AND kind = 'reminder' AND invoice_id IS NOT NULL AND occurred_at >= ? GROUP BY invoice_id`,
  ),
}));

/** The invoices of a company under an open dispute. */
export function openlyDisputedInvoiceIds(db: Db, connectionId: string): Set<number> {
  return new Set(stmts(db).disputed.all(connectionId));
}

/** Each customer's last contact (email, call or reminder) in a company, as stored. */
export function lastContactByCustomer(db: Db, connectionId: string): Map<number, string> {
  return new Map(stmts(db).lastContact.all(connectionId).map((r) => [r.customerId, r.at]));
}

/** Reminders recorded per invoice since a date (YYYY-MM-DD). */
export function remindersByInvoiceSince(db: Db, connectionId: string, since: string): Map<number, number> {
  return new Map(stmts(db).reminders.all(connectionId, since).map((r) => [r.invoiceId, r.n]));
}
