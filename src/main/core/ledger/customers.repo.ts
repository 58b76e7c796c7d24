// One customer as the drawer shows them: contact and terms, and the timeline of everything
// that happened between them and the business (invoices, payments, credits, contact, overrides).
// Customer-written text is passed through as plain strings; React renders it as text.
import type { CustomerInfo, TimelineEntry, TimelineKind } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import { auditEntriesAbout } from '../audit';

export interface CustomerLookup {
  connectionId: string;
  customer: CustomerInfo;
  deletedAt: string | null;
}

interface InfoRow {
  id: number;
  connection_id: string;
  name: string;
  company_name: string | null;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  terms_label: string | null;
  terms_days: number | null;
  currency: string;
  deleted_at: string | null;
  parent_id: number | null;
  parent_name: string | null;
}

const stmts = perDb((db) => ({
  info: db.prepare<[number], InfoRow>(
    `SELECT c.*, p.name AS parent_name FROM customers c LEFT JOIN customers p ON p.id = c.parent_id WHERE c.id = ?`,
  ),
  invoices: db.prepare<
    [number],
    { id: number; number: string; issue_date: string; due_date: string; currency: string; total_cents: number; status: string; memo: string | null }
  >(
    `SELECT id, number, issue_date, due_date, currency, total_cents, status, memo FROM invoices
     WHERE customer_id = ? AND deleted_at IS NULL AND status <> 'draft'`,
  ),
  payments: db.prepare<
    [number],
    { id: number; date: string; currency: string; amount_cents: number; unapplied_cents: number; reference: string | null; method: string | null }
  >(
    `SELECT id, date, currency, amount_cents, unapplied_cents, reference, method FROM payments
     WHERE customer_id = ? AND deleted_at IS NULL`,
  ),
  paymentApps: db.prepare<[number], { owner: number; invoice_id: number; number: string }>(
    `SELECT a.payment_id AS owner, a.invoice_id, i.number FROM payment_applications a
     JOIN payments p ON p.id = a.payment_id JOIN invoices i ON i.id = a.invoice_id
     WHERE p.customer_id = ? AND p.deleted_at IS NULL ORDER BY a.payment_id, i.issue_date, i.number`,
  ),
  credits: db.prepare<
    [number],
    { id: number; number: string | null; date: string; currency: string; total_cents: number; status: string; reason: string | null }
  >(
    `SELECT id, number, date, currency, total_cents, status, reason FROM credit_notes
     WHERE customer_id = ? AND deleted_at IS NULL AND status <> 'void'`,
  ),
  creditApps: db.prepare<[number], { owner: number; invoice_id: number; number: string }>(
    `SELECT a.credit_note_id AS owner, a.invoice_id, i.number FROM payment_applications a
     JOIN credit_notes cn ON cn.id = a.credit_note_id JOIN invoices i ON i.id = a.invoice_id
     WHERE cn.customer_id = ? AND cn.deleted_at IS NULL ORDER BY a.credit_note_id, i.issue_date, i.number`,
  ),
  notes: db.prepare<[number], { id: number; kind: string; body: string; occurred_at: string; invoice_id: number | null }>(
    'SELECT id, kind, body, occurred_at, invoice_id FROM notes WHERE customer_id = ?',
  ),
}));

export function getCustomerInfo(db: Db, customerId: number): CustomerLookup | null {
  const r = stmts(db).info.get(customerId);
  if (!r) return null;
  return {
    connectionId: r.connection_id,
    deletedAt: r.deleted_at,
    customer: {
      id: r.id,
      name: r.name,
      companyName: r.company_name,
      contactName: r.contact_name,
      email: r.email,
      phone: r.phone,
      address: r.address,
      termsLabel: r.terms_label,
      termsDays: r.terms_days,
      currency: r.currency,
      parent: r.parent_id !== null && r.parent_name !== null ? { id: r.parent_id, name: r.parent_name } : null,
    },
  };
}

const CONTACT_TITLES: Record<string, string> = { email: 'Email', call: 'Call', reminder: 'Reminder sent' };
// Same-moment entries read in a stable, sensible order: the invoice before what settled it.
const KIND_ORDER: Record<TimelineKind, number> = {
  override: 0,
  contact: 1,
  note: 2,
  payment: 3,
  credit: 4,
  void: 5,
  invoice: 6,
};

function groupNumbers(rows: { owner: number; invoice_id: number; number: string }[]): Map<number, { ids: number[]; numbers: string[] }> {
  const out = new Map<number, { ids: number[]; numbers: string[] }>();
  for (const r of rows) {
    let g = out.get(r.owner);
    if (!g) out.set(r.owner, (g = { ids: [], numbers: [] }));
    g.ids.push(r.invoice_id);
    g.numbers.push(r.number);
  }
  return out;
}

