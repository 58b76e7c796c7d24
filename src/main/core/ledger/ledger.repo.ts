// Ingest: writes a connector's provider-neutral batch into the local ledger. One batch is one
// transaction, so a sync page either lands whole or not at all, and it is keyed on
// (connection_id, external_id) so replaying a page changes nothing. This is the hot path of a
// full sync (100k invoices), hence prepared statements, UPSERT … RETURNING id instead of
// per-row SELECTs, and cheap hand-written checks instead of a schema parse per row.
import { SettleError } from '../../../shared/errors';
import type {
  ApplicationRecord,
  CreditNoteRecord,
  CustomerRecord,
  InvoiceRecord,
  LedgerBatch,
  NoteRecord,
  PaymentRecord,
} from './types';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

export interface UpsertCounts {
  customers: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  applications: number;
  /** Notes actually added (a note already stored is not added twice). */
  notes: number;
}

type Nullable<T> = T | null;

// Customers (and the connection they are written into).
const customerStmts = perDb((db) => ({
  connectionExists: db.prepare<[string], number>('SELECT 1 FROM connections WHERE id = ?').pluck(),
  upsertCustomer: db
    .prepare<
      [
        string,
        string,
        string,
        Nullable<string>,
        Nullable<string>,
        Nullable<string>,
        Nullable<string>,
        Nullable<string>,
        Nullable<string>,
        Nullable<number>,
        string,
        number,
        string,
        Nullable<string>,
      ],
      number
    >(
      `INSERT INTO customers (connection_id, external_id, name, company_name, contact_name, email, phone, address,
         terms_label, terms_days, currency, active, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, external_id) DO UPDATE SET
         name = excluded.name, company_name = excluded.company_name, contact_name = excluded.contact_name,
         email = excluded.email, phone = excluded.phone, address = excluded.address,
         terms_label = excluded.terms_label, terms_days = excluded.terms_days, currency = excluded.currency,
         active = excluded.active, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at
       RETURNING id`,
    )
    .pluck(),
  setParent: db.prepare<[Nullable<number>, number]>('UPDATE customers SET parent_id = ? WHERE id = ?'),
  customerId: db
    .prepare<[string, string], number>('SELECT id FROM customers WHERE connection_id = ? AND external_id = ?')
    .pluck(),
}));

// Invoices.
const invoiceStmts = perDb((db) => ({
  upsertInvoice: db
    .prepare<
      [
        string,
        string,
        number,
        string,
        string,
        string,
        string,
        number,
        number,
        string,
        Nullable<string>,
        string,
        Nullable<string>,
      ],
      number
    >(
      `INSERT INTO invoices (connection_id, external_id, customer_id, number, issue_date, due_date, currency,
         total_cents, balance_cents, status, memo, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, external_id) DO UPDATE SET
         customer_id = excluded.customer_id, number = excluded.number, issue_date = excluded.issue_date,
         due_date = excluded.due_date, currency = excluded.currency, total_cents = excluded.total_cents,
         balance_cents = excluded.balance_cents, status = excluded.status, memo = excluded.memo,
         updated_at = excluded.updated_at, deleted_at = excluded.deleted_at
       RETURNING id`,
    )
    .pluck(),
  invoiceId: db
    .prepare<[string, string], number>('SELECT id FROM invoices WHERE connection_id = ? AND external_id = ?')
    .pluck(),
}));

// Credit notes.
const creditStmts = perDb((db) => ({
  upsertCredit: db
    .prepare<
      [
        string,
        string,
        number,
        Nullable<string>,
        string,
        string,
        number,
        number,
        string,
        Nullable<string>,
        string,
        Nullable<string>,
      ],
      number
    >(
      `INSERT INTO credit_notes (connection_id, external_id, customer_id, number, date, currency, total_cents,
         remaining_cents, status, reason, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, external_id) DO UPDATE SET
         customer_id = excluded.customer_id, number = excluded.number, date = excluded.date,
         currency = excluded.currency, total_cents = excluded.total_cents, remaining_cents = excluded.remaining_cents,
         status = excluded.status, reason = excluded.reason, updated_at = excluded.updated_at,
         deleted_at = excluded.deleted_at
       RETURNING id`,
    )
    .pluck(),
  maxCreditId: db.prepare<[], number | null>('SELECT MAX(id) FROM credit_notes').pluck(),
}));

