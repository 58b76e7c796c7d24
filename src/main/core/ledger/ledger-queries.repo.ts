// The reads that aging, scoring and the board are built on. Each is a handful of grouped SQL
// queries over a whole connection (never one query per customer or invoice), so the board
// stays fast at 100k invoices. "As of" a date means: later payments and credits are added
// back, so yesterday's board can be replayed exactly.
import type { IsoDate } from '../../../shared/dates';
import type { Tier } from '../../../shared/model';
import type { CustomerFacts, OpenInvoice } from './types';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

/** Applications whose payment or credit note still exists, for one connection (@conn). */
const LIVE_APPLICATIONS = `
  SELECT a.invoice_id, a.applied_on, a.amount_cents
  FROM payment_applications a NOT INDEXED
  LEFT JOIN payments p ON p.id = a.payment_id
  LEFT JOIN credit_notes cn ON cn.id = a.credit_note_id
  WHERE COALESCE(p.connection_id, cn.connection_id) = @conn
    AND COALESCE(p.deleted_at, cn.deleted_at) IS NULL`;

const OPEN_INVOICES = `
  SELECT i.id, i.customer_id AS customerId, i.number, i.issue_date AS issueDate, i.due_date AS dueDate,
         i.currency, i.total_cents AS totalCents, i.balance_cents + COALESCE(l.later, 0) AS balanceCents
  FROM invoices i
  JOIN customers c ON c.id = i.customer_id AND c.deleted_at IS NULL
  LEFT JOIN (
    SELECT invoice_id, SUM(amount_cents) AS later
    FROM (${LIVE_APPLICATIONS}) WHERE applied_on > @asOf
    GROUP BY invoice_id
  ) l ON l.invoice_id = i.id
  WHERE i.connection_id = @conn AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'draft')
    AND i.issue_date <= @asOf AND i.balance_cents + COALESCE(l.later, 0) > 0`;

interface ConnAsOf {
  conn: string;
  asOf: string;
}

interface FactsBase {
  id: number;
  name: string;
  email: string | null;
  termsDays: number | null;
  oTier: Tier | null;
  oReason: string | null;
  oAt: string | null;
}

const stmts = perDb((db) => ({
  open: db.prepare<ConnAsOf, OpenInvoice>(`${OPEN_INVOICES} ORDER BY i.id`),
  openForCustomer: db.prepare<ConnAsOf & { customer: number }, OpenInvoice>(
    `${OPEN_INVOICES} AND i.customer_id = @customer ORDER BY i.due_date, i.id`,
  ),
  factsBase: db.prepare<[string], FactsBase>(
    `SELECT c.id, c.name, c.email, c.terms_days AS termsDays,
            o.tier AS oTier, o.reason AS oReason, o.created_at AS oAt
     FROM customers c LEFT JOIN overrides o ON o.customer_id = c.id
     WHERE c.connection_id = ? AND c.deleted_at IS NULL`,
  ),
  // Paid date of an invoice = its last application; only invoices settled by @asOf count.
  // CROSS JOIN keeps SQLite walking the grouped applications and probing invoices by key.
  paidStats: db.prepare<ConnAsOf, { customerId: number; n: number; toPay: number; late: number }>(
    `SELECT i.customer_id AS customerId, COUNT(*) AS n,
            AVG(julianday(pd.paid_on) - julianday(i.issue_date)) AS toPay,
            AVG(julianday(pd.paid_on) - julianday(i.due_date)) AS late
     FROM (SELECT invoice_id, MAX(applied_on) AS paid_on FROM (${LIVE_APPLICATIONS}) GROUP BY invoice_id) pd
     CROSS JOIN invoices i ON i.id = pd.invoice_id
     WHERE i.connection_id = @conn AND i.deleted_at IS NULL AND i.status NOT IN ('void', 'draft')
       AND (i.status = 'paid' OR i.balance_cents = 0) AND pd.paid_on <= @asOf
     GROUP BY i.customer_id`,
  ),
  // Medians are taken in JS: sorting small per-customer lists beats a window function over all rows.
  totals: db
    .prepare<[string], [number, string, number]>(
      `SELECT customer_id, currency, total_cents FROM invoices
       WHERE connection_id = ? AND deleted_at IS NULL AND status NOT IN ('void', 'draft')`,
    )
    .raw(),
  lastContact: db.prepare<[string, string], { customerId: number; at: string }>(
    `SELECT customer_id AS customerId, MAX(occurred_at) AS at FROM notes
     WHERE connection_id = ? AND kind IN ('email', 'call', 'reminder') AND substr(occurred_at, 1, 10) <= ?
     GROUP BY customer_id`,
  ),
  // Follow-up (migration 0004): broken promises in the last year (by deadline, 2 grace days),
  // open disputes, and each customer's soonest open promise.
  brokenPromises: db.prepare<ConnAsOf, { customerId: number; n: number }>(
    `SELECT customer_id AS customerId, COUNT(*) AS n FROM promises
     WHERE connection_id = @conn AND status = 'broken' AND date >= date(@asOf, '-367 days')
     GROUP BY customer_id`,
  ),
  openDisputes: db.prepare<[string], { customerId: number; n: number }>(
    `SELECT customer_id AS customerId, COUNT(*) AS n FROM disputes
     WHERE connection_id = ? AND status = 'open' GROUP BY customer_id`,
  ),
  openPromises: db.prepare<[string], { customerId: number; date: string; cents: number; currency: string }>(
    `SELECT customer_id AS customerId, date, amount_cents AS cents, currency FROM promises
     WHERE connection_id = ? AND status = 'open' ORDER BY customer_id, date DESC, id DESC`,
  ),
  sales: db.prepare<[string, string, string], { currency: string; cents: number }>(
    `SELECT currency, SUM(total_cents) AS cents FROM invoices
     WHERE connection_id = ? AND deleted_at IS NULL AND status NOT IN ('void', 'draft')
       AND issue_date >= ? AND issue_date <= ?
     GROUP BY currency ORDER BY currency`,
  ),
}));

