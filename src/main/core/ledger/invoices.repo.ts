// One invoice with what settled it, for the invoice detail view and for the outbox's last
// look before sending (is it still unpaid, uncredited, not voided?).
import type { IsoDate } from '../../../shared/dates';
import type { InvoiceDetail, InvoiceStatus } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

export interface InvoiceRow {
  id: number;
  connectionId: string;
  externalId: string;
  customerId: number;
  customerExternalId: string;
  customerName: string;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  totalCents: number;
  /** The balance the ledger reports now (not as of a date). */
  balanceCents: number;
  status: InvoiceStatus;
  memo: string | null;
  updatedAt: string;
  deletedAt: string | null;
}

export type InvoiceApplication = InvoiceDetail['applications'][number];

const stmts = perDb((db) => ({
  row: db.prepare<[number], InvoiceRow>(
    `SELECT i.id, i.connection_id AS connectionId, i.external_id AS externalId, i.customer_id AS customerId,
            c.external_id AS customerExternalId, c.name AS customerName, i.number, i.issue_date AS issueDate, i.due_date AS dueDate, i.currency,
            i.total_cents AS totalCents, i.balance_cents AS balanceCents, i.status, i.memo,
            i.updated_at AS updatedAt, i.deleted_at AS deletedAt
     FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?`,
  ),
  apps: db.prepare<[number], InvoiceApplication>(
    `SELECT CASE WHEN a.payment_id IS NOT NULL THEN 'payment' ELSE 'credit' END AS kind,
            a.applied_on AS date, a.amount_cents AS cents, COALESCE(p.reference, cn.number) AS reference
     FROM payment_applications a
     LEFT JOIN payments p ON p.id = a.payment_id
     LEFT JOIN credit_notes cn ON cn.id = a.credit_note_id
     WHERE a.invoice_id = ? AND COALESCE(p.deleted_at, cn.deleted_at) IS NULL
     ORDER BY a.applied_on, a.id`,
  ),
}));

/** An invoice's balance and status, as follow-up checks a promise, dispute, pause or plan over it. */
export interface InvoiceBalanceRef {
  id: number;
  customerId: number;
  number: string;
  currency: string;
  balanceCents: number;
  status: InvoiceStatus;
}

const lookups = perDb((db) => ({
  covered: db.prepare<[string, string], InvoiceBalanceRef>(
    `SELECT i.id, i.customer_id AS customerId, i.number, i.currency, i.balance_cents AS balanceCents, i.status
     FROM invoices i JOIN json_each(?) j ON j.value = i.id WHERE i.connection_id = ? AND i.deleted_at IS NULL`,
  ),
  openNumbers: db
    .prepare<[number], string>("SELECT number FROM invoices WHERE customer_id = ? AND deleted_at IS NULL AND status = 'open' AND balance_cents > 0")
    .pluck(),
  refs: db.prepare<[string], { id: number; number: string }>(
    'SELECT i.id, i.number FROM invoices i JOIN json_each(?) j ON j.value = i.id ORDER BY i.due_date, i.id',
  ),
}));

/** The company's live invoices among `ids` (unknown ids are left out). */
export function invoicesAmong(db: Db, ids: readonly number[], connectionId: string): InvoiceBalanceRef[] {
  return lookups(db).covered.all(JSON.stringify(ids), connectionId);
}

/** The customer's invoice numbers with money still owed. */
export function openInvoiceNumbers(db: Db, customerId: number): string[] {
  return lookups(db).openNumbers.all(customerId);
}

/** Id and number of each invoice among `ids`, soonest due first. */
export function invoiceRefs(db: Db, ids: readonly number[]): { id: number; number: string }[] {
  return lookups(db).refs.all(JSON.stringify(ids));
}

export function getInvoiceRow(db: Db, invoiceId: number): InvoiceRow | null {
  return stmts(db).row.get(invoiceId) ?? null;
}

/** Payments and credits applied to the invoice, oldest first; deleted payments/credits are left out. */
export function invoiceApplications(db: Db, invoiceId: number): InvoiceApplication[] {
  return stmts(db).apps.all(invoiceId);
}

/** The balance on `asOf`: the current balance plus whatever was applied after that date. */
export function balanceAsOf(row: Pick<InvoiceRow, 'balanceCents'>, apps: readonly InvoiceApplication[], asOf: IsoDate): number {
  let cents = row.balanceCents;
  for (const a of apps) if (a.date > asOf) cents += a.cents;
  return cents;
}
