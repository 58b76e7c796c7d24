// Locale conventions the drafting code needs in both directions: templates and prompts format
// figures with Intl, and the fact-check must read them back (and the variants people and models
// write). Everything here comes from the platform's ICU data, computed once per locale and cached.
import { formatDate, type IsoDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';

export const FALLBACK_LOCALE = 'en-US';

const resolved = new Map<string, string>();

/** A canonical BCP 47 locale Intl supports; null, empty or unknown falls back to en-US. */
export function resolveLocale(locale: string | null | undefined): string {
  const key = locale ?? '';
  const hit = resolved.get(key);
  if (hit) return hit;
  let out = FALLBACK_LOCALE;
  if (locale) {
    try {
      const [canonical] = Intl.getCanonicalLocales(locale);
      if (canonical && Intl.NumberFormat.supportedLocalesOf([canonical]).length > 0) out = canonical;
    } catch {
      out = FALLBACK_LOCALE;
    }
  }
  resolved.set(key, out);
  return out;
}

/** "$1,234.50", "1.234,50 €": the one way drafts show money. */
export function money(cents: number, currency: string, locale: string): string {
  return formatMoney(cents, currency, locale);
}

/** "Nov 21, 2026", "21.11.2026": the one way drafts show ledger dates. */
export function day(date: IsoDate, locale: string): string {
  return formatDate(date, locale, 'medium');
}

const decimalCache = new Map<string, string>();

/** The locale's decimal separator ('.' or ','). */
export function decimalSeparator(locale: string): string {
  let sep = decimalCache.get(locale);
  if (sep === undefined) {
    sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    decimalCache.set(locale, sep);
  }
  return sep;
}

export type DateOrder = 'DMY' | 'MDY' | 'YMD';
const orderCache = new Map<string, DateOrder>();

/** How the locale orders a numeric date: 21/11/2026 (DMY), 11/21/2026 (MDY) or 2026/11/21 (YMD). */
export function dateOrder(locale: string): DateOrder {
  let order = orderCache.get(locale);
  if (order === undefined) {
    const types = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' })
      .formatToParts(new Date(Date.UTC(2026, 10, 21)))
      .map((p) => p.type)
      .filter((t) => t === 'day' || t === 'month' || t === 'year');
    const key = types.map((t) => t[0]).join('');
    order = key === 'mdy' ? 'MDY' : key === 'ymd' ? 'YMD' : 'DMY';
    orderCache.set(locale, order);
  }
  return order;
}

const monthCache = new Map<string, Map<string, number>>();

/** Lower-cases and drops a trailing dot, the key month names are looked up by. */
export function monthKey(name: string): string {
  return name.toLocaleLowerCase('en').replace(/\.$/, '').normalize('NFC');
}

/**
 * Month names (long, short and the "format" forms such as Polish genitives) of the locale and of
 * English, keyed by monthKey, to a 0-based month. The locale's own names win a clash.
 */
export function monthNames(locale: string): Map<string, number> {
  let names = monthCache.get(locale);
  if (names) return names;
  names = new Map<string, number>();
  const add = (raw: string, month: number): void => {
    const key = monthKey(raw.trim());
    if (key.length >= 3 && /^\p{L}+$/u.test(key) && !names!.has(key)) names!.set(key, month);
  };
  // Stand-alone and format (with a day) forms: Polish "listopad" and "listopada", "lis".
  for (const loc of new Set([locale, 'en-US'])) {
    const styles: Intl.DateTimeFormatOptions[] = [
      { month: 'long' },
      { month: 'short' },
      { day: 'numeric', month: 'long' },
      { day: 'numeric', month: 'short' },
    ];
    for (const opts of styles) {
      const fmt = new Intl.DateTimeFormat(loc, { ...opts, timeZone: 'UTC' });
      for (let m = 0; m < 12; m++) {
        for (const part of fmt.formatToParts(new Date(Date.UTC(2026, m, 21)))) {
          if (part.type === 'month') add(part.value, m);
        }
      }
    }
  }
  add('sept', 8);
  monthCache.set(locale, names);
  return names;
}

/** Symbols and words that stand for a currency next to an amount, beyond ISO codes. */
const STATIC_MARKERS: readonly (readonly [string, readonly string[]])[] = [
  ['$', ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'TWD', 'ARS', 'CLP', 'COP']],
  ['US$', ['USD']],
  ['$US', ['USD']],
  ['$ US', ['USD']],
  ['CA$', ['CAD']],
  ['C$', ['CAD']],
  ['$CA', ['CAD']],
  ['$ CA', ['CAD']],
  ['A$', ['AUD']],
  ['AU$', ['AUD']],
  ['$AU', ['AUD']],
  ['$ AU', ['AUD']],
  ['NZ$', ['NZD']],
  ['$NZ', ['NZD']],
  ['HK$', ['HKD']],
  ['S$', ['SGD']],
  ['MX$', ['MXN']],
  ['R$', ['BRL']],
  ['NT$', ['TWD']],
  ['€', ['EUR']],
  ['£', ['GBP']],
  ['£GB', ['GBP']],
  ['¥', ['JPY', 'CNY']],
  ['￥', ['JPY', 'CNY']],
  ['JP¥', ['JPY']],
  ['円', ['JPY']],
  ['元', ['CNY']],
  ['원', ['KRW']],
  ['CN¥', ['CNY']],
  ['₹', ['INR']],
  ['₩', ['KRW']],
  ['₽', ['RUB']],
  ['₺', ['TRY']],
  ['₪', ['ILS']],
  ['₱', ['PHP']],
  ['฿', ['THB']],
  ['₫', ['VND']],
  ['₦', ['NGN']],
  ['kr', ['SEK', 'NOK', 'DKK', 'ISK']],
  ['kr.', ['DKK', 'ISK']],
  ['zł', ['PLN']],
  ['Kč', ['CZK']],
  ['Ft', ['HUF']],
  ['Fr.', ['CHF']],
  ['lei', ['RON']],
];

