import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanFrequency, PlanInput } from '../../../../src/main/core/followup/plans';
import {
  MAX_INSTALMENTS,
  buildPlan,
  instalmentDates,
  planFacts,
  planPromiseInputs,
  planStatus,
  splitBalance,
  tryBuildPlan,
  validatePlan,
} from '../../../../src/main/core/followup/plans';
import { validateNewPromise } from '../../../../src/main/core/followup/promises';
import { SettleError } from '../../../../src/shared/errors';

const TODAY = '2026-03-04';

function input(over: Partial<PlanInput> = {}): PlanInput {
  return { balanceCents: 100_000, currency: 'USD', instalments: 3, frequency: 'monthly', startDate: '2026-03-15', ...over };
}

const codes = (i: PlanInput, today = TODAY) => validatePlan(i, today).map((p) => p.code);

describe('buildPlan: schedules', () => {
  it('splits by count; the last instalment absorbs the rounding', () => {
    const plan = buildPlan(input(), TODAY);
    expect(plan.instalments).toEqual([
      { seq: 1, dueDate: '2026-03-15', amountCents: 33_333 },
      { seq: 2, dueDate: '2026-04-15', amountCents: 33_333 },
      { seq: 3, dueDate: '2026-05-15', amountCents: 33_334 },
    ]);
    expect(plan.regularCents).toBe(33_333);
    expect(plan.lastCents).toBe(33_334);
    expect(plan.endDate).toBe('2026-05-15');
  });

  it('splits by amount; the last instalment is what remains', () => {
    const plan = buildPlan(input({ instalments: null, amountCents: 30_000, frequency: 'weekly' }), TODAY);
    expect(plan.instalments.map((i) => [i.dueDate, i.amountCents])).toEqual([
      ['2026-03-15', 30_000],
      ['2026-03-22', 30_000],
      ['2026-03-29', 30_000],
      ['2026-04-05', 10_000],
    ]);
  });

  it('an instalment amount at or above the balance makes one instalment', () => {
    for (const amountCents of [100_000, 250_000]) {
      const plan = buildPlan(input({ instalments: null, amountCents }), TODAY);
      expect(plan.instalments).toEqual([{ seq: 1, dueDate: '2026-03-15', amountCents: 100_000 }]);
      expect(plan.notes[0]).toMatch(/single payment/);
    }
  });

  it('fortnightly adds 14 days; monthly keeps the day of month, clamped at month end', () => {
    expect(instalmentDates('2026-03-04', 'fortnightly', 3)).toEqual(['2026-03-04', '2026-03-18', '2026-04-01']);
    expect(instalmentDates('2026-01-31', 'monthly', 4)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(instalmentDates('2027-12-31', 'monthly', 3)).toEqual(['2027-12-31', '2028-01-31', '2028-02-29']);
    const plan = buildPlan(input({ startDate: '2026-03-31' }), TODAY);
    expect(plan.notes.some((n) => /last day/.test(n))).toBe(true);
  });

  it('works in currencies without cents', () => {
    const plan = buildPlan(input({ balanceCents: 10_000, currency: 'JPY', instalments: 3 }), TODAY);
    expect(plan.instalments.map((i) => i.amountCents)).toEqual([3333, 3333, 3334]);
  });

  it('a start date of today is fine', () => {
    expect(buildPlan(input({ startDate: TODAY }), TODAY).startDate).toBe(TODAY);
  });

  it('draft facts list every instalment', () => {
    const facts = planFacts(buildPlan(input(), TODAY));
    expect(facts.total).toBe('$1,000.00');
    expect(facts.lines).toEqual(['1. 2026-03-15: $333.33', '2. 2026-04-15: $333.33', '3. 2026-05-15: $333.34']);
  });
});

describe('buildPlan: bad input gets a clear message', () => {
  it('zero or negative balance', () => {
    expect(codes(input({ balanceCents: 0 }))).toEqual(['balance_not_positive']);
    expect(validatePlan(input({ balanceCents: 0 }), TODAY)[0]!.message).toMatch(/balance is zero/);
    expect(validatePlan(input({ balanceCents: -500 }), TODAY)[0]!.message).toMatch(/in credit/);
    expect(codes(input({ balanceCents: 10.5 }))).toEqual(['balance_not_integer']);
  });

  it('zero, fractional or too many instalments', () => {
    expect(codes(input({ instalments: 0 }))).toEqual(['count_not_positive']);
    expect(codes(input({ instalments: -2 }))).toEqual(['count_not_positive']);
    expect(codes(input({ instalments: 2.5 }))).toEqual(['count_not_integer']);
    expect(codes(input({ instalments: 61 }))).toEqual(['too_many_instalments']);
    expect(codes(input({ instalments: 60 }))).toEqual([]);
    expect(codes(input({ balanceCents: 5, instalments: 10 }))).toEqual(['balance_too_small']);
  });

  it('an amount that is not positive, or would take too many payments', () => {
    expect(codes(input({ instalments: null, amountCents: 0 }))).toEqual(['amount_not_positive']);
    expect(codes(input({ instalments: null, amountCents: -100 }))).toEqual(['amount_not_positive']);
    const [p] = validatePlan(input({ instalments: null, amountCents: 1_000 }), TODAY);
    expect(p!.code).toBe('too_many_instalments');
    expect(p!.message).toBe(
      'Instalments of $10.00 would take 100 payments; a plan can have at most 60. Use at least $16.67 per instalment.',
    );
  });

  it('both or neither of count and amount', () => {
    expect(codes(input({ instalments: 3, amountCents: 10_000 }))).toEqual(['count_and_amount']);
    expect(codes(input({ instalments: null, amountCents: null }))).toEqual(['count_or_amount_missing']);
  });

  it('a start date in the past, or not a date', () => {
    const [p] = validatePlan(input({ startDate: '2026-03-03' }), TODAY);
    expect(p).toEqual({
      field: 'startDate',
      code: 'start_in_past',
      message: 'The first instalment (2026-03-03) is before today (2026-03-04); pick today or later.',
    });
    expect(codes(input({ startDate: '2026-02-30' }))).toEqual(['start_invalid']);
  });

  it('currency and frequency', () => {
    expect(codes(input({ currency: 'usd' }))).toEqual(['currency_invalid']);
    expect(codes(input({ frequency: 'daily' as PlanFrequency }))).toEqual(['frequency_invalid']);
  });

  it('lists every problem at once, and buildPlan throws them as invalid_input', () => {
    expect(codes(input({ balanceCents: 0, instalments: 0, startDate: '2020-01-01' }))).toEqual([
      'balance_not_positive',
      'count_not_positive',
      'start_in_past',
    ]);
    try {
      buildPlan(input({ instalments: 0 }), TODAY);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettleError);
      expect((e as SettleError).code).toBe('invalid_input');
      expect((e as SettleError).message).toBe('A plan needs at least one instalment.');
    }
    expect(tryBuildPlan(input({ instalments: 0 }), TODAY).ok).toBe(false);
  });
});