// Payments.
const paymentStmts = perDb((db) => ({
  upsertPayment: db
    .prepare<
      [
        string,
        string,
        number,
        string,
        string,
        number,
        number,
        Nullable<string>,
        Nullable<string>,
        string,
        Nullable<string>,
      ],
      number
    >(
      `INSERT INTO payments (connection_id, external_id, customer_id, date, currency, amount_cents, unapplied_cents,
         reference, method, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, external_id) DO UPDATE SET
         customer_id = excluded.customer_id, date = excluded.date, currency = excluded.currency,
         amount_cents = excluded.amount_cents, unapplied_cents = excluded.unapplied_cents,
         reference = excluded.reference, method = excluded.method, updated_at = excluded.updated_at,
         deleted_at = excluded.deleted_at
       RETURNING id`,
    )
    .pluck(),
  maxPaymentId: db.prepare<[], number | null>('SELECT MAX(id) FROM payments').pluck(),
}));

// Applications of payments and credit notes to invoices, and notes.
const applicationStmts = perDb((db) => ({
  clearPaymentApps: db.prepare<[number]>('DELETE FROM payment_applications WHERE payment_id = ?'),
  clearCreditApps: db.prepare<[number]>('DELETE FROM payment_applications WHERE credit_note_id = ?'),
  insertPaymentApp: db.prepare<[number, number, string, number]>(
    'INSERT INTO payment_applications (payment_id, invoice_id, applied_on, amount_cents) VALUES (?, ?, ?, ?)',
  ),
  insertCreditApp: db.prepare<[number, number, string, number]>(
    'INSERT INTO payment_applications (credit_note_id, invoice_id, applied_on, amount_cents) VALUES (?, ?, ?, ?)',
  ),
  // Notes have no provider id; an identical note (same customer, moment, kind and text) is the same note.
  insertNote: db.prepare<
    [string, number, Nullable<number>, string, string, string, string, number, string, string, string]
  >(
    `INSERT INTO notes (connection_id, customer_id, invoice_id, kind, body, occurred_at, created_at)
     SELECT ?, ?, ?, ?, ?, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM notes WHERE customer_id = ? AND occurred_at = ? AND kind = ? AND body = ?)`,
  ),
}));


// ---- cheap validation: one clear message per bad record, before anything is written ----

const INVOICE_STATUSES = new Set(['open', 'paid', 'void', 'draft']);
const CREDIT_STATUSES = new Set(['open', 'applied', 'void']);
const NOTE_KINDS = new Set(['note', 'email', 'call', 'reminder']);
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLedgerDate(s: unknown): s is string {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = m === 2 && !leap ? 28 : (DAYS_IN_MONTH[m - 1] ?? 0);
  return d <= max;
}

class Checker {
  private readonly goodDates = new Set<string>();
  private id = '';
  constructor(private readonly kind: string) {}

  fail(msg: string): never {
    throw new SettleError('invalid_input', `${this.kind} "${this.id}": ${msg}`);
  }
  text(field: string, v: unknown): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(`${field} must be a non-empty string`);
    return v;
  }
  optText(field: string, v: unknown): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(`${field} must be a string or null`);
    return v;
  }
  cents(field: string, v: unknown): number {
    if (!Number.isSafeInteger(v)) this.fail(`${field} must be an integer amount in minor units, got ${String(v)}`);
    return v as number;
  }
  currency(v: unknown): string {
    if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) this.fail(`currency must be an ISO 4217 code, got ${String(v)}`);
    return v;
  }
  date(field: string, v: unknown): string {
    if (typeof v === 'string' && this.goodDates.has(v)) return v;
    if (!isLedgerDate(v)) this.fail(`${field} must be a date as YYYY-MM-DD, got ${String(v)}`);
    this.goodDates.add(v);
    return v;
  }
  /** Names the record the next failure is about. */
  at(id: string): this {
    this.id = id;
    return this;
  }
}

function checker(kind: string): Checker {
  return new Checker(kind);
}

// ---- the upsert ----

