import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agingByCurrency,
  agingReport,
  bucketFor,
  daysOverdue,
  dsoDays,
  hasOpenBalance,
} from '../../../../src/main/core/ledger/aging';
import type { OpenInvoice } from '../../../../src/main/core/ledger/types';
import type { Bucket } from '../../../../src/shared/model';

const DAY = 86_400_000;
/** Independent of shared/dates: plain Date arithmetic in UTC. */
const dateAt = (base: string, offsetDays: number): string =>
  new Date(Date.parse(`${base}T00:00:00Z`) + offsetDays * DAY).toISOString().slice(0, 10);

function invoice(id: number, dueDate: string, balanceCents: number, currency = 'USD'): OpenInvoice {
  return {
    id,
    customerId: 1,
    number: `INV-${id}`,
    issueDate: dateAt(dueDate, -30),
    dueDate,
    currency,
    totalCents: Math.max(balanceCents, 1),
    balanceCents,
  };
}

const BOUNDARIES: [number, Bucket][] = [
  [-400, 'current'],
  [-1, 'current'],
  [0, 'current'],
  [1, 'd1_30'],
  [30, 'd1_30'],
  [31, 'd31_60'],
  [60, 'd31_60'],
  [61, 'd61_90'],
  [90, 'd61_90'],
  [91, 'd90_plus'],
  [5000, 'd90_plus'],
];

describe('daysOverdue', () => {
  it('counts whole calendar days from the due date to asOf', () => {
    expect(daysOverdue('2025-03-01', '2025-03-01')).toBe(0);
    expect(daysOverdue('2025-03-01', '2025-03-02')).toBe(1);
    expect(daysOverdue('2025-03-02', '2025-03-01')).toBe(-1);
    expect(daysOverdue('2024-02-28', '2024-03-01')).toBe(2); // leap year
    expect(daysOverdue('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysOverdue('2024-12-31', '2025-01-01')).toBe(1);
    // Across a DST change in most zones: calendar days, no hour drift.
    expect(daysOverdue('2025-03-08', '2025-03-10')).toBe(2);
  });

  it('agrees with plain UTC date arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 0, max: 20000 }), (k, base) => {
        const asOf = dateAt('1990-01-01', base);
        expect(daysOverdue(dateAt(asOf, -k), asOf)).toBe(k);
      }),
    );
  });
});

describe('bucketFor', () => {
  it.each(BOUNDARIES)('%i days past due is %s', (days, bucket) => {
    expect(bucketFor(days)).toBe(bucket);
  });

  it('puts invoices in the right bucket from their due dates', () => {
    const asOf = '2025-06-30';
    for (const [days, bucket] of BOUNDARIES) {
      const aging = agingByCurrency([invoice(1, dateAt(asOf, -days), 1234)], asOf).get('USD')!;
      expect(aging[bucket]).toBe(1234);
      expect(aging.counts[bucket]).toBe(1);
      expect(aging.total).toBe(1234);
    }
  });
});

