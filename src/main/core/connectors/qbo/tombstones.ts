// CDC reports a deleted object as just its Id and a time. The ingest repo takes whole records,
// so a deletion is written as the stored record again with `deletedAt` set: this reads those
// records back from the local ledger (tombstones.repo.ts; a deleted payment or credit note also
// loses its applications). An object we never stored (created and deleted between two syncs)
// needs nothing.
import type { Db } from '../../db/open';
import type { CreditNoteRecord, CustomerRecord, InvoiceRecord, LedgerBatch, PaymentRecord } from '../../ledger';
import type { QboTombstone } from './map';
import { creditNoteDeletedAt, customerDeletedAt, invoiceDeletedAt, paymentDeletedAt } from './tombstones.repo';

/** Turns tombstones into records carrying deletedAt (what upsertBatch writes). */
export interface TombstoneReader {
  records(tombstones: readonly QboTombstone[]): LedgerBatch;
}

/** Reads tombstoned records from this connection's ledger in SQLite. */
export function sqliteTombstoneReader(db: Db, connectionId: string): TombstoneReader {
  return { records: (tombstones) => tombstoneRecords(db, connectionId, tombstones) };
}

/** The stored records the tombstones name, marked deleted; unknown or already-deleted ones are left out. */
export function tombstoneRecords(db: Db, connectionId: string, tombstones: readonly QboTombstone[]): LedgerBatch {
  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const payments: PaymentRecord[] = [];
  const creditNotes: CreditNoteRecord[] = [];
  const add = <T>(into: T[], record: T | null): void => {
    if (record) into.push(record);
  };
  for (const t of tombstones) {
    const at = t.deletedAt;
    switch (t.entity) {
      case 'Customer':
        add(customers, customerDeletedAt(db, connectionId, t.externalId, at));
        break;
      case 'Invoice':
        add(invoices, invoiceDeletedAt(db, connectionId, t.externalId, at));
        break;
      case 'Payment':
        add(payments, paymentDeletedAt(db, connectionId, t.externalId, at));
        break;
      case 'CreditMemo':
        add(creditNotes, creditNoteDeletedAt(db, connectionId, t.externalId, at));
        break;
    }
  }
  const batch: LedgerBatch = {};
  if (customers.length) batch.customers = customers;
  if (invoices.length) batch.invoices = invoices;
  if (payments.length) batch.payments = payments;
  if (creditNotes.length) batch.creditNotes = creditNotes;
  return batch;
}
