// Every tunable number of the v1 score in one place, so the UI can show them and a change to
// the model is a change to this file. The curves they feed are described in model.ts.
import type { FactorName, Tier } from '../../../shared/model';

/** Maximum points per factor; they sum to 100, so a score is out of 100. */
export const WEIGHTS = {
  days_overdue: 35,
  days_to_pay: 15,
  relative_amount: 10,
  exposure: 15,
  since_contact: 10,
  broken_promises: 10,
  open_disputes: 5,
} as const satisfies Record<FactorName, number>;

/** The order factors are always listed in (explanations, factors_json, the "why" bars). */
export const FACTOR_ORDER: readonly FactorName[] = [
  'days_overdue',
  'days_to_pay',
  'relative_amount',
  'exposure',
  'since_contact',
  'broken_promises',
  'open_disputes',
];

export const FACTOR_LABELS: Record<FactorName, string> = {
  days_overdue: 'Days overdue',
  days_to_pay: 'Payment habits',
  relative_amount: 'Invoice size',
  exposure: 'Exposure',
  since_contact: 'Since last contact',
  broken_promises: 'Broken promises',
  open_disputes: 'Open disputes',
};

/** A score at or above `high` is High, at or above `medium` Medium, else Low. */
export const TIER_THRESHOLDS = { high: 55, medium: 30 } as const satisfies Partial<Record<Tier, number>>;

/** Where each factor's curve reaches its full weight (and the neutral values for unknowns). */
export const CURVES = {
  /** Days past due at which days_overdue is full; the curve is a square root, so early weeks count most. */
  overdueFullDays: 120,
  /** Average days paid late at which days_to_pay is full; paying on time or early scores 0. */
  lateFullDays: 60,
  /** Share of days_to_pay given to a customer with no payment history: modest, not zero. */
  unknownHistoryShare: 0.3,
  /** Balance / usual invoice: at or below `low` scores 0, at or above `high` scores full. */
  relativeLow: 0.5,
  relativeHigh: 3,
  /** Share of the currency's open book at which exposure is full (square-root curve). */
  exposureFullShare: 0.25,
  /** Days of silence at which since_contact is full. */
  silenceFullDays: 60,
  /** Broken promises / open disputes at which those factors are full. */
  brokenPromisesFull: 2,
  openDisputesFull: 1,
} as const;

/** Thresholds of the next-action rules (see nextActionFor in model.ts). */
export const ACTION_RULES = {
  /** Escalate High-tier debt more than this many days past due. */
  escalateAfterDays: 90,
  /** A payment plan needs at least this many days past due... */
  planAfterDays: 60,
  /** ...a chronic payer (average days late at least this)... */
  planChronicLateDays: 30,
  /** ...and a large exposure: at least this percent of the currency's open book. */
  planExposurePercent: 5,
  /** Call when the last contact is at least this old and went unanswered... */
  unansweredAfterDays: 21,
  /** ...while the invoice is at least this many days past due. */
  unansweredMinOverdueDays: 30,
} as const;
