// Reading the audit log for the Activity page and its export: filters (family, customer, dates,
// free text), newest first, keyset paging on id so page N costs the same as page 1, and the
// customer and invoice numbers each row refers to, resolved from the ledger in a few batched
// queries. Rows whose customer or draft is gone still read (customer name null).
import {
  FAMILY_EXACT,
  FAMILY_PREFIXES,
  KNOWN_ACTIONS,
  describeActivity,
  familyOf,
  whoOf,
  type ActivityFamily,
  type ActivityItem,
} from '../../../shared/activity';
import type { Statement } from 'better-sqlite3';
import { addDays } from '../../../shared/dates';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

export interface AuditFilter {
  families?: ActivityFamily[];
  customerId?: number;
  /** Local calendar dates (the owner's time zone), inclusive. */
  from?: string;
  to?: string;
  search?: string;
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

const SECRETISH = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|credential/i;

/** Hides secret-looking fields at any depth; nothing secret should be logged, this is the belt to that brace. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRETISH.test(k) ? '[hidden]' : redact(v)]));
}

/** The UTC instant at which a local calendar date starts in a time zone. */
export function startOfLocalDay(date: string, timeZone: string | undefined): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const offsetAt = (t: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(t));
    const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - t;
  };
  // Two passes settle the offset on either side of a DST change.
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t).toISOString();
}

