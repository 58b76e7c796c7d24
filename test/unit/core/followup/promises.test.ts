import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppliedMoney, CoveredInvoice, NewPromiseInput, PromiseToPay } from '../../../../src/main/core/followup/promises';
import {
  brokenPromiseCounts,
  cancelPromise,
  createPromise,
  evaluatePromise,
  evaluatePromises,
  groupPromises,
  promiseBadges,
  promiseDeadline,
  promisesDueToday,
  validateNewPromise,
} from '../../../../src/main/core/followup/promises';
import { scoreInvoice, unknownCustomerFacts } from '../../../../src/main/core/scoring/model';
import { SettleError } from '../../../../src/shared/errors';

function promise(over: Partial<PromiseToPay> = {}): PromiseToPay {
  return {
    id: 1,
    customerId: 3,
    invoiceIds: [11, 12],
    date: '2026-03-10',
    amountCents: 50_000,
    currency: 'USD',
    madeVia: 'phone',
    note: '',
    status: 'open',
    createdAt: '2026-03-04T15:00:00Z',
    ...over,
  };
}

const pay = (date: string, amountCents: number, invoiceId = 11, kind: 'payment' | 'credit' = 'payment'): AppliedMoney => ({
  invoiceId,
  date,
  amountCents,
  currency: 'USD',
  kind,
});

describe('evaluatePromise', () => {
  it('open until the deadline (date + 2 grace days) without money', () => {
    expect(promiseDeadline('2026-03-10')).toBe('2026-03-12');
    for (const today of ['2026-03-04', '2026-03-10', '2026-03-12']) {
      expect(evaluatePromise(promise(), [], today).status).toBe('open');
    }
  });

  it('broken the day after the deadline without money', () => {
    const e = evaluatePromise(promise(), [], '2026-03-13');
    expect(e).toEqual({
      status: 'broken',
      deadline: '2026-03-12',
      paidByDeadlineCents: 0,
      paidCents: 0,
      shortfallCents: 50_000,
      keptOn: null,
      brokenOn: '2026-03-13',
    });
  });

  it('kept when payments and credits on the covered invoices reach the amount by the deadline', () => {
    const applied = [pay('2026-03-08', 20_000, 11), pay('2026-03-12', 30_000, 12, 'credit')];
    const e = evaluatePromise(promise(), applied, '2026-03-12');
    expect(e.status).toBe('kept');
    expect(e.keptOn).toBe('2026-03-12');
    expect(e.shortfallCents).toBe(0);
    // It stays kept later.
    expect(evaluatePromise(promise(), applied, '2026-04-30').status).toBe('kept');
  });

  it('kept early, before the promised date', () => {
    const e = evaluatePromise(promise(), [pay('2026-03-05', 60_000)], '2026-03-05');
    expect(e).toMatchObject({ status: 'kept', keptOn: '2026-03-05', paidByDeadlineCents: 60_000 });
  });

  it('partially kept when some money arrived by the deadline', () => {
    const e = evaluatePromise(promise(), [pay('2026-03-11', 20_000)], '2026-03-13');
    expect(e).toMatchObject({ status: 'partially_kept', paidByDeadlineCents: 20_000, shortfallCents: 30_000, brokenOn: '2026-03-13' });
  });

  it('money after the deadline does not mend a broken promise', () => {
    const e = evaluatePromise(promise(), [pay('2026-03-14', 50_000)], '2026-03-20');
    expect(e).toMatchObject({ status: 'broken', paidByDeadlineCents: 0, paidCents: 50_000 });
  });

  it('money before the promise was made, on other invoices, in another currency, or post-dated does not count', () => {
    const applied: AppliedMoney[] = [
      pay('2026-03-03', 50_000),
      pay('2026-03-05', 50_000, 99),
      { ...pay('2026-03-05', 50_000), currency: 'EUR' },
      pay('2026-03-09', 50_000),
    ];
    expect(evaluatePromise(promise(), applied, '2026-03-08').status).toBe('open');
  });

  it('the day the promise was made is the owner\'s local day', () => {
    // 02:00Z on the 5th is still the 4th in New York: a payment on the 4th counts there.
    const p = promise({ createdAt: '2026-03-05T02:00:00Z' });
    const applied = [pay('2026-03-04', 50_000)];
    expect(evaluatePromise(p, applied, '2026-03-06', { timeZone: 'America/New_York' }).status).toBe('kept');
    expect(evaluatePromise(p, applied, '2026-03-06', { timeZone: 'UTC' }).status).toBe('open');
  });

  it('a reversed payment reopens a kept promise', () => {
    const applied = [pay('2026-03-06', 50_000), pay('2026-03-07', -50_000)];
    expect(evaluatePromise(promise({ status: 'kept' }), applied, '2026-03-08').status).toBe('open');
  });

  it('cancelled stays cancelled', () => {
    expect(evaluatePromise(promise({ status: 'cancelled' }), [pay('2026-03-06', 50_000)], '2026-03-08').status).toBe('cancelled');
    expect(evaluatePromise(promise({ status: 'cancelled' }), [], '2026-04-08').status).toBe('cancelled');
  });

  it('a custom grace period', () => {
    expect(evaluatePromise(promise(), [], '2026-03-11', { graceDays: 0 }).status).toBe('broken');
    expect(evaluatePromise(promise(), [], '2026-03-15', { graceDays: 5 }).status).toBe('open');
  });

  it('property: the status agrees with the money counted and the deadline', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 20 }), cents: fc.integer({ min: 1, max: 40_000 }), inv: fc.constantFrom(11, 12) }), {
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 25 }),
        (rows, todayOffset) => {
          const day = (n: number) => new Date(Date.parse('2026-03-04T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
          const applied = rows.map((r) => pay(day(r.day), r.cents, r.inv));
          const today = day(todayOffset);
          const e = evaluatePromise(promise(), applied, today);
          const byDeadline = rows.filter((r) => r.day <= 8 && r.day <= todayOffset).reduce((s, r) => s + r.cents, 0);
          expect(e.paidByDeadlineCents).toBe(byDeadline);
          if (byDeadline >= 50_000) expect(e.status).toBe('kept');
          else if (todayOffset > 8) expect(e.status).toBe(byDeadline > 0 ? 'partially_kept' : 'broken');
          else expect(e.status).toBe('open');
        },
      ),
    );
  });

  it('evaluatePromises flags the ones whose status changed', () => {
    const list = [promise({ id: 1 }), promise({ id: 2, invoiceIds: [13], status: 'open' }), promise({ id: 3, invoiceIds: [14], status: 'kept' })];
    const r = evaluatePromises(list, [pay('2026-03-06', 50_000, 11), pay('2026-03-06', 10_000, 14)], '2026-03-13');
    expect(r.map((x) => [x.promise.id, x.evaluation.status, x.changed])).toEqual([
      [1, 'kept', true],
      [2, 'broken', true],
      [3, 'partially_kept', true],
    ]);
  });
});