/**
 * Invoices open on `asOf`: issued by then, not void/draft/deleted, customer not deleted, and
 * with a positive balance once applications dated after `asOf` are added back.
 */
export function listOpenInvoices(
  db: Db,
  connectionId: string,
  asOf: IsoDate,
  opts: { customerId?: number } = {},
): OpenInvoice[] {
  const s = stmts(db);
  return opts.customerId === undefined
    ? s.open.all({ conn: connectionId, asOf })
    : s.openForCustomer.all({ conn: connectionId, asOf, customer: opts.customerId });
}

/**
 * Payment habits and context for every live customer of a connection, as of `asOf`.
 * Averages come from invoices fully paid on or before `asOf`; the typical invoice is the median
 * total per currency (halves round to the nearest cent); contact counts email, call and reminder.
 */
export function customerFacts(db: Db, connectionId: string, asOf: IsoDate): Map<number, CustomerFacts> {
  const s = stmts(db);
  const facts = new Map<number, CustomerFacts>();
  for (const c of s.factsBase.iterate(connectionId)) {
    facts.set(c.id, {
      id: c.id,
      name: c.name,
      email: c.email,
      termsDays: c.termsDays,
      avgDaysToPay: null,
      avgDaysLate: null,
      paidInvoices: 0,
      typicalInvoiceCents: {},
      lastContactAt: null,
      // Counted from follow-up's tables below.
      brokenPromises: 0,
      openDisputes: 0,
      nextPromise: null,
      override: c.oTier && c.oAt ? { tier: c.oTier, reason: c.oReason ?? '', at: c.oAt } : null,
    });
  }
  for (const r of s.paidStats.iterate({ conn: connectionId, asOf })) {
    const f = facts.get(r.customerId);
    if (!f) continue;
    f.paidInvoices = r.n;
    f.avgDaysToPay = r.toPay;
    f.avgDaysLate = r.late;
  }
  const totals = new Map<number, Map<string, number[]>>();
  for (const [customerId, currency, cents] of s.totals.iterate(connectionId)) {
    let byCurrency = totals.get(customerId);
    if (!byCurrency) totals.set(customerId, (byCurrency = new Map()));
    const list = byCurrency.get(currency);
    if (list) list.push(cents);
    else byCurrency.set(currency, [cents]);
  }
  for (const [customerId, byCurrency] of totals) {
    const f = facts.get(customerId);
    if (!f) continue;
    for (const [currency, list] of byCurrency) f.typicalInvoiceCents[currency] = median(list);
  }
  for (const r of s.lastContact.iterate(connectionId, asOf)) {
    const f = facts.get(r.customerId);
    if (f) f.lastContactAt = r.at;
  }
  for (const r of s.brokenPromises.iterate({ conn: connectionId, asOf })) {
    const f = facts.get(r.customerId);
    if (f) f.brokenPromises = r.n;
  }
  for (const r of s.openDisputes.iterate(connectionId)) {
    const f = facts.get(r.customerId);
    if (f) f.openDisputes = r.n;
  }
  // Latest date first, so the last one written per customer is the soonest.
  for (const r of s.openPromises.iterate(connectionId)) {
    const f = facts.get(r.customerId);
    if (f) f.nextPromise = { date: r.date, cents: r.cents, currency: r.currency };
  }
  return facts;
}

/** Median of whole cents; an even count takes the mean of the middle two, rounded half up. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) throw new RangeError('median of an empty list');
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/** Invoice totals issued in [fromDate, toDate] per currency (not void, draft or deleted): DSO's denominator. */
export function salesByCurrency(db: Db, connectionId: string, fromDate: IsoDate, toDate: IsoDate): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of stmts(db).sales.iterate(connectionId, fromDate, toDate)) out.set(r.currency, r.cents);
  return out;
}
