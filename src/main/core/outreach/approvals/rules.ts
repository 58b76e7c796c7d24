// The approval rules (DESIGN §8, issue 5): given a waiting draft and what is known about its
// customer, the reasons it needs a human, each with a code and a label the owner reads on a chip.
// Pure: the approvals service loads the inputs (disputes, last contact, reminders sent, the clock
// and the owner's time zone) and stores nothing here.
import { currencyDecimals } from '../../../../shared/money';
import type { ApprovalReason, AutonomyPhase, RulesSettings } from '../../../../shared/approvals';
import { outreachHolds, type OutreachPause } from '../../followup';
import { zonedDate, zoneOffsetMs } from '../../followup';

export const RULES_SETTING_KEY = 'outreach.rules';

export const DEFAULT_RULES: Readonly<RulesSettings> = Object.freeze({
  amountThreshold: 10_000,
  currencyThresholds: {},
  quietDays: 7,
  maxRemindersPer30Days: 2,
  sendWindow: { startHour: 9, endHour: 17, days: [1, 2, 3, 4, 5] },
  phase: 'approve',
  autoLowThreshold: 500,
  autoLowDailyCap: 10,
});

const MS_PER_DAY = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface RulesDraft {
  customer: { id: number; name: string };
  invoices: readonly { id: number; number: string; currency: string; balanceCents: number }[];
  tier: 'high' | 'medium' | 'low' | null;
  /** Fact-check flags still in the text (submitted with an override reason). */
  flagged: number;
}

export interface RulesContext {
  /** Invoices of this customer under an open dispute. */
  disputedInvoiceIds: ReadonlySet<number>;
  /** The last contact with the customer (email, call or reminder), ISO instant; null if none. */
  lastContactAt: string | null;
  /** Reminders sent per invoice id in the last 30 days. */
  remindersLast30Days: ReadonlyMap<number, number>;
  now: Date;
  /** The owner's IANA time zone. */
  timeZone: string;
  /** Outreach pauses of the company not yet over (issue #6): a paused invoice holds the draft. */
  pauses?: readonly OutreachPause[];
}

/** A major-unit amount in a currency's minor units (10,000 USD → 1,000,000 cents; 10,000 JPY → 10,000). */
export function toCents(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDecimals(currency));
}

/** The threshold for one currency, in its minor units. */
export function thresholdCents(rules: RulesSettings, currency: string): number {
  return toCents(rules.currencyThresholds[currency] ?? rules.amountThreshold, currency);
}

/** Open balance per currency of the draft's invoices. */
export function balancesByCurrency(invoices: RulesDraft['invoices']): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of invoices) out.set(i.currency, (out.get(i.currency) ?? 0) + i.balanceCents);
  return out;
}

/** The local weekday (1 = Monday … 7 = Sunday) and hour at an instant in a zone. */
export function localWeekdayHour(now: Date, timeZone: string): { weekday: number; hour: number } {
  const local = new Date(now.getTime() + zoneOffsetMs(now, timeZone));
  const day = local.getUTCDay();
  return { weekday: day === 0 ? 7 : day, hour: local.getUTCHours() };
}

/** True inside the send window (business hours on a business day in the owner's zone). */
export function inSendWindow(now: Date, timeZone: string, window: RulesSettings['sendWindow']): boolean {
  const { weekday, hour } = localWeekdayHour(now, timeZone);
  return window.days.includes(weekday) && hour >= window.startHour && hour < window.endHour;
}

function windowLabel(w: RulesSettings['sendWindow']): string {
  const days = [...w.days].sort((a, b) => a - b);
  const contiguous = days.length > 1 && days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText = days.length === 0 ? 'no days' : contiguous ? `${WEEKDAYS[days[0]! % 7]}–${WEEKDAYS[days.at(-1)! % 7]}` : days.map((d) => WEEKDAYS[d % 7]).join(', ');
  const hh = (h: number): string => `${String(h).padStart(2, '0')}:00`;
  return `${dayText} ${hh(w.startHour)}–${hh(w.endHour)}`;
}