/** One batch being written: the statements, the ids resolved so far and the counts. */
class Ingest {
  private readonly customerIds = new Map<string, number>();
  private readonly invoiceIds = new Map<string, number>();
  readonly counts: UpsertCounts = { customers: 0, invoices: 0, payments: 0, creditNotes: 0, applications: 0, notes: 0 };
  private readonly cs: ReturnType<typeof customerStmts>;
  private readonly is: ReturnType<typeof invoiceStmts>;
  private readonly ns: ReturnType<typeof creditStmts>;
  private readonly ps: ReturnType<typeof paymentStmts>;
  private readonly apps: ReturnType<typeof applicationStmts>;
  // Credit notes and payments keep their checker for their applications, as the messages name them.
  private readonly nc = checker('Credit note');
  private readonly pc = checker('Payment');

  constructor(
    db: Db,
    private readonly connectionId: string,
    private readonly nowIso: string | undefined,
  ) {
    this.cs = customerStmts(db);
    this.is = invoiceStmts(db);
    this.ns = creditStmts(db);
    this.ps = paymentStmts(db);
    this.apps = applicationStmts(db);
  }

  requireConnection(): void {
    if (this.cs.connectionExists.get(this.connectionId) === undefined) {
      throw new SettleError('not_found', `No connection "${this.connectionId}" to write the ledger into`);
    }
  }

  private customerOf(ext: string, who: Checker): number {
    let id = this.customerIds.get(ext);
    if (id === undefined) {
      id = this.cs.customerId.get(this.connectionId, ext);
      if (id === undefined) who.fail(`refers to unknown customer "${ext}"`);
      this.customerIds.set(ext, id);
    }
    return id;
  }

  private readonly invoiceOf = (ext: string, who: Checker): number => {
    let id = this.invoiceIds.get(ext);
    if (id === undefined) {
      id = this.is.invoiceId.get(this.connectionId, ext);
      if (id === undefined) who.fail(`refers to unknown invoice "${ext}"`);
      this.invoiceIds.set(ext, id);
    }
    return id;
  };

  /** Pass 1: the rows themselves; pass 2: parents, which may come later in the batch. */
  customers(customers: CustomerRecord[]): void {
    const cc = checker('Customer');
    for (const c of customers) {
      cc.at(String(c.externalId));
      const ext = cc.text('externalId', c.externalId);
      const termsDays = c.termsDays ?? null;
      if (termsDays !== null && (!Number.isSafeInteger(termsDays) || termsDays < 0)) {
        cc.fail(`termsDays must be a whole number of days, got ${String(termsDays)}`);
      }
      const id = this.cs.upsertCustomer.get(
        this.connectionId,
        ext,
        cc.text('name', c.name),
        cc.optText('companyName', c.companyName),
        cc.optText('contactName', c.contactName),
        cc.optText('email', c.email),
        cc.optText('phone', c.phone),
        cc.optText('address', c.address),
        cc.optText('termsLabel', c.termsLabel),
        termsDays,
        cc.currency(c.currency),
        c.active === false ? 0 : 1,
        cc.text('updatedAt', c.updatedAt),
        cc.optText('deletedAt', c.deletedAt),
      );
      this.customerIds.set(ext, id as number);
      this.counts.customers++;
    }
    for (const c of customers) {
      if (c.parentExternalId === undefined) continue;
      cc.at(c.externalId);
      const self = this.customerIds.get(c.externalId) as number;
      const parent = c.parentExternalId === null ? null : this.customerOf(c.parentExternalId, cc);
      if (parent === self) cc.fail('cannot be its own parent');
      this.cs.setParent.run(parent, self);
    }
  }

  invoices(invoices: InvoiceRecord[]): void {
    const ic = checker('Invoice');
    for (const inv of invoices) {
      ic.at(String(inv.externalId));
      const ext = ic.text('externalId', inv.externalId);
      if (!INVOICE_STATUSES.has(inv.status)) ic.fail(`status must be open, paid, void or draft, got ${String(inv.status)}`);
      const id = this.is.upsertInvoice.get(
        this.connectionId,
        ext,
        this.customerOf(ic.text('customerExternalId', inv.customerExternalId), ic),
        ic.text('number', inv.number),
        ic.date('issueDate', inv.issueDate),
        ic.date('dueDate', inv.dueDate),
        ic.currency(inv.currency),
        ic.cents('totalCents', inv.totalCents),
        ic.cents('balanceCents', inv.balanceCents),
        inv.status,
        ic.optText('memo', inv.memo),
        ic.text('updatedAt', inv.updatedAt),
        ic.optText('deletedAt', inv.deletedAt),
      );
      this.invoiceIds.set(ext, id as number);
      this.counts.invoices++;
    }
  }

