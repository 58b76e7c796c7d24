// The ledger feature as other folders see it: ingest (upsertBatch), the read side of customers,
// invoices and open balances, today's snapshots, the reports the CLI prints, the handlers the
// composition root registers, and the provider-neutral record types connectors produce.
// Import the ledger through this file only.
export { daysOverdue, epochDayCache, hasOpenBalance } from './aging';
export { insertReminderNote, lastContactByCustomer, remindersByInvoiceSince } from './contact-history.repo';
export { customerTimeline, getCustomerInfo, type CustomerLookup } from './customers.repo';
export {
  balanceAsOf,
  getInvoiceRow,
  invoiceApplications,
  invoiceRefs,
  invoicesAmong,
  openInvoiceNumbers,
  type InvoiceApplication,
  type InvoiceBalanceRef,
  type InvoiceRow,
} from './invoices.repo';
export { listOpenInvoices } from './ledger-queries.repo';
export { ledgerHandlers } from './ledger.handlers';
export { deleteLedgerOf, upsertBatch, type UpsertCounts } from './ledger.repo';
export { agingReport, queueReport } from './reports';
export type { Snapshot } from './snapshot';
export { Snapshots } from './snapshots';
export { PAYMENT_ROW_COLUMNS, paymentRecordOf, type StoredPaymentRow } from './stored-records';
export type {
  ApplicationRecord,
  CreditNoteRecord,
  CustomerFacts,
  CustomerRecord,
  InvoiceRecord,
  InvoiceScore,
  LedgerBatch,
  NoteRecord,
  OpenInvoice,
  PaymentRecord,
} from './types';
