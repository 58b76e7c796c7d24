// Display helpers for the renderer: locale-aware money, dates and labels. Money and ledger
// dates go through src/shared (formatMoney, formatDate) so every screen formats alike.
import { formatMoney, currencyDecimals } from '../../../shared/money';
import { formatDate, isIsoDate } from '../../../shared/dates';
import type { Bucket, NextAction, Tier, TimelineKind } from '../../../shared/model';
import { BUCKET_LABELS } from '../../../shared/model';

export { formatMoney, formatDate, currencyDecimals };

export const TIER_LABELS: Record<Tier, string> = { high: 'High', medium: 'Medium', low: 'Low' };

export const NEXT_ACTION_LABELS: Record<NextAction, string> = {
  email: 'Send email',
  call: 'Call',
  payment_plan: 'Offer a plan',
  escalate: 'Escalate',
  hold: 'Hold',
};

export const TIMELINE_LABELS: Record<TimelineKind, string> = {
  invoice: 'Invoice',
  payment: 'Payment',
  credit: 'Credit',
  note: 'Note',
  contact: 'Contact',
  override: 'Override',
  void: 'Void',
};

/** "1–30 days", "90+ days", "Current". */
export function bucketLabel(bucket: Bucket): string {
  return bucket === 'current' ? 'Current' : `${BUCKET_LABELS[bucket]} days`;
}

/** Day ranges of each bucket, inclusive; `current` means not yet due (0 or fewer days). */
export const BUCKET_RANGES: Record<Bucket, [number, number]> = {
  current: [-Infinity, 0],
  d1_30: [1, 30],
  d31_60: [31, 60],
  d61_90: [61, 90],
  d90_plus: [91, Infinity],
};

const numberCache = new Map<string, Intl.NumberFormat>();
export function formatNumber(n: number, locale?: string, maxFractionDigits = 0): string {
  const key = `${locale ?? ''}|${maxFractionDigits}`;
  let fmt = numberCache.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits });
    numberCache.set(key, fmt);
  }
  return fmt.format(n);
}

export function plural(n: number, one: string, many: string, locale?: string): string {
  return `${formatNumber(n, locale)} ${n === 1 ? one : many}`;
}

const instantCache = new Map<string, Intl.DateTimeFormat>();
function instantFormat(locale: string | undefined, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${withTime ? 't' : 'd'}`;
  let fmt = instantCache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    instantCache.set(key, fmt);
  }
  return fmt;
}

/** A ledger date (YYYY-MM-DD) or an ISO instant, shown as a locale date (and time for instants). */
export function formatWhen(value: string, locale?: string, withTime = false): string {
  if (isIsoDate(value)) return formatDate(value, locale);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return instantFormat(locale, withTime).format(d);
}

/** The sortable instant of a ledger date or ISO instant (dates count as midnight UTC). */
export function whenMs(value: string): number {
  if (isIsoDate(value)) return Date.parse(`${value}T00:00:00Z`);
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}

/** "just now", "5 min ago", "3 h ago" for the last day; otherwise a locale date and time. */
export function formatSince(instant: string, locale?: string, now = Date.now()): string {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return instant;
  const diff = now - t;
  if (diff >= 0 && diff < 24 * 3600_000) {
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    if (diff < 60_000) return rtf.format(0, 'second');
    if (diff < 3600_000) return rtf.format(-Math.floor(diff / 60_000), 'minute');
    return rtf.format(-Math.floor(diff / 3600_000), 'hour');
  }
  return instantFormat(locale, true).format(new Date(t));
}

/** "42 days", "1 day", "—" for null. */
export function formatDays(days: number | null, locale?: string): string {
  if (days === null) return '—';
  return plural(Math.round(days), 'day', 'days', locale);
}
