// Promises to pay (DESIGN §8 Follow-up, issue #6). A customer promises an amount by a date for
// some invoices; synced payments and credits applied to those invoices decide whether it was
// kept. Status is always re-derived from the ledger (so a reversed payment reopens a promise),
// except `cancelled`, which only the owner sets. Everything here is pure: the caller passes
// today's date in the owner's time zone and the money applied to the covered invoices.
//
// The rules:
// - Money counts toward a promise when it is applied to one of its invoices on or after the day
//   the promise was made (the owner's calendar date of createdAt), up to the deadline, and not
//   after today (a post-dated application has not happened yet).
// - The deadline is the promised date plus a grace period (2 days by default), because
//   payments take time to clear and sync.
// - kept: the money counted reached the promised amount by the deadline (it can be kept early).
// - partially_kept: the deadline passed with some money, but less than promised.
// - broken: the deadline passed with none.
// - open: otherwise. A payment after the deadline does not mend a broken promise: it was broken.
import type { InvoiceBalanceRef } from '../ledger';
import type { IsoDate } from '../../../shared/dates';
import { addDays, isIsoDate, localDate, toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { formatMoney, isCurrencyCode } from '../../../shared/money';

export type PromiseStatus = 'open' | 'kept' | 'partially_kept' | 'broken' | 'cancelled';
export const PROMISE_STATUSES: readonly PromiseStatus[] = ['open', 'kept', 'partially_kept', 'broken', 'cancelled'];

/** How the promise reached the owner. */
export type PromiseChannel = 'email' | 'phone' | 'in_person' | 'reply' | 'plan' | 'other';
export const PROMISE_CHANNELS: readonly PromiseChannel[] = ['email', 'phone', 'in_person', 'reply', 'plan', 'other'];

export const DEFAULT_GRACE_DAYS = 2;
/** Broken promises older than this (by deadline) no longer count against a customer's score. */
export const DEFAULT_BROKEN_LOOKBACK_DAYS = 365;

export interface PromiseToPay {
  id: number;
  customerId: number;
  invoiceIds: number[];
  /** The date the customer promised to pay by. */
  date: IsoDate;
  amountCents: number;
  currency: string;
  madeVia: PromiseChannel;
  note: string;
  /** The stored status; evaluatePromise works out the current one. */
  status: PromiseStatus;
  /** ISO instant the owner recorded it. */
  createdAt: string;
  /** The payment plan this promise is an instalment of, if any. */
  planId?: number | null;
}

/** Money moved onto an invoice: a payment or a credit note applied on a date. */
export interface AppliedMoney {
  invoiceId: number;
  date: IsoDate;
  amountCents: number;
  currency: string;
  kind: 'payment' | 'credit';
}

export interface EvaluateOptions {
  graceDays?: number;
  /** The owner's time zone, for the calendar date of createdAt (UTC when not given). */
  timeZone?: string;
}

export interface PromiseEvaluation {
  status: PromiseStatus;
  /** The promised date plus the grace days: the last day money can arrive to keep it. */
  deadline: IsoDate;
  /** Money counted toward the promise up to the deadline (not capped: an overpayment shows). */
  paidByDeadlineCents: number;
  /** All money counted since the promise was made, including after the deadline. */
  paidCents: number;
  /** What is still missing by the deadline (0 when kept). */
  shortfallCents: number;
  /** The day the counted money first reached the promised amount; null if it has not. */
  keptOn: IsoDate | null;
  /** The first day the promise counts as broken or partially kept (deadline + 1); null otherwise. */
  brokenOn: IsoDate | null;
}

function createdOn(p: PromiseToPay, timeZone: string | undefined): IsoDate {
  const at = new Date(p.createdAt);
  if (Number.isNaN(at.getTime())) return p.createdAt.slice(0, 10);
  return localDate(at, timeZone ?? 'UTC');
}

export function promiseDeadline(date: IsoDate, graceDays = DEFAULT_GRACE_DAYS): IsoDate {
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new RangeError(`Grace days must be a whole number ≥ 0: ${graceDays}`);
  return addDays(date, graceDays);
}

/** The promise's status as of `today`, from the money applied to its invoices. */
export function evaluatePromise(
  p: PromiseToPay,
  applied: readonly AppliedMoney[],
  today: IsoDate,
  opts: EvaluateOptions = {},
): PromiseEvaluation {
  const deadline = promiseDeadline(p.date, opts.graceDays);
  const deadlineDay = toEpochDay(deadline);
  const fromDay = toEpochDay(createdOn(p, opts.timeZone));
  const todayDay = toEpochDay(today);
  const covered = new Set(p.invoiceIds);
  const counted = applied
    .map((a) => ({ day: toEpochDay(a.date), date: a.date, cents: a.amountCents, a }))
    .filter(({ day, a }) => covered.has(a.invoiceId) && a.currency === p.currency && day >= fromDay && day <= todayDay)
    .sort((a, b) => a.day - b.day);

  let keptOn: IsoDate | null = null;
  let paidByDeadline = 0;
  let paid = 0;
  for (const c of counted) {
    paid += c.cents;
    if (c.day <= deadlineDay) {
      paidByDeadline += c.cents;
      // A reversal (a negative application) can take the total back below the amount.
      if (paidByDeadline < p.amountCents) keptOn = null;
      else if (keptOn === null) keptOn = c.date;
    }
  }
  const shortfall = Math.max(0, p.amountCents - paidByDeadline);

  let status: PromiseStatus;
  if (p.status === 'cancelled') status = 'cancelled';
  else if (paidByDeadline >= p.amountCents) status = 'kept';
  else if (todayDay > deadlineDay) status = paidByDeadline > 0 ? 'partially_kept' : 'broken';
  else status = 'open';

  return {
    status,
    deadline,
    paidByDeadlineCents: paidByDeadline,
    paidCents: paid,
    shortfallCents: status === 'kept' ? 0 : shortfall,
    keptOn: status === 'kept' ? keptOn : null,
    brokenOn: status === 'broken' || status === 'partially_kept' ? addDays(deadline, 1) : null,
  };
}

export interface EvaluatedPromise {
  promise: PromiseToPay;
  evaluation: PromiseEvaluation;
  /** The evaluated status differs from the stored one: save it and log the change in Activity. */
  changed: boolean;
}

/** Evaluates many promises against one list of applications (grouped by invoice once). */
export function evaluatePromises(
  promises: readonly PromiseToPay[],
  applied: readonly AppliedMoney[],
  today: IsoDate,
  opts: EvaluateOptions = {},
): EvaluatedPromise[] {
  const byInvoice = new Map<number, AppliedMoney[]>();
  for (const a of applied) {
    let list = byInvoice.get(a.invoiceId);
    if (!list) byInvoice.set(a.invoiceId, (list = []));
    list.push(a);
  }
  // Instalments of one plan cover the same invoices: each counts only the money beyond the
  // instalments before it, so one payment cannot keep them all.
  const before = new Map<PromiseToPay, number>();
  const byPlan = new Map<number, PromiseToPay[]>();
  for (const p of promises) {
    if (p.planId === null || p.planId === undefined || p.status === 'cancelled') continue;
    let list = byPlan.get(p.planId);
    if (!list) byPlan.set(p.planId, (list = []));
    list.push(p);
  }
  for (const list of byPlan.values()) {
    let sum = 0;
    for (const p of [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))) {
      before.set(p, sum);
      sum += p.amountCents;
    }
  }
  return promises.map((promise) => {
    const mine = promise.invoiceIds.flatMap((id) => byInvoice.get(id) ?? []);
    const prior = before.get(promise) ?? 0;
    const evaluation = prior === 0 ? evaluatePromise(promise, mine, today, opts) : instalmentEvaluation(promise, prior, mine, today, opts);
    return { promise, evaluation, changed: evaluation.status !== promise.status };
  });
}

