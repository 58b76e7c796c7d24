// The promises and promise_invoices tables (migration 0004): every statement on them lives here.
// Rows come back camelCase with the customer's name; toPromiseToPay turns one into the rules'
// PromiseToPay (promises.ts), which never sees SQL.
import type { InvoiceRef, PromiseChannel, PromiseStatus } from '../../../shared/followup';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { AppliedMoney, PromiseToPay } from './promises';

/** One promise as stored, with its customer's name. */
export interface PromiseRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  date: string;
  amountCents: number;
  currency: string;
  madeVia: PromiseChannel;
  note: string;
  status: PromiseStatus;
  paidByDeadlineCents: number;
  keptOn: string | null;
  brokenOn: string | null;
  planId: number | null;
  createdAt: string;
}

/** What an evaluation saves on a promise. */
export interface PromiseEvaluationUpdate {
  id: number;
  status: string;
  paid: number;
  keptOn: string | null;
  brokenOn: string | null;
  at: string;
}

const PROMISE_COLS = `p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName, p.date,
  p.amount_cents AS amountCents, p.currency, p.made_via AS madeVia, p.note, p.status,
  p.paid_by_deadline_cents AS paidByDeadlineCents, p.kept_on AS keptOn, p.broken_on AS brokenOn,
  p.plan_id AS planId, p.created_at AS createdAt`;

const reads = perDb((db) => ({
  promises: db.prepare<{ conn: string; customer: number | null }, PromiseRow>(
    `SELECT ${PROMISE_COLS} FROM promises p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer) ORDER BY p.date, p.id`,
  ),
  promise: db.prepare<[number], PromiseRow>(
    `SELECT ${PROMISE_COLS} FROM promises p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?`,
  ),
  promiseInvoices: db.prepare<{ conn: string }, { promiseId: number; id: number; number: string }>(
    `SELECT pi.promise_id AS promiseId, i.id, i.number FROM promise_invoices pi
     JOIN promises p ON p.id = pi.promise_id JOIN invoices i ON i.id = pi.invoice_id
     WHERE p.connection_id = @conn ORDER BY i.due_date, i.id`,
  ),
  // Live money applied to invoices some promise covers, in the invoice's currency.
  applied: db.prepare<{ conn: string }, AppliedMoney>(
    `SELECT a.invoice_id AS invoiceId, a.applied_on AS date, a.amount_cents AS amountCents, i.currency,
            CASE WHEN a.payment_id IS NULL THEN 'credit' ELSE 'payment' END AS kind
     FROM payment_applications a
     JOIN invoices i ON i.id = a.invoice_id
     LEFT JOIN payments pay ON pay.id = a.payment_id
     LEFT JOIN credit_notes cn ON cn.id = a.credit_note_id
     WHERE a.invoice_id IN (SELECT pi.invoice_id FROM promise_invoices pi JOIN promises p ON p.id = pi.promise_id
                            WHERE p.connection_id = @conn AND p.status <> 'cancelled')
       AND COALESCE(pay.deleted_at, cn.deleted_at) IS NULL`,
  ),
  planPromises: db.prepare<[number], { id: number; status: PromiseStatus }>(
    'SELECT id, status FROM promises WHERE plan_id = ? ORDER BY date, id',
  ),
}));

const writes = perDb((db) => ({
  setEvaluated: db.prepare<PromiseEvaluationUpdate>(
    `UPDATE promises SET status = @status, paid_by_deadline_cents = @paid, kept_on = @keptOn, broken_on = @brokenOn, updated_at = @at
     WHERE id = @id`,
  ),
  insertPromise: db
    .prepare<[string, number, string, number, string, string, string, string, number | null, string, string], number>(
      `INSERT INTO promises (connection_id, customer_id, date, amount_cents, currency, made_via, note, status, plan_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  insertPromiseInvoice: db.prepare<[number, number]>('INSERT INTO promise_invoices (promise_id, invoice_id) VALUES (?, ?)'),
  cancelPromise: db.prepare<[string, string, number]>(
    "UPDATE promises SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
  ),
}));

/** A company's promises (or one customer's), by date. */
export function listPromiseRows(db: Db, connectionId: string, customerId: number | null): PromiseRow[] {
  return reads(db).promises.all({ conn: connectionId, customer: customerId });
}

export function getPromiseRow(db: Db, promiseId: number): PromiseRow | undefined {
  return reads(db).promise.get(promiseId);
}

/** The invoices each promise of a company covers, by promise id, soonest due first. */
export function promiseInvoicesOf(db: Db, connectionId: string): Map<number, InvoiceRef[]> {
  const invoices = new Map<number, InvoiceRef[]>();
  for (const r of reads(db).promiseInvoices.iterate({ conn: connectionId })) {
    let list = invoices.get(r.promiseId);
    if (!list) invoices.set(r.promiseId, (list = []));
    list.push({ id: r.id, number: r.number });
  }
  return invoices;
}

/** Live payments and credits applied to the invoices the company's promises (not cancelled) cover. */
export function appliedToPromisedInvoices(db: Db, connectionId: string): AppliedMoney[] {
  return reads(db).applied.all({ conn: connectionId });
}

/** The instalment promises of a plan, in date order, with their stored status. */
export function planPromiseRows(db: Db, planId: number): { id: number; status: PromiseStatus }[] {
  return reads(db).planPromises.all(planId);
}

export function saveEvaluation(db: Db, update: PromiseEvaluationUpdate): void {
  writes(db).setEvaluated.run(update);
}

/** Inserts a promise and the invoices it covers; returns its id. Call inside a transaction. */
export function insertPromise(db: Db, connectionId: string, promise: PromiseToPay): number {
  const w = writes(db);
  const id = w.insertPromise.get(
    connectionId,
    promise.customerId,
    promise.date,
    promise.amountCents,
    promise.currency,
    promise.madeVia,
    promise.note,
    promise.status,
    promise.planId ?? null,
    promise.createdAt,
    promise.createdAt,
  ) as number;
  for (const invoiceId of promise.invoiceIds) w.insertPromiseInvoice.run(id, invoiceId);
  return id;
}

export function markPromiseCancelled(db: Db, promiseId: number, at: string): void {
  writes(db).cancelPromise.run(at, at, promiseId);
}

/** A stored promise as the rules read it. */
export function toPromiseToPay(r: PromiseRow, invoiceIds: number[]): PromiseToPay {
  return {
    id: r.id,
    customerId: r.customerId,
    invoiceIds,
    date: r.date,
    amountCents: r.amountCents,
    currency: r.currency,
    madeVia: r.madeVia,
    note: r.note,
    status: r.status,
    createdAt: r.createdAt,
    planId: r.planId,
  };
}
