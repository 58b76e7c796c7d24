// Approvals and rules (issue 5, DESIGN §8): what the rules decide about a waiting draft, and the
// shapes approvals.* and rules.* return. Shared by the core and the renderer.

/** How much Settle may do on its own: suggest only, ask for every send, or clear low-risk ones. */
export type AutonomyPhase = 'monitor' | 'approve' | 'auto_low';

export const AUTONOMY_PHASES: readonly AutonomyPhase[] = ['monitor', 'approve', 'auto_low'];

export const AUTONOMY_LABELS: Record<AutonomyPhase, string> = {
  monitor: 'Monitor (suggestions only)',
  approve: 'Approve everything',
  auto_low: 'Auto-send low risk',
};

export interface RulesSettings {
  /** A draft whose balance in any currency is above this many major units needs a human. */
  amountThreshold: number;
  /** Per-currency thresholds in major units (ISO code → amount), overriding amountThreshold. */
  currencyThresholds: Record<string, number>;
  /** Days after the last contact during which another reminder needs a human. */
  quietDays: number;
  /** Reminders per invoice in 30 days before another needs a human. */
  maxRemindersPer30Days: number;
  /** Business hours in the owner's time zone: [startHour, endHour), on these ISO weekdays (1 = Monday). */
  sendWindow: { startHour: number; endHour: number; days: number[] };
  phase: AutonomyPhase;
  /** auto_low: the largest balance (major units) a low-risk draft may have. */
  autoLowThreshold: number;
  /** auto_low: at most this many drafts marked eligible per day. */
  autoLowDailyCap: number;
}

export type ReasonCode =
  | 'amount'
  | 'disputed'
  | 'paused'
  | 'quiet_period'
  | 'reminder_limit'
  | 'send_window'
  | 'factcheck_override'
  | 'approve_all';

export interface ApprovalReason {
  code: ReasonCode;
  label: string;
}

export interface ApprovalItem {
  draft: {
    id: number;
    customer: { id: number; name: string };
    subject: string;
    tone: 'friendly' | 'firm' | 'final';
    tier: 'high' | 'medium' | 'low' | null;
    invoices: { id: number; number: string; currency: string; balanceCents: number; daysOverdue: number }[];
    /** Overdue balance per currency (never added across currencies). */
    totalOverdue: { currency: string; cents: number }[];
    flagged: number;
    overrideReason: string | null;
    updatedAt: string;
  };
  reasons: ApprovalReason[];
  /** Why approving is refused right now (monitor phase), if it is. */
  blocked?: string;
  /** auto_low: low risk enough to go without review (approved by the rule on submit, sent after 10 minutes). */
  eligible?: boolean;
}

export interface ApprovalsView {
  phase: AutonomyPhase;
  items: ApprovalItem[];
}

export interface ApprovalOutcome {
  draftId: number;
  ok: boolean;
  /** Why this draft was not approved or rejected. */
  error?: string;
}

export interface ApprovalsResult {
  done: number;
  results: ApprovalOutcome[];
}
