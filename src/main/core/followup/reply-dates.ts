// Reading a pasted customer reply: findDates resolves dates, relative ones ("next Friday", "end
// of the month", "in two weeks") against the reply's own date, looking forward for promises and
// back for payment claims. With no reference date, or a vague or ambiguous one, it returns a
// problem instead of a guess.
import type { IsoDate } from '../../../shared/dates';
import { fromEpochDay, toEpochDay } from '../../../shared/dates';
import type { Span } from './reply-text';

export type Direction = 'future' | 'past';
/** How to read 04/03: month first (US) or day first. Unknown makes such dates a question. */
export type DateOrder = 'mdy' | 'dmy';

export interface FoundDate extends Span {
  text: string;
  /** The resolved date, or null when it cannot be worked out without asking. */
  date: IsoDate | null;
  /** It depends on when the reply was written. */
  relative: boolean;
  /** How a relative or partial date was read, for the owner ("next Friday" → the Friday of next week). */
  note: string | null;
  /** Why there is no date: a question for the owner. */
  problem: string | null;
}

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10,
  november: 11, nov: 11, december: 12, dec: 12,
};
const WEEKDAYS: Record<string, number> = {
  monday: 0, mon: 0, tuesday: 1, tue: 1, tues: 1, wednesday: 2, wed: 2, thursday: 3, thu: 3, thur: 3, thurs: 3,
  friday: 4, fri: 4, saturday: 5, sat: 5, sunday: 6, sun: 6,
};
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fourteen: 14, fifteen: 15, twenty: 20, thirty: 30,
};

const MON = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const WD = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const ORD = '(\\d{1,2})(?:st|nd|rd|th)?';
const NUMW = '(\\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)';

/** Monday = 0 … Sunday = 6 (1970-01-01, epoch day 0, was a Thursday). */
function isoDow(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
function mondayOf(day: number): number {
  return day - isoDow(day);
}
function ymd(day: number): [number, number, number] {
  const [y, m, d] = fromEpochDay(day).split('-').map(Number) as [number, number, number];
  return [y, m, d];
}
function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function dayOf(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}
function lastOfMonth(y: number, m: number): number {
  return dayOf(y, m, daysInMonth(y, m))!;
}
function addMonthsYm(y: number, m: number, n: number): [number, number] {
  const idx = y * 12 + (m - 1) + n;
  return [Math.floor(idx / 12), (idx % 12) + 1];
}
function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? 2000 + n : n;
}
function pretty(day: number): string {
  const [y, m, d] = ymd(day);
  const month = Object.keys(MONTHS).find((k) => MONTHS[k] === m && k.length > 3) ?? '';
  return `${WEEKDAY_NAMES[isoDow(day)]} ${d} ${month.charAt(0).toUpperCase()}${month.slice(1)} ${y}`;
}

interface DateCtx {
  ref: number | null;
  direction: Direction;
  dateOrder: DateOrder | null;
}

type Resolution = { day: number | null; relative: boolean; note?: string | null; problem?: string | null };

const NO_REF = (text: string): Resolution => ({
  day: null,
  relative: true,
  problem: `"${text}" depends on when the reply was written, and the reply has no date. Which date did the customer mean?`,
});

