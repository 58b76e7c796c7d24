// The facts a reminder may state, pulled from the ledger and frozen with the draft (DESIGN §8):
// invoices with numbers, dates, days overdue, totals and balances; payments and credits received;
// promises; the customer's name and contact; the tone; the sender. Templates render from them,
// the prompt quotes them, the fact-check matches every figure in the final text against them, and
// their hash goes into the audit trail. Customer-written text (names, memos, notes) is carried as
// plain data and is never a source of figures the fact-check would accept.
import { createHash } from 'node:crypto';
import { isIsoDate, type IsoDate } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { isCurrencyCode } from '../../../shared/money';
import type { DraftInvoiceFact, Tier } from '../../../shared/model';
import { canonicalJson } from '../audit';
import type { Db } from '../db/open';
import { getConnection } from '../connectors';
import { balanceAsOf, customerTimeline, daysOverdue, getCustomerInfo, getInvoiceRow, invoiceApplications, listOpenInvoices, type InvoiceApplication } from '../ledger';
import { getOverride, getScoresForCustomer } from '../scoring';
import { readPaymentDetails } from '../settings';
import { resolveLocale } from './locale';
import { defaultTone, isTone, type ReminderHistory, type Tone } from './tone';

export const FACTS_SCHEMA = 1;
/** Customer-written notes quoted to the model, newest first, and how long each may be. */
export const MAX_NOTES = 5;
export const MAX_NOTE_CHARS = 1000;
export const MAX_MEMO_CHARS = 500;

/** An invoice as the draft view shows it (days overdue and balance on asOf), plus its memo. */
export interface FactInvoice extends DraftInvoiceFact {
  /** Free text on the invoice; may be customer-written, so data only. */
  memo: string | null;
}

/** A payment or credit applied to a covered invoice, up to asOf. */
export interface FactApplication {
  date: IsoDate;
  cents: number;
  currency: string;
  invoiceNumber: string;
  /** Payment reference or credit-note number. */
  reference: string | null;
}

export interface FactPromise {
  date: IsoDate;
  cents: number;
  currency: string;
  /** Only on a follow-up to a broken promise (issue #6): how it ended, so the text may say so. */
  outcome?: FactPromiseOutcome;
}

/** A promise that was not kept: what came in toward it by its deadline (the date plus grace days). */
export interface FactPromiseOutcome {
  status: 'broken' | 'partially_kept';
  deadline: IsoDate;
  paidByDeadlineCents: number;
  shortfallCents: number;
}

/** A payment plan a draft proposes (issue #6): its instalments are facts the text may state. */
export interface FactPlan {
  currency: string;
  frequency: 'weekly' | 'fortnightly' | 'monthly';
  totalCents: number;
  instalments: { seq: number; date: IsoDate; cents: number }[];
}

/** Context for the model only: never stated as a figure, never a source of accepted figures. */
export interface FactNote {
  /** ISO instant or date. */
  at: string;
  kind: 'note' | 'contact';
  text: string;
}

export interface CurrencyTotal {
  currency: string;
  /** Open balance of the covered invoices. */
  balanceCents: number;
  /** The part of it past due on asOf. */
  overdueCents: number;
  invoices: number;
}

export interface DraftFacts {
  schema: typeof FACTS_SCHEMA;
  /** The owner's today when the facts were taken. */
  asOf: IsoDate;
  /** BCP 47 locale figures are written in. */
  locale: string;
  tone: Tone;
  /** What the draft is about: all the customer's overdue invoices, or one invoice. */
  scope: 'customer' | 'invoice';
  company: { name: string; email: string | null };
  customer: { id: number; name: string; contactName: string | null; email: string | null };
  /** Effective tier (the owner's override wins); null without a score. */
  tier: Tier | null;
  /** Covered invoices, oldest due date first. */
  invoices: FactInvoice[];
  /** One per currency, in code order; currencies are never added together. */
  totals: CurrencyTotal[];
  payments: FactApplication[];
  credits: FactApplication[];
  promises: FactPromise[];
  /** Present only on a draft proposing a payment plan. */
  plan?: FactPlan;
  /** The ledger's online payment link (QBO InvoiceLink, Xero OnlineInvoice), if enabled. */
  payLink: string | null;
  /**
   * The business's own payment and contact details (Settings → Payment details): the only bank
   * details, links, phone numbers and addresses a reminder may give besides the ledger's. Absent
   * on facts frozen before it existed, which then allow none.
   */
  payment?: FactPayment;
  notes: FactNote[];
}

