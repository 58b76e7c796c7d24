// The outreach_pauses table (migration 0004): every statement on it lives here, and so does the
// decoding of invoice_ids_json (null: the whole customer is paused).
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

interface PauseRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  invoiceIdsJson: string | null;
  until: string;
  reason: string;
  createdAt: string;
}

/** A pause as stored, with its customer's name and its invoices decoded. */
export interface PauseRecord {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  /** The paused invoices; null when outreach to the whole customer is paused. */
  invoiceIds: number[] | null;
  until: string;
  reason: string;
  createdAt: string;
}

export interface NewPause {
  connectionId: string;
  customerId: number;
  invoiceIds: number[] | null;
  until: string;
  reason: string;
  createdAt: string;
}

const stmts = perDb((db) => ({
  pauses: db.prepare<{ conn: string; customer: number | null; today: string }, PauseRow>(
    `SELECT p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName,
            p.invoice_ids_json AS invoiceIdsJson, p.until, p.reason, p.created_at AS createdAt
     FROM outreach_pauses p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer) AND p.until > @today
     ORDER BY p.until, p.id`,
  ),
  pause: db.prepare<[number], { id: number; customerId: number; connectionId: string; until: string; reason: string }>(
    'SELECT id, customer_id AS customerId, connection_id AS connectionId, until, reason FROM outreach_pauses WHERE id = ?',
  ),
  insertPause: db
    .prepare<[string, number, string | null, string, string, string], number>(
      `INSERT INTO outreach_pauses (connection_id, customer_id, invoice_ids_json, until, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  deletePause: db.prepare<[number]>('DELETE FROM outreach_pauses WHERE id = ?'),
}));

function toRecord(r: PauseRow): PauseRecord {
  const { invoiceIdsJson, ...rest } = r;
  return { ...rest, invoiceIds: invoiceIdsJson === null ? null : (JSON.parse(invoiceIdsJson) as number[]) };
}

/** Pauses of a company (or one customer) that have not reached their date, soonest end first. */
export function listActivePauses(db: Db, q: { connectionId: string; customerId: number | null; today: string }): PauseRecord[] {
  return stmts(db).pauses.all({ conn: q.connectionId, customer: q.customerId, today: q.today }).map(toRecord);
}

export function getPause(db: Db, pauseId: number): { id: number; customerId: number; connectionId: string; until: string; reason: string } | undefined {
  return stmts(db).pause.get(pauseId);
}

/** Inserts a pause; returns its id. */
export function insertPause(db: Db, p: NewPause): number {
  return stmts(db).insertPause.get(p.connectionId, p.customerId, p.invoiceIds ? JSON.stringify(p.invoiceIds) : null, p.until, p.reason, p.createdAt) as number;
}

export function deletePause(db: Db, pauseId: number): void {
  stmts(db).deletePause.run(pauseId);
}
