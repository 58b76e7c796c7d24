// Approvals and rules wired into the core (issue 5, DESIGN §8): approvals.list evaluates the
// rules for every waiting draft of the active company, approvals.approve / approvals.reject
// decide many drafts in one transaction (audited per draft, blocked ones refused per item), and
// rules.* keep the rules in the settings table (no migration). Approving puts each draft in
// the outbox (outreach/outbox) inside the same per-draft savepoint; under auto_low an eligible
// draft is approved by the rule on submit and waits 10 minutes there before it goes. The drafts
// are read and decided through drafting's repo; the history the rules weigh through
// approvals.repo.ts.
import { defineHandlers, type HandlerGroup } from '../../handlers';
import { RulesPatch, type ParsedInput } from '../../../../shared/contract';
import type { ApprovalItem, ApprovalOutcome, ApprovalsResult, ApprovalsView, RulesSettings } from '../../../../shared/approvals';
import { SettleError } from '../../../../shared/errors';
import { appendAudit } from '../../audit';
import type { Db } from '../../db/open';
import { getSetting, setSetting } from '../../settings';
import type { DraftFacts } from '../../drafting';
import { draftsAwaitingApproval, getDraftSummary, setDraftStatus, type DraftSummary } from '../../drafting';
import { applyPhase } from './approvals';
import { openlyDisputedInvoiceIds } from '../../followup';
import { lastContactByCustomer, remindersByInvoiceSince } from '../../ledger';
import { DEFAULT_RULES, evaluateRules, RULES_SETTING_KEY, type RulesDraft } from './rules';
import type { OutreachPause } from '../../followup';
import type { Clock } from '../../ports';
import type { OutboxChannel } from '../../../../shared/outbox';

export interface ApprovalsDeps {
  db: Db;
  clock: Clock;
  /** The company the board shows; null when there is none. */
  activeConnectionId(): string | null;
  /** Outreach pauses not yet over in a company (follow-up, issue #6); none when absent. */
  pauses?(connectionId: string): OutreachPause[];
  /** The outbox: approval queues the draft there in the same transaction (outreach/outbox). */
  outbox?: {
    enqueue(draftId: number, opts: { channel?: OutboxChannel; approvedBy: 'owner' | 'rule'; notBefore?: string | null }): number;
    /** Auto-send approvals already made today (the daily cap counts them across restarts). */
    ruleQueuedToday(): number;
    /** When an auto-sent reminder approved now may go (10 minutes later). */
    autoSendAt(): string;
  };
}

const MS_PER_DAY = 86_400_000;

/** How a batch is decided: approve or reject, and for an approval, its channel and whether a rule made it. */
interface Decision {
  status: 'approved' | 'rejected';
  reason?: string;
  channel?: OutboxChannel;
  byRule?: boolean;
}

/** The stored rules over the defaults; an unreadable stored value reads as the defaults. */
export function readRules(db: Db): RulesSettings {
  const stored = getSetting<unknown>(db, RULES_SETTING_KEY);
  const parsed = RulesPatch.safeParse(stored ?? {});
  return { ...DEFAULT_RULES, ...(parsed.success ? parsed.data : {}) } as RulesSettings;
}

function rulesDraftOf(row: DraftSummary, facts: DraftFacts): RulesDraft {
  return {
    customer: { id: facts.customer.id, name: facts.customer.name },
    invoices: facts.invoices.map((i) => ({ id: i.id, number: i.number, currency: i.currency, balanceCents: i.balanceCents })),
    tier: facts.tier,
    flagged: row.flagged,
  };
}

function itemOf(row: DraftSummary, facts: DraftFacts): ApprovalItem {
  return {
    draft: {
      id: row.id,
      customer: { id: facts.customer.id, name: facts.customer.name },
      subject: row.subject,
      tone: row.tone,
      tier: facts.tier,
      invoices: facts.invoices.map((i) => ({
        id: i.id,
        number: i.number,
        currency: i.currency,
        balanceCents: i.balanceCents,
        daysOverdue: i.daysOverdue,
      })),
      totalOverdue: facts.totals.map((t) => ({ currency: t.currency, cents: t.overdueCents })),
      flagged: row.flagged,
      overrideReason: row.overrideReason,
      updatedAt: row.updatedAt,
    },
    reasons: [],
  };
}

export class ApprovalsService {
  readonly handlers: HandlerGroup[];

  constructor(private readonly deps: ApprovalsDeps) {
    this.handlers = [
      defineHandlers('approvals', {
        list: () => this.list(),
        approve: ({ draftIds, channel }) => this.decide(draftIds, { status: 'approved', ...(channel ? { channel } : {}) }),
        reject: ({ draftIds, reason }) => this.decide(draftIds, { status: 'rejected', ...(reason ? { reason } : {}) }),
      }),
      defineHandlers('rules', {
        get: () => readRules(deps.db),
        set: (patch) => this.setRules(patch),
      }),
    ];
  }

  /**
   * After a draft is submitted: under auto_low, a low-risk draft within the daily cap is approved
   * by the rule (audited as 'rule') and queued to go in 10 minutes, cancellable until then.
   * Returns whether it was.
   */
  autoApprove(draftId: number): boolean {
    const { db } = this.deps;
    if (!this.deps.outbox || readRules(db).phase !== 'auto_low') return false;
    const row = getDraftSummary(db, draftId);
    if (!row || row.status !== 'pending_approval') return false;
    return this.decide([draftId], { status: 'approved', byRule: true }).done === 1;
  }