describe('buildPlan: properties', () => {
  const frequency = fc.constantFrom<PlanFrequency>('weekly', 'fortnightly', 'monthly');
  const start = fc.integer({ min: 0, max: 2000 }).map((d) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10));
  const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'BHD');

  function check(plan: ReturnType<typeof buildPlan>, balance: number): void {
    const sum = plan.instalments.reduce((s, i) => s + i.amountCents, 0);
    expect(sum).toBe(balance);
    for (const i of plan.instalments) {
      expect(Number.isSafeInteger(i.amountCents)).toBe(true);
      expect(i.amountCents).toBeGreaterThan(0);
    }
    for (let k = 1; k < plan.instalments.length; k++) {
      expect(plan.instalments[k]!.dueDate > plan.instalments[k - 1]!.dueDate).toBe(true);
    }
    // Every instalment but the last is the same amount.
    expect(new Set(plan.instalments.slice(0, -1).map((i) => i.amountCents)).size).toBeLessThanOrEqual(1);
  }

  it('by count: sums to the balance, no zero or negative instalment, dates strictly increasing, count as asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: MAX_INSTALMENTS }),
        frequency,
        start,
        currency,
        (balanceCents, instalments, freq, startDate, cur) => {
          fc.pre(instalments <= balanceCents);
          const plan = buildPlan({ balanceCents, currency: cur, instalments, frequency: freq, startDate }, TODAY);
          check(plan, balanceCents);
          expect(plan.instalments).toHaveLength(instalments);
          expect(plan.lastCents).toBeGreaterThanOrEqual(plan.regularCents);
          expect(plan.lastCents - plan.regularCents).toBeLessThan(instalments);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('by amount: sums to the balance, count is the ceiling, last never above the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000_000 }),
        frequency,
        start,
        (balanceCents, amountCents, freq, startDate) => {
          fc.pre(Math.ceil(balanceCents / amountCents) <= MAX_INSTALMENTS);
          const plan = buildPlan({ balanceCents, currency: 'USD', amountCents, frequency: freq, startDate }, TODAY);
          check(plan, balanceCents);
          expect(plan.instalments).toHaveLength(Math.ceil(balanceCents / amountCents));
          expect(plan.lastCents).toBeLessThanOrEqual(amountCents);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('too many instalments or a balance too small are refused, never produce zero instalments', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (balanceCents, instalments) => {
        const r = tryBuildPlan({ balanceCents, currency: 'USD', instalments, frequency: 'weekly', startDate: TODAY }, TODAY);
        if (instalments > MAX_INSTALMENTS || instalments > balanceCents) expect(r.ok).toBe(false);
        else if (r.ok) check(r.plan, balanceCents);
        else expect.unreachable();
      }),
    );
  });

  it('splitBalance is exact for every count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), (b, n) => {
        fc.pre(n <= b);
        const parts = splitBalance(b, n);
        expect(parts.reduce((s, x) => s + x, 0)).toBe(b);
        expect(Math.min(...parts)).toBeGreaterThan(0);
      }),
    );
  });
});

