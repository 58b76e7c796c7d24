// The Activity page's read model: a READ-ONLY view over audit_log joined with other features'
// tables (customers, invoices, drafts, draft_invoices, promises, disputes, outbox,
// outbox_invoices) to find the customer and invoice numbers each row is about. It never writes
// and owns none of those tables; their owners are the ledger, drafting, follow-up and outbox
// repos. The filter arrives resolved (query.ts turns families, dates and words into lists and
// instants); here it becomes SQL, paged on id so page N costs the same as page 1.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

/** A filter resolved to what SQL needs. Every part is optional; all present parts must hold. */
export interface ActivityWhere {
  /** Family filter: actions listed exactly, and `prefixes` for the actions no exact entry claims (`allExact`). */
  families?: { exact: string[]; prefixes: string[]; allExact: string[] };
  customerId?: number;
  /** Instants: at or after `fromAt`, before `beforeAt`. */
  fromAt?: string;
  beforeAt?: string;
  /** Free text: matched in the action, the detail, customer names and draft invoice numbers, plus these actions. */
  search?: { text: string; actions: string[] };
}

/** One audit row with the customer it is about; detail decoded ({ unreadable } when not JSON). */
export interface ActivityRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  detail: unknown;
  customerId: number | null;
}

interface Row {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  detail_json: string;
  customer_id: number | null;
}

// The customer a row is about: its entity when that is a customer, the customer of the draft,
// promise, dispute or outbox item it names, a customerId / draftId in its detail, and, when the
// draft itself is gone (a demo reset), the customer its draft.create row recorded.
const CUSTOMER_OF = `COALESCE(
  CASE a.entity
    WHEN 'customer' THEN CAST(a.entity_id AS INTEGER)
    WHEN 'draft' THEN (SELECT customer_id FROM drafts WHERE id = CAST(a.entity_id AS INTEGER))
    WHEN 'promise' THEN (SELECT customer_id FROM promises WHERE id = CAST(a.entity_id AS INTEGER))
    WHEN 'dispute' THEN (SELECT customer_id FROM disputes WHERE id = CAST(a.entity_id AS INTEGER))
    WHEN 'outbox' THEN (SELECT customer_id FROM outbox WHERE id = CAST(a.entity_id AS INTEGER))
  END,
  json_extract(a.detail_json, '$.customerId'),
  (SELECT customer_id FROM drafts WHERE id = json_extract(a.detail_json, '$.draftId')),
  (SELECT json_extract(c.detail_json, '$.customerId') FROM audit_log c
    WHERE c.entity = 'draft' AND c.action = 'draft.create'
      AND c.entity_id = (CASE WHEN a.entity = 'draft' THEN a.entity_id ELSE CAST(json_extract(a.detail_json, '$.draftId') AS TEXT) END)
    LIMIT 1)
)`;

const lookups = perDb((db) => ({
  customersNamed: db.prepare<[string], number>("SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\' LIMIT 500").pluck(),
  draftsNumbered: db
    .prepare<[string], string>(
      `SELECT DISTINCT CAST(di.draft_id AS TEXT) FROM draft_invoices di JOIN invoices i ON i.id = di.invoice_id
         WHERE i.number LIKE ? ESCAPE '\\' LIMIT 5000`,
    )
    .pluck(),
  customers: db.prepare<[string], { id: number; name: string; deleted_at: string | null }>(
    'SELECT id, name, deleted_at FROM customers WHERE id IN (SELECT value FROM json_each(?))',
  ),
  invoiceNumbers: db.prepare<[string], { id: number; number: string }>('SELECT id, number FROM invoices WHERE id IN (SELECT value FROM json_each(?))'),
  draftInvoices: db.prepare<[string], { draftId: number; number: string }>(
    `SELECT di.draft_id AS draftId, i.number FROM draft_invoices di JOIN invoices i ON i.id = di.invoice_id
     WHERE di.draft_id IN (SELECT value FROM json_each(?)) ORDER BY i.due_date, i.number`,
  ),
  // The invoice numbers a draft.create row recorded, for drafts no longer in the table.
  createdDrafts: db.prepare<[string], { draftId: string; invoices: string | null }>(
    `SELECT entity_id AS draftId, json_extract(detail_json, '$.invoices') AS invoices FROM audit_log
     WHERE entity = 'draft' AND action = 'draft.create' AND entity_id IN (SELECT CAST(value AS TEXT) FROM json_each(?))`,
  ),
  outboxInvoices: db.prepare<[string], { outboxId: number; number: string }>(
    'SELECT outbox_id AS outboxId, number FROM outbox_invoices WHERE outbox_id IN (SELECT value FROM json_each(?)) ORDER BY number',
  ),
}));

