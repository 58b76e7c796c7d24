// Ledger dates are calendar dates, 'YYYY-MM-DD', with no time zone. Arithmetic on them goes
// through whole "epoch days" so daylight saving and time zones can never shift a due date.

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 for a calendar date. */
export function toEpochDay(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function addMonths(date: IsoDate, months: number): IsoDate {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1 + months;
  const targetY = y + Math.floor(mo / 12);
  const targetM = ((mo % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), lastDay);
  return new Date(Date.UTC(targetY, targetM, day)).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a time zone (the owner's "today"). */
export function localDate(instant: Date, timeZone?: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const dateFormatCache = new Map<string, Intl.DateTimeFormat>();

/** Locale display of a ledger date without any time-zone shift. */
export function formatDate(date: IsoDate, locale?: string, style: 'medium' | 'short' = 'medium'): string {
  const key = `${locale ?? ''}|${style}`;
  let fmt = dateFormatCache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' });
    dateFormatCache.set(key, fmt);
  }
  return fmt.format(new Date(toEpochDay(date) * MS_PER_DAY));
}
