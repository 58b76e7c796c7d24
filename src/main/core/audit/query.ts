// Reading the audit log for the Activity page and its export: filters (family, customer, dates,
// free text), newest first, keyset paging on id so page N costs the same as page 1, and the
// customer and invoice numbers each row refers to, resolved from the ledger in a few batched
// queries (activity.repo.ts). Rows whose customer or draft is gone still read (customer name null).
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
import { addDays } from '../../../shared/dates';
import type { Db } from '../db/open';
import {
  createdDraftInvoiceNumbers,
  customersByIds,
  draftInvoiceNumbers,
  invoiceNumbersByIds,
  listActivityRows,
  outboxInvoiceNumbers,
  type ActivityRecord,
  type ActivityWhere,
} from './activity.repo';

export interface AuditFilter {
  families?: ActivityFamily[];
  customerId?: number;
  /** Local calendar dates (the owner's time zone), inclusive. */
  from?: string;
  to?: string;
  search?: string;
}

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

/** Resolves a filter to what the SQL needs: family action lists, day bounds as instants, matching sentences. */
function resolve(f: AuditFilter, timeZone: string | undefined, locale: string | undefined): ActivityWhere {
  const where: ActivityWhere = {};
  if (f.families && f.families.length > 0) {
    const wanted = new Set(f.families);
    const allExact = Object.keys(FAMILY_EXACT);
    where.families = {
      exact: allExact.filter((a) => wanted.has(FAMILY_EXACT[a]!)),
      prefixes: FAMILY_PREFIXES.filter(([, fam]) => wanted.has(fam)).map(([p]) => p),
      allExact,
    };
  }
  if (f.customerId !== undefined) where.customerId = f.customerId;
  if (f.from) where.fromAt = startOfLocalDay(f.from, timeZone);
  if (f.to) where.beforeAt = startOfLocalDay(addDays(f.to, 1), timeZone);
  const q = f.search?.trim();
  if (q) {
    const needle = q.toLocaleLowerCase();
    // Actions whose plain-words sentence mentions the text ("approved", "template"…).
    const actions = KNOWN_ACTIONS.filter((action) =>
      describeActivity({ action, customer: null, invoices: [], detail: {}, entityId: null }, locale).toLocaleLowerCase().includes(needle),
    );
    where.search = { text: q, actions };
  }
  return where;
}

function numberList(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isSafeInteger(x)) : [];
}

const obj = (d: unknown): Record<string, unknown> => (d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {});
const idOf = (r: ActivityRecord, entity: string): number | null =>
  r.entity === entity && r.entityId !== null && /^\d+$/.test(r.entityId) ? Number(r.entityId) : null;
const draftOf = (r: ActivityRecord, d: Record<string, unknown>): number | null =>
  r.entity === 'draft' && r.entityId !== null && /^\d+$/.test(r.entityId) ? Number(r.entityId) : typeof d.draftId === 'number' ? d.draftId : null;
/** A row whose detail lists its invoice numbers needs no lookup. */
const namedInvoices = (d: Record<string, unknown>): string[] | null =>
  Array.isArray(d.invoices) && d.invoices.every((x) => typeof x === 'string') ? (d.invoices as string[]) : null;

/** What the rows refer to, looked up in a few batched queries. */
interface Referents {
  customers: Map<number, { name: string; deleted: boolean }>;
  numbers: Map<number, string>;
  byDraft: Map<number, string[]>;
  byOutbox: Map<number, string[]>;
}

function lookUp(db: Db, rows: ActivityRecord[]): Referents {
  const customerIds = new Set<number>();
  const invoiceIds = new Set<number>();
  const draftIds = new Set<number>();
  const outboxIds = new Set<number>();
  for (const r of rows) {
    const d = obj(r.detail);
    if (typeof r.customerId === 'number') customerIds.add(r.customerId);
    if (namedInvoices(d)) continue;
    for (const id of numberList(d.invoiceIds)) invoiceIds.add(id);
    if (typeof d.invoiceId === 'number') invoiceIds.add(d.invoiceId);
    const invoice = idOf(r, 'invoice');
    if (invoice !== null) invoiceIds.add(invoice);
    const draft = draftOf(r, d);
    if (draft !== null) draftIds.add(draft);
    const outbox = idOf(r, 'outbox');
    if (outbox !== null) outboxIds.add(outbox);
  }
  const customers = customersByIds(db, [...customerIds]);
  const numbers = invoiceIds.size ? invoiceNumbersByIds(db, [...invoiceIds]) : new Map<number, string>();
  const byDraft = new Map<number, string[]>();
  const byOutbox = new Map<number, string[]>();
  const group = <K>(map: Map<K, string[]>, key: K, value: string): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);
  if (draftIds.size) for (const x of draftInvoiceNumbers(db, [...draftIds])) group(byDraft, x.draftId, x.number);
  if (outboxIds.size) for (const x of outboxInvoiceNumbers(db, [...outboxIds])) group(byOutbox, x.outboxId, x.number);
  const gone = [...draftIds].filter((id) => !byDraft.has(id));
  if (gone.length) for (const x of createdDraftInvoiceNumbers(db, gone)) group(byDraft, x.draftId, x.number);
  return { customers, numbers, byDraft, byOutbox };
}

/** The invoice numbers one row is about: listed in its detail, else by id, else its outbox item's or draft's. */
function invoicesOf(r: ActivityRecord, ref: Referents): string[] {
  const d = obj(r.detail);
  const named = namedInvoices(d);
  if (named) return named;
  const ids = [...numberList(d.invoiceIds), ...(typeof d.invoiceId === 'number' ? [d.invoiceId] : [])];
  const invoice = idOf(r, 'invoice');
  if (invoice !== null) ids.push(invoice);
  let invoices = ids.map((id) => ref.numbers.get(id)).filter((n): n is string => n !== undefined);
  const outbox = idOf(r, 'outbox');
  if (invoices.length === 0 && outbox !== null) invoices = ref.byOutbox.get(outbox) ?? [];
  const draft = draftOf(r, d);
  if (invoices.length === 0 && draft !== null) invoices = ref.byDraft.get(draft) ?? [];
  return invoices;
}

/** Turns raw rows into items, resolving customers and invoice numbers in a few batched queries. */
function enrich(db: Db, rows: ActivityRecord[]): ActivityItem[] {
  const ref = lookUp(db, rows);
  return rows.map((r) => {
    const c = typeof r.customerId === 'number' ? ref.customers.get(r.customerId) : undefined;
    return {
      id: r.id,
      at: r.at,
      actor: r.actor,
      who: whoOf(r.actor, r.action),
      action: r.action,
      family: familyOf(r.action),
      entity: r.entity,
      entityId: r.entityId,
      customer: typeof r.customerId === 'number' ? { id: r.customerId, name: c?.name ?? null, deleted: !c || c.deleted } : null,
      invoices: [...new Set(invoicesOf(r, ref))],
      detail: redact(r.detail),
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
  const where = resolve(filter, opts.timeZone, opts.locale);
  const rows = listActivityRows(db, where, page.cursor ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
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
