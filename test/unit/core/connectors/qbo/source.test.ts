import { describe, expect, it } from 'vitest';
import { CreditLinks, memoryCreditLinkStore } from '../../../../../src/main/core/connectors/qbo/credit-links';
import { decodeCursor, encodeCursor } from '../../../../../src/main/core/connectors/qbo/source';

describe('QBO cursors', () => {
  it('round-trips every state, and a finished one is the bare instant', () => {
    expect(encodeCursor({ kind: 'done', since: '2025-06-20T19:56:06.196Z' })).toBe('2025-06-20T19:56:06.196Z');
    for (const c of [
      { kind: 'done', since: '2025-06-20T19:56:06.196Z' },
      { kind: 'backfill', started: '2025-06-20T19:56:06.196Z', next: 3001 },
      { kind: 'backfill', started: null, next: 1 },
      { kind: 'catchup', started: '2025-06-20T19:56:06.196Z', since: '2025-05-01T00:00:00.000Z', next: 1001 },
    ] as const) {
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
    }
    expect(decodeCursor('2025-06-20T12:56:06.196-07:00')).toEqual({ kind: 'done', since: '2025-06-20T19:56:06.196Z' });
    expect(decodeCursor(null)).toBeNull();
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor('{"kind":"backfill"}')).toBeNull();
  });
});

describe('CreditLinks', () => {
  const app = (memo: string, payment: string, inv: string, cents: number) => ({ creditMemoId: memo, paymentId: payment, invoiceExternalId: inv, amountCents: cents, appliedOn: '2025-06-01' });

  it('keeps every payment’s share of a credit memo across runs', async () => {
    const store = memoryCreditLinkStore();
    const a = await CreditLinks.open(store);
    expect([...a.setPayment('10', [app('M1', '10', 'I1', 500)])]).toEqual(['M1']);
    expect([...a.setPayment('11', [app('M1', '11', 'I2', 300), app('M2', '11', 'I2', 100)])].sort()).toEqual(['M1', 'M2']);
    await a.save();

    const b = await CreditLinks.open(store);
    expect(b.applicationsFor('M1')).toEqual([
      { invoiceExternalId: 'I1', amountCents: 500, appliedOn: '2025-06-01' },
      { invoiceExternalId: 'I2', amountCents: 300, appliedOn: '2025-06-01' },
    ]);
    // Unchanged: nothing touched. Deleted payment: its memos are touched and lose its share.
    expect(b.setPayment('10', [app('M1', '10', 'I1', 500)]).size).toBe(0);
    expect([...b.removePayment('11')].sort()).toEqual(['M1', 'M2']);
    expect(b.applicationsFor('M1')).toEqual([{ invoiceExternalId: 'I1', amountCents: 500, appliedOn: '2025-06-01' }]);
    expect(b.applicationsFor('M2')).toEqual([]);
    await b.save();
    expect(store.state?.byPayment).toEqual({ '10': { M1: [{ invoiceExternalId: 'I1', amountCents: 500, appliedOn: '2025-06-01' }] } });
  });
});