  /** Upserts the credit notes; returns each with its id, and the largest id stored before. */
  creditNotes(creditNotes: CreditNoteRecord[]): { rows: [CreditNoteRecord, number][]; before: number } {
    const nc = this.nc;
    const before = this.ns.maxCreditId.get() ?? 0;
    const rows: [CreditNoteRecord, number][] = [];
    for (const cn of creditNotes) {
      nc.at(String(cn.externalId));
      const status = cn.status ?? 'open';
      if (!CREDIT_STATUSES.has(status)) nc.fail(`status must be open, applied or void, got ${String(status)}`);
      const id = this.ns.upsertCredit.get(
        this.connectionId,
        nc.text('externalId', cn.externalId),
        this.customerOf(nc.text('customerExternalId', cn.customerExternalId), nc),
        nc.optText('number', cn.number),
        nc.date('date', cn.date),
        nc.currency(cn.currency),
        nc.cents('totalCents', cn.totalCents),
        nc.cents('remainingCents', cn.remainingCents ?? 0),
        status,
        nc.optText('reason', cn.reason),
        nc.text('updatedAt', cn.updatedAt),
        nc.optText('deletedAt', cn.deletedAt),
      );
      rows.push([cn, id as number]);
      this.counts.creditNotes++;
    }
    return { rows, before };
  }

  /** Upserts the payments; returns each with its id, and the largest id stored before. */
  payments(payments: PaymentRecord[]): { rows: [PaymentRecord, number][]; before: number } {
    const pc = this.pc;
    const before = this.ps.maxPaymentId.get() ?? 0;
    const rows: [PaymentRecord, number][] = [];
    for (const p of payments) {
      pc.at(String(p.externalId));
      const id = this.ps.upsertPayment.get(
        this.connectionId,
        pc.text('externalId', p.externalId),
        this.customerOf(pc.text('customerExternalId', p.customerExternalId), pc),
        pc.date('date', p.date),
        pc.currency(p.currency),
        pc.cents('amountCents', p.amountCents),
        pc.cents('unappliedCents', p.unappliedCents ?? 0),
        pc.optText('reference', p.reference),
        pc.optText('method', p.method),
        pc.text('updatedAt', p.updatedAt),
        pc.optText('deletedAt', p.deletedAt),
      );
      rows.push([p, id as number]);
      this.counts.payments++;
    }
    return { rows, before };
  }

  /**
   * Applications: the record's list replaces what was stored for that payment / credit note.
   * A row created by this batch (id above the old maximum, seen once) has none to clear.
   */
  applications(credits: { rows: [CreditNoteRecord, number][]; before: number }, payments: { rows: [PaymentRecord, number][]; before: number }): void {
    const clearedCredits = new Set<number>();
    for (const [cn, id] of credits.rows) {
      this.nc.at(cn.externalId);
      if (id <= credits.before || clearedCredits.has(id)) this.apps.clearCreditApps.run(id);
      clearedCredits.add(id);
      for (const [invoiceId, appliedOn, cents] of mergeApplications(cn.applications, this.nc, this.invoiceOf)) {
        this.apps.insertCreditApp.run(id, invoiceId, appliedOn, cents);
        this.counts.applications++;
      }
    }
    const clearedPayments = new Set<number>();
    for (const [p, id] of payments.rows) {
      this.pc.at(p.externalId);
      if (id <= payments.before || clearedPayments.has(id)) this.apps.clearPaymentApps.run(id);
      clearedPayments.add(id);
      for (const [invoiceId, appliedOn, cents] of mergeApplications(p.applications, this.pc, this.invoiceOf)) {
        this.apps.insertPaymentApp.run(id, invoiceId, appliedOn, cents);
        this.counts.applications++;
      }
    }
  }