/** A day and month without a year: the nearest such date in the right direction. */
function yearless(m: number, d: number, text: string, ctx: DateCtx): Resolution {
  if (ctx.ref === null) return NO_REF(text);
  const [ry] = ymd(ctx.ref);
  const here = dayOf(ry, m, d);
  if (here === null) {
    const leap = dayOf(ry + 1, m, d) ?? dayOf(ry - 1, m, d);
    if (leap === null) return { day: null, relative: true, problem: `"${text}" is not a date.` };
  }
  const candidates = [ry - 1, ry, ry + 1].map((y) => dayOf(y, m, d)).filter((x): x is number => x !== null);
  if (ctx.direction === 'future') {
    const ahead = candidates.filter((c) => c >= ctx.ref!);
    const best = ahead[0]!;
    const behind = candidates.filter((c) => c < ctx.ref!).pop();
    if (behind !== undefined && ctx.ref - behind <= 60 && best - ctx.ref > 180) {
      return {
        day: null,
        relative: true,
        problem: `"${text}" is before the reply's date (${fromEpochDay(ctx.ref)}). Which date did the customer mean?`,
      };
    }
    return { day: best, relative: true };
  }
  const behind = candidates.filter((c) => c <= ctx.ref!);
  const best = behind[behind.length - 1]!;
  const ahead = candidates.find((c) => c > ctx.ref!);
  if (ahead !== undefined && ahead - ctx.ref <= 60 && ctx.ref - best > 180) return { day: ahead, relative: true };
  return { day: best, relative: true };
}

function weekdayRes(mod: string | undefined, wd: number, suffix: string | undefined, text: string, ctx: DateCtx): Resolution {
  if (ctx.ref === null) return NO_REF(text);
  const ref = ctx.ref;
  const dow = isoDow(ref);
  const m = (mod ?? '').toLowerCase();
  const sfx = (suffix ?? '').toLowerCase();
  const name = WEEKDAY_NAMES[wd]!;
  if (m === 'next' || sfx === 'next week' || m === 'next week') {
    const day = mondayOf(ref) + 7 + wd;
    return { day, relative: true, note: `"${text}" read as ${pretty(day)}, the ${name} of the week after the reply.` };
  }
  if (m === 'last' || m === 'past' || ctx.direction === 'past') {
    if (m === 'this' && dow >= wd) return { day: mondayOf(ref) + wd, relative: true };
    const back = (dow - wd + 7) % 7 || 7;
    return { day: ref - back, relative: true };
  }
  if (m === 'this' || sfx === 'this week') {
    if (dow <= wd) return { day: mondayOf(ref) + wd, relative: true };
  }
  const ahead = (wd - dow + 7) % 7 || 7;
  const day = ref + ahead;
  return {
    day,
    relative: true,
    note: ahead === 7 ? `"${text}" read as ${pretty(day)}: the reply was written on a ${name}.` : null,
  };
}

function dayOfMonthRes(d: number, which: string | undefined, text: string, ctx: DateCtx): Resolution {
  if (ctx.ref === null) return NO_REF(text);
  if (d < 1 || d > 31) return { day: null, relative: true, problem: `"${text}" is not a date.` };
  const [ry, rm] = ymd(ctx.ref);
  const w = (which ?? '').toLowerCase();
  if (w === 'this' || w === 'the' || w === 'next') {
    const [y, m] = w === 'next' ? addMonthsYm(ry, rm, 1) : [ry, rm];
    const last = daysInMonth(y, m);
    const day = dayOf(y, m, Math.min(d, last))!;
    return { day, relative: true, note: d > last ? `"${text}" read as the last day of the month, ${fromEpochDay(day)}.` : null };
  }
  const step = ctx.direction === 'future' ? 1 : -1;
  for (let i = 0; i < 13; i++) {
    const [y, m] = addMonthsYm(ry, rm, i * step);
    const day = dayOf(y, m, d);
    if (day === null) continue;
    if (ctx.direction === 'future' ? day >= ctx.ref : day <= ctx.ref) return { day, relative: true };
  }
  return { day: null, relative: true, problem: `"${text}" is not a date.` };
}