describe('accepted plans', () => {
  it('make one promise per instalment, each valid to record', () => {
    const plan = buildPlan(input(), TODAY);
    const inputs = planPromiseInputs(plan, { planId: 9, customerId: 3, invoiceIds: [11, 12] });
    expect(inputs.map((i) => [i.date, i.amountCents, i.note])).toEqual([
      ['2026-03-15', 33_333, 'Instalment 1 of 3'],
      ['2026-04-15', 33_333, 'Instalment 2 of 3'],
      ['2026-05-15', 33_334, 'Instalment 3 of 3'],
    ]);
    const invoices = [
      { id: 11, customerId: 3, number: 'INV-11', currency: 'USD', balanceCents: 60_000, status: 'open' as const },
      { id: 12, customerId: 3, number: 'INV-12', currency: 'USD', balanceCents: 40_000, status: 'open' as const },
    ];
    for (const p of inputs) {
      const r = validateNewPromise(p, { today: TODAY, invoices });
      expect(r.problems).toEqual([]);
    }
  });

  it("the plan's status follows its promises", () => {
    const s = (state: 'proposed' | 'accepted' | 'cancelled', statuses: string[]) =>
      planStatus({ state }, statuses.map((status) => ({ status: status as never })));
    expect(s('proposed', [])).toBe('proposed');
    expect(s('cancelled', ['open'])).toBe('cancelled');
    expect(s('accepted', ['kept', 'open', 'open'])).toBe('active');
    expect(s('accepted', ['kept', 'broken', 'open'])).toBe('behind');
    expect(s('accepted', ['kept', 'partially_kept', 'open'])).toBe('behind');
    expect(s('accepted', ['kept', 'kept', 'cancelled'])).toBe('completed');
    expect(s('accepted', ['cancelled', 'cancelled'])).toBe('cancelled');
  });
});
