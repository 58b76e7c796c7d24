// The local ledger as the Xero source reads it: whether a contact is stored, and the live payments
// applied to an invoice. A read-only view over the ledger tables (customers, invoices, payments,
// payment_applications), which ledger/ledger.repo.ts owns and writes: nothing here changes a row.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import { PAYMENT_ROW_COLUMNS, paymentRecordOf, type StoredPaymentRow } from '../../ledger';
import type { PaymentRecord } from '../../ledger';

const stmts = perDb((db) => ({
  contact: db.prepare<[string, string], { n: number }>('SELECT 1 AS n FROM customers WHERE connection_id = ? AND external_id = ?'),
  payments: db.prepare<[string, string], StoredPaymentRow>(
    `SELECT DISTINCT ${PAYMENT_ROW_COLUMNS}
     FROM payment_applications a
     JOIN payments p ON p.id = a.payment_id
     JOIN invoices i ON i.id = a.invoice_id
     JOIN customers c ON c.id = p.customer_id
     WHERE i.connection_id = ? AND i.external_id = ? AND p.deleted_at IS NULL`,
  ),
}));

/** Whether the contact is stored (deleted or not) for this connection. */
export function hasStoredContact(db: Db, connectionId: string, contactId: string): boolean {
  return stmts(db).contact.get(connectionId, contactId) !== undefined;
}

/** Live (not deleted) payments with an application to the invoice, as stored (without applications). */
export function livePaymentsOnInvoice(db: Db, connectionId: string, invoiceId: string): PaymentRecord[] {
  return stmts(db)
    .payments.all(connectionId, invoiceId)
    .map((r) => paymentRecordOf(r, r.date));
}
