import { describe, expect, it } from 'vitest';
import type { Dispute, OutreachPause } from '../../../../src/main/core/followup/disputes';
import {
  disputedInvoiceIds,
  isOutreachPaused,
  openDispute,
  openDisputeCounts,
  outreachHolds,
  resolveDispute,
  validateNewDispute,
} from '../../../../src/main/core/followup/disputes';
import { scoreInvoice, unknownCustomerFacts } from '../../../../src/main/core/scoring/model';
import { SettleError } from '../../../../src/shared/errors';

const invoices = [
  { id: 11, customerId: 3, number: 'INV-11' },
  { id: 12, customerId: 3, number: 'INV-12' },
  { id: 20, customerId: 4, number: 'INV-20' },
];
const NOW = new Date('2026-03-04T15:00:00Z');

function open(over: Partial<Parameters<typeof openDispute>[0]> = {}, id = 1): Dispute {
  return openDispute({ customerId: 3, invoiceIds: [11], reason: 'pricing', detail: 'Quoted $950, billed $1,150', ...over }, { id, now: NOW, invoices });
}

describe('disputes', () => {
  it('opens with a reason and free text', () => {
    expect(open()).toEqual({
      id: 1,
      customerId: 3,
      invoiceIds: [11],
      reason: 'pricing',
      detail: 'Quoted $950, billed $1,150',
      status: 'open',
      openedAt: '2026-03-04T15:00:00.000Z',
      resolvedAt: null,
      resolution: null,
      resolutionNote: null,
    });
  });

  it('refuses bad input with clear messages', () => {
    expect(validateNewDispute({ customerId: 3, invoiceIds: [], reason: 'quality' }, invoices)).toEqual([
      'Choose the invoices the customer disputes.',
    ]);
    expect(validateNewDispute({ customerId: 3, invoiceIds: [20], reason: 'quality' }, invoices)).toEqual([
      'Invoice INV-20 belongs to another customer.',
    ]);
    expect(validateNewDispute({ customerId: 3, invoiceIds: [11], reason: 'other', detail: '' }, invoices)).toEqual([
      'Say what the dispute is about (the reason is "other").',
    ]);
    expect(validateNewDispute({ customerId: 3, invoiceIds: [11], reason: 'bogus' as never }, invoices)[0]).toMatch(/Choose a reason/);
    expect(() => open({ invoiceIds: [999] })).toThrow(SettleError);
  });

  it('resolves once', () => {
    const r = resolveDispute(open(), { resolution: 'credit_issued', note: 'CN-7 for $200' }, new Date('2026-03-09T10:00:00Z'));
    expect(r).toMatchObject({ status: 'resolved', resolution: 'credit_issued', resolutionNote: 'CN-7 for $200', resolvedAt: '2026-03-09T10:00:00.000Z' });
    expect(() => resolveDispute(r, { resolution: 'other', note: 'again' }, NOW)).toThrow(/already resolved/);
    expect(() => resolveDispute(open(), { resolution: 'other' }, NOW)).toThrow(/how the dispute was resolved/);
  });

  it('an open dispute pauses outreach for its invoices only, until resolved', () => {
    const d = open({ invoiceIds: [11] });
    expect(isOutreachPaused({ id: 11, customerId: 3 }, '2026-03-05', [d])).toBe(true);
    expect(isOutreachPaused({ id: 12, customerId: 3 }, '2026-03-05', [d])).toBe(false);
    const resolved = resolveDispute(d, { resolution: 'invoice_corrected' }, NOW);
    expect(isOutreachPaused({ id: 11, customerId: 3 }, '2026-03-05', [resolved])).toBe(false);
    expect(outreachHolds({ id: 11, customerId: 3 }, '2026-03-05', [d])).toEqual([{ kind: 'dispute', disputeId: 1, reason: 'pricing' }]);
  });

  it('a pause holds outreach until its date, for the customer or some invoices', () => {
    const pauses: OutreachPause[] = [
      { customerId: 3, invoiceIds: null, until: '2026-03-16', reason: 'Out of office until 2026-03-16.' },
      { customerId: 4, invoiceIds: [20], until: '2026-03-10', reason: 'Checking a claimed payment.' },
    ];
    expect(isOutreachPaused({ id: 12, customerId: 3 }, '2026-03-15', [], pauses)).toBe(true);
    expect(isOutreachPaused({ id: 12, customerId: 3 }, '2026-03-16', [], pauses)).toBe(false);
    expect(outreachHolds({ id: 20, customerId: 4 }, '2026-03-09', [], pauses)).toEqual([
      { kind: 'pause', until: '2026-03-10', reason: 'Checking a claimed payment.' },
    ]);
    expect(isOutreachPaused({ id: 21, customerId: 4 }, '2026-03-09', [], pauses)).toBe(false);
  });

  it('counts open disputes per customer for the open_disputes factor, and lists disputed invoices', () => {
    const list = [open({}, 1), open({ invoiceIds: [12] }, 2), resolveDispute(open({}, 3), { resolution: 'written_off' }, NOW)];
    expect(openDisputeCounts(list).get(3)).toBe(2);
    expect([...disputedInvoiceIds(list)].sort()).toEqual([11, 12]);
    const facts = { ...unknownCustomerFacts(3), openDisputes: openDisputeCounts(list).get(3) ?? 0 };
    const inv = { id: 11, customerId: 3, number: 'INV-11', issueDate: '2026-01-01', dueDate: '2026-02-01', currency: 'USD', totalCents: 100, balanceCents: 100 };
    const s = scoreInvoice(inv, facts, { customerOpenCents: 100, bookOpenCents: 1000 }, '2026-03-10');
    expect(s.factors.find((f) => f.name === 'open_disputes')!.value).toBe(2);
    expect(s.nextAction).toBe('hold');
  });
});