/** The owner's payment details as facts (each null when not set). */
export interface FactPayment {
  /** Bank details as the owner wrote them (IBAN, BIC, account and sort code, routing…). */
  bankDetails: string | null;
  /** The owner's own payment page (https). */
  payLink: string | null;
  phone: string | null;
  /** Where customers should reply. */
  replyTo: string | null;
}

export interface FactsInput {
  asOf: IsoDate;
  locale?: string | null;
  tone: Tone;
  scope: 'customer' | 'invoice';
  company: { name: string; email?: string | null };
  customer: { id: number; name: string; contactName?: string | null; email?: string | null };
  tier?: Tier | null;
  invoices: readonly {
    id: number;
    number: string;
    issueDate: IsoDate;
    dueDate: IsoDate;
    currency: string;
    totalCents: number;
    balanceCents: number;
    memo?: string | null;
  }[];
  /** Payments and credits applied to the invoices; those dated after asOf are left out. */
  applications?: readonly (Pick<InvoiceApplication, 'kind' | 'date' | 'cents' | 'reference'> & { invoiceId: number })[];
  promises?: readonly FactPromise[];
  plan?: FactPlan | null;
  payLink?: string | null;
  payment?: Partial<FactPayment> | null;
  notes?: readonly FactNote[];
}

function bad(message: string): never {
  throw new SettleError('invalid_input', message);
}