const DOLLARS = ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD'];
const WORDS: readonly (readonly [string, readonly string[]])[] = [
  ['dollars', DOLLARS],
  ['dollar', DOLLARS],
  ['euros', ['EUR']],
  ['euro', ['EUR']],
  ['pounds', ['GBP']],
  ['pound', ['GBP']],
  ['yen', ['JPY']],
  ['francs', ['CHF']],
];

/** ISO codes recognised next to a number even when the facts use another currency. */
export const COMMON_CODES: readonly string[] = [
  'USD', 'EUR', 'GBP', 'JPY', 'CNY', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'ISK', 'PLN', 'CZK', 'HUF',
  'RON', 'INR', 'BRL', 'MXN', 'ZAR', 'SGD', 'HKD', 'KRW', 'TWD', 'ILS', 'TRY', 'RUB', 'THB', 'PHP', 'VND', 'NGN',
  'AED', 'SAR', 'BHD', 'KWD', 'OMR', 'QAR', 'EGP', 'ARS', 'CLP', 'COP', 'PEN',
];

/** Whitespace as Intl writes it (NBSP, narrow NBSP) folded to a plain space. */
export function foldSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u202f\u2009]+/g, ' ');
}

const markerCache = new Map<string, Map<string, Set<string>>>();

/**
 * Every marker (symbol, code or word) that may stand next to an amount, mapped to the currencies
 * it can mean: the static table, common ISO codes, and how Intl writes each fact currency in the
 * locale and in English (symbol and narrow symbol).
 */
export function currencyMarkers(locale: string, currencies: readonly string[]): Map<string, Set<string>> {
  const key = `${locale}|${[...currencies].sort().join(',')}`;
  const hit = markerCache.get(key);
  if (hit) return hit;
  const out = new Map<string, Set<string>>();
  const add = (marker: string, codes: readonly string[]): void => {
    const m = foldSpaces(marker).trim();
    if (!m || /\d/.test(m)) return;
    let set = out.get(m);
    if (!set) out.set(m, (set = new Set()));
    for (const c of codes) set.add(c);
  };
  for (const [m, codes] of STATIC_MARKERS) add(m, codes);
  for (const [w, codes] of WORDS) {
    add(w, codes);
    add(w[0]!.toUpperCase() + w.slice(1), codes);
    add(w.toUpperCase(), codes);
  }
  for (const code of new Set([...COMMON_CODES, ...currencies])) add(code, [code]);
  for (const currency of currencies) {
    for (const loc of new Set([locale, 'en-US', 'en-GB'])) {
      for (const display of ['symbol', 'narrowSymbol'] as const) {
        try {
          const part = new Intl.NumberFormat(loc, { style: 'currency', currency, currencyDisplay: display })
            .formatToParts(1)
            .find((p) => p.type === 'currency');
          if (part) add(part.value, [currency]);
        } catch {
          // An unknown code has no symbol; the code itself is already a marker.
        }
      }
    }
  }
  markerCache.set(key, out);
  return out;
}
