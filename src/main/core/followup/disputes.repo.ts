// The disputes and dispute_invoices tables (migration 0004): every statement on them lives here.
// A dispute row comes back as the view's DisputeItem without its invoices (disputeInvoiceRefs
// attaches them) plus the company it belongs to.
import type { DisputeItem, DisputeResolution, InvoiceRef } from '../../../shared/followup';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { Dispute } from './disputes';

/** A dispute row as stored, before its invoices are attached. */
export type DisputeRow = Omit<DisputeItem, 'invoices'> & { connectionId: string };

const DISPUTE_COLS = `d.id, d.connection_id AS connectionId, d.customer_id AS customerId, c.name AS customerName, d.reason,
  d.detail, d.status, d.opened_at AS openedAt, d.resolved_at AS resolvedAt, d.resolution, d.resolution_note AS resolutionNote`;

const stmts = perDb((db) => ({
  disputes: db.prepare<{ conn: string; customer: number | null }, DisputeRow>(
    `SELECT ${DISPUTE_COLS} FROM disputes d JOIN customers c ON c.id = d.customer_id
     WHERE d.connection_id = @conn AND (@customer IS NULL OR d.customer_id = @customer)
     ORDER BY d.status = 'open' DESC, d.opened_at DESC, d.id DESC`,
  ),
  dispute: db.prepare<[number], DisputeRow>(
    `SELECT ${DISPUTE_COLS} FROM disputes d JOIN customers c ON c.id = d.customer_id WHERE d.id = ?`,
  ),
  disputeInvoices: db.prepare<[number], InvoiceRef>(
    `SELECT i.id, i.number FROM dispute_invoices di JOIN invoices i ON i.id = di.invoice_id
     WHERE di.dispute_id = ? ORDER BY i.due_date, i.id`,
  ),
  insertDispute: db
    .prepare<[string, number, string, string, string], number>(
      `INSERT INTO disputes (connection_id, customer_id, reason, detail, status, opened_at)
       VALUES (?, ?, ?, ?, 'open', ?) RETURNING id`,
    )
    .pluck(),
  insertDisputeInvoice: db.prepare<[number, number]>('INSERT INTO dispute_invoices (dispute_id, invoice_id) VALUES (?, ?)'),
  openlyDisputed: db
    .prepare<[string], number>(
      `SELECT DISTINCT di.invoice_id FROM dispute_invoices di JOIN disputes d ON d.id = di.dispute_id
       WHERE d.connection_id = ? AND d.status = 'open'`,
    )
    .pluck(),
  resolveDispute: db.prepare<[string | null, string | null, string | null, number]>(
    "UPDATE disputes SET status = 'resolved', resolved_at = ?, resolution = ?, resolution_note = ? WHERE id = ?",
  ),
}));

/** The invoices of a company under an open dispute (approvals and the outbox hold reminders about them). */
export function openlyDisputedInvoiceIds(db: Db, connectionId: string): Set<number> {
  return new Set(stmts(db).openlyDisputed.all(connectionId));
}

/** A company's disputes (or one customer's): open ones first, then the most recently opened. */
export function listDisputeRows(db: Db, connectionId: string, customerId: number | null): DisputeRow[] {
  return stmts(db).disputes.all({ conn: connectionId, customer: customerId });
}

export function getDisputeRow(db: Db, disputeId: number): DisputeRow | undefined {
  return stmts(db).dispute.get(disputeId);
}

/** The invoices a dispute covers, soonest due first. */
export function disputeInvoiceRefs(db: Db, disputeId: number): InvoiceRef[] {
  return stmts(db).disputeInvoices.all(disputeId);
}

/** Inserts an open dispute and the invoices it covers; returns its id. Call inside a transaction. */
export function insertDispute(db: Db, connectionId: string, d: Dispute): number {
  const s = stmts(db);
  const id = s.insertDispute.get(connectionId, d.customerId, d.reason, d.detail, d.openedAt) as number;
  for (const invoiceId of d.invoiceIds) s.insertDisputeInvoice.run(id, invoiceId);
  return id;
}

export function markDisputeResolved(
  db: Db,
  disputeId: number,
  r: { resolvedAt: string | null; resolution: DisputeResolution | null; resolutionNote: string | null },
): void {
  stmts(db).resolveDispute.run(r.resolvedAt, r.resolution, r.resolutionNote, disputeId);
}