interface OverrideDetail {
  tier?: unknown;
  reason?: unknown;
}

type Stmts = ReturnType<typeof stmts>;

function invoiceEntries(s: Stmts, customerId: number, out: TimelineEntry[]): void {
  for (const i of s.invoices.iterate(customerId)) {
    const voided = i.status === 'void';
    out.push({
      at: i.issue_date,
      kind: voided ? 'void' : 'invoice',
      title: voided ? `Invoice ${i.number} (voided)` : `Invoice ${i.number} issued`,
      detail: i.memo ?? null,
      cents: i.total_cents,
      currency: i.currency,
      invoiceId: i.id,
      dueDate: i.due_date,
    });
  }
}

function paymentEntries(s: Stmts, customerId: number, out: TimelineEntry[]): void {
  const paidBy = groupNumbers(s.paymentApps.all(customerId));
  for (const p of s.payments.iterate(customerId)) {
    const g = paidBy.get(p.id);
    const parts: string[] = [];
    if (g) parts.push(`Paid ${g.numbers.join(', ')}`);
    if (p.unapplied_cents > 0) parts.push('part unapplied');
    const ref = [p.method, p.reference].filter((x): x is string => !!x).join(' ');
    out.push({
      at: p.date,
      kind: 'payment',
      title: ref ? `Payment received (${ref})` : 'Payment received',
      detail: parts.length ? parts.join('; ') : null,
      cents: p.amount_cents,
      currency: p.currency,
      invoiceId: g && g.ids.length === 1 ? (g.ids[0] ?? null) : null,
      dueDate: null,
    });
  }
}

function creditEntries(s: Stmts, customerId: number, out: TimelineEntry[]): void {
  const creditedBy = groupNumbers(s.creditApps.all(customerId));
  for (const c of s.credits.iterate(customerId)) {
    const g = creditedBy.get(c.id);
    const parts: string[] = [];
    if (c.reason) parts.push(c.reason);
    if (g) parts.push(`Applied to ${g.numbers.join(', ')}`);
    out.push({
      at: c.date,
      kind: 'credit',
      title: c.number ? `Credit note ${c.number}` : 'Credit note',
      detail: parts.length ? parts.join('; ') : null,
      cents: c.total_cents,
      currency: c.currency,
      invoiceId: g && g.ids.length === 1 ? (g.ids[0] ?? null) : null,
      dueDate: null,
    });
  }
}

function noteEntries(s: Stmts, customerId: number, out: TimelineEntry[]): void {
  for (const n of s.notes.iterate(customerId)) {
    const contact = n.kind !== 'note';
    out.push({
      at: n.occurred_at,
      kind: contact ? 'contact' : 'note',
      title: contact ? (CONTACT_TITLES[n.kind] ?? n.kind) : 'Note',
      detail: n.body,
      cents: null,
      currency: null,
      invoiceId: n.invoice_id,
      dueDate: null,
    });
  }
}

// Overrides are audit entries (audit.repo.ts owns that table and decodes its detail).
function overrideEntries(db: Db, customerId: number, out: TimelineEntry[]): void {
  for (const a of auditEntriesAbout(db, 'customer', String(customerId), 'score.override')) {
    const d: OverrideDetail = a.detail !== null && typeof a.detail === 'object' ? (a.detail as OverrideDetail) : {};
    const tier = typeof d.tier === 'string' ? d.tier : null;
    out.push({
      at: a.at,
      kind: 'override',
      title: tier ? `Tier set to ${tier} by ${a.actor}` : `Tier override cleared by ${a.actor}`,
      detail: typeof d.reason === 'string' && d.reason ? d.reason : null,
      cents: null,
      currency: null,
      invoiceId: null,
      dueDate: null,
    });
  }
}

/**
 * Everything that happened with a customer, newest first. Overrides come from the audit log
 * (entity 'customer', entity_id = the id, action 'score.override', detail {tier|null, reason}).
 */
export function customerTimeline(db: Db, customerId: number, opts: { limit?: number } = {}): TimelineEntry[] {
  const s = stmts(db);
  const out: TimelineEntry[] = [];
  invoiceEntries(s, customerId, out);
  paymentEntries(s, customerId, out);
  creditEntries(s, customerId, out);
  noteEntries(s, customerId, out);
  overrideEntries(db, customerId, out);
  out.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : KIND_ORDER[x.kind] - KIND_ORDER[y.kind]));
  return opts.limit !== undefined ? out.slice(0, opts.limit) : out;
}
