// The three tones a reminder can take, and the default one for a customer: gentle the first
// time, firmer for high-risk, long-overdue or repeat cases, and a final notice only after a
// firm reminder has already gone out on debt that is 90+ days past due. The owner can always
// pick another tone; the reason is shown so the default is explainable (DESIGN §1.5).
import type { Tier } from '../../../shared/model';

export type Tone = 'friendly' | 'firm' | 'final';
export const TONES: readonly Tone[] = ['friendly', 'firm', 'final'];
export const TONE_LABELS: Record<Tone, string> = { friendly: 'Friendly', firm: 'Firm', final: 'Final notice' };

export function isTone(value: unknown): value is Tone {
  return value === 'friendly' || value === 'firm' || value === 'final';
}

/** Reminders already sent about this debt (from the drafts/outbox history). */
export interface ReminderHistory {
  /** Reminders sent for the invoices covered, any tone. */
  priorReminders: number;
  /** Tone of the most recent one, or null if none was sent. */
  lastTone: Tone | null;
}

export const NO_HISTORY: ReminderHistory = Object.freeze({ priorReminders: 0, lastTone: null });

export interface ToneChoice {
  tone: Tone;
  /** Why, in a few words, e.g. "92 days overdue after a firm reminder". */
  reason: string;
}

/** Days past due from which a reminder is firm even the first time. */
export const FIRM_FROM_DAYS = 60;
/** Days past due from which a final notice may follow a firm reminder. */
export const FINAL_FROM_DAYS = 90;

export function defaultTone(input: { tier: Tier | null; maxDaysOverdue: number; history?: ReminderHistory }): ToneChoice {
  const { tier, maxDaysOverdue: days } = input;
  const history = input.history ?? NO_HISTORY;
  const escalated = history.lastTone === 'firm' || history.lastTone === 'final';
  if (days >= FINAL_FROM_DAYS && escalated) {
    return { tone: 'final', reason: `${days} days overdue after a ${history.lastTone === 'final' ? 'final notice' : 'firm reminder'}` };
  }
  if (history.lastTone === 'final') return { tone: 'final', reason: 'A final notice was already sent' };
  if (tier === 'high') return { tone: 'firm', reason: 'High-risk tier' };
  if (days >= FIRM_FROM_DAYS) return { tone: 'firm', reason: `${days} days overdue` };
  if (history.priorReminders > 0) {
    const n = history.priorReminders;
    return { tone: 'firm', reason: `Already reminded ${n === 1 ? 'once' : `${n} times`}` };
  }
  return { tone: 'friendly', reason: tier === 'low' ? 'First reminder, low risk' : 'First reminder' };
}