describe('recording a promise', () => {
  const invoices: CoveredInvoice[] = [
    { id: 11, customerId: 3, number: 'INV-11', currency: 'USD', balanceCents: 30_000, status: 'open' },
    { id: 12, customerId: 3, number: 'INV-12', currency: 'USD', balanceCents: 40_000, status: 'open' },
    { id: 13, customerId: 3, number: 'INV-13', currency: 'USD', balanceCents: 0, status: 'paid' },
    { id: 14, customerId: 3, number: 'INV-14', currency: 'EUR', balanceCents: 10_000, status: 'open' },
    { id: 15, customerId: 4, number: 'INV-15', currency: 'USD', balanceCents: 10_000, status: 'open' },
    { id: 16, customerId: 3, number: 'INV-16', currency: 'USD', balanceCents: 10_000, status: 'void' },
  ];
  const ok: NewPromiseInput = { customerId: 3, invoiceIds: [11, 12], date: '2026-03-10', amountCents: 70_000, currency: 'USD', madeVia: 'phone', note: ' Will call back ' };
  const check = (over: Partial<NewPromiseInput>) => validateNewPromise({ ...ok, ...over }, { today: '2026-03-04', invoices });

  it('accepts a promise up to the covered balance, dated today or later', () => {
    expect(check({}).problems).toEqual([]);
    expect(check({}).coveredBalanceCents).toBe(70_000);
    expect(check({ date: '2026-03-04' }).problems).toEqual([]);
  });

  it('a date in the past', () => {
    expect(check({ date: '2026-03-03' }).problems).toEqual([
      {
        field: 'date',
        code: 'date_in_past',
        message: 'The promised date 2026-03-03 is in the past; a promise needs today (2026-03-04) or a later date.',
      },
    ]);
  });

  it('an amount larger than the covered balance', () => {
    expect(check({ amountCents: 70_001 }).problems.map((p) => p.message)).toEqual([
      'The promise ($700.01) is more than the $700.00 still open on these invoices.',
    ]);
    expect(check({ invoiceIds: [11], amountCents: 40_000 }).problems[0]!.message).toBe(
      'The promise ($400.00) is more than the $300.00 still open on invoice INV-11.',
    );
  });

  it('paid, void, unknown and other customers\' invoices', () => {
    expect(check({ invoiceIds: [13], amountCents: 100 }).problems.map((p) => [p.code, p.message])).toEqual([
      ['invoice_paid', 'Invoice INV-13 is already paid.'],
    ]);
    expect(check({ invoiceIds: [16] }).problems[0]!.code).toBe('invoice_void');
    expect(check({ invoiceIds: [999] }).problems[0]!.code).toBe('invoice_unknown');
    expect(check({ invoiceIds: [15] }).problems[0]!.code).toBe('invoice_other_customer');
    expect(check({ invoiceIds: [] }).problems[0]!.code).toBe('no_invoices');
    expect(check({ invoiceIds: [11, 11], amountCents: 100 }).problems[0]!.code).toBe('duplicate_invoice');
  });

  it('currency mismatch', () => {
    expect(check({ currency: 'EUR', amountCents: 100 }).problems.map((p) => p.message)).toEqual([
      "The invoices are in USD, but the promise is in EUR; promise in the invoices' currency.",
    ]);
    expect(check({ invoiceIds: [11, 14], amountCents: 100 }).problems.map((p) => p.code)).toEqual(['currency_mismatch']);
  });

  it('zero, negative and fractional amounts', () => {
    expect(check({ amountCents: 0 }).problems[0]!.code).toBe('amount_not_positive');
    expect(check({ amountCents: -5 }).problems[0]!.code).toBe('amount_not_positive');
    expect(check({ amountCents: 10.5 }).problems[0]!.code).toBe('amount_not_integer');
  });

  it('warns (does not refuse) when an open promise already covers an invoice', () => {
    const r = validateNewPromise({ ...ok, amountCents: 100 }, { today: '2026-03-04', invoices, existing: [promise({ invoiceIds: [12] })] });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual(['An open promise of $500.00 by 2026-03-10 already covers INV-12.']);
  });

  it('createPromise builds the record or throws every problem as invalid_input', () => {
    const { promise: p } = createPromise(ok, { today: '2026-03-04', invoices, id: 42, now: new Date('2026-03-04T15:00:00Z') });
    expect(p).toEqual({
      id: 42,
      customerId: 3,
      invoiceIds: [11, 12],
      date: '2026-03-10',
      amountCents: 70_000,
      currency: 'USD',
      madeVia: 'phone',
      note: 'Will call back',
      status: 'open',
      createdAt: '2026-03-04T15:00:00.000Z',
      planId: null,
    });
    expect(() => createPromise({ ...ok, date: '2026-03-01', invoiceIds: [13] }, { today: '2026-03-04', invoices, id: 1, now: new Date() })).toThrow(
      SettleError,
    );
  });

  it('cancel: open and broken ones can be cancelled, kept ones cannot', () => {
    expect(cancelPromise(promise()).status).toBe('cancelled');
    expect(cancelPromise(promise({ status: 'broken' })).status).toBe('cancelled');
    expect(() => cancelPromise(promise({ status: 'kept' }))).toThrow(/was kept/);
  });
});

