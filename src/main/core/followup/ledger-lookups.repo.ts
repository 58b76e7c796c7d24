// What follow-up reads from tables other features own (invoices, connections, drafts): the
// invoices a promise, dispute, pause or plan would cover, the customer's open invoice numbers for
// reply triage, the companies the notification schedule visits and the drafts awaiting approval.
// Kept apart from the follow-up tables' repos so they can move to their owners' repos later.
import type { InvoiceRef } from '../../../shared/followup';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { CoveredInvoice } from './promises';

const stmts = perDb((db) => ({
  invoices: db.prepare<[string, string], CoveredInvoice>(
    `SELECT i.id, i.customer_id AS customerId, i.number, i.currency, i.balance_cents AS balanceCents, i.status
     FROM invoices i JOIN json_each(?) j ON j.value = i.id WHERE i.connection_id = ? AND i.deleted_at IS NULL`,
  ),
  openInvoiceNumbers: db
    .prepare<[number], string>(
      "SELECT number FROM invoices WHERE customer_id = ? AND deleted_at IS NULL AND status = 'open' AND balance_cents > 0",
    )
    .pluck(),
  invoiceRefs: db.prepare<[string], InvoiceRef>(
    'SELECT i.id, i.number FROM invoices i JOIN json_each(?) j ON j.value = i.id ORDER BY i.due_date, i.id',
  ),
  connections: db.prepare<[], string>('SELECT id FROM connections ORDER BY id').pluck(),
  /** Drafts waiting for the owner's approval in companies still connected (the daily nudge). */
  approvalsWaiting: db
    .prepare<[], number>(
      `SELECT COUNT(*) FROM drafts d JOIN connections c ON c.id = d.connection_id
       WHERE d.status = 'pending_approval' AND c.status != 'disconnected'`,
    )
    .pluck(),
}));

/** The company's live invoices among `ids`, as the follow-up rules check them (unknown ids are left out). */
export function coveredInvoices(db: Db, ids: readonly number[], connectionId: string): CoveredInvoice[] {
  return stmts(db).invoices.all(JSON.stringify(ids), connectionId);
}

/** The customer's invoice numbers with money still owed (to spot them in a reply). */
export function openInvoiceNumbers(db: Db, customerId: number): string[] {
  return stmts(db).openInvoiceNumbers.all(customerId);
}

/** Id and number of each invoice among `ids`, soonest due first. */
export function invoiceRefs(db: Db, ids: readonly number[]): InvoiceRef[] {
  return stmts(db).invoiceRefs.all(JSON.stringify(ids));
}

/** Every company's id. */
export function connectionIds(db: Db): string[] {
  return stmts(db).connections.all();
}

/** How many drafts wait for approval in companies still connected. */
export function approvalsWaiting(db: Db): number {
  return stmts(db).approvalsWaiting.get() ?? 0;
}
