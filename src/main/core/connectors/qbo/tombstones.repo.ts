// The stored records a QuickBooks CDC tombstone names, read back so the deletion can be written
// as the whole record again with `deletedAt` set (tombstones.ts). A read-only view over the
// ledger tables (customers, invoices, payments, credit_notes), which ledger/ledger.repo.ts owns
// and writes: nothing here changes a row. Each reader returns null for a record never stored or
// already deleted, so a tombstone for it writes nothing.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import { PAYMENT_ROW_COLUMNS, paymentRecordOf, type StoredPaymentRow } from '../../ledger';
import type { CreditNoteRecord, CustomerRecord, InvoiceRecord, PaymentRecord } from '../../ledger';

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

/** The stored live customer as a record deleted at `at`; null when unknown or already deleted. */
export function customerDeletedAt(db: Db, connectionId: string, externalId: string, at: string): CustomerRecord | null {
  const r = stmts(db).customer.get(connectionId, externalId);
  if (!r || r.deleted_at !== null) return null;
  return {
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
  };
}

/** The stored live invoice as a record deleted at `at`; null when unknown or already deleted. */
export function invoiceDeletedAt(db: Db, connectionId: string, externalId: string, at: string): InvoiceRecord | null {
  const r = stmts(db).invoice.get(connectionId, externalId);
  if (!r || r.deleted_at !== null) return null;
  return {
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
  };
}

/** The stored live payment as a record deleted at `at` (no applications); null when unknown or already deleted. */
export function paymentDeletedAt(db: Db, connectionId: string, externalId: string, at: string): PaymentRecord | null {
  const r = stmts(db).payment.get(connectionId, externalId);
  if (!r || r.deleted_at !== null) return null;
  return paymentRecordOf(r, at, at);
}

/** The stored live credit note as a record deleted at `at` (no applications); null when unknown or already deleted. */
export function creditNoteDeletedAt(db: Db, connectionId: string, externalId: string, at: string): CreditNoteRecord | null {
  const r = stmts(db).credit.get(connectionId, externalId);
  if (!r || r.deleted_at !== null) return null;
  return {
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
  };
}
