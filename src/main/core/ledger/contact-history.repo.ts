// Contact history in the ledger's `notes` table as outreach writes and weighs it: a sent reminder
// is recorded there (kind 'reminder'), and each customer's last contact and each invoice's
// reminder count feed the quiet period and the per-invoice limit. The sync's own note rows come
// in through ledger.repo.ts's upsertBatch; these are the only other statements on `notes`.
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

const stmts = perDb((db) => ({
  lastContact: db.prepare<[string], { customerId: number; at: string }>(
    `SELECT customer_id AS customerId, MAX(occurred_at) AS at FROM notes
     WHERE connection_id = ? AND kind IN ('email','call','reminder') GROUP BY customer_id`,
  ),
  reminders: db.prepare<[string, string], { invoiceId: number; n: number }>(
    `SELECT invoice_id AS invoiceId, COUNT(*) AS n FROM notes
     WHERE connection_id = ? AND kind = 'reminder' AND invoice_id IS NOT NULL AND occurred_at >= ? GROUP BY invoice_id`,
  ),
  reminderNote: db.prepare<[string, number, number | null, string, string, string]>(
    "INSERT INTO notes (connection_id, customer_id, invoice_id, kind, body, occurred_at, created_at) VALUES (?, ?, ?, 'reminder', ?, ?, ?)",
  ),
}));

/** One reminder line in the customer's contact history. */
export function insertReminderNote(db: Db, n: { connectionId: string; customerId: number; invoiceId: number | null; body: string; at: string }): void {
  stmts(db).reminderNote.run(n.connectionId, n.customerId, n.invoiceId, n.body, n.at, n.at);
}

/** Each customer's last contact (email, call or reminder) in a company, as stored. */
export function lastContactByCustomer(db: Db, connectionId: string): Map<number, string> {
  return new Map(stmts(db).lastContact.all(connectionId).map((r) => [r.customerId, r.at]));
}

/** Reminders recorded per invoice since a date (YYYY-MM-DD). */
export function remindersByInvoiceSince(db: Db, connectionId: string, since: string): Map<number, number> {
  return new Map(stmts(db).reminders.all(connectionId, since).map((r) => [r.invoiceId, r.n]));
}
