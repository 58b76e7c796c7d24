// The fact-check (DESIGN §1.5, §8): every amount, invoice number, date, "N days overdue",
// percentage, email address and link in a draft's final text (the owner's edits included) is
// found and matched against the draft's facts, with its offsets so the editor can underline it.
//
// - Amounts: a number next to a currency marker (symbol, ISO code or word) in either position,
//   read with the locale's separators ("$1,234.50", "1.234,50 €", "USD 1234.5", "CHF 1'234.50",
//   "₹12,34,567.50", "¥1,500"). OK when it equals a fact amount in the same currency; the wrong
//   currency, or a value no fact has, is a mismatch. A bare "1,234.50" is matched against every
//   currency.
// - Dates: ISO, Y/M/D, D/M/Y or M/D/Y (numeric, read with the locale; a day/month that could be
//   either is 'ambiguous' unless the locale's reading, or failing a locale order either reading,
//   is a fact date), and month names in the locale or English ("21 Nov 2026", "November 21st,
//   2026", "21. November 2026", "21 de nov. de 2026"), with or without the year.
// - Invoice numbers: the facts' numbers wherever they appear, "#1042" or "invoice 1042" when the
//   digits name exactly one of them, and anything shaped like an invoice number that is not one
//   ('unknown').
// - Customer, contact and company names are facts too: figures inside them are not checked.
// Overlaps go to the longest span, then to a reading that checks out, then by kind.
import { fromMinorUnits, currencyDecimals } from '../../../shared/money';
import { toEpochDay, fromEpochDay, type IsoDate } from '../../../shared/dates';
import type { DraftFacts } from './facts';
import { currencyMarkers, dateOrder, day, decimalSeparator, foldSpaces, money, monthKey, monthNames, type DateOrder } from './locale';

export type FindingKind = 'amount' | 'date' | 'invoice' | 'days' | 'percent' | 'email' | 'link';
export type FindingStatus = 'ok' | 'mismatch' | 'unknown' | 'ambiguous';

export interface Finding {
  kind: FindingKind;
  /** The text as it appears in the draft. */
  text: string;
  /** UTF-16 offsets into the checked text (String.slice(start, end) === text). */
  start: number;
  end: number;
  status: FindingStatus;
  /** What the facts say instead, formatted for the locale (mismatch, ambiguous, sometimes unknown). */
  expected?: string;
  /** A short explanation for the editor's tooltip. */
  note?: string;
}

export interface FactCheckResult {
  findings: Finding[];
  /** Findings that are not 'ok': these block approval unless the owner overrides with a reason. */
  flagged: number;
}

export interface DraftCheck {
  subject: FactCheckResult;
  body: FactCheckResult;
  flagged: number;
  clean: boolean;
}

// ---- the index of facts ------------------------------------------------------------------------

interface CurrencyAmounts {
  /** Normalised decimal string ("1234.5") → minor units. */
  values: Map<string, number>;
  cents: number[];
}

interface Patterns {
  prefix: RegExp;
  suffix: RegExp;
  markers: Map<string, Set<string>>;
  /** Markers with their spaces removed ("$ US" and "$US" alike) → currencies. */
  byMarker: Map<string, Set<string>>;
  textDmy: RegExp;
  textMdy: RegExp;
}

