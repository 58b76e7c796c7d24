import { describe, expect, it } from 'vitest';
import { applyPhase } from '../../../../../src/main/core/outreach/approvals/approvals';
import { DEFAULT_RULES, evaluateRules, inSendWindow, thresholdCents, type RulesContext, type RulesDraft } from '../../../../../src/main/core/outreach/approvals/rules';
import type { ApprovalItem, RulesSettings } from '../../../../../src/shared/approvals';

const NY = 'America/New_York';
// Tuesday 2026-11-17 15:00 UTC = 10:00 in New York: inside the default window.
const NOW = new Date('2026-11-17T15:00:00Z');
const rules: RulesSettings = { ...DEFAULT_RULES, sendWindow: { ...DEFAULT_RULES.sendWindow, days: [...DEFAULT_RULES.sendWindow.days] } };

const draft = (over: Partial<RulesDraft> = {}): RulesDraft => ({
  customer: { id: 1, name: 'Acme' },
  invoices: [{ id: 10, number: 'INV-10', currency: 'USD', balanceCents: 1_000_00 }],
  tier: 'medium',
  flagged: 0,
  ...over,
});
const ctx = (over: Partial<RulesContext> = {}): RulesContext => ({
  disputedInvoiceIds: new Set(),
  lastContactAt: null,
  remindersLast30Days: new Map(),
  now: NOW,
  timeZone: NY,
  ...over,
});
const codes = (d: RulesDraft, c: RulesContext, r: RulesSettings = rules): string[] => evaluateRules(d, c, r).map((x) => x.code);

describe('approval rules', () => {
  it('finds nothing for a small, quiet, undisputed draft in business hours', () => {
    expect(codes(draft(), ctx())).toEqual([]);
  });

  it('flags an amount above the threshold per currency (10,000 major units by default, overrides per currency)', () => {
    expect(thresholdCents(rules, 'USD')).toBe(1_000_000);
    expect(thresholdCents(rules, 'JPY')).toBe(10_000);
    const big = draft({ invoices: [{ id: 1, number: 'A', currency: 'USD', balanceCents: 600_000 }, { id: 2, number: 'B', currency: 'USD', balanceCents: 400_001 }] });
    expect(codes(big, ctx())).toEqual(['amount']);
    expect(codes(draft({ invoices: [{ id: 1, number: 'A', currency: 'USD', balanceCents: 1_000_000 }] }), ctx())).toEqual([]);
    // Currencies are never added together.
    const mixed = draft({ invoices: [{ id: 1, number: 'A', currency: 'USD', balanceCents: 900_000 }, { id: 2, number: 'B', currency: 'EUR', balanceCents: 900_000 }] });
    expect(codes(mixed, ctx())).toEqual([]);
    expect(codes(mixed, ctx(), { ...rules, currencyThresholds: { EUR: 5_000 } })).toEqual(['amount']);
  });

  it('always flags a disputed invoice, naming it', () => {
    const r = evaluateRules(draft(), ctx({ disputedInvoiceIds: new Set([10]) }), rules);
    expect(r).toEqual([{ code: 'disputed', label: 'Disputed: INV-10' }]);
  });

  it('flags a contact inside the quiet period, not one before it', () => {
    expect(codes(draft(), ctx({ lastContactAt: '2026-11-14T12:00:00Z' }))).toEqual(['quiet_period']);
    expect(codes(draft(), ctx({ lastContactAt: '2026-11-09T12:00:00Z' }))).toEqual([]);
    expect(codes(draft(), ctx({ lastContactAt: '2026-11-14T12:00:00Z' }), { ...rules, quietDays: 0 })).toEqual([]);
  });

  it('flags an invoice that already had the maximum reminders in 30 days', () => {
    expect(codes(draft(), ctx({ remindersLast30Days: new Map([[10, 1]]) }))).toEqual([]);
    expect(codes(draft(), ctx({ remindersLast30Days: new Map([[10, 2]]) }))).toEqual(['reminder_limit']);
  });

  it('flags a submitted fact-check override', () => {
    expect(codes(draft({ flagged: 2 }), ctx())).toEqual(['factcheck_override']);
  });

  it('keeps the send window in local business hours across daylight-saving changes', () => {
    const w = rules.sendWindow;
    // Spring forward (New York, Sunday 2026-03-08): 13:30 UTC is 08:30 EST on Friday but 09:30 EDT on Monday.
    expect(inSendWindow(new Date('2026-03-06T13:30:00Z'), NY, w)).toBe(false);
    expect(inSendWindow(new Date('2026-03-09T13:30:00Z'), NY, w)).toBe(true);
    // Fall back (Sunday 2026-11-01): 13:30 UTC is 09:30 EDT on Friday but 08:30 EST on Monday.
    expect(inSendWindow(new Date('2026-10-30T13:30:00Z'), NY, w)).toBe(true);
    expect(inSendWindow(new Date('2026-11-02T13:30:00Z'), NY, w)).toBe(false);
    expect(inSendWindow(new Date('2026-11-02T21:59:00Z'), NY, w)).toBe(true); // 16:59 EST
    expect(inSendWindow(new Date('2026-11-02T22:00:00Z'), NY, w)).toBe(false); // 17:00 EST
    // Weekends are outside; another zone reads its own clock.
    expect(inSendWindow(new Date('2026-03-07T15:00:00Z'), NY, w)).toBe(false);
    expect(inSendWindow(new Date('2026-11-17T15:00:00Z'), 'Asia/Tokyo', w)).toBe(false); // 00:00 Wednesday
    expect(evaluateRules(draft(), ctx({ now: new Date('2026-11-02T13:30:00Z') }), rules)).toEqual([
      { code: 'send_window', label: 'Outside send window (Mon–Fri 09:00–17:00)' },
    ]);
  });

  it('applies the phase: approve asks for everything, monitor blocks, auto_low marks low-risk drafts up to the cap', () => {
    const item = (id: number, tier: ApprovalItem['draft']['tier'], reasons: ApprovalItem['reasons'] = []) => {
      const d = draft({ tier, invoices: [{ id, number: `I${id}`, currency: 'USD', balanceCents: 100_00 }] });
      const it: ApprovalItem = {
        draft: { id, customer: d.customer, subject: 's', tone: 'friendly', tier, invoices: [], totalOverdue: [{ currency: 'USD', cents: 100_00 }], flagged: 0, overrideReason: null, updatedAt: '' },
        reasons,
      };
      return { item: it, rulesDraft: d };
    };
    const approve = applyPhase([item(1, 'low')], rules);
    expect(approve[0]).toMatchObject({ reasons: [{ code: 'approve_all' }] });
    expect(approve[0]!.blocked).toBeUndefined();
    expect(applyPhase([item(1, 'low')], { ...rules, phase: 'monitor' })[0]!.blocked).toMatch(/Monitor/);
    const auto = applyPhase([item(1, 'low'), item(2, 'low'), item(3, 'high'), item(4, 'low', [{ code: 'disputed', label: 'x' }])], {
      ...rules,
      phase: 'auto_low',
      autoLowDailyCap: 1,
    });
    // Ordered by priority: high first.
    expect(auto.map((a) => [a.draft.id, a.eligible])).toEqual([
      [3, false],
      [1, true],
      [2, false],
      [4, false],
    ]);
  });
});