/** A later instalment: kept once the money reaches every instalment up to it, counting only its own share. */
function instalmentEvaluation(
  p: PromiseToPay,
  prior: number,
  applied: readonly AppliedMoney[],
  today: IsoDate,
  opts: EvaluateOptions,
): PromiseEvaluation {
  const whole = evaluatePromise({ ...p, amountCents: prior + p.amountCents }, applied, today, opts);
  const share = (cents: number): number => Math.max(0, Math.min(p.amountCents, cents - prior));
  const paidByDeadline = share(whole.paidByDeadlineCents);
  let status: PromiseStatus = whole.status;
  if (status === 'partially_kept' && paidByDeadline === 0) status = 'broken';
  return {
    ...whole,
    status,
    paidByDeadlineCents: paidByDeadline,
    paidCents: share(whole.paidCents),
    shortfallCents: status === 'kept' ? 0 : p.amountCents - paidByDeadline,
  };
}

// ---- recording a promise ----------------------------------------------------------------------

export interface NewPromiseInput {
  customerId: number;
  invoiceIds: number[];
  date: IsoDate;
  amountCents: number;
  currency: string;
  madeVia: PromiseChannel;
  note?: string;
  planId?: number | null;
}

/** What the validator needs to know about each covered invoice, as of today (the ledger's view of it). */
export type CoveredInvoice = InvoiceBalanceRef;