describe('agingByCurrency', () => {
  const asOf = '2025-06-30';

  it('totals each currency on its own and leaves out invoices without a balance', () => {
    const open = [
      invoice(1, '2025-06-30', 10_000), // current (due today)
      invoice(2, '2025-06-29', 2_500), // 1 day
      invoice(3, '2025-05-31', 700), // 30 days
      invoice(4, '2025-05-30', 300), // 31 days
      invoice(5, '2025-03-31', 99), // 91 days
      invoice(6, '2025-01-01', 5_000, 'EUR'),
      invoice(7, '2025-07-15', 12, 'EUR'),
      invoice(8, '2025-01-01', 0), // paid
      invoice(9, '2025-01-01', -500), // over-credited
      invoice(10, '2025-06-01', 1_000_000, 'JPY'),
    ];
    const aging = agingByCurrency(open, asOf);
    expect([...aging.keys()]).toEqual(['EUR', 'JPY', 'USD']);
    expect(aging.get('USD')).toEqual({
      current: 10_000,
      d1_30: 3_200,
      d31_60: 300,
      d61_90: 0,
      d90_plus: 99,
      total: 13_599,
      counts: { current: 1, d1_30: 2, d31_60: 1, d61_90: 0, d90_plus: 1 },
      count: 5,
    });
    expect(aging.get('EUR')).toMatchObject({ current: 12, d90_plus: 5_000, total: 5_012, count: 2 });
    expect(aging.get('JPY')).toMatchObject({ d1_30: 1_000_000, total: 1_000_000 });
  });

  it('is empty for an empty ledger', () => {
    expect(agingByCurrency([], asOf).size).toBe(0);
    expect(agingReport([], asOf)).toEqual({ asOf, currencies: {} });
  });

  it('buckets partition each currency total, and totals match a plain per-currency sum', () => {
    const inv = fc.record({
      offset: fc.integer({ min: -200, max: 400 }),
      balance: fc.integer({ min: -10_000, max: 50_000_000 }),
      currency: fc.constantFrom('USD', 'EUR', 'JPY', 'GBP'),
    });
    fc.assert(
      fc.property(fc.array(inv, { maxLength: 80 }), (rows) => {
        const open = rows.map((r, i) => invoice(i + 1, dateAt(asOf, -r.offset), r.balance, r.currency));
        const aging = agingByCurrency(open, asOf);
        const expected = new Map<string, { total: number; count: number }>();
        for (const r of rows) {
          if (r.balance <= 0) continue;
          const e = expected.get(r.currency) ?? { total: 0, count: 0 };
          e.total += r.balance;
          e.count += 1;
          expected.set(r.currency, e);
        }
        expect(new Set(aging.keys())).toEqual(new Set(expected.keys()));
        for (const [currency, a] of aging) {
          const buckets = a.current + a.d1_30 + a.d31_60 + a.d61_90 + a.d90_plus;
          const counts = Object.values(a.counts).reduce((x, y) => x + y, 0);
          expect(buckets).toBe(a.total);
          expect(counts).toBe(a.count);
          expect(a.total).toBe(expected.get(currency)!.total);
          expect(a.count).toBe(expected.get(currency)!.count);
        }
      }),
    );
  });
});

describe('agingReport', () => {
  it('prints exactly the CLI document', () => {
    const asOf = '2025-06-30';
    const report = agingReport([invoice(1, '2025-06-01', 500), invoice(2, '2025-08-01', 250, 'EUR')], asOf);
    expect(JSON.stringify(report)).toBe(
      '{"asOf":"2025-06-30","currencies":{' +
        '"EUR":{"current":250,"d1_30":0,"d31_60":0,"d61_90":0,"d90_plus":0,"total":250},' +
        '"USD":{"current":0,"d1_30":500,"d31_60":0,"d61_90":0,"d90_plus":0,"total":500}}}',
    );
  });
});

describe('dsoDays', () => {
  it('is outstanding over period sales times the period, to one decimal', () => {
    expect(dsoDays(100_00, 200_00)).toBe(45);
    expect(dsoDays(1, 3)).toBe(30);
    expect(dsoDays(1, 7)).toBe(12.9); // 12.857…
    expect(dsoDays(50, 100, 30)).toBe(15);
    expect(dsoDays(0, 100)).toBe(0);
  });

  it('is null without sales', () => {
    expect(dsoDays(100, 0)).toBeNull();
    expect(dsoDays(100, -5)).toBeNull();
  });

  it('rejects a period that is not positive', () => {
    expect(() => dsoDays(1, 1, 0)).toThrow(RangeError);
  });
});

describe('hasOpenBalance', () => {
  it('is true only for a positive balance', () => {
    expect(hasOpenBalance({ balanceCents: 1 })).toBe(true);
    expect(hasOpenBalance({ balanceCents: 0 })).toBe(false);
    expect(hasOpenBalance({ balanceCents: -1 })).toBe(false);
  });
});