/** The pause that lasts longest over any of the draft's invoices, if one applies today. */
function pausedUntil(draft: RulesDraft, ctx: RulesContext): { until: string; reason: string } | null {
  if (!ctx.pauses || ctx.pauses.length === 0) return null;
  const today = zonedDate(ctx.now, ctx.timeZone);
  let best: { until: string; reason: string } | null = null;
  for (const inv of draft.invoices) {
    for (const h of outreachHolds({ id: inv.id, customerId: draft.customer.id }, today, [], ctx.pauses)) {
      if (h.kind === 'pause' && (!best || h.until > best.until)) best = { until: h.until, reason: h.reason };
    }
  }
  return best;
}

/** Every reason this draft needs a human, in a stable order (empty: nothing in the rules objects). */
export function evaluateRules(draft: RulesDraft, ctx: RulesContext, rules: RulesSettings): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  const disputed = draft.invoices.filter((i) => ctx.disputedInvoiceIds.has(i.id));
  if (disputed.length > 0) {
    reasons.push({ code: 'disputed', label: `Disputed: ${disputed.map((i) => i.number).join(', ')}` });
  }
  const pause = pausedUntil(draft, ctx);
  if (pause) reasons.push({ code: 'paused', label: `Outreach paused until ${pause.until}: ${pause.reason}` });
  for (const [currency, cents] of balancesByCurrency(draft.invoices)) {
    const limit = thresholdCents(rules, currency);
    if (cents > limit) {
      reasons.push({ code: 'amount', label: `Above ${(rules.currencyThresholds[currency] ?? rules.amountThreshold).toLocaleString('en-US')} ${currency}` });
    }
  }
  if (ctx.lastContactAt !== null && rules.quietDays > 0) {
    const since = ctx.now.getTime() - new Date(ctx.lastContactAt).getTime();
    if (since < rules.quietDays * MS_PER_DAY) {
      const days = Math.max(0, Math.floor(since / MS_PER_DAY));
      reasons.push({ code: 'quiet_period', label: days === 0 ? 'Contacted today' : `Contacted ${days} day${days === 1 ? '' : 's'} ago` });
    }
  }
  const tooMany = draft.invoices.filter((i) => (ctx.remindersLast30Days.get(i.id) ?? 0) >= rules.maxRemindersPer30Days);
  if (tooMany.length > 0) {
    reasons.push({
      code: 'reminder_limit',
      label: `${rules.maxRemindersPer30Days}+ reminders in 30 days: ${tooMany.map((i) => i.number).join(', ')}`,
    });
  }
  if (!inSendWindow(ctx.now, ctx.timeZone, rules.sendWindow)) {
    reasons.push({ code: 'send_window', label: `Outside send window (${windowLabel(rules.sendWindow)})` });
  }
  if (draft.flagged > 0) {
    reasons.push({ code: 'factcheck_override', label: `${draft.flagged} unmatched figure${draft.flagged === 1 ? '' : 's'} (overridden)` });
  }
  return reasons;
}

export const MONITOR_BLOCK = 'Monitor phase: Settle only suggests. Switch to Approve in Settings → Rules to approve reminders.';

/** Why approving is refused under this phase, if it is. */
export function phaseBlock(phase: AutonomyPhase): string | undefined {
  return phase === 'monitor' ? MONITOR_BLOCK : undefined;
}

/**
 * auto_low: a draft is eligible to go without review when the rules found nothing, it is Low tier,
 * fact-check clean and every currency's balance is under the auto-low threshold.
 */
export function isLowRisk(draft: RulesDraft, reasons: readonly ApprovalReason[], rules: RulesSettings): boolean {
  if (reasons.length > 0 || draft.tier !== 'low' || draft.flagged > 0) return false;
  for (const [currency, cents] of balancesByCurrency(draft.invoices)) {
    if (cents >= toCents(rules.autoLowThreshold, currency)) return false;
  }
  return true;
}

/** The reasons shown under a phase: approve adds "you approve every reminder" when nothing else applies. */
export function reasonsForPhase(phase: AutonomyPhase, reasons: ApprovalReason[]): ApprovalReason[] {
  if (reasons.length === 0 && phase !== 'auto_low') return [{ code: 'approve_all', label: 'You approve every reminder' }];
  return reasons;
}
