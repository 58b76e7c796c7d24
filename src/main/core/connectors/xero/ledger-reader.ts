// What the Xero source needs to know about the local ledger, read from SQLite: whether a contact
// is stored (so an invoice naming an unknown contact is reported, not half-written), and the live
// payments applied to invoices (an increment reads payments from Invoices' Payments[] summaries;
// a payment that disappeared from its invoice's list was deleted in Xero).
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import { PAYMENT_ROW_COLUMNS, paymentRecordOf, type StoredPaymentRow } from '../../ledger/stored-records';
import type { PaymentRecord } from '../../ledger/types';

export interface XeroLedgerReader {
  hasContact(contactId: string): boolean;
  /** Live (not deleted) payments with an application to the invoice, as stored. */
  livePaymentsOn(invoiceId: string): PaymentRecord[];
}

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

export function sqliteXeroLedgerReader(db: Db, connectionId: string): XeroLedgerReader {
  return {
    hasContact: (id) => stmts(db).contact.get(connectionId, id) !== undefined,
    livePaymentsOn: (invoiceId) =>
      stmts(db)
        .payments.all(connectionId, invoiceId)
        .map((r) => paymentRecordOf(r, r.date)),
  };
}