function escapeLike(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Clause {
  sql: string;
  params: unknown[];
}

function familyClause(f: NonNullable<ActivityWhere['families']>): Clause {
  const ors: string[] = [];
  const params: unknown[] = [];
  if (f.exact.length) {
    ors.push(`a.action IN (${f.exact.map(() => '?').join(',')})`);
    params.push(...f.exact);
  }
  if (f.prefixes.length) {
    ors.push(
      `((${f.prefixes.map(() => 'substr(a.action, 1, ?) = ?').join(' OR ')}) AND a.action NOT IN (${f.allExact.map(() => '?').join(',')}))`,
    );
    for (const p of f.prefixes) params.push(p.length, p);
    params.push(...f.allExact);
  }
  return { sql: ors.length ? `(${ors.join(' OR ')})` : '0', params };
}

function customerClause(customerId: number): Clause {
  // Candidates through the indexes of migration 0006 first; CUSTOMER_OF then decides exactly.
  const through = (table: string, entity: string): string =>
    `SELECT al.id FROM ${table} t JOIN audit_log al ON al.entity = '${entity}' AND al.entity_id = CAST(t.id AS TEXT) WHERE t.customer_id = ?`;
  const sql = `a.id IN (
      SELECT id FROM audit_log WHERE entity = 'customer' AND entity_id = ?
      UNION ALL ${through('drafts', 'draft')}
      UNION ALL ${through('promises', 'promise')}
      UNION ALL ${through('disputes', 'dispute')}
      UNION ALL ${through('outbox', 'outbox')}
      UNION ALL SELECT id FROM audit_log WHERE json_extract(detail_json, '$.customerId') = ?
      UNION ALL SELECT al.id FROM audit_log c JOIN audit_log al ON al.entity = 'draft' AND al.entity_id = c.entity_id
        WHERE c.entity = 'draft' AND c.action = 'draft.create' AND json_extract(c.detail_json, '$.customerId') = ?
    ) AND ${CUSTOMER_OF} = ?`;
  return { sql, params: [String(customerId), customerId, customerId, customerId, customerId, customerId, customerId, customerId] };
}

function searchClause(db: Db, search: NonNullable<ActivityWhere['search']>): Clause {
  const l = lookups(db);
  const like = escapeLike(search.text);
  const ors = ["a.action LIKE ? ESCAPE '\\'", "a.detail_json LIKE ? ESCAPE '\\'"];
  const params: unknown[] = [like, like];
  // Actions whose plain-words sentence mentions the text ("approved", "template"…).
  if (search.actions.length) {
    ors.push(`a.action IN (${search.actions.map(() => '?').join(',')})`);
    params.push(...search.actions);
  }
  // Customers by name and drafts by invoice number are looked up once, not per audit row.
  const named = l.customersNamed.all(like);
  if (named.length) {
    ors.push(`${CUSTOMER_OF} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(named));
  }
  const drafts = l.draftsNumbered.all(like);
  if (drafts.length) {
    ors.push(`(a.entity = 'draft' AND a.entity_id IN (SELECT value FROM json_each(?)))`);
    params.push(JSON.stringify(drafts));
  }
  return { sql: `(${ors.join(' OR ')})`, params };
}

/** Builds the WHERE clause and its parameters for a resolved filter. */
function whereOf(db: Db, w: ActivityWhere): Clause {
  const parts: Clause[] = [];
  if (w.families) parts.push(familyClause(w.families));
  if (w.customerId !== undefined) parts.push(customerClause(w.customerId));
  if (w.fromAt) parts.push({ sql: 'a.at >= ?', params: [w.fromAt] });
  if (w.beforeAt) parts.push({ sql: 'a.at < ?', params: [w.beforeAt] });
  if (w.search) parts.push(searchClause(db, w.search));
  return { sql: parts.length ? parts.map((p) => p.sql).join(' AND ') : '1', params: parts.flatMap((p) => p.params) };
}

type RowStatement = Statement<unknown[], Row>;
const statementCache = perDb(() => new Map<string, RowStatement>());

// Each combination of filters is its own SQL text; prepare each once per database.
function prepared(db: Db, sql: string): RowStatement {
  const cache = statementCache(db);
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[], Row>(sql);
    if (cache.size > 200) cache.clear();
    cache.set(sql, stmt);
  }
  return stmt;
}

function toRecord(r: Row): ActivityRecord {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail_json) as unknown;
  } catch {
    detail = { unreadable: r.detail_json };
  }
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, detail, customerId: r.customer_id };
}

/** Rows matching `where` with an id below `beforeId`, newest first, at most `limit`. */
export function listActivityRows(db: Db, where: ActivityWhere, beforeId: number, limit: number): ActivityRecord[] {
  const w = whereOf(db, where);
  const sql = `SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail_json, ${CUSTOMER_OF} AS customer_id
    FROM audit_log a WHERE a.id < ? AND ${w.sql} ORDER BY a.id DESC LIMIT ?`;
  return prepared(db, sql).all(beforeId, ...w.params, limit).map(toRecord);
}

/** Customers by id, deleted ones included (a row about a removed customer still names them). */
export function customersByIds(db: Db, ids: readonly number[]): Map<number, { name: string; deleted: boolean }> {
  return new Map(lookups(db).customers.all(JSON.stringify(ids)).map((c) => [c.id, { name: c.name, deleted: c.deleted_at !== null }]));
}

/** Invoice numbers by invoice id. */
export function invoiceNumbersByIds(db: Db, ids: readonly number[]): Map<number, string> {
  return new Map(lookups(db).invoiceNumbers.all(JSON.stringify(ids)).map((i) => [i.id, i.number]));
}

/** The invoice numbers of drafts still in the table, by due date then number. */
export function draftInvoiceNumbers(db: Db, draftIds: readonly number[]): { draftId: number; number: string }[] {
  return lookups(db).draftInvoices.all(JSON.stringify(draftIds));
}

/** The invoice numbers of outbox items, in number order. */
export function outboxInvoiceNumbers(db: Db, outboxIds: readonly number[]): { outboxId: number; number: string }[] {
  return lookups(db).outboxInvoices.all(JSON.stringify(outboxIds));
}

/** The invoice numbers each draft's draft.create row recorded (for drafts no longer in the table). */
export function createdDraftInvoiceNumbers(db: Db, draftIds: readonly number[]): { draftId: number; number: string }[] {
  const out: { draftId: number; number: string }[] = [];
  for (const x of lookups(db).createdDrafts.all(JSON.stringify(draftIds))) {
    const recorded = x.invoices ? (JSON.parse(x.invoices) as unknown) : null;
    if (Array.isArray(recorded)) for (const n of recorded) if (typeof n === 'string') out.push({ draftId: Number(x.draftId), number: n });
  }
  return out;
}
