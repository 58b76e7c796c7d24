// Money is always an integer count of minor units plus an ISO 4217 currency. Never floats:
// amounts from providers arrive as decimals and are converted exactly, digit by digit.

export interface Money {
  cents: number;
  currency: string;
}

const decimalsCache = new Map<string, number>();

/** Minor-unit digits of a currency (USD 2, JPY 0, BHD 3), from the platform's ICU data. */
export function currencyDecimals(currency: string): number {
  const cached = decimalsCache.get(currency);
  if (cached !== undefined) return cached;
  let digits: number;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    // An unknown code still formats sensibly as a two-decimal currency.
    digits = 2;
  }
  decimalsCache.set(currency, digits);
  return digits;
}

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

/**
 * Converts a decimal amount ("1234.5", 1234.5, "-0.07") to exact minor units.
 * Works on the decimal string, so 0.1 + 0.2 style float error cannot creep in.
 * Rounds half away from zero when the input has more digits than the currency.
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const digits = currencyDecimals(currency);
  let text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  }
  const negative = text.startsWith('-');
  text = text.replace(/^[+-]/, '');
  const [intPart = '0', fracPart = ''] = text.split('.');
  const kept = fracPart.slice(0, digits).padEnd(digits, '0');
  const rest = fracPart.slice(digits);
  let minor = Number(BigInt((intPart || '0') + kept));
  if (rest.length > 0 && Number(rest[0]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Amount too large: ${text}`);
  return negative && minor !== 0 ? -minor : minor;
}

/** Exact decimal string of minor units ("1234.50" for 123450 USD). */
export function fromMinorUnits(cents: number, currency: string): string {
  const digits = currencyDecimals(currency);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents).toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + abs;
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`Not a finite amount: ${n}`);
  // toString avoids exponent notation for the magnitudes ledgers use; toFixed(12) covers tiny ones.
  const s = n.toString();
  return s.includes('e') ? n.toFixed(12) : s;
}

const formatCache = new Map<string, Intl.NumberFormat>();

/** Locale display of an amount, e.g. "$1,234.50" or "1.234,50 €". */
export function formatMoney(cents: number, currency: string, locale?: string, compact = false): string {
  const key = `${locale ?? ''}|${currency}|${compact ? 'c' : ''}`;
  let fmt = formatCache.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      ...(compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
    });
    formatCache.set(key, fmt);
  }
  return fmt.format(cents / 10 ** currencyDecimals(currency));
}

/** Adds amounts per currency; different currencies are never summed together. */
export function sumByCurrency(items: Iterable<Money>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const m of items) totals.set(m.currency, (totals.get(m.currency) ?? 0) + m.cents);
  return totals;
}
