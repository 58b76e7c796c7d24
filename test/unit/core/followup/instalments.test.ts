// Plan instalments cover the same invoices, so one payment must not keep them all: each counts
// only the money beyond the instalments before it (followup/promises.ts evaluatePromises).
import { describe, expect, it } from 'vitest';
import { evaluatePromises, type AppliedMoney, type PromiseToPay } from '../../../../src/main/core/followup/promises';

const instalment = (id: number, date: string, amountCents: number, planId: number | null = 7): PromiseToPay => ({
  id,
  customerId: 3,
  invoiceIds: [11, 12],
  date,
  amountCents,
  currency: 'USD',
  madeVia: 'plan',
  note: '',
  status: 'open',
  createdAt: '2026-03-01T10:00:00Z',
  planId,
});
const pay = (date: string, amountCents: number, invoiceId = 11): AppliedMoney => ({ invoiceId, date, amountCents, currency: 'USD', kind: 'payment' });

describe('plan instalments', () => {
  const plan = [instalment(1, '2026-03-10', 10_000), instalment(2, '2026-04-10', 10_000), instalment(3, '2026-05-10', 10_001)];

  it('one payment keeps only the instalments it covers, in date order', () => {
    const out = evaluatePromises(plan, [pay('2026-03-09', 10_000)], '2026-04-20');
    expect(out.map((e) => [e.promise.id, e.evaluation.status, e.evaluation.paidByDeadlineCents])).toEqual([
      [1, 'kept', 10_000],
      [2, 'broken', 0],
      [3, 'open', 0],
    ]);
  });

  it('a part-payment of a later instalment is partly kept; enough money keeps every one', () => {
    const partly = evaluatePromises(plan, [pay('2026-03-09', 10_000), pay('2026-04-11', 4_000, 12)], '2026-04-20');
    expect(partly.map((e) => [e.evaluation.status, e.evaluation.paidByDeadlineCents, e.evaluation.shortfallCents])).toEqual([
      ['kept', 10_000, 0],
      ['partially_kept', 4_000, 6_000],
      ['open', 0, 10_001],
    ]);
    const all = evaluatePromises(plan, [pay('2026-03-09', 30_001)], '2026-05-20');
    expect(all.map((e) => e.evaluation.status)).toEqual(['kept', 'kept', 'kept']);
  });

  it('promises outside a plan still count all the money on their invoices', () => {
    const loose = [instalment(1, '2026-03-10', 10_000, null), instalment(2, '2026-03-10', 10_000, null)];
    expect(evaluatePromises(loose, [pay('2026-03-09', 10_000)], '2026-03-20').map((e) => e.evaluation.status)).toEqual(['kept', 'kept']);
  });
});
