// Reading a pasted reply: money in its common formats, and what only looks like money (moved from replies.test.ts).
import { describe, expect, it } from 'vitest';
import { findAmounts, parseDecimal } from '../../../../src/main/core/followup/reply-amounts';
import { findDates } from '../../../../src/main/core/followup/reply-dates';

const DEFAULT_DATE = '2026-03-04';

describe('reading text', () => {
  it('amount formats', () => {
    const read = (t: string, cur = 'USD') => findAmounts(t, cur).map((a) => [a.cents, a.currency]);
    expect(read('$1,234.50')).toEqual([[123_450, 'USD']]);
    expect(read('1.234,50 €', 'EUR')).toEqual([[123_450, 'EUR']]);
    expect(read('€1.234,50', 'EUR')).toEqual([[123_450, 'EUR']]);
    expect(read('1 234,50 EUR', 'EUR')).toEqual([[123_450, 'EUR']]);
    expect(read('500 dollars')).toEqual([[50_000, 'USD']]);
    expect(read('500 dollars', 'CAD')).toEqual([[50_000, 'CAD']]);
    expect(read('US$ 99.9', 'CAD')).toEqual([[9_990, 'USD']]);
    expect(read('£75')).toEqual([[7_500, 'GBP']]);
    expect(read('¥12,000')).toEqual([[12_000, 'JPY']]);
    expect(read('we will pay 750 on Friday')).toEqual([[75_000, 'USD']]);
    expect(read('the total of 2,400.00 is due')).toEqual([[240_000, 'USD']]);
  });

  it('things that are not amounts', () => {
    const read = (t: string) => findAmounts(t, 'USD', findDates(t, { ref: DEFAULT_DATE, direction: 'future' }));
    expect(read('call 555-123-4567 or +44 20 7946 0958')).toEqual([]);
    expect(read('we will pay half now')).toEqual([]);
    expect(read('pay 2 invoices in 3 days at 10:30 or 3pm')).toEqual([]);
    expect(read('check #4521, PO 88123, 15% off')).toEqual([]);
    expect(read('we will pay on 15.03.2026 or 3/15')).toEqual([]);
  });

  it('parseDecimal reads thousands and decimal separators', () => {
    expect(parseDecimal('1,234.50')).toBe('1234.50');
    expect(parseDecimal('1.234,50')).toBe('1234.50');
    expect(parseDecimal('2.500')).toBe('2500');
    expect(parseDecimal('12,5')).toBe('12.5');
    expect(parseDecimal("1'000")).toBe('1000');
    expect(parseDecimal('abc')).toBeNull();
  });
});
