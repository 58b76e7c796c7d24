// What the Xero source needs to know about the local ledger, read from SQLite (ledger-reader.repo.ts):
// whether a contact is stored (so an invoice naming an unknown contact is reported, not
// half-written), and the live payments applied to invoices (an increment reads payments from
// Invoices' Payments[] summaries; a payment that disappeared from its invoice's list was deleted in Xero).
import type { Db } from '../../db/open';
import type { PaymentRecord } from '../../ledger';
import { hasStoredContact, livePaymentsOnInvoice } from './ledger-reader.repo';

export interface XeroLedgerReader {
  hasContact(contactId: string): boolean;
  /** Live (not deleted) payments with an application to the invoice, as stored. */
  livePaymentsOn(invoiceId: string): PaymentRecord[];
}

export function sqliteXeroLedgerReader(db: Db, connectionId: string): XeroLedgerReader {
  return {
    hasContact: (id) => hasStoredContact(db, connectionId, id),
    livePaymentsOn: (invoiceId) => livePaymentsOnInvoice(db, connectionId, invoiceId),
  };
}