  private list(): ApprovalsView {
    const rules = readRules(this.deps.db);
    const connectionId = this.deps.activeConnectionId();
    return { phase: rules.phase, items: connectionId === null ? [] : this.evaluate(connectionId, rules) };
  }

  /** Every waiting draft of a company with its reasons, by priority. */
  private evaluate(connectionId: string, rules: RulesSettings): ApprovalItem[] {
    const { db, clock } = this.deps;
    const now = clock.now();
    const disputed = openlyDisputedInvoiceIds(db, connectionId);
    const lastContact = lastContactByCustomer(db, connectionId);
    const since = new Date(now.getTime() - 30 * MS_PER_DAY).toISOString().slice(0, 10);
    const reminders = remindersByInvoiceSince(db, connectionId, since);
    const timeZone = clock.timeZone() ?? 'UTC';
    const pauses = this.deps.pauses?.(connectionId) ?? [];
    const items = draftsAwaitingApproval(db, connectionId).map((row) => {
      const { facts } = row;
      const rulesDraft = rulesDraftOf(row, facts);
      const reasons = evaluateRules(
        rulesDraft,
        { disputedInvoiceIds: disputed, lastContactAt: lastContact.get(row.customerId) ?? null, remindersLast30Days: reminders, now, timeZone, pauses },
        rules,
      );
      // A pause holds the draft: it cannot be approved until the pause ends or is removed.
      const paused = reasons.find((r) => r.code === 'paused');
      return { item: { ...itemOf(row, facts), reasons, ...(paused ? { blocked: paused.label } : {}) }, rulesDraft };
    });
    return applyPhase(items, rules, rules.phase === 'auto_low' ? (this.deps.outbox?.ruleQueuedToday() ?? 0) : 0);
  }

  /** Decides many drafts in one transaction; each is refused or done on its own. */
  private decide(draftIds: readonly number[], decision: Decision): ApprovalsResult {
    const { db } = this.deps;
    const rules = readRules(db);
    // Each company's waiting drafts are evaluated once, when the first of them is decided.
    const byConnection = new Map<string, Map<number, ApprovalItem>>();
    const itemFor = (row: DraftSummary): ApprovalItem | undefined => {
      let items = byConnection.get(row.connectionId);
      if (!items) {
        items = new Map(this.evaluate(row.connectionId, rules).map((i) => [i.draft.id, i]));
        byConnection.set(row.connectionId, items);
      }
      return items.get(row.id);
    };
    const at = this.deps.clock.now().toISOString();
    const results: ApprovalOutcome[] = [];
    db.transaction(() => {
      for (const draftId of new Set(draftIds)) results.push(this.decideOne(draftId, decision, rules, itemFor, at));
    })();
    return { done: results.filter((r) => r.ok).length, results };
  }

  private decideOne(
    draftId: number,
    decision: Decision,
    rules: RulesSettings,
    itemFor: (row: DraftSummary) => ApprovalItem | undefined,
    at: string,
  ): ApprovalOutcome {
    const { db, clock, outbox } = this.deps;
    const { status, byRule } = decision;
    const row = getDraftSummary(db, draftId);
    if (!row) return { draftId, ok: false, error: `No draft ${draftId}` };
    if (row.status !== 'pending_approval') return { draftId, ok: false, error: `This draft is ${row.status.replace('_', ' ')}, not waiting for approval` };
    const item = itemFor(row);
    if (status === 'approved' && item?.blocked) return { draftId, ok: false, error: item.blocked };
    if (byRule && !item?.eligible) return { draftId, ok: false, error: 'Not eligible for auto-send' };
    // One savepoint per draft: a draft the outbox refuses (no email address…) is left as it was.
    try {
      db.transaction(() => {
        setDraftStatus(db, draftId, 'pending_approval', status, at);
        appendAudit(db, clock, {
          actor: byRule ? 'rule' : 'owner',
          action: status === 'approved' ? 'draft.approve' : 'draft.reject',
          entity: 'draft',
          entityId: draftId,
          detail: {
            phase: rules.phase,
            reasons: item?.reasons.map((r) => r.code) ?? [],
            factsHash: row.factsHash,
            flagged: row.flagged,
            ...(item?.eligible ? { eligible: true } : {}),
            ...(decision.reason ? { reason: decision.reason } : {}),
          },
        });
        if (status === 'approved' && outbox) {
          outbox.enqueue(draftId, {
            ...(decision.channel ? { channel: decision.channel } : {}),
            approvedBy: byRule ? 'rule' : 'owner',
            notBefore: byRule ? outbox.autoSendAt() : null,
          });
        }
      })();
    } catch (err) {
      if (!(err instanceof SettleError)) throw err;
      return { draftId, ok: false, error: err.message };
    }
    return { draftId, ok: true };
  }

  /** rules.set: the patch over the stored rules, validated as a whole, audited. */
  private setRules(patch: ParsedInput<'rules.set'>): RulesSettings {
    const { db, clock } = this.deps;
    const merged = { ...readRules(db), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    const parsed = RulesPatch.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SettleError('invalid_input', `${issue.path.join('.') || 'rules'}: ${issue.message}`);
    }
    db.transaction(() => {
      setSetting(db, RULES_SETTING_KEY, parsed.data, clock.now().toISOString());
      appendAudit(db, clock, { actor: 'owner', action: 'rules.set', entity: 'settings', entityId: RULES_SETTING_KEY, detail: patch });
    })();
    return readRules(db);
  }
}