function numericRes(a: number, b: number, yearText: string | undefined, text: string, ctx: DateCtx): Resolution {
  let month: number;
  let day: number;
  if (a > 12 && b <= 12) [day, month] = [a, b];
  else if (b > 12 && a <= 12) [month, day] = [a, b];
  else if (a === b) [month, day] = [a, b];
  else if (a > 12 && b > 12) return { day: null, relative: false, problem: `"${text}" is not a date.` };
  else if (ctx.dateOrder === 'mdy') [month, day] = [a, b];
  else if (ctx.dateOrder === 'dmy') [day, month] = [a, b];
  else {
    return {
      day: null,
      relative: false,
      problem: `"${text}" could be ${MONTH_NAME[a]} ${b} or ${a} ${MONTH_NAME[b]}. Which did the customer mean?`,
    };
  }
  if (yearText !== undefined) {
    const dd = dayOf(fullYear(yearText), month, day);
    return dd === null ? { day: null, relative: false, problem: `"${text}" is not a date.` } : { day: dd, relative: false };
  }
  return yearless(month, day, text, ctx);
}

const MONTH_NAME: Record<number, string> = {
  1: 'January', 2: 'February', 3: 'March', 4: 'April', 5: 'May', 6: 'June', 7: 'July', 8: 'August',
  9: 'September', 10: 'October', 11: 'November', 12: 'December',
};

function numberWord(w: string): number {
  const n = Number(w);
  return Number.isFinite(n) ? n : (NUMBER_WORDS[w.toLowerCase()] ?? NaN);
}

interface DateRule {
  re: RegExp;
  resolve: (m: RegExpMatchArray, ctx: DateCtx) => Resolution;
}

function rel(ctx: DateCtx, text: string, f: (ref: number) => Resolution): Resolution {
  return ctx.ref === null ? NO_REF(text) : f(ctx.ref);
}

const VAGUE = (text: string, what = 'no specific day'): Resolution => ({
  day: null,
  relative: true,
  problem: `"${text}" gives ${what}. Which date should the promise have?`,
});

