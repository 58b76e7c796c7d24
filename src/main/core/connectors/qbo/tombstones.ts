// CDC reports a deleted object as just its Id and a time. The ingest repo takes whole records,
// so a deletion is written as the stored record again with `deletedAt` set: this reads those
// records back from the local ledger (a deleted payment or credit note also loses its
// applications). An object we never stored (created and deleted between two syncs) needs nothing.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import type { CreditNoteRecord, CustomerRecord, InvoiceRecord, LedgerBatch, PaymentRecord } from '../../ledger/types';
import type { QboTombstone } from './map';
import { PAYMENT_ROW_COLUMNS, paymentRecordOf, type StoredPaymentRow } from '../../ledger/stored-records';

/** Turns tombstones into records carrying deletedAt (what upsertBatch writes). */
export interface TombstoneReader {
  records(tombstones: readonly QboTombstone[]): LedgerBatch;
}

interface CustomerRow {
  external_id: string;
  name: string;
  company_name: string | null;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  terms_label: string | null;
  terms_days: number | null;
  currency: string;
  active: number;
  deleted_at: string | null;
}

interface InvoiceRow {
  external_id: string;
  customer_ext: string;
  number: string;
  issue_date: string;
  due_date: string;
  currency: string;
  total_cents: number;
  balance_cents: number;
  status: InvoiceRecord['status'];
  memo: string | null;
  deleted_at: string | null;
}

interface PaymentRow extends StoredPaymentRow {
  deleted_at: string | null;
}

interface CreditRow {
  external_id: string;
  customer_ext: string;
  number: string | null;
  date: string;
  currency: string;
  total_cents: number;
  remaining_cents: number;
  status: NonNullable<CreditNoteRecord['status']>;
  reason: string | null;
  deleted_at: string | null;
}

const stmts = perDb((db) => ({
  customer: db.prepare<[string, string], CustomerRow>(
    `SELECT external_id, name, company_name, contact_name, email, phone, address, terms_label, terms_days, currency,
            active, deleted_at
     FROM customers WHERE connection_id = ? AND external_id = ?`,
  ),
  invoice: db.prepare<[string, string], InvoiceRow>(
    `SELECT i.external_id, c.external_id AS customer_ext, i.number, i.issue_date, i.due_date, i.currency,
            i.total_cents, i.balance_cents, i.status, i.memo, i.deleted_at
     FROM invoices i JOIN customers c ON c.id = i.customer_id
     WHERE i.connection_id = ? AND i.external_id = ?`,
  ),
  payment: db.prepare<[string, string], PaymentRow>(
    `SELECT ${PAYMENT_ROW_COLUMNS}, p.deleted_at
     FROM payments p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = ? AND p.external_id = ?`,
  ),
  credit: db.prepare<[string, string], CreditRow>(
    `SELECT n.external_id, c.external_id AS customer_ext, n.number, n.date, n.currency, n.total_cents,
            n.remaining_cents, n.status, n.reason, n.deleted_at
     FROM credit_notes n JOIN customers c ON c.id = n.customer_id
     WHERE n.connection_id = ? AND n.external_id = ?`,
  ),
}));

/** Reads tombstoned records from this connection's ledger in SQLite. */
export function sqliteTombstoneReader(db: Db, connectionId: string): TombstoneReader {
  return { records: (tombstones) => tombstoneRecords(db, connectionId, tombstones) };
}

/** The stored records the tombstones name, marked deleted; unknown or already-deleted ones are left out. */
export function tombstoneRecords(db: Db, connectionId: string, tombstones: readonly QboTombstone[]): LedgerBatch {
  const s = stmts(db);
  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const payments: PaymentRecord[] = [];
  const creditNotes: CreditNoteRecord[] = [];
  for (const t of tombstones) {
    const at = t.deletedAt;
    switch (t.entity) {
      case 'Customer': {
        const r = s.customer.get(connectionId, t.externalId);
        if (!r || r.deleted_at !== null) break;
        customers.push({
          externalId: r.external_id,
          name: r.name,
          companyName: r.company_name,
          contactName: r.contact_name,
          email: r.email,
          phone: r.phone,
          address: r.address,
          termsLabel: r.terms_label,
          termsDays: r.terms_days,
          currency: r.currency,
          active: r.active !== 0,
          updatedAt: at,
          deletedAt: at,
        });
        break;
      }
      case 'Invoice': {
        const r = s.invoice.get(connectionId, t.externalId);
        if (!r || r.deleted_at !== null) break;
        invoices.push({
          externalId: r.external_id,
          customerExternalId: r.customer_ext,
          number: r.number,
          issueDate: r.issue_date,
          dueDate: r.due_date,
          currency: r.currency,
          totalCents: r.total_cents,
          balanceCents: r.balance_cents,
          status: r.status,
          memo: r.memo,
          updatedAt: at,
          deletedAt: at,
        });
        break;
      }
      case 'Payment': {
        const r = s.payment.get(connectionId, t.externalId);
        if (!r || r.deleted_at !== null) break;
        payments.push(paymentRecordOf(r, at, at));
        break;
      }
      case 'CreditMemo': {
        const r = s.credit.get(connectionId, t.externalId);
        if (!r || r.deleted_at !== null) break;
        creditNotes.push({
          externalId: r.external_id,
          customerExternalId: r.customer_ext,
          number: r.number,
          date: r.date,
          currency: r.currency,
          totalCents: r.total_cents,
          remainingCents: r.remaining_cents,
          status: r.status,
          reason: r.reason,
          applications: [],
          updatedAt: at,
          deletedAt: at,
        });
        break;
      }
    }
  }
  const batch: LedgerBatch = {};
  if (customers.length) batch.customers = customers;
  if (invoices.length) batch.invoices = invoices;
  if (payments.length) batch.payments = payments;
  if (creditNotes.length) batch.creditNotes = creditNotes;
  return batch;
}