export type PromiseField = 'customerId' | 'invoiceIds' | 'date' | 'amountCents' | 'currency' | 'madeVia' | 'note';

export type PromiseProblemCode =
  | 'no_invoices'
  | 'duplicate_invoice'
  | 'invoice_unknown'
  | 'invoice_other_customer'
  | 'invoice_paid'
  | 'invoice_void'
  | 'invoice_draft'
  | 'date_invalid'
  | 'date_in_past'
  | 'amount_not_positive'
  | 'amount_not_integer'
  | 'amount_over_balance'
  | 'currency_invalid'
  | 'currency_mismatch'
  | 'channel_invalid'
  | 'note_too_long';

export interface PromiseProblem {
  field: PromiseField;
  code: PromiseProblemCode;
  message: string;
}

export interface NewPromiseContext {
  today: IsoDate;
  /** The covered invoices as the ledger knows them; ids not listed are unknown. */
  invoices: readonly CoveredInvoice[];
  /** The customer's other promises, to warn about overlaps. */
  existing?: readonly PromiseToPay[];
  locale?: string;
}

export const MAX_NOTE_LENGTH = 2000;

type AddProblem = (field: PromiseField, code: PromiseProblemCode, message: string) => void;
type Money = (cents: number, currency: string) => string;

/** The fields that stand alone: currency, channel, note, date and amount. */
function checkFields(input: NewPromiseInput, today: IsoDate, currencyOk: boolean, add: AddProblem): void {
  if (!currencyOk) add('currency', 'currency_invalid', `"${String(input.currency)}" is not an ISO 4217 currency code.`);
  if (!PROMISE_CHANNELS.includes(input.madeVia)) {
    add('madeVia', 'channel_invalid', `Say how the promise was made: ${PROMISE_CHANNELS.join(', ')}.`);
  }
  if ((input.note ?? '').length > MAX_NOTE_LENGTH) {
    add('note', 'note_too_long', `Keep the note under ${MAX_NOTE_LENGTH} characters.`);
  }

  if (typeof input.date !== 'string' || !isIsoDate(input.date)) {
    add('date', 'date_invalid', 'The promised date must be a date as YYYY-MM-DD.');
  } else if (toEpochDay(input.date) < toEpochDay(today)) {
    add('date', 'date_in_past', `The promised date ${input.date} is in the past; a promise needs today (${today}) or a later date.`);
  }

  if (!Number.isSafeInteger(input.amountCents)) {
    add('amountCents', 'amount_not_integer', 'The amount must be a whole number of minor units (cents).');
  } else if (input.amountCents <= 0) {
    add('amountCents', 'amount_not_positive', 'The promised amount must be more than zero.');
  }
}

/** The covered invoices, each checked: the ids listed (once each) and those with money still owed. */
function checkInvoices(
  input: NewPromiseInput,
  byId: ReadonlyMap<number, CoveredInvoice>,
  add: AddProblem,
): { seen: Set<number>; usable: CoveredInvoice[] } {
  const seen = new Set<number>();
  const usable: CoveredInvoice[] = [];
  if (!Array.isArray(input.invoiceIds) || input.invoiceIds.length === 0) {
    add('invoiceIds', 'no_invoices', 'Choose the invoices the promise covers.');
    return { seen, usable };
  }
  for (const id of input.invoiceIds) {
    if (seen.has(id)) {
      add('invoiceIds', 'duplicate_invoice', `Invoice ${byId.get(id)?.number ?? id} is listed twice.`);
      continue;
    }
    seen.add(id);
    const inv = byId.get(id);
    if (!inv) {
      add('invoiceIds', 'invoice_unknown', `There is no invoice ${id} in this company.`);
    } else if (inv.customerId !== input.customerId) {
      add('invoiceIds', 'invoice_other_customer', `Invoice ${inv.number} belongs to another customer.`);
    } else if (inv.status === 'void') {
      add('invoiceIds', 'invoice_void', `Invoice ${inv.number} is void; there is nothing to promise on it.`);
    } else if (inv.status === 'draft') {
      add('invoiceIds', 'invoice_draft', `Invoice ${inv.number} is still a draft in the ledger.`);
    } else if (inv.status === 'paid' || inv.balanceCents <= 0) {
      add('invoiceIds', 'invoice_paid', `Invoice ${inv.number} is already paid.`);
    } else {
      usable.push(inv);
    }
  }
  return { seen, usable };
}

