// The approvals queue, pure (issue 5): orders waiting drafts by customer priority and applies the
// autonomy phase (monitor blocks approving; auto_low marks low-risk drafts eligible, up to the
// daily cap). The approvals service loads the drafts and stores the decisions.
import type { ApprovalItem, RulesSettings } from '../../../../shared/approvals';
import { isLowRisk, phaseBlock, reasonsForPhase, type RulesDraft } from './rules';

const TIER_RANK = { high: 0, medium: 1, low: 2 } as const;

/** High tier first, then the larger overdue balance (largest currency figure), then the older draft. */
export function byPriority(a: ApprovalItem, b: ApprovalItem): number {
  const ta = a.draft.tier === null ? 3 : TIER_RANK[a.draft.tier];
  const tb = b.draft.tier === null ? 3 : TIER_RANK[b.draft.tier];
  if (ta !== tb) return ta - tb;
  const ma = Math.max(0, ...a.draft.totalOverdue.map((t) => t.cents));
  const mb = Math.max(0, ...b.draft.totalOverdue.map((t) => t.cents));
  if (ma !== mb) return mb - ma;
  return a.draft.id - b.draft.id;
}

/**
 * Applies the phase to items whose rule reasons are already known. `eligibleToday` is how many
 * drafts were already marked eligible today (the cap counts them).
 */
export function applyPhase(
  items: readonly { item: ApprovalItem; rulesDraft: RulesDraft }[],
  rules: RulesSettings,
  eligibleToday = 0,
): ApprovalItem[] {
  const out: ApprovalItem[] = [];
  let left = Math.max(0, rules.autoLowDailyCap - eligibleToday);
  const blocked = phaseBlock(rules.phase);
  for (const { item, rulesDraft } of [...items].sort((a, b) => byPriority(a.item, b.item))) {
    const next: ApprovalItem = { ...item, reasons: reasonsForPhase(rules.phase, item.reasons) };
    if (blocked) next.blocked = blocked;
    if (rules.phase === 'auto_low') {
      const low = isLowRisk(rulesDraft, item.reasons, rules) && left > 0;
      if (low) left--;
      next.eligible = low;
      if (!low && next.reasons.length === 0) next.reasons = [{ code: 'approve_all', label: 'Not low risk: needs your approval' }];
    }
    out.push(next);
  }
  return out;
}