describe('views', () => {
  const list: PromiseToPay[] = [
    promise({ id: 1, date: '2026-03-10', status: 'open', customerId: 1 }),
    promise({ id: 2, date: '2026-03-08', status: 'open', customerId: 2 }),
    promise({ id: 3, date: '2026-03-12', status: 'open', customerId: 3 }),
    promise({ id: 4, date: '2026-03-20', status: 'open', customerId: 1 }),
    promise({ id: 5, date: '2026-03-01', status: 'broken', customerId: 2 }),
    promise({ id: 6, date: '2026-03-03', status: 'partially_kept', customerId: 2 }),
    promise({ id: 7, date: '2026-03-05', status: 'kept', customerId: 3 }),
    promise({ id: 8, date: '2026-03-06', status: 'cancelled', customerId: 3 }),
    promise({ id: 9, date: '2025-01-10', status: 'broken', customerId: 2 }),
  ];

  it('groups for the Promises page: Today (incl. within grace), Upcoming, Broken, Kept', () => {
    const g = groupPromises(list, '2026-03-10');
    expect(g.today.map((p) => p.id)).toEqual([2, 1]);
    expect(g.upcoming.map((p) => p.id)).toEqual([3, 4]);
    expect(g.broken.map((p) => p.id)).toEqual([6, 5, 9]);
    expect(g.kept.map((p) => p.id)).toEqual([7]);
  });

  it('broken promises per customer, within the lookback, feed the score factor', () => {
    const counts = brokenPromiseCounts(list, '2026-03-10');
    expect([...counts]).toEqual([[2, 1]]);
    expect(brokenPromiseCounts(list, '2026-03-10', { includePartial: true }).get(2)).toBe(2);
    expect(brokenPromiseCounts(list, '2026-03-10', { lookbackDays: 3650 }).get(2)).toBe(2);
    // Through CustomerFacts into the broken_promises factor.
    const facts = { ...unknownCustomerFacts(2), brokenPromises: counts.get(2) ?? 0 };
    const inv = { id: 1, customerId: 2, number: 'X', issueDate: '2026-01-01', dueDate: '2026-02-01', currency: 'USD', totalCents: 100, balanceCents: 100 };
    const factor = scoreInvoice(inv, facts, { customerOpenCents: 100, bookOpenCents: 1000 }, '2026-03-10').factors.find(
      (f) => f.name === 'broken_promises',
    )!;
    expect(factor.value).toBe(1);
    expect(factor.contribution).toBeGreaterThan(0);
  });

  it('badges and the count due today', () => {
    expect([...promiseBadges(list)].sort((a, b) => a[0] - b[0])).toEqual([
      [1, { date: '2026-03-10', cents: 50_000, currency: 'USD' }],
      [2, { date: '2026-03-08', cents: 50_000, currency: 'USD' }],
      [3, { date: '2026-03-12', cents: 50_000, currency: 'USD' }],
    ]);
    expect(promisesDueToday(list, '2026-03-10')).toBe(1);
  });
});