/** One currency, the invoices' own, and no more than they still owe; returns what they owe. */
function checkCurrencyAndBalance(
  input: NewPromiseInput,
  checked: { seen: ReadonlySet<number>; usable: readonly CoveredInvoice[] },
  currencyOk: boolean,
  money: Money,
  add: AddProblem,
): number {
  const { seen, usable } = checked;
  const currencies = new Set(usable.map((i) => i.currency));
  if (currencies.size > 1) {
    add(
      'invoiceIds',
      'currency_mismatch',
      `The invoices are in different currencies (${[...currencies].sort().join(', ')}); record one promise per currency.`,
    );
  } else if (currencyOk && currencies.size === 1 && !currencies.has(input.currency)) {
    const [invCurrency] = currencies;
    add(
      'currency',
      'currency_mismatch',
      `The invoices are in ${invCurrency}, but the promise is in ${input.currency}; promise in the invoices' currency.`,
    );
  }

  const covered = usable.reduce((s, i) => s + i.balanceCents, 0);
  const sameCurrency = currencies.size === 1 && currencies.has(input.currency);
  if (
    sameCurrency &&
    usable.length === seen.size &&
    Number.isSafeInteger(input.amountCents) &&
    input.amountCents > covered
  ) {
    add(
      'amountCents',
      'amount_over_balance',
      `The promise (${money(input.amountCents, input.currency)}) is more than the ${money(covered, input.currency)} ` +
        `still open on ${usable.length === 1 ? `invoice ${usable[0]!.number}` : 'these invoices'}.`,
    );
  }
  return covered;
}

/** Open promises (not instalments of the same plan) that already cover one of the invoices. */
function overlapWarnings(
  input: NewPromiseInput,
  existing: readonly PromiseToPay[],
  seen: ReadonlySet<number>,
  byId: ReadonlyMap<number, CoveredInvoice>,
  money: Money,
): string[] {
  const warnings: string[] = [];
  for (const other of existing) {
    if (other.status !== 'open') continue;
    if (input.planId != null && other.planId === input.planId) continue;
    const overlap = other.invoiceIds.filter((id) => seen.has(id));
    if (overlap.length === 0) continue;
    const numbers = overlap.map((id) => byId.get(id)?.number ?? String(id)).join(', ');
    warnings.push(
      `An open promise of ${money(other.amountCents, other.currency)} by ${other.date} already covers ${numbers}.`,
    );
  }
  return warnings;
}

/**
 * Problems that stop a promise being recorded, plus warnings that do not (an open promise
 * already covers one of the invoices). A promise for today is fine; a date before today,
 * an amount over what the invoices still owe, paid or void invoices, and a currency that is not
 * the invoices' own are each refused with a message saying what to change.
 */
export function validateNewPromise(
  input: NewPromiseInput,
  ctx: NewPromiseContext,
): { problems: PromiseProblem[]; warnings: string[]; coveredBalanceCents: number } {
  const problems: PromiseProblem[] = [];
  const add: AddProblem = (field, code, message) => {
    problems.push({ field, code, message });
  };
  const locale = ctx.locale ?? 'en-US';
  const currencyOk = typeof input.currency === 'string' && isCurrencyCode(input.currency);
  const money: Money = (cents, currency) => (isCurrencyCode(currency) ? formatMoney(cents, currency, locale) : `${cents} ${currency}`);

  checkFields(input, ctx.today, currencyOk, add);
  const byId = new Map(ctx.invoices.map((i) => [i.id, i]));
  const checked = checkInvoices(input, byId, add);
  const covered = checkCurrencyAndBalance(input, checked, currencyOk, money, add);
  const warnings = overlapWarnings(input, ctx.existing ?? [], checked.seen, byId, money);
  return { problems, warnings, coveredBalanceCents: covered };
}

