// Accounts-receivable aging, bucketed the way QuickBooks' and Xero's own A/R aging reports do it:
// by days past the due date, on the open balance, and always per currency (amounts in different
// currencies are never added together). The board summary and `settle aging` both build on this.
import type { IsoDate } from '../../../shared/dates';
import { toEpochDay } from '../../../shared/dates';
import type { Bucket } from '../../../shared/model';
import type { OpenInvoice } from './types';

/** Whole days from the due date to `asOf`: positive when overdue, 0 on the due date, negative before. */
export function daysOverdue(dueDate: IsoDate, asOf: IsoDate): number {
  return toEpochDay(asOf) - toEpochDay(dueDate);
}

/** Current (not yet past due, 0 included), 1–30, 31–60, 61–90, 90+ (91 and up). */
export function bucketFor(days: number): Bucket {
  if (days <= 0) return 'current';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'd90_plus';
}

/** Index of `bucketFor(days)` in BUCKETS, for code that keeps buckets in typed arrays. */
export function bucketIndex(days: number): number {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  return 4;
}

/**
 * Only a positive balance is receivable. A zero or negative balance (fully paid, over-credited)
 * is not part of aging, scoring or the board; every ledger function uses this one rule.
 */
export function hasOpenBalance(inv: Pick<OpenInvoice, 'balanceCents'>): boolean {
  return inv.balanceCents > 0;
}

/** Cents per bucket and their total, in one currency: exactly what `settle aging --json` prints. */
export interface AgingAmounts {
  current: number;
  d1_30: number;
  d31_60: number;
  d61_90: number;
  d90_plus: number;
  total: number;
}

export interface CurrencyAging extends AgingAmounts {
  /** Invoices per bucket. */
  counts: Record<Bucket, number>;
  /** All open invoices in this currency. */
  count: number;
}

export interface AgingReport {
  asOf: IsoDate;
  currencies: Record<string, AgingAmounts>;
}

export function emptyAging(): CurrencyAging {
  return {
    current: 0,
    d1_30: 0,
    d31_60: 0,
    d61_90: 0,
    d90_plus: 0,
    total: 0,
    counts: { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 },
    count: 0,
  };
}

/** Adds one invoice's open balance to a currency's aging (shared with the board summary). */
export function addToAging(aging: CurrencyAging, bucket: Bucket, cents: number): void {
  aging[bucket] += cents;
  aging.total += cents;
  aging.counts[bucket] += 1;
  aging.count += 1;
}

/**
 * Parses due dates through a cache: a ledger has far fewer distinct due dates than invoices,
 * so 100k invoices cost a few hundred parses instead of 100k.
 */
export function epochDayCache(): (date: IsoDate) => number {
  const cache = new Map<string, number>();
  return (date) => {
    let day = cache.get(date);
    if (day === undefined) {
      day = toEpochDay(date);
      cache.set(date, day);
    }
    return day;
  };
}

/** Aging per currency, currencies in code order. Invoices without an open balance are left out. */
export function agingByCurrency(open: readonly OpenInvoice[], asOf: IsoDate): Map<string, CurrencyAging> {
  const asOfDay = toEpochDay(asOf);
  const dayOf = epochDayCache();
  const byCurrency = new Map<string, CurrencyAging>();
  for (const inv of open) {
    if (!hasOpenBalance(inv)) continue;
    let aging = byCurrency.get(inv.currency);
    if (!aging) {
      aging = emptyAging();
      byCurrency.set(inv.currency, aging);
    }
    addToAging(aging, bucketFor(asOfDay - dayOf(inv.dueDate)), inv.balanceCents);
  }
  return new Map([...byCurrency].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The `settle aging --json` document: {"asOf","currencies":{"USD":{"current",…,"total"}}}. */
export function agingReport(open: readonly OpenInvoice[], asOf: IsoDate): AgingReport {
  const currencies: Record<string, AgingAmounts> = {};
  for (const [currency, a] of agingByCurrency(open, asOf)) {
    currencies[currency] = {
      current: a.current,
      d1_30: a.d1_30,
      d31_60: a.d31_60,
      d61_90: a.d61_90,
      d90_plus: a.d90_plus,
      total: a.total,
    };
  }
  return { asOf, currencies };
}

/**
 * Days sales outstanding: outstanding / sales over the period * period days, to one decimal.
 * Null when there were no sales in the period (the ratio means nothing then).
 */
export function dsoDays(outstandingCents: number, salesCents: number, periodDays = 90): number | null {
  if (!(periodDays > 0)) throw new RangeError(`periodDays must be positive, got ${periodDays}`);
  if (!(salesCents > 0)) return null;
  return Math.round((outstandingCents / salesCents) * periodDays * 10) / 10;
}