function checkDate(value: string, what: string): void {
  if (!isIsoDate(value)) bad(`${what}: expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

function checkCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) bad(`${what}: expected whole minor units, got ${value}`);
}

function clip(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === '') return null;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Names are one-line fields: line breaks and runs of spaces become one space. */
function oneLine(text: string | null | undefined, max: number): string | null {
  return clip(text?.replace(/\s+/g, ' '), max);
}

/** Only web links are ever put in front of a customer. */
export function safePayLink(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const url = new URL(link.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** The covered invoices, validated, once each, oldest due date first. */
function factInvoices(input: FactsInput): FactInvoice[] {
  const seen = new Set<number>();
  const invoices: FactInvoice[] = [];
  for (const inv of input.invoices) {
    if (seen.has(inv.id)) continue;
    seen.add(inv.id);
    const what = `Invoice ${inv.number || inv.id}`;
    if (!inv.number.trim()) bad(`Invoice ${inv.id} has no number`);
    checkDate(inv.issueDate, `${what} issue date`);
    checkDate(inv.dueDate, `${what} due date`);
    if (!isCurrencyCode(inv.currency)) bad(`${what}: unknown currency ${JSON.stringify(inv.currency)}`);
    checkCents(inv.totalCents, `${what} total`);
    checkCents(inv.balanceCents, `${what} balance`);
    invoices.push({
      id: inv.id,
      number: inv.number.trim(),
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      daysOverdue: daysOverdue(inv.dueDate, input.asOf),
      currency: inv.currency,
      totalCents: inv.totalCents,
      balanceCents: inv.balanceCents,
      memo: clip(inv.memo, MAX_MEMO_CHARS),
    });
  }
  invoices.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : a.id - b.id));
  return invoices;
}

/** Payments and credits applied to the covered invoices up to asOf, by date. */
function factApplications(input: FactsInput, invoices: readonly FactInvoice[]): { payments: FactApplication[]; credits: FactApplication[] } {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const payments: FactApplication[] = [];
  const credits: FactApplication[] = [];
  for (const a of input.applications ?? []) {
    const inv = byId.get(a.invoiceId);
    if (!inv || a.date > input.asOf) continue;
    checkDate(a.date, `Application on ${inv.number}`);
    checkCents(a.cents, `Application on ${inv.number}`);
    const fact = { date: a.date, cents: a.cents, currency: inv.currency, invoiceNumber: inv.number, reference: clip(a.reference, 100) };
    (a.kind === 'payment' ? payments : credits).push(fact);
  }
  const byDate = (x: { date: string }, y: { date: string }): number => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0);
  payments.sort(byDate);
  credits.sort(byDate);
  return { payments, credits };
}

function factPromises(input: FactsInput): FactPromise[] {
  return (input.promises ?? []).map((p) => {
    checkDate(p.date, 'Promise date');
    checkCents(p.cents, 'Promise amount');
    if (!isCurrencyCode(p.currency)) bad(`Promise: unknown currency ${JSON.stringify(p.currency)}`);
    if (!p.outcome) return { date: p.date, cents: p.cents, currency: p.currency };
    const o = p.outcome;
    if (o.status !== 'broken' && o.status !== 'partially_kept') bad(`Promise outcome: unknown status ${JSON.stringify(o.status)}`);
    checkDate(o.deadline, 'Promise deadline');
    checkCents(o.paidByDeadlineCents, 'Promise paid by deadline');
    checkCents(o.shortfallCents, 'Promise shortfall');
    const outcome: FactPromiseOutcome = { status: o.status, deadline: o.deadline, paidByDeadlineCents: o.paidByDeadlineCents, shortfallCents: o.shortfallCents };
    return { date: p.date, cents: p.cents, currency: p.currency, outcome };
  });
}

function factPlan(input: FactsInput): FactPlan | undefined {
  if (!input.plan) return undefined;
  if (!isCurrencyCode(input.plan.currency)) bad(`Plan: unknown currency ${JSON.stringify(input.plan.currency)}`);
  checkCents(input.plan.totalCents, 'Plan total');
  const instalments = input.plan.instalments.map((i) => {
    checkDate(i.date, `Plan instalment ${i.seq}`);
    checkCents(i.cents, `Plan instalment ${i.seq}`);
    return { seq: i.seq, date: i.date, cents: i.cents };
  });
  return { currency: input.plan.currency, frequency: input.plan.frequency, totalCents: input.plan.totalCents, instalments };
}

/** One total per currency, in code order: currencies are never added together. */
function factTotals(invoices: readonly FactInvoice[]): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const inv of invoices) {
    let t = totals.get(inv.currency);
    if (!t) totals.set(inv.currency, (t = { currency: inv.currency, balanceCents: 0, overdueCents: 0, invoices: 0 }));
    t.balanceCents += inv.balanceCents;
    if (inv.daysOverdue > 0) t.overdueCents += inv.balanceCents;
    t.invoices += 1;
  }
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

/** The latest notes, newest first, at most MAX_NOTES of at most MAX_NOTE_CHARS each. */
function factNotes(input: FactsInput): FactNote[] {
  return [...(input.notes ?? [])]
    .filter((n) => n.text.trim() !== '')
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, MAX_NOTES)
    .map((n) => ({ at: n.at, kind: n.kind, text: clip(n.text, MAX_NOTE_CHARS) ?? '' }));
}

/** Pure: the facts of a draft from ledger rows. Throws invalid_input on malformed rows. */
export function buildFacts(input: FactsInput): DraftFacts {
  checkDate(input.asOf, 'asOf');
  if (!isTone(input.tone)) bad(`Unknown tone ${JSON.stringify(input.tone)}`);
  if (input.invoices.length === 0) bad('A reminder needs at least one invoice');
  const invoices = factInvoices(input);
  const { payments, credits } = factApplications(input, invoices);
  const promises = factPromises(input);
  const plan = factPlan(input);
  const totals = factTotals(invoices);
  const notes = factNotes(input);

  const customerName = oneLine(input.customer.name, 200) ?? '';
  if (!customerName) bad(`Customer ${input.customer.id} has no name`);
  return {
    schema: FACTS_SCHEMA,
    asOf: input.asOf,
    locale: resolveLocale(input.locale),
    tone: input.tone,
    scope: input.scope,
    company: { name: oneLine(input.company.name, 200) ?? 'Accounts receivable', email: clip(input.company.email, 320) },
    customer: {
      id: input.customer.id,
      name: customerName,
      contactName: oneLine(input.customer.contactName, 200),
      email: clip(input.customer.email, 320),
    },
    tier: input.tier ?? null,
    invoices,
    totals,
    payments,
    credits,
    promises,
    ...(plan ? { plan } : {}),
    payLink: safePayLink(input.payLink),
    payment: factPayment(input.payment),
    notes,
  };
}

/** The owner's payment details, trimmed and bounded; an unusable link is dropped. */
function factPayment(p: Partial<FactPayment> | null | undefined): FactPayment {
  return {
    bankDetails: clip(p?.bankDetails?.trim() || null, 1000),
    payLink: safePayLink(p?.payLink),
    phone: oneLine(p?.phone, 60),
    replyTo: clip(p?.replyTo?.trim() || null, 320),
  };
}

/** sha256 of the canonical JSON of the facts: what the audit trail records for a draft. */
export function factsHash(facts: DraftFacts): string {
  return createHash('sha256').update(canonicalJson(facts)).digest('hex');
}

export type FactsTarget = { customerId: number } | { invoiceId: number };

export interface LoadFactsOptions {
  /** Settings locale; null follows en-US here (the host resolves the OS locale first). */
  locale?: string | null;
  /** The owner's choice; without it the default for the tier and history. */
  tone?: Tone;
  /** Reminders already sent (drafts/outbox history); none when absent. */
  history?: ReminderHistory;
  payLink?: string | null;
  /** The owner's payment details for this company; without it, those stored in Settings → Payment details. */
  payment?: Partial<FactPayment> | null;
  /** Defaults to the connection's company name. */
  companyName?: string;
  /** The from address, so the fact-check accepts it in the text. */
  companyEmail?: string | null;
  /** Effective tier when the caller already has it (e.g. from the board snapshot). */
  tier?: Tier | null;
  promises?: readonly FactPromise[];
  plan?: FactPlan | null;
}

const TIER_RANK: Record<Tier, number> = { low: 0, medium: 1, high: 2 };

/**
 * Facts from the database: a customer's overdue invoices (as of asOf) or one open invoice, with
 * what was applied to them, the customer's latest notes, the stored tier and the company name.
 */
export function loadFacts(db: Db, target: FactsTarget, asOf: IsoDate, opts: LoadFactsOptions = {}): DraftFacts {
  checkDate(asOf, 'asOf');
  let customerId: number;
  let single: FactsInput['invoices'][number] | null = null;
  if ('invoiceId' in target) {
    const row = getInvoiceRow(db, target.invoiceId);
    if (!row || row.deletedAt) throw new SettleError('not_found', `No invoice ${target.invoiceId}`);
    if (row.status === 'void' || row.status === 'draft') {
      throw new SettleError('conflict', `Invoice ${row.number} is ${row.status === 'void' ? 'voided' : 'a draft'}: there is nothing to remind about`);
    }
    const balance = balanceAsOf(row, invoiceApplications(db, row.id), asOf);
    if (balance <= 0 || row.issueDate > asOf) {
      throw new SettleError('conflict', `Invoice ${row.number} has no open balance on ${asOf}`);
    }
    customerId = row.customerId;
    single = { ...row, balanceCents: balance };
  } else {
    customerId = target.customerId;
  }

  const found = getCustomerInfo(db, customerId);
  if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
  const { customer, connectionId } = found;

  let covered: FactsInput['invoices'];
  if (single) {
    covered = [single];
  } else {
    const overdue = listOpenInvoices(db, connectionId, asOf, { customerId }).filter((i) => daysOverdue(i.dueDate, asOf) > 0);
    if (overdue.length === 0) throw new SettleError('not_found', `${customer.name} has nothing overdue on ${asOf}`);
    covered = overdue.map((i) => ({ ...i, memo: getInvoiceRow(db, i.id)?.memo ?? null }));
  }

  const applications = covered.flatMap((inv) => invoiceApplications(db, inv.id).map((a) => ({ ...a, invoiceId: inv.id })));

  const notes: FactNote[] = [];
  for (const e of customerTimeline(db, customerId)) {
    if (notes.length >= MAX_NOTES) break;
    if ((e.kind === 'note' || e.kind === 'contact') && e.detail && e.at.slice(0, 10) <= asOf) {
      notes.push({ at: e.at, kind: e.kind, text: e.detail });
    }
  }

  let tier: Tier | null = opts.tier ?? getOverride(db, customerId)?.tier ?? null;
  if (opts.tier === undefined && tier === null) {
    const ids = new Set(covered.map((i) => i.id));
    for (const s of getScoresForCustomer(db, customerId)) {
      if (ids.has(s.invoiceId) && (tier === null || TIER_RANK[s.tier] > TIER_RANK[tier])) tier = s.tier;
    }
  }

  const maxDays = Math.max(...covered.map((i) => daysOverdue(i.dueDate, asOf)));
  const tone = opts.tone ?? defaultTone({ tier, maxDaysOverdue: maxDays, history: opts.history }).tone;

  return buildFacts({
    asOf,
    locale: opts.locale,
    tone,
    scope: single ? 'invoice' : 'customer',
    company: { name: opts.companyName ?? getConnection(db, connectionId)?.name ?? '', email: opts.companyEmail ?? null },
    customer: { id: customer.id, name: customer.name, contactName: customer.contactName, email: customer.email },
    tier,
    invoices: covered,
    applications,
    promises: opts.promises,
    plan: opts.plan,
    payLink: opts.payLink,
    // The company's own details (Settings → Payment details) unless the caller gives them.
    payment: opts.payment !== undefined ? opts.payment : readPaymentDetails(db, connectionId),
    notes,
  });
}

/** The facts with another tone (the owner switched it): same ledger figures, new hash. */
export function withTone(facts: DraftFacts, tone: Tone): DraftFacts {
  if (!isTone(tone)) bad(`Unknown tone ${JSON.stringify(tone)}`);
  return { ...facts, tone };
}
