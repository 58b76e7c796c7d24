// Reading a pasted customer reply: the text-level pieces reply triage (replies.ts) is built on.
// - cleanReply drops the quoted previous email, the signature and contact lines, so that amounts,
//   dates and phone numbers in them are never read as the customer's words.
// - findDates resolves dates, relative ones ("next Friday", "end of the month", "in two weeks")
//   against the reply's own date, looking forward for promises and back for payment claims. With
//   no reference date, or a vague or ambiguous one, it returns a problem instead of a guess.
// - findAmounts reads money in the common formats ($1,234.50, 1.234,50 €, USD 2.500, 500
//   dollars, "pay 500") after masking what only looks like money: phone numbers, invoice and
//   reference numbers, dates, times and percentages. Words like "half" are never amounts.
// - findInjections spots text addressed to software rather than to the owner.
import type { IsoDate } from '../../../shared/dates';
import { fromEpochDay, toEpochDay } from '../../../shared/dates';
import { toMinorUnits } from '../../../shared/money';
import type { PaymentMethod } from '../../../shared/followup';

export interface Span {
  start: number;
  end: number;
}

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

export interface FoundAmount extends Span {
  text: string;
  cents: number;
  currency: string;
  /** The currency was written (a symbol, code or word), not assumed. */
  explicitCurrency: boolean;
}

// ---- cleaning ----------------------------------------------------------------------------------

export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f\u2009]/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2012-\u2015]/g, '-')
    .replace(/\t/g, ' ');
}

const QUOTE_HEADERS: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Forwarded message|Reply message)\s*-{2,}/i,
  /^\s*_{8,}\s*$/,
  /^\s*(Le|Am|El|Il|Op)\s.{0,300}\b(a écrit|schrieb|escribió|ha scritto|schreef)\s*:?\s*$/i,
  /^\s*Sent from my \w+/i,
  /^\s*Get Outlook for /i,
];

const SIGN_OFF =
  /^\s*(thanks|thank you|many thanks|thanks again|thanks so much|thx|best|best regards|best wishes|kind regards|warm regards|warmest regards|regards|cheers|sincerely|yours sincerely|yours truly|yours faithfully|respectfully|br|kr|mfg|mit freundlichen gr(ü|ue)(ß|ss)en|viele gr(ü|ue)(ß|ss)e|cordialement|saludos|atentamente|un saludo|talk soon|thank you for your patience)[\s,.!-]*$/i;

const CONTACT_LINE =
  /^\s*(tel|telephone|phone|ph|mobile|mob|cell|fax|direct|office|t|m|p|f|e|w|email|e-mail|web|website|www)\s*[:.|]/i;

export interface CleanedReply {
  /** The customer's own words. */
  body: string;
  /** A quoted earlier message was found and dropped. */
  hadQuote: boolean;
  /** The signature that was dropped, if any. */
  signature: string | null;
}

/** Drops quoted history, the signature and contact lines; keeps the customer's own words. */
export function cleanReply(raw: string): CleanedReply {
  const lines = normalizeText(raw).split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? '';
    const fromHeader = /^\s*\*?From:\*?\s.+/i.test(line) && lines.slice(i + 1, i + 5).some((l) => /^\s*\*?(Sent|Date|To|Subject):/i.test(l));
    const wrappedOn = /^\s*On\b.{0,300}$/i.test(line) && /^.{0,200}\bwrote:\s*$/i.test(next) && i > 0;
    if (QUOTE_HEADERS.some((re) => re.test(line)) || fromHeader || wrappedOn) {
      cut = i;
      break;
    }
  }
  const hadQuote = cut < lines.length || lines.some((l) => /^\s*>/.test(l));
  let kept = lines.slice(0, cut).filter((l) => !/^\s*>/.test(l));

  let signature: string | null = null;
  for (let i = 1; i < kept.length; i++) {
    const line = kept[i]!;
    const rest = kept.slice(i + 1).filter((l) => l.trim().length > 0);
    // A sign-off is followed by a short block of short lines (name, title, address, phone),
    // not by more of the message ("Hi,\nThanks.\nWe will pay on Friday, as agreed with Sam.").
    const words = (l: string): number => l.trim().split(/\s+/).length;
    const signatureLike =
      rest.length <= 12 && rest.every((l) => words(l) < 8 && !(/[.!?]\s*$/.test(l.trim()) && words(l) >= 3));
    if (/^\s*--\s*$/.test(line) || (SIGN_OFF.test(line) && signatureLike)) {
      signature = kept.slice(i).join('\n').trim() || null;
      kept = kept.slice(0, i);
      break;
    }
  }
  kept = kept.filter((l) => !CONTACT_LINE.test(l));
  return { body: kept.join('\n').trim(), hadQuote, signature };
}

