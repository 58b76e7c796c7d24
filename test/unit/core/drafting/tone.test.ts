import { describe, expect, it } from 'vitest';
import { defaultTone, FINAL_FROM_DAYS, FIRM_FROM_DAYS } from '../../../../src/main/core/drafting/tone';

describe('defaultTone', () => {
  it('is friendly for a first reminder on low or medium risk', () => {
    expect(defaultTone({ tier: 'low', maxDaysOverdue: 12 })).toEqual({ tone: 'friendly', reason: 'First reminder, low risk' });
    expect(defaultTone({ tier: 'medium', maxDaysOverdue: FIRM_FROM_DAYS - 1 }).tone).toBe('friendly');
    expect(defaultTone({ tier: null, maxDaysOverdue: 3 }).tone).toBe('friendly');
  });

  it('is firm for the high tier, 60+ days, or a repeat', () => {
    expect(defaultTone({ tier: 'high', maxDaysOverdue: 5 })).toEqual({ tone: 'firm', reason: 'High-risk tier' });
    expect(defaultTone({ tier: 'low', maxDaysOverdue: FIRM_FROM_DAYS })).toEqual({ tone: 'firm', reason: '60 days overdue' });
    expect(defaultTone({ tier: 'low', maxDaysOverdue: 10, history: { priorReminders: 1, lastTone: 'friendly' } })).toEqual({
      tone: 'firm',
      reason: 'Already reminded once',
    });
    expect(defaultTone({ tier: 'low', maxDaysOverdue: 10, history: { priorReminders: 3, lastTone: 'friendly' } }).reason).toBe('Already reminded 3 times');
  });

  it('is a final notice only at 90+ days after a firm reminder (and never steps back)', () => {
    expect(defaultTone({ tier: 'high', maxDaysOverdue: 120 }).tone).toBe('firm');
    expect(defaultTone({ tier: 'high', maxDaysOverdue: 120, history: { priorReminders: 2, lastTone: 'friendly' } }).tone).toBe('firm');
    expect(defaultTone({ tier: 'low', maxDaysOverdue: FINAL_FROM_DAYS - 1, history: { priorReminders: 1, lastTone: 'firm' } }).tone).toBe('firm');
    expect(defaultTone({ tier: 'low', maxDaysOverdue: FINAL_FROM_DAYS, history: { priorReminders: 1, lastTone: 'firm' } })).toEqual({
      tone: 'final',
      reason: '90 days overdue after a firm reminder',
    });
    expect(defaultTone({ tier: 'low', maxDaysOverdue: 20, history: { priorReminders: 4, lastTone: 'final' } }).tone).toBe('final');
  });
});