const DATE_RULES: DateRule[] = [
  // 2026-03-15
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => {
      const d = dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
      return d === null ? { day: null, relative: false, problem: `"${m[0]}" is not a date.` } : { day: d, relative: false };
    },
  },
  // 15.03.2026 (dotted dates are day first)
  {
    re: /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g,
    resolve: (m) => {
      const d = dayOf(Number(m[3]), Number(m[2]), Number(m[1]));
      return d === null ? { day: null, relative: false, problem: `"${m[0]}" is not a date.` } : { day: d, relative: false };
    },
  },
  // 3/15, 15/3/2026, 04/03/26
  {
    re: /(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])/g,
    resolve: (m, ctx) => numericRes(Number(m[1]), Number(m[2]), m[3], m[0], ctx),
  },
  // (Friday,) March 15(th)(, 2026)
  {
    re: new RegExp(`(?:\\b${WD},?\\s+)?\\b${MON}\\s+${ORD}\\b(?:,?\\s+(\\d{4}))?`, 'gi'),
    resolve: (m, ctx) => {
      const month = MONTHS[m[2]!.toLowerCase()]!;
      const d = Number(m[3]);
      if (m[4]) {
        const day = dayOf(Number(m[4]), month, d);
        return day === null ? { day: null, relative: false, problem: `"${m[0]}" is not a date.` } : { day, relative: false };
      }
      return yearless(month, d, m[0], ctx);
    },
  },
  // (the) 15(th) (of) March (2026)
  {
    re: new RegExp(`(?:\\b${WD},?\\s+)?(?:\\bthe\\s+)?\\b${ORD}\\s+(?:of\\s+)?${MON}(?![a-z])(?:,?\\s+(\\d{4}))?`, 'gi'),
    resolve: (m, ctx) => {
      const month = MONTHS[m[3]!.toLowerCase()]!;
      const d = Number(m[2]);
      if (m[4]) {
        const day = dayOf(Number(m[4]), month, d);
        return day === null ? { day: null, relative: false, problem: `"${m[0]}" is not a date.` } : { day, relative: false };
      }
      return yearless(month, d, m[0], ctx);
    },
  },
  // end of the month / month end / EOM / end of next month
  {
    re: /\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?month\b|\bmonth[- ]end\b|\bEOM\b/gi,
    resolve: (m, ctx) =>
      rel(ctx, m[0], (ref) => {
        const [y, mo] = ymd(ref);
        const [ty, tm] = m[1] ? addMonthsYm(y, mo, 1) : [y, mo];
        return { day: lastOfMonth(ty, tm), relative: true };
      }),
  },
  // first / beginning / start of next month
  {
    re: /\b(?:the\s+)?(?:first|1st|beginning|start)\s+of\s+(?:the\s+)?next\s+month\b/gi,
    resolve: (m, ctx) =>
      rel(ctx, m[0], (ref) => {
        const [y, mo] = ymd(ref);
        const [ty, tm] = addMonthsYm(y, mo, 1);
        return { day: dayOf(ty, tm, 1)!, relative: true };
      }),
  },
  // vague months: "next month", "early next month", "later this month", "mid next month"
  {
    re: /\b(?:(?:early|later|late|mid|sometime|some time)[- ]?)?(?<!\bof\s+)(?:next|this)\s+month\b/gi,
    resolve: (m, ctx) => (ctx.direction === 'future' ? VAGUE(m[0]) : { day: null, relative: true, note: `"${m[0]}" has no day.` }),
  },
  // end of (this|next) week / next week / this week
  {
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?|later\s+|by\s+)?(this|next|the)\s+week\b(?!\s*(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))/gi,
    resolve: (m, ctx) =>
      rel(ctx, m[0], (ref) => {
        if (ctx.direction === 'past') return { day: null, relative: true, note: `"${m[0]}" has no day.` };
        const next = m[1]!.toLowerCase() === 'next';
        const fri = mondayOf(ref) + (next ? 7 : 0) + 4;
        const day = fri >= ref ? fri : ref;
        return { day, relative: true, note: `"${m[0]}" read as ${pretty(day)}, the Friday of ${next ? 'next' : 'that'} week.` };
      }),
  },
  // last week (only the past has it, and it names no day)
  {
    re: /\blast\s+week\b/gi,
    resolve: (m) => ({ day: null, relative: true, note: `"${m[0]}" has no day.` }),
  },
  // in two weeks / within 10 days / in a month / in a fortnight
  {
    re: new RegExp(`\\b(?:in|within)\\s+(?:the\\s+next\\s+)?${NUMW}\\s+(business\\s+|working\\s+)?(days?|weeks?|months?)\\b|\\bin\\s+a\\s+fortnight\\b`, 'gi'),
    resolve: (m, ctx) =>
      rel(ctx, m[0], (ref) => {
        if (/fortnight/i.test(m[0])) return { day: ref + 14, relative: true };
        const n = numberWord(m[1]!);
        if (!Number.isFinite(n)) return VAGUE(m[0]);
        const unit = m[3]!.toLowerCase();
        if (m[2]) {
          // Business days: skip Saturdays and Sundays.
          let day = ref;
          let left = n;
          while (left > 0) {
            day += 1;
            if (isoDow(day) < 5) left -= 1;
          }
          return { day, relative: true };
        }
        if (unit.startsWith('day')) return { day: ref + n, relative: true };
        if (unit.startsWith('week')) return { day: ref + 7 * n, relative: true };
        const [y, mo, d] = ymd(ref);
        const [ty, tm] = addMonthsYm(y, mo, n);
        return { day: dayOf(ty, tm, Math.min(d, daysInMonth(ty, tm)))!, relative: true };
      }),
  },
  // a couple of / a few days or weeks: vague
  {
    re: /\b(?:in\s+|within\s+)?(?:a\s+)?(?:couple\s+(?:of\s+)?|few\s+)(days|weeks|months)\b/gi,
    resolve: (m, ctx) =>
      ctx.direction === 'future' ? VAGUE(m[0], 'no exact day') : { day: null, relative: true, note: `"${m[0]}" has no day.` },
  },
  // the day after tomorrow / tomorrow / today / yesterday / now
  {
    re: /\b(?:the\s+)?day\s+after\s+tomorrow\b/gi,
    resolve: (m, ctx) => rel(ctx, m[0], (ref) => ({ day: ref + 2, relative: true })),
  },
  {
    re: /\b(?:the\s+)?day\s+before\s+yesterday\b/gi,
    resolve: (m, ctx) => rel(ctx, m[0], (ref) => ({ day: ref - 2, relative: true })),
  },
  {
    re: /\btomorrow\b|\btmrw\b|\btmr\b/gi,
    resolve: (m, ctx) => rel(ctx, m[0], (ref) => ({ day: ref + 1, relative: true })),
  },
  {
    re: /\byesterday\b/gi,
    resolve: (m, ctx) => rel(ctx, m[0], (ref) => ({ day: ref - 1, relative: true })),
  },
  {
    re: /\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|right\s+away|straight\s+away|immediately|right\s+now|now)\b/gi,
    resolve: (m, ctx) => rel(ctx, m[0], (ref) => ({ day: ref, relative: true })),
  },
  // next week Friday / Friday next week / next Friday / this Friday / last Friday / on Friday
  {
    re: new RegExp(
      `\\b(?:(next\\s+week|next|this|coming|last|past)\\s+)?(?:on\\s+)?${WD}(?:\\s+(next\\s+week|this\\s+week))?\\b`,
      'gi',
    ),
    resolve: (m, ctx) =>
      weekdayRes(
        m[1]?.replace(/\s+/g, ' '),
        WEEKDAYS[m[2]!.toLowerCase()]!,
        m[3]?.replace(/\s+/g, ' '),
        m[0],
        ctx,
      ),
  },
  // the 30th (of this / next month), on the 1st, by 15th
  {
    re: /\b(?:(?:on|by|before|until|till|for)\s+(?:the\s+)?|the\s+)(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(this|next|the)\s+month)?(?!\s+(?:time|reminder|invoice|notice|e-?mail|letter|payment|instal+ment|of\s+[a-z]))/gi,
    resolve: (m, ctx) => dayOfMonthRes(Number(m[1]), m[2], m[0], ctx),
  },
  {
    re: /\b(\d{1,2})(?:st|nd|rd|th)\s+of\s+(this|next|the)\s+month\b/gi,
    resolve: (m, ctx) => dayOfMonthRes(Number(m[1]), m[2], m[0], ctx),
  },
  // mid-month
  {
    re: /\b(?:mid[- ]?month|(?:the\s+)?middle\s+of\s+(?:the\s+|this\s+)?month)\b/gi,
    resolve: (m, ctx) => dayOfMonthRes(15, undefined, m[0], ctx),
  },
];

/** Dates in the text, in order of appearance, non-overlapping (earlier rules win a tie). */
export function findDates(
  text: string,
  opts: { ref: IsoDate | null; direction: Direction; dateOrder?: DateOrder | null },
): FoundDate[] {
  const ctx: DateCtx = {
    ref: opts.ref === null ? null : toEpochDay(opts.ref),
    direction: opts.direction,
    dateOrder: opts.dateOrder ?? null,
  };
  const found: FoundDate[] = [];
  const overlaps = (s: number, e: number): boolean => found.some((f) => s < f.end && e > f.start);
  for (const rule of DATE_RULES) {
    for (const m of text.matchAll(rule.re)) {
      const start = m.index!;
      const raw = m[0];
      const trimmed = raw.replace(/\s+$/, '');
      const end = start + trimmed.length;
      if (trimmed.length === 0 || overlaps(start, end)) continue;
      const r = rule.resolve(m, ctx);
      found.push({
        start,
        end,
        text: trimmed.trim(),
        date: r.day === null ? null : fromEpochDay(r.day),
        relative: r.relative,
        note: r.note ?? null,
        problem: r.problem ?? null,
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
