// The emulator's clock and QBO's date formats. QBO stamps MetaData times as ISO-8601 with the
// company's UTC offset and no milliseconds ("2015-07-24T10:48:27-07:00"); the `time` field of a
// response has milliseconds. The offset follows the company's time zone, daylight saving included.
import type { IsoDate } from '../../../src/shared/dates';

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

export class CompanyClock {
  private baseMs: number;
  private anchorWall = Date.now();
  private readonly offsets = new Map<number, number>();
  private readonly offsetFormat: Intl.DateTimeFormat;

  constructor(
    startMs: number,
    readonly timeZone: string,
    /** When true the emulator's time also flows with the wall clock. */
    private readonly realTime: boolean,
  ) {
    this.baseMs = startMs;
    this.offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', hour: 'numeric' });
  }

  nowMs(): number {
    return this.realTime ? this.baseMs + (Date.now() - this.anchorWall) : this.baseMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance by a non-negative number of ms, got ${ms}`);
    this.baseMs += ms;
  }

  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('setNow needs a valid instant');
    this.baseMs = ms;
    this.anchorWall = Date.now();
  }

  /** The company's calendar date at `ms` (default now). */
  date(ms = this.nowMs()): IsoDate {
    return new Date(ms + this.offsetMinutes(ms) * MS_PER_MINUTE).toISOString().slice(0, 10);
  }

  /** Minutes east of UTC at the instant (e.g. -420 for PDT). */
  offsetMinutes(ms: number): number {
    const hour = Math.floor(ms / MS_PER_HOUR);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const name = this.offsetFormat.formatToParts(new Date(hour * MS_PER_HOUR)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(hour, off);
    }
    return off;
  }

  /** MetaData style: seconds precision with the company offset. */
  meta(ms: number): string {
    return this.format(ms, false);
  }

  /** The `time` field style: milliseconds with the company offset. */
  stamp(ms = this.nowMs()): string {
    return this.format(ms, true);
  }

  private format(ms: number, withMs: boolean): string {
    const off = this.offsetMinutes(ms);
    const local = new Date(ms + off * MS_PER_MINUTE).toISOString().slice(0, withMs ? 23 : 19);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** The instant of a wall-clock time in the company's zone. */
  localToMs(date: IsoDate, hh = 0, mm = 0, ss = 0, milli = 0): number {
    const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
    const asUtc = Date.UTC(y, mo - 1, d, hh, mm, ss, milli);
    let ms = asUtc - this.offsetMinutes(asUtc) * MS_PER_MINUTE;
    ms = asUtc - this.offsetMinutes(ms) * MS_PER_MINUTE;
    return ms;
  }

  /**
   * Parses a QBO date or date-time value: 'YYYY-MM-DD' (the company's midnight) or
   * 'YYYY-MM-DDTHH:MM:SS[.sss][Z|±HH:MM]' (no offset: the company's zone). Null when malformed.
   */
  parse(value: string): number | null {
    const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
    if (!m) return null;
    const date = m[1] as string;
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
    const hh = Number(m[2] ?? 0);
    const mi = Number(m[3] ?? 0);
    const ss = Number(m[4] ?? 0);
    const milli = Number((m[5] ?? '0').padEnd(3, '0'));
    if (hh > 23 || mi > 59 || ss > 59) return null;
    const zone = m[6];
    if (zone === undefined) return this.localToMs(date, hh, mi, ss, milli);
    const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
    const utc = Date.UTC(y, mo - 1, d, hh, mi, ss, milli);
    if (zone === 'Z') return utc;
    const z = /([+-])(\d{2}):?(\d{2})/.exec(zone);
    if (!z) return null;
    const off = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
    return utc - off * MS_PER_MINUTE;
  }
}

/** Anything a caller may give as an instant. */
export type Instant = string | number | Date;

export function toMs(t: Instant): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${String(t)}`);
  return ms;
}