/** Everything the checker needs about one draft's facts, built once per draft. */
export interface FactIndex {
  readonly facts: DraftFacts;
  readonly locale: string;
  readonly decimal: string;
  readonly order: DateOrder;
  readonly amounts: ReadonlyMap<string, CurrencyAmounts>;
  readonly dates: ReadonlySet<IsoDate>;
  readonly dateDays: readonly number[];
  /** 'MM-DD' of every fact date, for dates written without a year. */
  readonly monthDays: ReadonlySet<string>;
  readonly days: ReadonlySet<number>;
  readonly invoiceNumbers: ReadonlyMap<string, string>;
  readonly invoiceTails: ReadonlyMap<string, ReadonlySet<string>>;
  readonly invoiceLiteral: RegExp | null;
  readonly invoiceShapes: RegExp | null;
  readonly reserved: readonly string[];
  readonly emails: ReadonlySet<string>;
  readonly links: ReadonlySet<string>;
  readonly patterns: Patterns;
  readonly months: ReadonlyMap<string, number>;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "001234.50" → "1234.5": the form amounts are compared in (no floats anywhere). */
function normalizeDecimal(int: string, frac: string): string {
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

function tailDigits(s: string): string | null {
  const m = /(\d+)\D*$/.exec(s);
  return m ? m[1]!.replace(/^0+(?=\d)/, '') : null;
}

// "Letters" for word boundaries: alphabetic scripts only, so that figures run straight into
// Chinese, Japanese or Korean text ("請求額は150,000円です") are still found.
const W = String.raw`\p{sc=Latin}\p{sc=Cyrillic}\p{sc=Greek}`;
// Numbers: Indian lakh grouping, 3-digit groups with one separator kind, or plain digits, each
// with an optional decimal part. Which separator is the decimal one is decided in parseAmount.
const GROUP = "[,.'’\\u00a0\\u202f\\u2009 ]";
const NUM = `(?:\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?|\\d{1,3}(?:${GROUP}\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)`;
const NUM_BARE = `(?:\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?|\\d{1,3}(?:[,.'’]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)`;
const NUM_END = "(?![\\p{N}]|[.,'’]\\p{N})";

const patternCache = new Map<string, Patterns>();

function patternsFor(locale: string, currencies: readonly string[]): Patterns {
  const key = `${locale}|${[...currencies].sort().join(',')}`;
  const hit = patternCache.get(key);
  if (hit) return hit;
  const markers = currencyMarkers(locale, currencies);
  const byMarker = new Map<string, Set<string>>();
  for (const [m, set] of markers) {
    const k = m.replace(/ /g, '');
    byMarker.set(k, new Set([...(byMarker.get(k) ?? []), ...set]));
  }
  // "kr." may be Danish kroner or "kr" ending a sentence: it means either.
  for (const [k, set] of byMarker) {
    const short = k.endsWith('.') ? byMarker.get(k.slice(0, -1)) : undefined;
    if (short) byMarker.set(k, new Set([...set, ...short]));
  }
  const alternation = [...markers.keys()]
    .sort((a, b) => b.length - a.length)
    .map((m) => escapeRe(m).replace(/ /g, '\\s?'))
    .join('|');
  const months = [...monthNames(locale).keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  const year = '(?<y>\\d{4})(?!\\p{N})';
  const patterns: Patterns = {
    markers,
    byMarker,
    prefix: new RegExp(`(?<![${W}\\p{N}])(?:${MINUS})?(?<m>${alternation})\\s?(?:[-−]\\s?)?(?<n>${NUM})(?<tail>[${W}]*)${NUM_END}`, 'gu'),
    suffix: new RegExp(`(?<![${W}\\p{N}_.,'’/#-])(?:${MINUS})?(?<n>${NUM})\\s?(?<m>${alternation})(?![${W}\\p{N}])`, 'gu'),
    textDmy: new RegExp(
      `(?<![${W}\\p{N}])(?<d>\\d{1,2})(?:st|nd|rd|th|\\.|º)?(?:\\s+de)?\\s*(?:of\\s+)?(?<m>${months})(?![${W}])\\.?(?:,?\\s+(?:de\\s+)?${year})?`,
      'giu',
    ),
    textMdy: new RegExp(`(?<![${W}])(?<m>${months})(?![${W}])\\.?\\s+(?<d>\\d{1,2})(?:st|nd|rd|th)?(?!\\p{N})(?:,?\\s+${year})?`, 'giu'),
  };
  patternCache.set(key, patterns);
  return patterns;
}

/** Builds the index for a draft's facts; cheap enough to do per check, worth reusing per edit. */
export function buildFactIndex(facts: DraftFacts): FactIndex {
  const locale = facts.locale;
  const amounts = new Map<string, CurrencyAmounts>();
  const addAmount = (currency: string, cents: number): void => {
    if (!Number.isSafeInteger(cents) || cents === 0) return;
    let a = amounts.get(currency);
    if (!a) amounts.set(currency, (a = { values: new Map(), cents: [] }));
    const [int = '0', frac = ''] = fromMinorUnits(Math.abs(cents), currency).split('.');
    const key = normalizeDecimal(int, frac);
    if (!a.values.has(key)) {
      a.values.set(key, Math.abs(cents));
      a.cents.push(Math.abs(cents));
    }
  };
  const sums = new Map<string, { total: number; paid: number; credited: number }>();
  const sumOf = (c: string): { total: number; paid: number; credited: number } => {
    let s = sums.get(c);
    if (!s) sums.set(c, (s = { total: 0, paid: 0, credited: 0 }));
    return s;
  };
  const dates = new Set<IsoDate>([facts.asOf]);
  const days = new Set<number>();
  for (const inv of facts.invoices) {
    addAmount(inv.currency, inv.totalCents);
    addAmount(inv.currency, inv.balanceCents);
    addAmount(inv.currency, inv.totalCents - inv.balanceCents);
    sumOf(inv.currency).total += inv.totalCents;
    dates.add(inv.issueDate);
    dates.add(inv.dueDate);
    if (inv.daysOverdue > 0) days.add(inv.daysOverdue);
  }
  for (const t of facts.totals) {
    addAmount(t.currency, t.balanceCents);
    addAmount(t.currency, t.overdueCents);
  }
  for (const p of facts.payments) {
    addAmount(p.currency, p.cents);
    sumOf(p.currency).paid += p.cents;
    dates.add(p.date);
  }
  for (const c of facts.credits) {
    addAmount(c.currency, c.cents);
    sumOf(c.currency).credited += c.cents;
    dates.add(c.date);
  }
  for (const p of facts.promises) {
    addAmount(p.currency, p.cents);
    dates.add(p.date);
    if (p.outcome) {
      addAmount(p.currency, p.outcome.paidByDeadlineCents);
      addAmount(p.currency, p.outcome.shortfallCents);
      dates.add(p.outcome.deadline);
    }
  }
  if (facts.plan) {
    addAmount(facts.plan.currency, facts.plan.totalCents);
    for (const i of facts.plan.instalments) {
      addAmount(facts.plan.currency, i.cents);
      dates.add(i.date);
    }
  }
  for (const [currency, s] of sums) {
    addAmount(currency, s.total);
    addAmount(currency, s.paid);
    addAmount(currency, s.credited);
  }

  const invoiceNumbers = new Map<string, string>();
  const invoiceTails = new Map<string, Set<string>>();
  const shapes = new Set<string>();
  for (const inv of facts.invoices) {
    invoiceNumbers.set(inv.number.toLowerCase(), inv.number);
    const tail = tailDigits(inv.number);
    if (tail !== null) {
      let set = invoiceTails.get(tail);
      if (!set) invoiceTails.set(tail, (set = new Set()));
      set.add(inv.number);
    }
    if (/\p{L}/u.test(inv.number) && /\d/.test(inv.number)) {
      shapes.add(
        inv.number
          .split(/(\d+)/)
          .map((part, i) => (i % 2 === 1 ? '\\d+' : escapeRe(part)))
          .join(''),
      );
    }
  }
  const literal = [...invoiceNumbers.values()].sort((a, b) => b.length - a.length).map(escapeRe);
  const reserved = [facts.customer.name, facts.customer.contactName, facts.company.name].filter(
    (s): s is string => !!s && s.length >= 4 && /\p{L}/u.test(s),
  );
  const links = new Set<string>();
  if (facts.payLink) {
    links.add(facts.payLink);
    links.add(facts.payLink.replace(/\/$/, ''));
  }
  const currencies = [...new Set([...facts.invoices.map((i) => i.currency), ...facts.payments.map((p) => p.currency), ...facts.promises.map((p) => p.currency), ...(facts.plan ? [facts.plan.currency] : [])])];

  return {
    facts,
    locale,
    decimal: decimalSeparator(locale),
    order: dateOrder(locale),
    amounts,
    dates,
    dateDays: [...dates].map(toEpochDay).sort((a, b) => a - b),
    monthDays: new Set([...dates].map((d) => d.slice(5))),
    days,
    invoiceNumbers,
    invoiceTails,
    invoiceLiteral: literal.length ? new RegExp(`(?<![${W}\\p{N}])(?:${literal.join('|')})(?![${W}\\p{N}])`, 'giu') : null,
    invoiceShapes: shapes.size ? new RegExp(`(?<![${W}\\p{N}])(?:${[...shapes].join('|')})(?![${W}\\p{N}])`, 'giu') : null,
    reserved,
    emails: new Set([facts.customer.email, facts.company.email].filter((e): e is string => !!e).map((e) => e.toLowerCase())),
    links,
    patterns: patternsFor(locale, currencies),
    months: monthNames(locale),
  };
}

// ---- judging one figure --------------------------------------------------------------------------

interface Verdict {
  status: FindingStatus;
  expected?: string;
  note?: string;
}

const OK: Verdict = { status: 'ok' };

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

function judgeAmount(ix: FactIndex, numText: string, markerCurrencies: ReadonlySet<string> | null): Verdict & { bare?: 'money' | 'number' } {
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

interface Ymd {
  y: number | null;
  m: number;
  d: number;
}

function validYmd({ y, m, d }: Ymd): boolean {
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
function judgeDate(ix: FactIndex, readings: Ymd[], localeFirst: boolean): Verdict {
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

function judgeInvoice(ix: FactIndex, token: string): Verdict {
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

// ---- extraction ------------------------------------------------------------------------------------

interface Candidate extends Verdict {
  kind: FindingKind | 'reserved';
  start: number;
  end: number;
  rank: number;
}

const RANK: Record<FindingKind | 'invoice-known' | 'invoice-guess' | 'bare', number> = {
  link: 0,
  email: 0,
  'invoice-known': 1,
  date: 2,
  amount: 3,
  percent: 3,
  days: 4,
  bare: 5,
  invoice: 6,
  'invoice-guess': 6,
};

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** A minus sign before an amount; a dash that opens a line ("- €1,200.25") is a list bullet instead. */
const MINUS = String.raw`(?<!(?:^|\n)[ \t]*)[-−]\s?`;
const LINK = new RegExp(String.raw`(?<![${W}\p{N}])(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+`, 'giu');
const YMD = /(?<![\p{N}.,/-])(\d{4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{1,2})\.?(?![\p{N}]|[.,/-]\p{N})/gu;
const CJK = /(\d{4})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日/gu;
const NUMERIC = /(?<![\p{N}.,/-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\p{N}]|[.,/-]\p{N})/gu;
const DOTTED_NO_YEAR = /(?<![\p{N}.,/-])(\d{1,2})\.(\d{1,2})\.(?![\p{N}])/gu;
const PERCENT = new RegExp(String.raw`(?<![${W}\p{N}.,])\d+(?:[.,]\d+)?\s?(?:%|percent(?![${W}])|per\s?cent(?![${W}])|prozent(?![${W}])|pour\s?cent(?![${W}]))`, 'giu');
const DAYS_BEFORE = new RegExp(String.raw`(?<![${W}\p{N}.,])(\d{1,4})\s+(?:calendar\s+)?days?\s+(?:overdue|past\s+(?:the\s+|its\s+)?due(?:\s+date)?|late|in\s+arrears|outstanding)`, 'giu');
const DAYS_AFTER = new RegExp(String.raw`(?:overdue|late|past\s+due)\s+(?:by|for)\s+(\d{1,4})\s+days?(?![${W}])`, 'giu');
const INVOICE_WORD =
  new RegExp(String.raw`(?<![${W}\p{N}])(?:invoices?|inv\.?|rechnung(?:en)?|factures?|facturas?|fattur[ae]|factu(?:u)?r(?:en)?|fakturan?)\s*(?:no\.?|nr\.?|n[°º]\.?|num(?:ber|\.)?|#)?\s*[:#]?\s*(?<t>[${W}\p{N}][${W}\p{N}\-/._]*)`, 'dgiu');
const HASH = new RegExp(String.raw`(?<![${W}\p{N}&])#\s?(?<t>\p{N}[${W}\p{N}\-/]*)`, 'dgu');
const CODE_LIKE = new RegExp(String.raw`(?<![${W}\p{N}])(?:[A-Z]{2,5}-\d+|[A-Z]{2,5}\d{3,})(?![${W}\p{N}])`, 'gu');
const BARE = new RegExp(`(?<![${W}\\p{N}_.,'’/#:$€£¥-])(?:[-−])?(?<n>${NUM_BARE})(?![\\p{N}%]|[.,'’]\\p{N}|\\s?%)`, 'gu');

const twoDigitYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

function extract(ix: FactIndex, text: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (kind: Candidate['kind'], start: number, end: number, v: Verdict, rank: number): void => {
    if (end > start) out.push({ kind, start, end, rank, ...v });
  };

  for (const name of ix.reserved) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) push('reserved', at, at + name.length, OK, -1);
  }

  for (const m of text.matchAll(EMAIL)) {
    const known = ix.emails.has(m[0].toLowerCase());
    push('email', m.index, m.index + m[0].length, known ? OK : { status: 'unknown', note: 'An address that is not in the facts' }, RANK.email);
  }
  for (const m of text.matchAll(LINK)) {
    const link = m[0].replace(/[.,;:!?]+$/, '');
    const known = ix.links.has(link) || ix.links.has(link.replace(/\/$/, ''));
    push('link', m.index, m.index + link.length, known ? OK : { status: 'unknown', note: 'Only the payment link from the ledger may appear' }, RANK.link);
  }

  if (ix.invoiceLiteral) {
    for (const m of text.matchAll(ix.invoiceLiteral)) push('invoice', m.index, m.index + m[0].length, OK, RANK['invoice-known']);
  }
  if (ix.invoiceShapes) {
    for (const m of text.matchAll(ix.invoiceShapes)) push('invoice', m.index, m.index + m[0].length, judgeInvoice(ix, m[0]), RANK.invoice);
  }
  for (const re of [INVOICE_WORD, HASH]) {
    for (const m of text.matchAll(re)) {
      const span = m.indices?.groups?.t;
      const raw = m.groups?.t;
      if (!span || !raw) continue;
      const token = raw.replace(/[._\-/]+$/, '');
      if (!/\d/.test(token)) continue;
      const start = re === HASH ? m.index : span[0];
      const tokenText = re === HASH ? text.slice(start, span[0] + token.length) : token;
      push('invoice', start, start + tokenText.length, judgeInvoice(ix, token), RANK['invoice-guess']);
    }
  }
  for (const m of text.matchAll(CODE_LIKE)) {
    if (ix.patterns.markers.has(m[0].slice(0, 3))) continue;
    push('invoice', m.index, m.index + m[0].length, judgeInvoice(ix, m[0]), RANK['invoice-guess']);
  }

  for (const m of text.matchAll(YMD)) {
    push('date', m.index, m.index + m[0].length, judgeDate(ix, [{ y: Number(m[1]), m: Number(m[3]), d: Number(m[4]) }], true), RANK.date);
  }
  for (const m of text.matchAll(CJK)) {
    push('date', m.index, m.index + m[0].length, judgeDate(ix, [{ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }], true), RANK.date);
  }
  for (const m of text.matchAll(NUMERIC)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = twoDigitYear(m[4]!);
    const dmy: Ymd = { y, m: b, d: a };
    const mdy: Ymd = { y, m: a, d: b };
    const readings = ix.order === 'MDY' ? [mdy, dmy] : [dmy, mdy];
    push('date', m.index, m.index + m[0].length, judgeDate(ix, readings, ix.order !== 'YMD'), RANK.date);
  }
  if (ix.order === 'DMY' && ix.decimal === ',') {
    for (const m of text.matchAll(DOTTED_NO_YEAR)) {
      const r: Ymd = { y: null, m: Number(m[2]), d: Number(m[1]) };
      if (validYmd(r)) push('date', m.index, m.index + m[0].length, judgeDate(ix, [r], true), RANK.date);
    }
  }
  for (const re of [ix.patterns.textDmy, ix.patterns.textMdy]) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      const month = ix.months.get(monthKey(g.m!));
      if (month === undefined) continue;
      const r: Ymd = { y: g.y ? Number(g.y) : null, m: month + 1, d: Number(g.d) };
      push('date', m.index, m.index + m[0].length, judgeDate(ix, [r], true), RANK.date);
    }
  }

  for (const re of [ix.patterns.prefix, ix.patterns.suffix]) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      const marker = foldSpaces(g.m!).replace(/ /g, '');
      const currencies = ix.patterns.byMarker.get(marker);
      // A sentence's full stop after a trailing marker ("… 1 234,50 kr.") is not part of the figure.
      const end = m.index + m[0].length - (re === ix.patterns.suffix && marker.endsWith('.') && ix.patterns.byMarker.has(marker.slice(0, -1)) ? 1 : 0);
      const verdict: Verdict = g.tail
        ? { status: 'mismatch', note: 'An amount with letters in it cannot be checked; write it in full' }
        : judgeAmount(ix, g.n!, currencies ?? null);
      push('amount', m.index, end, verdict, RANK.amount);
    }
  }
  for (const m of text.matchAll(BARE)) {
    const n = m.groups!.n!;
    const parsed = parseAmount(n, 2, ix.decimal);
    if (!parsed || (parsed.frac.length !== 2 && !/[,.'’]\d{3}(?:\D|$)/.test(n))) continue;
    push('amount', m.index, m.index + m[0].length, judgeAmount(ix, n, null), RANK.bare);
  }

  for (const m of text.matchAll(PERCENT)) {
    push('percent', m.index, m.index + m[0].length, { status: 'unknown', note: 'The facts have no percentages' }, RANK.percent);
  }
  for (const re of [DAYS_BEFORE, DAYS_AFTER]) {
    for (const m of text.matchAll(re)) {
      const n = Number(m[1]);
      let v: Verdict = OK;
      if (!ix.days.has(n)) {
        let best: number | null = null;
        for (const d of ix.days) if (best === null || Math.abs(d - n) < Math.abs(best - n)) best = d;
        v = { status: 'mismatch', expected: best === null ? undefined : `${best} days`, note: 'No invoice is this many days overdue' };
      }
      push('days', m.index, m.index + m[0].length, v, RANK.days);
    }
  }
  return out;
}

/** Keeps reserved spans, then the longest candidates, preferring ones that check out, then by kind. */
function resolve(text: string, candidates: Candidate[]): Finding[] {
  const taken = new Uint8Array(text.length + 1);
  const free = (c: Candidate): boolean => {
    for (let i = c.start; i < c.end; i++) if (taken[i]) return false;
    return true;
  };
  const order = [...candidates].sort(
    (a, b) =>
      (a.kind === 'reserved' ? 0 : 1) - (b.kind === 'reserved' ? 0 : 1) ||
      b.end - b.start - (a.end - a.start) ||
      (a.status === 'ok' ? 0 : 1) - (b.status === 'ok' ? 0 : 1) ||
      a.rank - b.rank ||
      a.start - b.start,
  );
  const findings: Finding[] = [];
  for (const c of order) {
    if (!free(c)) continue;
    taken.fill(1, c.start, c.end);
    if (c.kind === 'reserved') continue;
    const f: Finding = { kind: c.kind, text: text.slice(c.start, c.end), start: c.start, end: c.end, status: c.status };
    if (c.expected !== undefined) f.expected = c.expected;
    if (c.note !== undefined) f.note = c.note;
    findings.push(f);
  }
  return findings.sort((a, b) => a.start - b.start);
}

function isIndex(x: DraftFacts | FactIndex): x is FactIndex {
  return (x as FactIndex).patterns !== undefined && (x as FactIndex).facts !== undefined;
}

/** Checks one text (a subject or a body) against the facts (or a prebuilt index of them). */
export function factCheck(text: string, facts: DraftFacts | FactIndex): FactCheckResult {
  const ix = isIndex(facts) ? facts : buildFactIndex(facts);
  const findings = resolve(text, extract(ix, text));
  return { findings, flagged: findings.filter((f) => f.status !== 'ok').length };
}

/** Checks a whole draft: subject and body, each with its own offsets. */
export function factCheckDraft(draft: { subject: string; body: string }, facts: DraftFacts | FactIndex): DraftCheck {
  const ix = isIndex(facts) ? facts : buildFactIndex(facts);
  const subject = factCheck(draft.subject, ix);
  const body = factCheck(draft.body, ix);
  const flagged = subject.flagged + body.flagged;
  return { subject, body, flagged, clean: flagged === 0 };
}