function escapeLike(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Builds the WHERE clause and its parameters for a filter. */
function whereOf(db: Db, f: AuditFilter, timeZone: string | undefined, locale: string | undefined): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.families && f.families.length > 0) {
    const wanted = new Set(f.families);
    const exactAll = Object.keys(FAMILY_EXACT);
    const ors: string[] = [];
    const exactHere = exactAll.filter((a) => wanted.has(FAMILY_EXACT[a]!));
    if (exactHere.length) {
      ors.push(`a.action IN (${exactHere.map(() => '?').join(',')})`);
      params.push(...exactHere);
    }
    const prefixes = FAMILY_PREFIXES.filter(([, fam]) => wanted.has(fam)).map(([p]) => p);
    if (prefixes.length) {
      ors.push(
        `((${prefixes.map(() => 'substr(a.action, 1, ?) = ?').join(' OR ')}) AND a.action NOT IN (${exactAll.map(() => '?').join(',')}))`,
      );
      for (const p of prefixes) params.push(p.length, p);
      params.push(...exactAll);
    }
    parts.push(ors.length ? `(${ors.join(' OR ')})` : '0');
  }
  if (f.customerId !== undefined) {
    // Candidates through the indexes of migration 0006 first; CUSTOMER_OF then decides exactly.
    const through = (table: string, entity: string): string =>
      `SELECT al.id FROM ${table} t JOIN audit_log al ON al.entity = '${entity}' AND al.entity_id = CAST(t.id AS TEXT) WHERE t.customer_id = ?`;
    parts.push(`a.id IN (
      SELECT id FROM audit_log WHERE entity = 'customer' AND entity_id = ?
      UNION ALL ${through('drafts', 'draft')}
      UNION ALL ${through('promises', 'promise')}
      UNION ALL ${through('disputes', 'dispute')}
      UNION ALL ${through('outbox', 'outbox')}
      UNION ALL SELECT id FROM audit_log WHERE json_extract(detail_json, '$.customerId') = ?
      UNION ALL SELECT al.id FROM audit_log c JOIN audit_log al ON al.entity = 'draft' AND al.entity_id = c.entity_id
        WHERE c.entity = 'draft' AND c.action = 'draft.create' AND json_extract(c.detail_json, '$.customerId') = ?
    ) AND ${CUSTOMER_OF} = ?`);
    params.push(String(f.customerId), f.customerId, f.customerId, f.customerId, f.customerId, f.customerId, f.customerId, f.customerId);
  }
  if (f.from) {
    parts.push('a.at >= ?');
    params.push(startOfLocalDay(f.from, timeZone));
  }
  if (f.to) {
    parts.push('a.at < ?');
    params.push(startOfLocalDay(addDays(f.to, 1), timeZone));
  }
  const q = f.search?.trim();
  if (q) {
    const like = escapeLike(q);
    const needle = q.toLocaleLowerCase();
    const ors = ["a.action LIKE ? ESCAPE '\\'", "a.detail_json LIKE ? ESCAPE '\\'"];
    params.push(like, like);
    // Actions whose plain-words sentence mentions the text ("approved", "template"…).
    const byWords = KNOWN_ACTIONS.filter((action) =>
      describeActivity({ action, customer: null, invoices: [], detail: {}, entityId: null }, locale).toLocaleLowerCase().includes(needle),
    );
    if (byWords.length) {
      ors.push(`a.action IN (${byWords.map(() => '?').join(',')})`);
      params.push(...byWords);
    }
    // Customers by name and drafts by invoice number are looked up once, not per audit row.
    const named = db.prepare<[string], number>("SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\' LIMIT 500").pluck().all(like);
    if (named.length) {
      ors.push(`${CUSTOMER_OF} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(named));
    }
    const drafts = db
      .prepare<[string], string>(
        `SELECT DISTINCT CAST(di.draft_id AS TEXT) FROM draft_invoices di JOIN invoices i ON i.id = di.invoice_id
         WHERE i.number LIKE ? ESCAPE '\\' LIMIT 5000`,
      )
      .pluck()
      .all(like);
    if (drafts.length) {
      ors.push(`(a.entity = 'draft' AND a.entity_id IN (SELECT value FROM json_each(?)))`);
      params.push(JSON.stringify(drafts));
    }
    parts.push(`(${ors.join(' OR ')})`);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
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

const lookups = perDb((db) => ({
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

function numberList(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isSafeInteger(x)) : [];
}

/** Turns raw rows into items, resolving customers and invoice numbers in three batched queries. */
function enrich(db: Db, rows: Row[]): ActivityItem[] {
  const l = lookups(db);
  const details = rows.map((r) => {
    try {
      return JSON.parse(r.detail_json) as unknown;
    } catch {
      return { unreadable: r.detail_json };
    }
  });
  const obj = (d: unknown): Record<string, unknown> => (d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {});
  const idOf = (r: Row, entity: string): number | null =>
    r.entity === entity && r.entity_id !== null && /^\d+$/.test(r.entity_id) ? Number(r.entity_id) : null;
  const draftOf = (r: Row, d: Record<string, unknown>): number | null =>
    r.entity === 'draft' && r.entity_id !== null && /^\d+$/.test(r.entity_id) ? Number(r.entity_id) : typeof d.draftId === 'number' ? d.draftId : null;

  const customerIds = new Set<number>();
  const invoiceIds = new Set<number>();
  const draftIds = new Set<number>();
  const outboxIds = new Set<number>();
  rows.forEach((r, i) => {
    const d = obj(details[i]);
    if (typeof r.customer_id === 'number') customerIds.add(r.customer_id);
    if (Array.isArray(d.invoices) && d.invoices.every((x) => typeof x === 'string')) return;
    for (const id of numberList(d.invoiceIds)) invoiceIds.add(id);
    if (typeof d.invoiceId === 'number') invoiceIds.add(d.invoiceId);
    const invoice = idOf(r, 'invoice');
    if (invoice !== null) invoiceIds.add(invoice);
    const draft = draftOf(r, d);
    if (draft !== null) draftIds.add(draft);
    const outbox = idOf(r, 'outbox');
    if (outbox !== null) outboxIds.add(outbox);
  });
  const customers = new Map(l.customers.all(JSON.stringify([...customerIds])).map((c) => [c.id, c]));
  const numbers = new Map(invoiceIds.size ? l.invoiceNumbers.all(JSON.stringify([...invoiceIds])).map((i) => [i.id, i.number]) : []);
  const byDraft = new Map<number, string[]>();
  const byOutbox = new Map<number, string[]>();
  const group = <K>(map: Map<K, string[]>, key: K, value: string): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);
  if (draftIds.size) for (const x of l.draftInvoices.all(JSON.stringify([...draftIds]))) group(byDraft, x.draftId, x.number);
  if (outboxIds.size) for (const x of l.outboxInvoices.all(JSON.stringify([...outboxIds]))) group(byOutbox, x.outboxId, x.number);
  const gone = [...draftIds].filter((id) => !byDraft.has(id));
  if (gone.length) {
    for (const x of l.createdDrafts.all(JSON.stringify(gone))) {
      const recorded = x.invoices ? (JSON.parse(x.invoices) as unknown) : null;
      if (Array.isArray(recorded)) for (const n of recorded) if (typeof n === 'string') group(byDraft, Number(x.draftId), n);
    }
  }

  return rows.map((r, i) => {
    const d = obj(details[i]);
    let invoices: string[];
    if (Array.isArray(d.invoices) && d.invoices.every((x) => typeof x === 'string')) invoices = d.invoices as string[];
    else {
      const ids = [...numberList(d.invoiceIds), ...(typeof d.invoiceId === 'number' ? [d.invoiceId] : [])];
      const invoice = idOf(r, 'invoice');
      if (invoice !== null) ids.push(invoice);
      invoices = ids.map((id) => numbers.get(id)).filter((n): n is string => n !== undefined);
      const outbox = idOf(r, 'outbox');
      if (invoices.length === 0 && outbox !== null) invoices = byOutbox.get(outbox) ?? [];
      const draft = draftOf(r, d);
      if (invoices.length === 0 && draft !== null) invoices = byDraft.get(draft) ?? [];
    }
    const c = typeof r.customer_id === 'number' ? customers.get(r.customer_id) : undefined;
    return {
      id: r.id,
      at: r.at,
      actor: r.actor,
      who: whoOf(r.actor, r.action),
      action: r.action,
      family: familyOf(r.action),
      entity: r.entity,
      entityId: r.entity_id,
      customer: typeof r.customer_id === 'number' ? { id: r.customer_id, name: c?.name ?? null, deleted: !c || c.deleted_at !== null } : null,
      invoices: [...new Set(invoices)],
      detail: redact(details[i]),
    };
  });
}

export interface AuditQueryOptions {
  timeZone?: string;
  locale?: string;
}

/** One page, newest first: rows older than `cursor` (an id), at most `limit`. */
export function listAudit(
  db: Db,
  filter: AuditFilter,
  page: { cursor?: number; limit: number },
  opts: AuditQueryOptions = {},
): { items: ActivityItem[]; nextCursor: number | null } {
  const where = whereOf(db, filter, opts.timeZone, opts.locale);
  const sql = `SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail_json, ${CUSTOMER_OF} AS customer_id
    FROM audit_log a WHERE a.id < ? AND ${where.sql} ORDER BY a.id DESC LIMIT ?`;
  const rows = prepared(db, sql).all(page.cursor ?? Number.MAX_SAFE_INTEGER, ...where.params, page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return { items: enrich(db, shown), nextCursor: more ? shown[shown.length - 1]!.id : null };
}

/** Every matching row, newest first, in chunks (the export), without holding all raw rows at once. */
export function* iterateAudit(db: Db, filter: AuditFilter, opts: AuditQueryOptions = {}, chunk = 1_000): Generator<ActivityItem> {
  let cursor: number | undefined;
  for (;;) {
    const page = listAudit(db, filter, { cursor, limit: chunk }, opts);
    yield* page.items;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
