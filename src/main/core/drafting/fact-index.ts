// The index of a draft's facts the fact-check matches against (factcheck.ts): every amount each
// currency may state (balances, totals, what was paid, credited or promised, and their sums), the
// dates and days overdue, the invoice numbers and their shapes, the names whose figures are not
// checked, the addresses and the payment link, and the locale's regular expressions for amounts
// and written dates. Built once per draft's facts and reused for each text checked.
import { fromMinorUnits } from '../../../shared/money';
import { toEpochDay, type IsoDate } from '../../../shared/dates';
import type { DraftFacts } from './facts';
import { guardFacts, type GuardFacts } from './fact-guard';
import { currencyMarkers, dateOrder, decimalSeparator, monthNames, type DateOrder } from './locale';

export interface CurrencyAmounts {
  /** Normalised decimal string ("1234.5") → minor units. */
  values: Map<string, number>;
  cents: number[];
}

export interface Patterns {
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
  /** What the payment and contact guard allows (fact-guard.ts). */
  readonly guard: GuardFacts;
  readonly patterns: Patterns;
  readonly months: ReadonlyMap<string, number>;
}


const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "001234.50" → "1234.5": the form amounts are compared in (no floats anywhere). */
export function normalizeDecimal(int: string, frac: string): string {
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
export const W = String.raw`\p{sc=Latin}\p{sc=Cyrillic}\p{sc=Greek}`;
// Numbers: Indian lakh grouping, 3-digit groups with one separator kind, or plain digits, each
// with an optional decimal part. Which separator is the decimal one is decided in parseAmount.
const GROUP = "[,.'’\\u00a0\\u202f\\u2009 ]";
const NUM = `(?:\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?|\\d{1,3}(?:${GROUP}\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)`;
export const NUM_BARE = `(?:\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d+)?|\\d{1,3}(?:[,.'’]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)`;
const NUM_END = "(?![\\p{N}]|[.,'’]\\p{N})";

/** A minus sign before an amount; a dash that opens a line ("- €1,200.25") is a list bullet instead. */
const MINUS = String.raw`(?<!(?:^|\n)[ \t]*)[-−]\s?`;

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

/** Every amount the facts may state, per currency, in the order they are met (ties keep the first). */
function factAmounts(facts: DraftFacts): Map<string, CurrencyAmounts> {
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
  for (const inv of facts.invoices) {
    addAmount(inv.currency, inv.totalCents);
    addAmount(inv.currency, inv.balanceCents);
    addAmount(inv.currency, inv.totalCents - inv.balanceCents);
    sumOf(inv.currency).total += inv.totalCents;
  }
  for (const t of facts.totals) {
    addAmount(t.currency, t.balanceCents);
    addAmount(t.currency, t.overdueCents);
  }
  for (const p of facts.payments) {
    addAmount(p.currency, p.cents);
    sumOf(p.currency).paid += p.cents;
  }
  for (const c of facts.credits) {
    addAmount(c.currency, c.cents);
    sumOf(c.currency).credited += c.cents;
  }
  for (const p of facts.promises) {
    addAmount(p.currency, p.cents);
    if (p.outcome) {
      addAmount(p.currency, p.outcome.paidByDeadlineCents);
      addAmount(p.currency, p.outcome.shortfallCents);
    }
  }
  if (facts.plan) {
    addAmount(facts.plan.currency, facts.plan.totalCents);
    for (const i of facts.plan.instalments) addAmount(facts.plan.currency, i.cents);
  }
  for (const [currency, s] of sums) {
    addAmount(currency, s.total);
    addAmount(currency, s.paid);
    addAmount(currency, s.credited);
  }
  return amounts;
}

/** Every date the facts hold (asOf first), and the days overdue of the invoices. */
function factDates(facts: DraftFacts): { dates: Set<IsoDate>; days: Set<number> } {
  const dates = new Set<IsoDate>([facts.asOf]);
  const days = new Set<number>();
  for (const inv of facts.invoices) {
    dates.add(inv.issueDate);
    dates.add(inv.dueDate);
    if (inv.daysOverdue > 0) days.add(inv.daysOverdue);
  }
  for (const p of facts.payments) dates.add(p.date);
  for (const c of facts.credits) dates.add(c.date);
  for (const p of facts.promises) {
    dates.add(p.date);
    if (p.outcome) dates.add(p.outcome.deadline);
  }
  if (facts.plan) for (const i of facts.plan.instalments) dates.add(i.date);
  return { dates, days };
}

/** The invoice numbers, their trailing digits, and expressions for them and for look-alikes. */
function invoiceIndex(facts: DraftFacts): Pick<FactIndex, 'invoiceNumbers' | 'invoiceTails' | 'invoiceLiteral' | 'invoiceShapes'> {
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
  return {
    invoiceNumbers,
    invoiceTails,
    invoiceLiteral: literal.length ? new RegExp(`(?<![${W}\\p{N}])(?:${literal.join('|')})(?![${W}\\p{N}])`, 'giu') : null,
    invoiceShapes: shapes.size ? new RegExp(`(?<![${W}\\p{N}])(?:${[...shapes].join('|')})(?![${W}\\p{N}])`, 'giu') : null,
  };
}

/** Builds the index for a draft's facts; cheap enough to do per check, worth reusing per edit. */
export function buildFactIndex(facts: DraftFacts): FactIndex {
  const locale = facts.locale;
  const { dates, days } = factDates(facts);
  const reserved = [facts.customer.name, facts.customer.contactName, facts.company.name].filter(
    (s): s is string => !!s && s.length >= 4 && /\p{L}/u.test(s),
  );
  const links = new Set<string>();
  for (const link of [facts.payLink, facts.payment?.payLink]) {
    if (!link) continue;
    links.add(link);
    links.add(link.replace(/\/$/, ''));
  }
  const emails = new Set(
    [facts.customer.email, facts.company.email, facts.payment?.replyTo].filter((e): e is string => !!e).map((e) => e.toLowerCase()),
  );
  const currencies = [...new Set([...facts.invoices.map((i) => i.currency), ...facts.payments.map((p) => p.currency), ...facts.promises.map((p) => p.currency), ...(facts.plan ? [facts.plan.currency] : [])])];

  return {
    facts,
    locale,
    decimal: decimalSeparator(locale),
    order: dateOrder(locale),
    amounts: factAmounts(facts),
    dates,
    dateDays: [...dates].map(toEpochDay).sort((a, b) => a - b),
    monthDays: new Set([...dates].map((d) => d.slice(5))),
    days,
    ...invoiceIndex(facts),
    reserved,
    emails,
    links,
    guard: guardFacts({ facts, emails, links }),
    patterns: patternsFor(locale, currencies),
    months: monthNames(locale),
  };
}
