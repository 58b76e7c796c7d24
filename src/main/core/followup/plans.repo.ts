// The payment_plans and plan_invoices tables (migration 0004): every statement on them lives
// here, and so does the decoding of schedule_json (the instalments, and the draft that last
// proposed the plan).
import type { InvoiceRef, PlanStatus } from '../../../shared/followup';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { Instalment, PlanFrequency } from './plans';

/** payment_plans.schedule_json: the instalments, and the draft that last proposed the plan. */
export interface StoredSchedule {
  instalments: Instalment[];
  draftId: number | null;
}

interface PlanRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  balanceCents: number;
  currency: string;
  frequency: PlanFrequency;
  startDate: string;
  status: PlanStatus;
  scheduleJson: string;
  createdAt: string;
}

/** A plan as stored, with its customer's name and its schedule decoded. */
export type PlanRecord = Omit<PlanRow, 'scheduleJson'> & { schedule: StoredSchedule };

export interface NewPlan {
  connectionId: string;
  customerId: number;
  balanceCents: number;
  currency: string;
  frequency: PlanFrequency;
  startDate: string;
  schedule: StoredSchedule;
  invoiceIds: readonly number[];
  createdAt: string;
}

const PLAN_COLS = `p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName, p.balance_cents AS balanceCents,
            p.currency, p.frequency, p.start_date AS startDate, p.status, p.schedule_json AS scheduleJson, p.created_at AS createdAt`;

const stmts = perDb((db) => ({
  plans: db.prepare<{ conn: string; customer: number | null }, PlanRow>(
    `SELECT ${PLAN_COLS}
     FROM payment_plans p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer)
     ORDER BY p.status IN ('completed', 'cancelled'), p.created_at DESC, p.id DESC`,
  ),
  plan: db.prepare<[number], PlanRow>(`SELECT ${PLAN_COLS} FROM payment_plans p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?`),
  planInvoices: db.prepare<[number], InvoiceRef>(
    `SELECT i.id, i.number FROM plan_invoices pi JOIN invoices i ON i.id = pi.invoice_id WHERE pi.plan_id = ? ORDER BY i.due_date, i.id`,
  ),
  insertPlan: db
    .prepare<[string, number, number, string, string, string, string, string, string], number>(
      `INSERT INTO payment_plans (connection_id, customer_id, balance_cents, currency, frequency, start_date, status, schedule_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  insertPlanInvoice: db.prepare<[number, number]>('INSERT INTO plan_invoices (plan_id, invoice_id) VALUES (?, ?)'),
  setPlan: db.prepare<[string, string, string, number]>('UPDATE payment_plans SET status = ?, schedule_json = ?, updated_at = ? WHERE id = ?'),
}));

function toRecord(r: PlanRow): PlanRecord {
  const { scheduleJson, ...rest } = r;
  return { ...rest, schedule: JSON.parse(scheduleJson) as StoredSchedule };
}

/** A company's plans (or one customer's): live ones first, then the newest. */
export function listPlanRecords(db: Db, connectionId: string, customerId: number | null): PlanRecord[] {
  return stmts(db).plans.all({ conn: connectionId, customer: customerId }).map(toRecord);
}

export function getPlanRecord(db: Db, planId: number): PlanRecord | undefined {
  const row = stmts(db).plan.get(planId);
  return row ? toRecord(row) : undefined;
}

/** The invoices a plan covers, soonest due first. */
export function planInvoiceRefs(db: Db, planId: number): InvoiceRef[] {
  return stmts(db).planInvoices.all(planId);
}

/** Inserts a proposed plan and the invoices it covers; returns its id. Call inside a transaction. */
export function insertPlan(db: Db, p: NewPlan): number {
  const s = stmts(db);
  const id = s.insertPlan.get(
    p.connectionId,
    p.customerId,
    p.balanceCents,
    p.currency,
    p.frequency,
    p.startDate,
    JSON.stringify(p.schedule),
    p.createdAt,
    p.createdAt,
  ) as number;
  for (const invoiceId of p.invoiceIds) s.insertPlanInvoice.run(id, invoiceId);
  return id;
}

/** Writes a plan's status and schedule. */
export function savePlanState(db: Db, planId: number, status: PlanStatus, schedule: StoredSchedule, at: string): void {
  stmts(db).setPlan.run(status, JSON.stringify(schedule), at, planId);
}
