// Judging one figure the fact-check found (factcheck.ts) against the index of the facts
// (fact-index.ts): an amount read as the locale and its currency would, a date in each reading
// its digits allow, an invoice number or reference. Each verdict says what the facts say instead.
import { currencyDecimals } from '../../../shared/money';
import { toEpochDay, fromEpochDay } from '../../../shared/dates';
import { normalizeDecimal, type FactIndex } from './fact-index';
import { day, money } from './locale';

export type FindingStatus = 'ok' | 'mismatch' | 'unknown' | 'ambiguous';

export interface Verdict {
  status: FindingStatus;
  expected?: string;
  note?: string;
}

export const OK: Verdict = { status: 'ok' };

/**
 * Reads a number as the locale and the currency would: the last '.' or ',' is the decimal point
 * unless it is followed by exactly three digits in a currency with fewer decimals (then it groups
 * thousands), or unless every separator is the same. Spaces and apostrophes always group.
 * Null when the separators contradict each other.
 */
export function parseAmount(raw: string, decimals: number, localeDecimal: string): { int: string; frac: string } | null {
  const text = raw.replace(/[\s\u00a0\u202f\u2009]/g, ' ');
  const seps: { ch: string; idx: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch < '0' || ch > '9') seps.push({ ch: ch === '’' ? "'" : ch, idx: i });
  }
  if (seps.length === 0) return { int: text, frac: '' };
  const last = seps[seps.length - 1]!;
  let decimalIdx = -1;
  if (last.ch === '.' || last.ch === ',') {
    const others = seps.slice(0, -1);
    const after = text.length - last.idx - 1;
    if (others.length === 0) {
      decimalIdx = after === 3 ? (decimals === 3 && last.ch === localeDecimal ? last.idx : -1) : last.idx;
    } else if (!others.every((o) => o.ch === last.ch)) {
      decimalIdx = last.idx;
    }
  }
  const groups = seps.filter((s) => s.idx !== decimalIdx);
  if (groups.some((g) => g.ch !== groups[0]!.ch)) return null;
  if (decimalIdx >= 0 && groups.some((g) => g.ch === text[decimalIdx])) return null;
  const digits = (s: string): string => s.replace(/\D/g, '');
  return decimalIdx < 0
    ? { int: digits(text), frac: '' }
    : { int: digits(text.slice(0, decimalIdx)), frac: digits(text.slice(decimalIdx + 1)) };
}

function minorOf(int: string, frac: string, decimals: number): bigint {
  return BigInt((int || '0') + frac.padEnd(decimals, '0').slice(0, decimals));
}

function nearestCents(list: readonly number[], target: bigint): number | null {
  let best: number | null = null;
  let bestDiff = 0n;
  for (const c of list) {
    const diff = BigInt(c) > target ? BigInt(c) - target : target - BigInt(c);
    if (best === null || diff < bestDiff) {
      best = c;
      bestDiff = diff;
    }
  }
  return best;
}

export function judgeAmount(ix: FactIndex, numText: string, markerCurrencies: ReadonlySet<string> | null): Verdict & { bare?: 'money' | 'number' } {
  const factCurrencies = [...ix.amounts.keys()];
  const tryIn = (currency: string): { hit: boolean; minor: bigint; readable: boolean } => {
    const d = currencyDecimals(currency);
    const parsed = parseAmount(numText, d, ix.decimal);
    if (!parsed) return { hit: false, minor: 0n, readable: false };
    const hit = ix.amounts.get(currency)?.values.has(normalizeDecimal(parsed.int, parsed.frac)) ?? false;
    return { hit, minor: minorOf(parsed.int, parsed.frac, d), readable: true };
  };
  const nearestIn = (currency: string, minor: bigint): string | undefined => {
    const c = nearestCents(ix.amounts.get(currency)?.cents ?? [], minor);
    return c === null ? undefined : money(c, currency, ix.locale);
  };

  if (markerCurrencies === null) {
    for (const c of factCurrencies) if (tryIn(c).hit) return OK;
    const parsed = parseAmount(numText, 2, ix.decimal);
    const money2 = parsed !== null && parsed.frac.length === 2;
    const first = factCurrencies[0];
    const expected = first && parsed ? nearestIn(first, minorOf(parsed.int, parsed.frac, currencyDecimals(first))) : undefined;
    return money2
      ? { status: 'mismatch', expected, note: 'No amount in the facts has this value' }
      : { status: 'unknown', expected, note: 'A number that is not in the facts' };
  }

  const inFacts = factCurrencies.filter((c) => markerCurrencies.has(c));
  if (inFacts.length > 0) {
    let first: { minor: bigint; readable: boolean } | null = null;
    for (const c of inFacts) {
      const r = tryIn(c);
      if (r.hit) return OK;
      first ??= r;
    }
    if (!first?.readable) return { status: 'mismatch', note: 'This amount cannot be read unambiguously' };
    return { status: 'mismatch', expected: nearestIn(inFacts[0]!, first.minor), note: 'No amount in the facts has this value' };
  }
  // A currency the facts do not use: the same figure in a fact currency is what was meant.
  const said = [...markerCurrencies].join(' or ');
  const factList = factCurrencies.join(', ') || 'none';
  for (const c of factCurrencies) {
    const r = tryIn(c);
    if (r.hit) return { status: 'mismatch', expected: nearestIn(c, r.minor), note: `Wrong currency: ${said}, but the facts are in ${factList}` };
  }
  const first = factCurrencies[0];
  const r = first ? tryIn(first) : null;
  return {
    status: 'mismatch',
    expected: first && r?.readable ? nearestIn(first, r.minor) : undefined,
    note: `Wrong currency: ${said}, but the facts are in ${factList}`,
  };
}

