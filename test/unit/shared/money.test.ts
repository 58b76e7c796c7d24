import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { currencyDecimals, formatMoney, fromMinorUnits, sumByCurrency, toMinorUnits } from '../../../src/shared/money';

describe('money', () => {
  it('converts decimals to exact minor units without float error', () => {
    expect(toMinorUnits('0.1', 'USD') + toMinorUnits('0.2', 'USD')).toBe(30);
    expect(toMinorUnits(1234.5, 'USD')).toBe(123450);
    expect(toMinorUnits('-0.07', 'USD')).toBe(-7);
    expect(toMinorUnits('19.999', 'USD')).toBe(2000);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1.234', 'BHD')).toBe(1234);
    expect(toMinorUnits(0.29, 'USD')).toBe(29);
  });

  it('rejects text that is not an amount', () => {
    expect(() => toMinorUnits('12,50', 'EUR')).toThrow(/Not a decimal amount/);
    expect(() => toMinorUnits('', 'EUR')).toThrow();
    expect(() => toMinorUnits(Number.NaN, 'EUR')).toThrow();
  });

  it('round-trips any cents value through its decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'BHD'), (cents, cur) => {
        expect(toMinorUnits(fromMinorUnits(cents, cur), cur)).toBe(cents);
      }),
    );
  });

  it('knows currency digits and formats per locale', () => {
    expect(currencyDecimals('USD')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(formatMoney(123450, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(123450, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  });

  it('never adds different currencies together', () => {
    const totals = sumByCurrency([
      { cents: 100, currency: 'USD' },
      { cents: 250, currency: 'EUR' },
      { cents: 5, currency: 'USD' },
    ]);
    expect(Object.fromEntries(totals)).toEqual({ USD: 105, EUR: 250 });
  });
});