const ABBREVIATION =
  /(?:^|[\s(])(no|nr|inc|ltd|co|corp|llc|e\.g|i\.e|approx|mr|mrs|ms|dr|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|vs|etc|ref|acct|inv|p\.o|u\.s|conf|txn|chk|ca|a\.m|p\.m)\.$/i;

/** Sentences of the body: paragraphs re-joined (mail clients wrap lines), then split at . ! ? */
export function splitSentences(body: string): string[] {
  const out: string[] = [];
  const paragraphs = body.split(/\n\s*\n/);
  for (const para of paragraphs) {
    const lines = para.split('\n').map((l) => l.trim()).filter(Boolean);
    // Short lines without end punctuation (greetings, auto-reply subjects) stay their own sentence.
    const joined: string[] = [];
    for (const l of lines) {
      const prev = joined[joined.length - 1];
      if (prev !== undefined && !/[.!?:]$/.test(prev) && prev.length > 40) joined[joined.length - 1] = `${prev} ${l}`;
      else joined.push(l);
    }
    for (const line of joined) {
      const pieces = line.split(/(?<=[.!?])\s+(?=\S)/);
      let cur = '';
      for (const piece of pieces) {
        cur = cur ? `${cur} ${piece}` : piece;
        if (ABBREVIATION.test(cur)) continue;
        out.push(cur.trim());
        cur = '';
      }
      if (cur.trim()) out.push(cur.trim());
    }
  }
  return out.filter((s) => s.length > 0);
}

// ---- injections -------------------------------------------------------------------------------

export type InjectionKind = 'instruction' | 'contact_change';

const INSTRUCTION_PATTERNS: RegExp[] = [
  /(^|[\n.!?]\s*)\s*\[?(system|assistant|developer|admin|administrator|settle|ai|bot|instructions?)\]?\s*[:>]/i,
  /<\/?\s*(system|instructions?|prompt)\s*>/i,
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|your)\s+(instructions|messages|rules|prompts?)/i,
  /\b(mark|set|record|flag|show|update)\s+(all|every|each|the|these|those|our|my)?\s*(open\s+)?(invoices?|balances?|accounts?|ledger)\b.{0,40}\b(as\s+)?(paid|settled|closed|cleared|zero|0)\b/i,
  /\b(delete|remove|void|write off|cancel|clear)\s+(all|every)\b/i,
  /\byou are now\b|\bnew instructions\b|\bas an ai\b|\blanguage model\b/i,
];

const CONTACT_CHANGE =
  /\b(change|update|replace|switch|use)\s+(the\s+|your\s+|our\s+|my\s+)?(recipient|e-?mail address|e-?mail|bank (details|account)|account details|payee|contact( details)?|remittance address)\b|\bsend (all\s+)?(future\s+)?(e-?mails?|reminders|invoices|statements)\s+to\b|\bour (new\s+)?bank (details|account) (has|have) changed\b/i;

export interface FoundInjection {
  kind: InjectionKind;
  text: string;
}

/** Text that reads like an instruction to software, or a request to change where money or mail goes. */
export function findInjections(sentences: readonly string[]): FoundInjection[] {
  const found: FoundInjection[] = [];
  for (const s of sentences) {
    if (INSTRUCTION_PATTERNS.some((re) => re.test(s))) found.push({ kind: 'instruction', text: s });
    if (CONTACT_CHANGE.test(s)) found.push({ kind: 'contact_change', text: s });
  }
  return found;
}

// ---- masking ------------------------------------------------------------------------------------

function mask(text: string, spans: readonly Span[], ch = '#'): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ch.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

function spansOf(text: string, re: RegExp, group = 0): Span[] {
  const spans: Span[] = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (const m of text.matchAll(g)) {
    const whole = m.index ?? 0;
    if (group === 0) spans.push({ start: whole, end: whole + m[0].length });
    else if (m[group] !== undefined) {
      const off = m[0].indexOf(m[group]!);
      spans.push({ start: whole + off, end: whole + off + m[group]!.length });
    }
  }
  return spans;
}

