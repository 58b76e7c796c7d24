// Payment plans (DESIGN §8 Follow-up, issue #6): split an open balance into a schedule of
// instalments the owner can propose in a draft. Money stays in exact minor units: every
// instalment but the last is the same amount and the last one absorbs the rounding, so the
// schedule always adds up to the balance to the cent. Bad input is refused with a message the
// owner can act on, never silently corrected. Once the customer accepts, each instalment becomes
// one promise to pay (promises.ts) and the plan's status follows those promises.
import type { IsoDate } from '../../../shared/dates';
import { addDays, addMonths, isIsoDate, toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { formatMoney, isCurrencyCode } from '../../../shared/money';
import type { PromiseStatus } from './promises';

export type PlanFrequency = 'weekly' | 'fortnightly' | 'monthly';
export const PLAN_FREQUENCIES: readonly PlanFrequency[] = ['weekly', 'fortnightly', 'monthly'];

/** The longest schedule Settle proposes: five years of monthly payments. */
export const MAX_INSTALMENTS = 60;

export interface PlanInput {
  balanceCents: number;
  currency: string;
  /** How many instalments; give this or `amountCents`, not both. */
  instalments?: number | null;
  /** The amount of each instalment; the last one is whatever remains. */
  amountCents?: number | null;
  frequency: PlanFrequency;
  /** The first instalment's date; today or later. */
  startDate: IsoDate;
}

export interface Instalment {
  /** 1-based position in the schedule. */
  seq: number;
  dueDate: IsoDate;
  amountCents: number;
}

export interface PlanSchedule {
  balanceCents: number;
  currency: string;
  frequency: PlanFrequency;
  startDate: IsoDate;
  instalments: Instalment[];
  /** The amount of every instalment but the last. */
  regularCents: number;
  /** The last instalment, which absorbs the rounding (equal to regularCents when it divides). */
  lastCents: number;
  endDate: IsoDate;
  /** Things the owner should know about how the input was read. */
  notes: string[];
}

export type PlanField = 'balanceCents' | 'currency' | 'instalments' | 'amountCents' | 'frequency' | 'startDate';

export type PlanProblemCode =
  | 'balance_not_positive'
  | 'balance_not_integer'
  | 'currency_invalid'
  | 'frequency_invalid'
  | 'count_and_amount'
  | 'count_or_amount_missing'
  | 'count_not_positive'
  | 'count_not_integer'
  | 'too_many_instalments'
  | 'balance_too_small'
  | 'amount_not_positive'
  | 'amount_not_integer'
  | 'start_invalid'
  | 'start_in_past';

export interface PlanProblem {
  field: PlanField;
  code: PlanProblemCode;
  message: string;
}

export interface PlanOptions {
  /** Locale for amounts in messages; en-US when not given, so messages are stable. */
  locale?: string;
  maxInstalments?: number;
}

/** Every problem with a plan request, in field order; empty when a schedule can be built. */
export function validatePlan(input: PlanInput, today: IsoDate, opts: PlanOptions = {}): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const max = opts.maxInstalments ?? MAX_INSTALMENTS;
  const add = (field: PlanField, code: PlanProblemCode, message: string): void => {
    problems.push({ field, code, message });
  };
  const currencyOk = typeof input.currency === 'string' && isCurrencyCode(input.currency);
  const money = (cents: number): string =>
    currencyOk ? formatMoney(cents, input.currency, opts.locale ?? 'en-US') : String(cents);

  const balance = input.balanceCents;
  const balanceOk = Number.isSafeInteger(balance) && balance > 0;
  if (!Number.isSafeInteger(balance)) {
    add('balanceCents', 'balance_not_integer', 'The balance must be a whole number of minor units (cents).');
  } else if (balance <= 0) {
    add(
      'balanceCents',
      'balance_not_positive',
      balance === 0
        ? 'There is nothing to put on a plan: the balance is zero.'
        : 'The balance is negative (the customer is in credit); a payment plan needs an amount owed.',
    );
  }
  if (!currencyOk) add('currency', 'currency_invalid', `"${String(input.currency)}" is not an ISO 4217 currency code.`);
  if (!PLAN_FREQUENCIES.includes(input.frequency)) {
    add('frequency', 'frequency_invalid', 'Choose how often the customer pays: weekly, fortnightly or monthly.');
  }

  const count = input.instalments ?? null;
  const amount = input.amountCents ?? null;
  if (count !== null && amount !== null) {
    add('instalments', 'count_and_amount', 'Give either a number of instalments or an amount per instalment, not both.');
  } else if (count === null && amount === null) {
    add('instalments', 'count_or_amount_missing', 'Give a number of instalments or an amount per instalment.');
  } else if (count !== null) {
    if (!Number.isInteger(count)) {
      add('instalments', 'count_not_integer', 'The number of instalments must be a whole number.');
    } else if (count <= 0) {
      add('instalments', 'count_not_positive', 'A plan needs at least one instalment.');
    } else if (count > max) {
      add('instalments', 'too_many_instalments', `A plan can have at most ${max} instalments; ${count} were asked for.`);
    } else if (balanceOk && count > balance) {
      add(
        'instalments',
        'balance_too_small',
        `${money(balance)} cannot be split into ${count} instalments without some being zero; use at most ${balance}.`,
      );
    }
  } else if (amount !== null) {
    if (!Number.isSafeInteger(amount)) {
      add('amountCents', 'amount_not_integer', 'The instalment amount must be a whole number of minor units (cents).');
    } else if (amount <= 0) {
      add('amountCents', 'amount_not_positive', 'The instalment amount must be more than zero.');
    } else if (balanceOk && Math.ceil(balance / amount) > max) {
      const needed = Math.ceil(balance / amount);
      add(
        'amountCents',
        'too_many_instalments',
        `Instalments of ${money(amount)} would take ${needed} payments; a plan can have at most ${max}. ` +
          `Use at least ${money(Math.ceil(balance / max))} per instalment.`,
      );
    }
  }

  if (typeof input.startDate !== 'string' || !isIsoDate(input.startDate)) {
    add('startDate', 'start_invalid', 'The start date must be a date as YYYY-MM-DD.');
  } else if (toEpochDay(input.startDate) < toEpochDay(today)) {
    add('startDate', 'start_in_past', `The first instalment (${input.startDate}) is before today (${today}); pick today or later.`);
  }
  return problems;
}