  notes(notes: NoteRecord[]): void {
    const tc = checker('Note');
    for (const [i, n] of notes.entries()) {
      tc.at(`#${i + 1} of the batch`);
      if (!NOTE_KINDS.has(n.kind)) tc.fail(`kind must be note, email, call or reminder, got ${String(n.kind)}`);
      const customerId = this.customerOf(tc.text('customerExternalId', n.customerExternalId), tc);
      const invoiceExt = tc.optText('invoiceExternalId', n.invoiceExternalId);
      const invoiceId = invoiceExt === null ? null : this.invoiceOf(invoiceExt, tc);
      const body = tc.text('body', n.body);
      const occurredAt = tc.text('occurredAt', n.occurredAt);
      const createdAt = this.nowIso ?? occurredAt;
      const r = this.apps.insertNote.run(this.connectionId, customerId, invoiceId, n.kind, body, occurredAt, createdAt, customerId, occurredAt, n.kind, body);
      this.counts.notes += r.changes;
    }
  }
}

/**
 * Upserts a batch in dependency order (customers, invoices, credit notes, payments, their
 * applications, notes) inside one transaction (a savepoint when the caller already holds one).
 * A reference to an unknown customer or invoice throws a SettleError naming it; nothing is kept.
 */
export function upsertBatch(db: Db, connectionId: string, batch: LedgerBatch, opts: { nowIso?: string } = {}): UpsertCounts {
  const ingest = new Ingest(db, connectionId, opts.nowIso);
  return db.transaction((): UpsertCounts => {
    ingest.requireConnection();
    ingest.customers(batch.customers ?? []);
    ingest.invoices(batch.invoices ?? []);
    const credits = ingest.creditNotes(batch.creditNotes ?? []);
    const payments = ingest.payments(batch.payments ?? []);
    ingest.applications(credits, payments);
    ingest.notes(batch.notes ?? []);
    return ingest.counts;
  })();
}

/** Validates and resolves applications; two lines to the same invoice become one (the index allows one). */
function mergeApplications(
  apps: ApplicationRecord[] | undefined,
  who: Checker,
  invoiceOf: (ext: string, who: Checker) => number,
): [number, string, number][] {
  if (apps === undefined) return [];
  if (!Array.isArray(apps)) who.fail('applications must be a list');
  const out: [number, string, number][] = [];
  const seen = new Map<number, [number, string, number]>();
  for (const a of apps) {
    const invoiceId = invoiceOf(who.text('application invoiceExternalId', a.invoiceExternalId), who);
    const appliedOn = who.date('application appliedOn', a.appliedOn);
    const cents = who.cents('application amountCents', a.amountCents);
    const prior = seen.get(invoiceId);
    if (prior) {
      prior[2] += cents;
      if (appliedOn > prior[1]) prior[1] = appliedOn;
      continue;
    }
    const row: [number, string, number] = [invoiceId, appliedOn, cents];
    seen.set(invoiceId, row);
    out.push(row);
  }
  return out;
}

// Children first, each through an index, so the FK actions have nothing left to scan.
const removal = perDb((db) =>
  [
    'DELETE FROM notes WHERE connection_id = ?',
    'DELETE FROM payment_applications WHERE payment_id IN (SELECT id FROM payments WHERE connection_id = ?)',
    'DELETE FROM payment_applications WHERE credit_note_id IN (SELECT id FROM credit_notes WHERE connection_id = ?)',
    'DELETE FROM payment_applications WHERE invoice_id IN (SELECT id FROM invoices WHERE connection_id = ?)',
    'DELETE FROM payments WHERE connection_id = ?',
    'DELETE FROM credit_notes WHERE connection_id = ?',
    'DELETE FROM invoices WHERE connection_id = ?',
    'UPDATE customers SET parent_id = NULL WHERE connection_id = ? AND parent_id IS NOT NULL',
    'DELETE FROM customers WHERE connection_id = ?',
  ].map((sql) => db.prepare<[string]>(sql)),
);

/** Deletes a company's whole ledger (the caller removes what refers to it first, in its transaction). */
export function deleteLedgerOf(db: Db, connectionId: string): void {
  for (const stmt of removal(db)) stmt.run(connectionId);
}
