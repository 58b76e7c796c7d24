// Reads an amount typed in major units ("1,234.50") as whole minor units, or null when it is not one.
import { currencyDecimals } from '../../lib/format';

export function parseAmount(text: string, currency: string): number | null {
  const cleaned = text.replace(/[\s,']/g, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const decimals = currencyDecimals(currency);
  const [whole, frac = ''] = cleaned.split('.');
  if (frac.length > decimals) return null;
  return Number(whole) * 10 ** decimals + Number((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

export function amountText(cents: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  return decimals === 0 ? String(cents) : (cents / 10 ** decimals).toFixed(decimals);
}