/** Splits `balance` into `count` positive parts: equal parts, the last one taking the remainder. */
export function splitBalance(balanceCents: number, count: number): number[] {
  const regular = Math.floor(balanceCents / count);
  const parts = new Array<number>(count).fill(regular);
  parts[count - 1] = balanceCents - regular * (count - 1);
  return parts;
}

/**
 * Due dates from `start`: weekly and fortnightly add 7 or 14 days; monthly keeps the start's day
 * of the month, clamped at a shorter month's end (31 Jan → 28 Feb → 31 Mar), always counted from
 * the start so one short month does not pull every later date in.
 */
export function instalmentDates(start: IsoDate, frequency: PlanFrequency, count: number): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let i = 0; i < count; i++) {
    dates.push(
      frequency === 'monthly' ? addMonths(start, i) : addDays(start, i * (frequency === 'weekly' ? 7 : 14)),
    );
  }
  return dates;
}

/** The plan, or the problems that stop it being built. */
export function tryBuildPlan(
  input: PlanInput,
  today: IsoDate,
  opts: PlanOptions = {},
): { ok: true; plan: PlanSchedule } | { ok: false; problems: PlanProblem[] } {
  const problems = validatePlan(input, today, opts);
  if (problems.length > 0) return { ok: false, problems };
  const balance = input.balanceCents;
  const notes: string[] = [];
  let parts: number[];
  if (input.instalments != null) {
    parts = splitBalance(balance, input.instalments);
  } else {
    const amount = input.amountCents as number;
    if (amount >= balance) {
      notes.push('The instalment amount covers the whole balance, so the plan is a single payment.');
      parts = [balance];
    } else {
      const count = Math.ceil(balance / amount);
      parts = new Array<number>(count).fill(amount);
      parts[count - 1] = balance - amount * (count - 1);
    }
  }
  const dates = instalmentDates(input.startDate, input.frequency, parts.length);
  if (input.frequency === 'monthly' && Number(input.startDate.slice(8)) > 28 && parts.length > 1) {
    notes.push(`Months without day ${Number(input.startDate.slice(8))} use their last day.`);
  }
  const instalments = parts.map((amountCents, i) => ({ seq: i + 1, dueDate: dates[i]!, amountCents }));
  return {
    ok: true,
    plan: {
      balanceCents: balance,
      currency: input.currency,
      frequency: input.frequency,
      startDate: input.startDate,
      instalments,
      regularCents: parts[0]!,
      lastCents: parts[parts.length - 1]!,
      endDate: dates[dates.length - 1]!,
      notes,
    },
  };
}

/** The plan; throws SettleError('invalid_input') listing every problem. */
export function buildPlan(input: PlanInput, today: IsoDate, opts: PlanOptions = {}): PlanSchedule {
  const result = tryBuildPlan(input, today, opts);
  if (!result.ok) throw new SettleError('invalid_input', result.problems.map((p) => p.message).join(' '));
  return result.plan;
}

/** Where a plan stands: what the owner proposed, the customer accepted, or it ended. */
export type PlanStatus = 'proposed' | 'active' | 'behind' | 'completed' | 'cancelled';

/**
 * A plan's status from its own state and its instalment promises: proposed and cancelled plans
 * say so; an accepted plan is completed when every instalment was kept, behind when any was
 * broken or only partly kept, and active otherwise.
 */
export function planStatus(
  plan: { state: 'proposed' | 'accepted' | 'cancelled' },
  instalmentPromises: readonly { status: PromiseStatus }[],
): PlanStatus {
  if (plan.state === 'cancelled') return 'cancelled';
  if (plan.state === 'proposed') return 'proposed';
  const live = instalmentPromises.filter((p) => p.status !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.some((p) => p.status === 'broken' || p.status === 'partially_kept')) return 'behind';
  if (live.every((p) => p.status === 'kept')) return 'completed';
  return 'active';
}

/** One promise to record per instalment when the customer accepts (see promises.ts). */
export function planPromiseInputs(
  plan: PlanSchedule,
  who: { planId: number; customerId: number; invoiceIds: readonly number[]; note?: string },
): {
  customerId: number;
  invoiceIds: number[];
  date: IsoDate;
  amountCents: number;
  currency: string;
  madeVia: 'plan';
  note: string;
  planId: number;
}[] {
  const n = plan.instalments.length;
  return plan.instalments.map((i) => ({
    customerId: who.customerId,
    invoiceIds: [...who.invoiceIds],
    date: i.dueDate,
    amountCents: i.amountCents,
    currency: plan.currency,
    madeVia: 'plan' as const,
    note: `Instalment ${i.seq} of ${n}${who.note ? `: ${who.note}` : ''}`,
    planId: who.planId,
  }));
}

/** Facts a draft proposing the plan is built from (the drafter formats them). */
export function planFacts(plan: PlanSchedule, locale = 'en-US'): { lines: string[]; total: string } {
  return {
    total: formatMoney(plan.balanceCents, plan.currency, locale),
    lines: plan.instalments.map(
      (i) => `${i.seq}. ${i.dueDate}: ${formatMoney(i.amountCents, plan.currency, locale)}`,
    ),
  };
}
