// The approval rule for outreach pauses (outreach/approvals/rules.ts): a pause over any of a draft's invoices
// (or the whole customer) holds it with "Outreach paused until …", until the pause's date.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, evaluateRules, type RulesContext, type RulesDraft } from '../../../../../src/main/core/outreach/approvals/rules';

const draft: RulesDraft = {
  customer: { id: 5, name: 'Harbor Lane' },
  invoices: [
    { id: 11, number: 'INV-11', currency: 'USD', balanceCents: 10_000 },
    { id: 12, number: 'INV-12', currency: 'USD', balanceCents: 20_000 },
  ],
  tier: 'low',
  flagged: 0,
};
// A Tuesday at 10:00 UTC: inside the default send window, so only the pause can speak.
const ctx = (pauses: RulesContext['pauses']): RulesContext => ({
  disputedInvoiceIds: new Set(),
  lastContactAt: null,
  remindersLast30Days: new Map(),
  now: new Date('2026-11-24T10:00:00Z'),
  timeZone: 'UTC',
  pauses,
});
const paused = (pauses: RulesContext['pauses']): string[] =>
  evaluateRules(draft, ctx(pauses), DEFAULT_RULES)
    .filter((r) => r.code === 'paused')
    .map((r) => r.label);

describe('the pause rule', () => {
  it('holds a draft while the customer is paused, naming the date and why', () => {
    expect(paused([{ customerId: 5, invoiceIds: null, until: '2026-12-01', reason: 'Out of office' }])).toEqual([
      'Outreach paused until 2026-12-01: Out of office',
    ]);
  });

  it('a pause on one of the invoices holds the draft; one on another customer or invoice does not', () => {
    expect(paused([{ customerId: 5, invoiceIds: [12], until: '2026-12-01', reason: 'Checking a payment' }])).toHaveLength(1);
    expect(paused([{ customerId: 5, invoiceIds: [99], until: '2026-12-01', reason: 'Other invoice' }])).toEqual([]);
    expect(paused([{ customerId: 6, invoiceIds: null, until: '2026-12-01', reason: 'Other customer' }])).toEqual([]);
  });

  it('ends on its date, and the longest of several pauses is the one named', () => {
    expect(paused([{ customerId: 5, invoiceIds: null, until: '2026-11-24', reason: 'Ends today' }])).toEqual([]);
    expect(
      paused([
        { customerId: 5, invoiceIds: null, until: '2026-11-28', reason: 'Short' },
        { customerId: 5, invoiceIds: [11], until: '2026-12-05', reason: 'Long' },
      ]),
    ).toEqual(['Outreach paused until 2026-12-05: Long']);
    expect(paused(undefined)).toEqual([]);
  });
});