export interface Ymd {
  y: number | null;
  m: number;
  d: number;
}

export function validYmd({ y, m, d }: Ymd): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const max = new Date(Date.UTC(y ?? 2024, m, 0)).getUTCDate();
  return d <= max;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoOf = ({ y, m, d }: Ymd): string => `${y}-${pad(m)}-${pad(d)}`;

function dateMatches(ix: FactIndex, r: Ymd): boolean {
  return r.y === null ? ix.monthDays.has(`${pad(r.m)}-${pad(r.d)}`) : ix.dates.has(isoOf(r));
}

function nearestDate(ix: FactIndex, r: Ymd): string | undefined {
  const y = r.y ?? Number(ix.facts.asOf.slice(0, 4));
  const target = toEpochDay(isoOf({ y, m: r.m, d: r.d }));
  let best: number | null = null;
  for (const dd of ix.dateDays) if (best === null || Math.abs(dd - target) < Math.abs(best - target)) best = dd;
  return best === null ? undefined : day(fromEpochDay(best), ix.locale);
}

/** `readings` in order of preference; `preferred` says whether the first is the locale's reading. */
export function judgeDate(ix: FactIndex, readings: Ymd[], localeFirst: boolean): Verdict {
  const valid = readings.filter(validYmd);
  const distinct = valid.filter((r, i) => valid.findIndex((o) => o.m === r.m && o.d === r.d && o.y === r.y) === i);
  if (distinct.length === 0) return { status: 'mismatch', note: 'Not a real date' };
  if (distinct.length === 1) {
    const r = distinct[0]!;
    if (dateMatches(ix, r)) return OK;
    return { status: 'mismatch', expected: nearestDate(ix, r), note: 'No date in the facts is this one' };
  }
  const [a, b] = distinct as [Ymd, Ymd];
  const aHit = dateMatches(ix, a);
  const bHit = dateMatches(ix, b);
  if (localeFirst) {
    if (aHit) return OK;
    if (bHit) {
      return {
        status: 'ambiguous',
        expected: day(isoOf({ ...b, y: b.y ?? Number(ix.facts.asOf.slice(0, 4)) }), ix.locale),
        note: `Readers in ${ix.locale} would read this as ${day(isoOf({ ...a, y: a.y ?? 2000 }), ix.locale)}`,
      };
    }
  } else if (aHit || bHit) {
    return OK;
  }
  return { status: 'ambiguous', expected: nearestDate(ix, a), note: 'Day and month could be either way round; write the month as a word' };
}

export function judgeInvoice(ix: FactIndex, token: string): Verdict {
  if (ix.invoiceNumbers.has(token.toLowerCase())) return OK;
  const bare = token.replace(/^#\s?/, '');
  if (/^\d+$/.test(bare)) {
    const matches = ix.invoiceTails.get(bare.replace(/^0+(?=\d)/, ''));
    if (matches && matches.size === 1) return { status: 'ok', note: `Refers to ${[...matches][0]!}` };
  }
  const numbers = [...ix.invoiceNumbers.values()];
  return {
    status: 'unknown',
    expected: numbers.length <= 5 ? numbers.join(', ') : undefined,
    note: 'Not an invoice this reminder covers',
  };
}