const EMAIL_OR_URL = /[\w.+-]+@[\w-]+(\.[\w-]+)+|\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const PHONE_LABELLED = /\b(phone|tel|telephone|mobile|cell|fax|call me (on|at)|call us (on|at)|reach me (on|at)|ext)\b\.?\s*:?\s*\+?[\d(][\d\s().-]{5,}\d/gi;
const PHONE_SHAPED = /(?<![\w$€£.,])(\+\d{1,3}[\s.-]?)?(\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\d,])/g;
const PHONE_LOCAL = /(?<![\w$€£.,-])\d{3}-\d{4}(?![\d-])/g;
const TIME = /\b\d{1,2}(:\d{2})?\s?(am|pm|a\.m\.|p\.m\.)(?![a-z])|\b\d{1,2}:\d{2}\b|\b\d{1,2}h\d{2}\b/gi;
const PERCENT = /\d+([.,]\d+)?\s?%/g;

// ---- invoice numbers and references ----------------------------------------------------------

const INVOICE_REF = /\b(?:invoices?|inv)\.?\s*(?:no\.?|number|num|nr\.?|#)?\s*[:#]?\s*#?\s*([A-Z]{0,5}-?\d[\w/-]*)/gi;
const INVOICE_CODE = /\bINV[-_ ]?\d[\w-]*/gi;
const HASH_NUMBER = /#\s?\d[\w-]*/g;
const PO_REF = /\b(?:PO|P\.O\.|purchase order)\s*(?:no\.?|number|#)?\s*[:#]?\s*[A-Z]{0,4}-?\d[\w-]*/gi;

/** Invoice numbers mentioned in the text; known numbers are matched exactly first. */
export function findInvoiceNumbers(text: string, known: readonly string[] = []): { numbers: string[]; spans: Span[] } {
  const numbers: string[] = [];
  const spans: Span[] = [];
  const add = (n: string, span: Span): void => {
    spans.push(span);
    const canon = n.trim();
    if (!numbers.some((x) => x.toLowerCase() === canon.toLowerCase())) numbers.push(canon);
  };
  for (const k of known) {
    if (!k) continue;
    const re = new RegExp(`(?<![\\w-])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'gi');
    for (const s of spansOf(text, re)) add(k, s);
  }
  for (const m of text.matchAll(INVOICE_CODE)) add(m[0].toUpperCase().replace(/[_ ]/, '-'), { start: m.index!, end: m.index! + m[0].length });
  for (const m of text.matchAll(INVOICE_REF)) {
    const n = m[1]!;
    if (!/\d/.test(n)) continue;
    const start = m.index! + m[0].lastIndexOf(n);
    if (!spans.some((s) => start >= s.start && start < s.end)) add(n.replace(/[.,]$/, ''), { start, end: start + n.length });
    else spans.push({ start, end: start + n.length });
  }
  return { numbers, spans };
}



const REFERENCE_PATTERNS: { re: RegExp; method: PaymentMethod | null }[] = [
  { re: /\b(?:check|cheque|chk)\s*(?:no\.?|number|num|#)?\s*(?:is\s+)?[:#]?\s*#?\s*(\d[\w-]{2,})/gi, method: 'check' },
  {
    re: /\b(?:transaction|txn|trans\.|confirmation|conf\.?|reference|ref\.?|trace|remittance|utr|wire|ach|e-?transfer|payment|transfer)\s*(?:id|no\.?|number|num|#|code|ref)?\s*(?:is\s+)?[:#]?\s*#?\s*([A-Z0-9][A-Z0-9-]{3,})/gi,
    method: null,
  },
];

const METHOD_WORDS: { re: RegExp; method: PaymentMethod }[] = [
  { re: /\b(check|cheque)\s*(#|no\b|number|was|is|has|went|for)|\b(a|the|our|by|via|per)\s+(check|cheque)\b/i, method: 'check' },
  { re: /\bACH\b/, method: 'ach' },
  { re: /\bwire(d)?\b/i, method: 'wire' },
  { re: /\bzelle\b/i, method: 'zelle' },
  { re: /\bpaypal\b/i, method: 'paypal' },
  { re: /\bvenmo\b/i, method: 'venmo' },
  { re: /\bstripe\b/i, method: 'stripe' },
  { re: /\b(credit card|debit card|card)\b/i, method: 'card' },
  { re: /\b(bank transfer|e-?transfer|BACS|SEPA|direct deposit|transfer(red)?)\b/i, method: 'bank_transfer' },
  { re: /\bcash\b/i, method: 'cash' },
];

/** A payment reference (check number, transaction id, confirmation number) and the method. */
export function findReference(
  text: string,
  invoiceNumbers: readonly string[] = [],
): { reference: string | null; method: PaymentMethod | null; spans: Span[] } {
  let reference: string | null = null;
  let method: PaymentMethod | null = null;
  const spans: Span[] = [];
  for (const { re, method: m } of REFERENCE_PATTERNS) {
    for (const match of text.matchAll(re)) {
      const ref = match[1]!.replace(/[-.]+$/, '');
      if (!/\d/.test(ref)) continue;
      if (/^INV/i.test(ref) || invoiceNumbers.some((n) => n.toLowerCase() === ref.toLowerCase())) continue;
      const start = match.index! + match[0].lastIndexOf(match[1]!);
      spans.push({ start, end: start + match[1]!.length });
      if (reference === null) {
        reference = ref;
        if (m) method = m;
      }
    }
  }
  if (method === null) method = METHOD_WORDS.find((w) => w.re.test(text))?.method ?? null;
  return { reference, method, spans };
}

// ---- dates --------------------------------------------------------------------------------------

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

// ---- amounts ------------------------------------------------------------------------------------

const DOLLAR_CURRENCIES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN']);

function symbolCurrency(sym: string, fallback: string): string {
  const s = sym.toLowerCase().replace(/\s+/g, '');
  if (s === 'us$' || s === 'usd') return 'USD';
  if (s === 'c$' || s === 'ca$' || s === 'cad') return 'CAD';
  if (s === 'a$' || s === 'au$' || s === 'aud') return 'AUD';
  if (s === 'nz$' || s === 'nzd') return 'NZD';
  if (s === '$' || s.startsWith('dollar') || s === 'bucks') return DOLLAR_CURRENCIES.has(fallback) ? fallback : 'USD';
  if (s === '€' || s === 'eur' || s.startsWith('euro')) return 'EUR';
  if (s === '£' || s === 'gbp' || s.startsWith('pound') || s === 'quid') return 'GBP';
  if (s === '¥' || s === 'jpy' || s === 'yen') return 'JPY';
  if (s === '₹' || s === 'inr' || s.startsWith('rupee')) return 'INR';
  return sym.toUpperCase();
}

/** A written number to a plain decimal string: "1.234,50" → "1234.50", "2.500" → "2500". */
export function parseDecimal(raw: string): string | null {
  const s = raw.replace(/[\s'’]/g, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? '.' : ',';
    const thousands = dec === '.' ? ',' : '.';
    const intPart = s.slice(0, s.lastIndexOf(dec)).split(thousands).join('');
    return `${intPart}.${s.slice(s.lastIndexOf(dec) + 1)}`;
  }
  const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (sep === null) return s;
  const count = s.split(sep).length - 1;
  const after = s.length - s.lastIndexOf(sep) - 1;
  if (count > 1 || after === 3) return s.split(sep).join('');
  return s.replace(sep, '.');
}

const NUM = "(\\d{1,3}(?:[ ,.'’]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)";
const CUR_BEFORE = '(US\\$|CA\\$|AU\\$|NZ\\$|C\\$|A\\$|\\$|€|£|¥|₹|USD|EUR|GBP|CAD|AUD|NZD|JPY|CHF|SEK|NOK|DKK|INR|MXN|SGD|HKD)';
const CUR_AFTER = '(€|£|\\$|USD|EUR|GBP|CAD|AUD|NZD|JPY|CHF|SEK|NOK|DKK|INR|MXN|SGD|HKD|dollars?|euros?|pounds?|bucks|quid|yen|rupees?)';
const AMOUNT_BEFORE = new RegExp(`(?<![\\w$€£¥₹])${CUR_BEFORE}\\s?${NUM}(k\\b)?(?![\\d])`, 'gi');
const AMOUNT_AFTER = new RegExp(`(?<![\\w.,])${NUM}\\s?${CUR_AFTER}(?![a-z])`, 'gi');
const PAY_VERB =
  '(?:pay|paying|send|sending|transfer|transferring|wire|wiring|remit|remitting|paid|sent|transferred|wired|remitted|deposit|deposited|(?:can|could)\\s+do|cover|covering)';
const AMOUNT_BARE = new RegExp(
  `\\b${PAY_VERB}\\s+(?:you\\s+|you\\s+guys\\s+|another\\s+|an\\s+additional\\s+|the\\s+remaining\\s+|the\\s+first\\s+|about\\s+|around\\s+|approximately\\s+|approx\\.?\\s+|over\\s+)?${NUM}(?![\\d.,]*\\d)(?!\\s*(?:st|nd|rd|th|%|days?|weeks?|months?|years?|hours?|h\\b|am|pm|invoices?|items?|pcs|units|parts|x\\b|times|of\\s+(?:them|the|these|those|our|your)))`,
  'gi',
);
const AMOUNT_GROUPED = /(?<![\w.,$€£])(\d{1,3}(?:,\d{3})+\.\d{2}|\d{1,3}(?:\.\d{3})+,\d{2})(?![\d])/g;

/** Spans in `text` that may look like money but are not (see the header). */
export function nonAmountSpans(text: string, extra: readonly Span[] = []): Span[] {
  return [
    ...extra,
    ...spansOf(text, EMAIL_OR_URL),
    ...spansOf(text, PHONE_LABELLED),
    ...spansOf(text, PHONE_SHAPED),
    ...spansOf(text, PHONE_LOCAL),
    ...spansOf(text, TIME),
    ...spansOf(text, PERCENT),
    ...spansOf(text, HASH_NUMBER),
    ...spansOf(text, PO_REF),
  ];
}

/** Money in the text; `masked` spans (dates, invoice numbers, references) are never read. */
export function findAmounts(text: string, defaultCurrency: string, masked: readonly Span[] = []): FoundAmount[] {
  const clean = mask(text, nonAmountSpans(text, masked));
  const found: FoundAmount[] = [];
  const overlaps = (s: number, e: number): boolean => found.some((f) => s < f.end && e > f.start);
  const push = (start: number, end: number, numText: string, currency: string, explicit: boolean, thousand = false): void => {
    if (overlaps(start, end)) return;
    const dec = parseDecimal(numText);
    if (dec === null) return;
    let cents: number;
    try {
      cents = toMinorUnits(dec, currency);
      if (thousand) cents *= 1000;
    } catch {
      return;
    }
    if (!(cents > 0) || !Number.isSafeInteger(cents)) return;
    found.push({ start, end, text: text.slice(start, end), cents, currency, explicitCurrency: explicit });
  };
  for (const m of clean.matchAll(AMOUNT_BEFORE)) {
    push(m.index!, m.index! + m[0].length, m[2]!, symbolCurrency(m[1]!, defaultCurrency), true, Boolean(m[3]));
  }
  for (const m of clean.matchAll(AMOUNT_AFTER)) {
    push(m.index!, m.index! + m[0].length, m[1]!, symbolCurrency(m[2]!, defaultCurrency), true);
  }
  for (const m of clean.matchAll(AMOUNT_BARE)) {
    const numText = m[1]!;
    const start = m.index! + m[0].lastIndexOf(numText);
    push(start, start + numText.length, numText, defaultCurrency, false);
  }
  for (const m of clean.matchAll(AMOUNT_GROUPED)) {
    push(m.index!, m.index! + m[0].length, m[1]!, defaultCurrency, false);
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Every number in the text, in minor units, under each plausible reading ("2.500" as 2500 and as
 * 2.5), to check that an amount a model reports really appears in the reply.
 */
export function numbersInText(text: string, currency: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.matchAll(/\d[\d.,' ]*\d|\d/g)) {
    const raw = m[0].trim();
    const readings = new Set<string>();
    const dec = parseDecimal(raw);
    if (dec !== null) readings.add(dec);
    readings.add(raw.replace(/[^\d]/g, ''));
    const last = Math.max(raw.lastIndexOf('.'), raw.lastIndexOf(','));
    if (last > 0) readings.add(`${raw.slice(0, last).replace(/[^\d]/g, '')}.${raw.slice(last + 1).replace(/[^\d]/g, '')}`);
    for (const r of readings) {
      try {
        out.add(toMinorUnits(r, currency));
      } catch {
        // not a usable number
      }
    }
  }
  return out;
}
