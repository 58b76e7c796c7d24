// Reading a pasted customer reply: findAmounts reads money in the common formats ($1,234.50,
// 1.234,50 €, USD 2.500, 500 dollars, "pay 500") after masking what only looks like money: phone
// numbers, invoice and reference numbers, dates, times and percentages. Words like "half" are
// never amounts.
import { toMinorUnits } from '../../../shared/money';
import { mask, spansOf, type Span } from './reply-text';

export interface FoundAmount extends Span {
  text: string;
  cents: number;
  currency: string;
  /** The currency was written (a symbol, code or word), not assumed. */
  explicitCurrency: boolean;
}

// ---- what only looks like money ---------------------------------------------------------------

const EMAIL_OR_URL = /[\w.+-]+@[\w-]+(\.[\w-]+)+|\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const PHONE_LABELLED = /\b(phone|tel|telephone|mobile|cell|fax|call me (on|at)|call us (on|at)|reach me (on|at)|ext)\b\.?\s*:?\s*\+?[\d(][\d\s().-]{5,}\d/gi;
const PHONE_SHAPED = /(?<![\w$€£.,])(\+\d{1,3}[\s.-]?)?(\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\d,])/g;
const PHONE_LOCAL = /(?<![\w$€£.,-])\d{3}-\d{4}(?![\d-])/g;
const TIME = /\b\d{1,2}(:\d{2})?\s?(am|pm|a\.m\.|p\.m\.)(?![a-z])|\b\d{1,2}:\d{2}\b|\b\d{1,2}h\d{2}\b/gi;
const PERCENT = /\d+([.,]\d+)?\s?%/g;
const HASH_NUMBER = /#\s?\d[\w-]*/g;
const PO_REF = /\b(?:PO|P\.O\.|purchase order)\s*(?:no\.?|number|#)?\s*[:#]?\s*[A-Z]{0,4}-?\d[\w-]*/gi;

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
