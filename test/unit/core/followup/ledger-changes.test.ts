import { describe, expect, it } from 'vitest';
import type { InvoiceBalanceChange } from '../../../../src/main/core/followup/ledger-changes';
import { outsidePaymentEffects } from '../../../../src/main/core/followup/ledger-changes';

const change = (over: Partial<InvoiceBalanceChange> & { invoiceId: number }): InvoiceBalanceChange => ({
  number: `INV-${over.invoiceId}`,
  currency: 'USD',
  before: { balanceCents: 50_000, status: 'open' },
  after: { balanceCents: 0, status: 'paid' },
  ...over,
});

describe('payments outside Settle', () => {
  it('a closed invoice cancels a queued send about it and stops outreach', () => {
    const r = outsidePaymentEffects(
      [change({ invoiceId: 1, cause: { kind: 'payment', date: '2026-03-05', reference: '4521' } })],
      [
        { id: 'o-1', kind: 'outbox', invoiceIds: [1] },
        { id: 'd-9', kind: 'draft', invoiceIds: [7] },
      ],
    );
    expect(r.closedInvoiceIds).toEqual([1]);
    expect(r.decisions).toEqual([{ id: 'o-1', kind: 'outbox', action: 'cancel', reason: 'INV-1 is no longer open.' }]);
    expect(r.activity).toEqual([
      {
        invoiceId: 1,
        message: 'INV-1 was paid in full outside Settle (payment on 2026-03-05, ref 4521): 1 pending message cancelled; outreach about it stopped.',
      },
    ]);
  });

  it('a reduced balance sends drafts back for a redraft', () => {
    const r = outsidePaymentEffects(
      [change({ invoiceId: 2, after: { balanceCents: 20_000, status: 'open' }, cause: { kind: 'credit', date: '2026-03-05' } })],
      [{ id: 3, kind: 'draft', invoiceIds: [2] }],
    );
    expect(r.changedInvoiceIds).toEqual([2]);
    expect(r.decisions).toEqual([{ id: 3, kind: 'draft', action: 'redraft', reason: 'the balance of INV-2 changed; redraft before sending.' }]);
    expect(r.activity[0]!.message).toBe(
      "INV-2's balance went from $500.00 to $200.00 outside Settle (credit on 2026-03-05): 1 pending message sent back for a redraft.",
    );
  });

  it('a message about several invoices, one now paid, is redrafted rather than cancelled', () => {
    const r = outsidePaymentEffects([change({ invoiceId: 1 })], [{ id: 5, kind: 'outbox', invoiceIds: [1, 4] }]);
    expect(r.decisions).toEqual([{ id: 5, kind: 'outbox', action: 'redraft', reason: 'INV-1 is no longer open; redraft before sending.' }]);
  });

  it('voids count as closed; unchanged or already-closed invoices do nothing', () => {
    const r = outsidePaymentEffects(
      [
        change({ invoiceId: 1, after: { balanceCents: 50_000, status: 'void' } }),
        change({ invoiceId: 2, after: { balanceCents: 50_000, status: 'open' } }),
        change({ invoiceId: 3, before: { balanceCents: 0, status: 'paid' } }),
      ],
      [{ id: 1, kind: 'draft', invoiceIds: [2, 3] }],
    );
    expect(r.closedInvoiceIds).toEqual([1]);
    expect(r.changedInvoiceIds).toEqual([]);
    expect(r.decisions).toEqual([]);
    expect(r.activity.map((a) => a.message)).toEqual(['INV-1 was voided in the ledger: outreach about it stopped.']);
  });
});
