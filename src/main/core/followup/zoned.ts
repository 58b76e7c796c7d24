// Wall-clock times in the owner's IANA time zone, worked out with Intl only (no tz library).
// Follow-up fires at "09:00 local", which is a different UTC instant on each side of a
// daylight-saving change; these helpers turn a calendar date and a local time into the right
// instant, and resolve times that a transition skips or repeats the way Temporal's
// 'compatible' disambiguation does (a skipped time moves forward, a repeated one takes the
// earlier instant).
import type { IsoDate } from '../../../shared/dates';
import { isIsoDate, localDate } from '../../../shared/dates';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = partsCache.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    partsCache.set(timeZone, fmt);
  }
  return fmt;
}

/** True when `timeZone` is an IANA zone (or alias) this runtime's ICU knows. */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`Not a time zone: ${JSON.stringify(timeZone)}`);
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in winter: -5 h). */
export function zoneOffsetMs(instant: Date | number, timeZone: string): number {
  assertTimeZone(timeZone);
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const whole = Math.floor(t / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(new Date(whole));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = /^B/i.test(p.value);
        break;
    }
  }
  const wall = Date.UTC(bc ? 1 - year : year, month - 1, day, hour, minute, second);
  return wall - whole;
}

/**
 * The instant at which clocks in `timeZone` show `hour:minute` on `date`. A time skipped by a
 * spring-forward moves forward by the size of the gap (02:30 on a 02:00→03:00 day is 03:30);
 * a time that happens twice at a fall-back takes the first of the two.
 */
export function zonedTime(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`Not a time of day: ${hour}:${minute}`);
  }
  assertTimeZone(timeZone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Offsets a day either side: a zone changes offset at most once in any two days.
  const before = zoneOffsetMs(wall - MS_PER_DAY, timeZone);
  const after = zoneOffsetMs(wall + MS_PER_DAY, timeZone);
  const early = wall - before;
  const late = wall - after;
  const earlyOk = zoneOffsetMs(early, timeZone) === before;
  const lateOk = zoneOffsetMs(late, timeZone) === after;
  if (earlyOk && lateOk) return new Date(Math.min(early, late));
  if (earlyOk) return new Date(early);
  if (lateOk) return new Date(late);
  // In a gap: read the wall time with the offset in force before it, which lands after it.
  return new Date(early);
}

/** The owner's calendar date at an instant (re-exported so follow-up reads from one place). */
export function zonedDate(instant: Date, timeZone: string): IsoDate {
  assertTimeZone(timeZone);
  return localDate(instant, timeZone);
}

/** Minutes of the local day that have passed at `instant` (09:30 → 570). */
export function zonedMinuteOfDay(instant: Date, timeZone: string): number {
  const local = instant.getTime() + zoneOffsetMs(instant, timeZone);
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_MINUTE);
}