/** A new open promise; throws SettleError('invalid_input') listing every problem. */
export function createPromise(
  input: NewPromiseInput,
  ctx: NewPromiseContext & { id: number; now: Date },
): { promise: PromiseToPay; warnings: string[] } {
  const { problems, warnings } = validateNewPromise(input, ctx);
  if (problems.length > 0) throw new SettleError('invalid_input', problems.map((p) => p.message).join(' '));
  return {
    promise: {
      id: ctx.id,
      customerId: input.customerId,
      invoiceIds: [...input.invoiceIds],
      date: input.date,
      amountCents: input.amountCents,
      currency: input.currency,
      madeVia: input.madeVia,
      note: (input.note ?? '').trim(),
      status: 'open',
      createdAt: ctx.now.toISOString(),
      planId: input.planId ?? null,
    },
    warnings,
  };
}

/** The owner withdraws a promise; a kept one stays kept (it happened). */
export function cancelPromise(p: PromiseToPay): PromiseToPay {
  if (p.status === 'kept') throw new SettleError('conflict', 'This promise was kept; there is nothing to cancel.');
  if (p.status === 'cancelled') return p;
  return { ...p, status: 'cancelled' };
}

// ---- views over promises --------------------------------------------------------------------

type Groupable = { date: IsoDate; status: PromiseStatus; customerId: number };

export interface PromiseGroups<T> {
  /** Open and due today, or past the date but still within the grace days. */
  today: T[];
  /** Open with a date after today, soonest first. */
  upcoming: T[];
  /** Broken or partially kept, most recent first: they need a follow-up. */
  broken: T[];
  /** Kept, most recent first. */
  kept: T[];
}

/**
 * The Promises page's groups. Pass promises with their evaluated status (evaluatePromise);
 * cancelled promises are left out.
 */
export function groupPromises<T extends Groupable>(promises: readonly T[], today: IsoDate): PromiseGroups<T> {
  const todayDay = toEpochDay(today);
  const groups: PromiseGroups<T> = { today: [], upcoming: [], broken: [], kept: [] };
  for (const p of promises) {
    switch (p.status) {
      case 'open':
        (toEpochDay(p.date) <= todayDay ? groups.today : groups.upcoming).push(p);
        break;
      case 'broken':
      case 'partially_kept':
        groups.broken.push(p);
        break;
      case 'kept':
        groups.kept.push(p);
        break;
      case 'cancelled':
        break;
    }
  }
  const asc = (a: T, b: T): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.customerId - b.customerId);
  groups.today.sort(asc);
  groups.upcoming.sort(asc);
  groups.broken.sort((a, b) => -asc(a, b));
  groups.kept.sort((a, b) => -asc(a, b));
  return groups;
}

/**
 * Broken promises per customer, for the broken_promises score factor (CustomerFacts.brokenPromises).
 * Counts `broken` promises whose deadline falls within the lookback window; partially kept ones
 * count only with `includePartial` (some money did arrive).
 */
export function brokenPromiseCounts(
  promises: readonly Pick<PromiseToPay, 'customerId' | 'date' | 'status'>[],
  today: IsoDate,
  opts: { graceDays?: number; lookbackDays?: number; includePartial?: boolean } = {},
): Map<number, number> {
  const grace = opts.graceDays ?? DEFAULT_GRACE_DAYS;
  const from = toEpochDay(today) - (opts.lookbackDays ?? DEFAULT_BROKEN_LOOKBACK_DAYS);
  const counts = new Map<number, number>();
  for (const p of promises) {
    const counts1 = p.status === 'broken' || (opts.includePartial === true && p.status === 'partially_kept');
    if (!counts1) continue;
    if (toEpochDay(p.date) + grace < from) continue;
    counts.set(p.customerId, (counts.get(p.customerId) ?? 0) + 1);
  }
  return counts;
}

/** The board's promise badge per customer: their soonest open promise (QueueRow.promise). */
export function promiseBadges(
  promises: readonly Pick<PromiseToPay, 'customerId' | 'date' | 'status' | 'amountCents' | 'currency'>[],
): Map<number, { date: IsoDate; cents: number; currency: string }> {
  const badges = new Map<number, { date: IsoDate; cents: number; currency: string }>();
  for (const p of promises) {
    if (p.status !== 'open') continue;
    const cur = badges.get(p.customerId);
    if (!cur || p.date < cur.date) badges.set(p.customerId, { date: p.date, cents: p.amountCents, currency: p.currency });
  }
  return badges;
}

/** Open promises due today (BoardSummary.promisesDueToday; the tray's "Today's promises (n)"). */
export function promisesDueToday(promises: readonly Pick<PromiseToPay, 'date' | 'status'>[], today: IsoDate): number {
  return promises.filter((p) => p.status === 'open' && p.date === today).length;
}
