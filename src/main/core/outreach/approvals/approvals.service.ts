// Approvals and rules wired into the core (issue 5, DESIGN §8): approvals.list evaluates the
// rules for every waiting draft of the active company, approvals.approve / approvals.reject
// decide many drafts in one transaction (audited per draft, blocked ones refused per item), and
// rules.* keep the rules in the settings table (no migration). Approving puts each draft in
// the outbox (outreach/outbox) inside the same per-draft savepoint; under auto_low an eligible
// draft is approved by the rule on submit and waits 10 minutes there before it goes.
import { defineHandlers, type HandlerGroup } from '../../handlers';
import { RulesPatch } from '../../../../shared/contract';
import type { ApprovalItem, ApprovalOutcome, ApprovalsResult, ApprovalsView, RulesSettings } from '../../../../shared/approvals';
import { SettleError } from '../../../../shared/errors';
import { appendAudit } from '../../audit/log';
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import { getSetting, setSetting } from '../../settings/settings.repo';
import type { DraftFacts } from '../../drafting/facts';
import { applyPhase } from './approvals';
import { DEFAULT_RULES, evaluateRules, RULES_SETTING_KEY, type RulesDraft } from './rules';
import type { OutreachPause } from '../../followup/disputes';
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

interface PendingRow {
  id: number;
  connection_id: string;
  customer_id: number;
  subject: string;
  tone: 'friendly' | 'firm' | 'final';
  facts_json: string;
  facts_hash: string;
  flagged: number;
  override_reason: string | null;
  status: string;
  updated_at: string;
}

const COLS = 'id, connection_id, customer_id, subject, tone, facts_json, facts_hash, flagged, override_reason, status, updated_at';
const MS_PER_DAY = 86_400_000;

const stmts = perDb((db) => ({
  pending: db.prepare<[string], PendingRow>(`SELECT ${COLS} FROM drafts WHERE connection_id = ? AND status = 'pending_approval'`),
  get: db.prepare<[number], PendingRow>(`SELECT ${COLS} FROM drafts WHERE id = ?`),
  setStatus: db.prepare<[string, string, number]>("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending_approval'"),
  disputed: db
    .prepare<[string], number>(
      `SELECT DISTINCT di.invoice_id FROM dispute_invoices di JOIN disputes d ON d.id = di.dispute_id
       WHERE d.connection_id = ? AND d.status = 'open'`,
    )
    .pluck(),
  lastContact: db.prepare<[string], { customerId: number; at: string }>(
    `SELECT customer_id AS customerId, MAX(occurred_at) AS at FROM notes
     WHERE connection_id = ? AND kind IN ('email','call','reminder') GROUP BY customer_id`,
  ),
  reminders: db.prepare<[string, string], { invoiceId: number; n: number }>(
    `SELECT invoice_id AS invoiceId, COUNT(*) AS n FROM notes
     WHERE connection_id = ? AND kind = 'reminder' AND invoice_id IS NOT NULL AND occurred_at >= ? GROUP BY invoice_id`,
  ),
}));

/** The stored rules over the defaults; an unreadable stored value reads as the defaults. */
export function readRules(db: Db): RulesSettings {
  const stored = getSetting<unknown>(db, RULES_SETTING_KEY);
  const parsed = RulesPatch.safeParse(stored ?? {});
  return { ...DEFAULT_RULES, ...(parsed.success ? parsed.data : {}) } as RulesSettings;
}

function rulesDraftOf(row: PendingRow, facts: DraftFacts): RulesDraft {
  return {
    customer: { id: facts.customer.id, name: facts.customer.name },
    invoices: facts.invoices.map((i) => ({ id: i.id, number: i.number, currency: i.currency, balanceCents: i.balanceCents })),
    tier: facts.tier,
    flagged: row.flagged,
  };
}

function itemOf(row: PendingRow, facts: DraftFacts): ApprovalItem {
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
      overrideReason: row.override_reason,
      updatedAt: row.updated_at,
    },
    reasons: [],
  };
}

export interface ApprovalsService {
  handlers: HandlerGroup[];
  /**
   * After a draft is submitted: under auto_low, a low-risk draft within the daily cap is approved
   * by the rule (audited as 'rule') and queued to go in 10 minutes, cancellable until then.
   * Returns whether it was.
   */
  autoApprove(draftId: number): boolean;
}

export function createApprovalsService(deps: ApprovalsDeps): ApprovalsService {
  const { db, clock } = deps;

  /** Every waiting draft of a company with its reasons, by priority. */
  const evaluate = (connectionId: string, rules: RulesSettings): ApprovalItem[] => {
    const s = stmts(db);
    const now = clock.now();
    const disputed = new Set(s.disputed.all(connectionId));
    const lastContact = new Map(s.lastContact.all(connectionId).map((r) => [r.customerId, r.at]));
    const since = new Date(now.getTime() - 30 * MS_PER_DAY).toISOString().slice(0, 10);
    const reminders = new Map(s.reminders.all(connectionId, since).map((r) => [r.invoiceId, r.n]));
    const timeZone = clock.timeZone() ?? 'UTC';
    const pauses = deps.pauses?.(connectionId) ?? [];
    const items = s.pending.all(connectionId).map((row) => {
      const facts = JSON.parse(row.facts_json) as DraftFacts;
      const rulesDraft = rulesDraftOf(row, facts);
      const reasons = evaluateRules(
        rulesDraft,
        { disputedInvoiceIds: disputed, lastContactAt: lastContact.get(row.customer_id) ?? null, remindersLast30Days: reminders, now, timeZone, pauses },
        rules,
      );
      // A pause holds the draft: it cannot be approved until the pause ends or is removed.
      const paused = reasons.find((r) => r.code === 'paused');
      return { item: { ...itemOf(row, facts), reasons, ...(paused ? { blocked: paused.label } : {}) }, rulesDraft };
    });
    return applyPhase(items, rules, rules.phase === 'auto_low' ? (deps.outbox?.ruleQueuedToday() ?? 0) : 0);
  };

  const list = (): ApprovalsView => {
    const rules = readRules(db);
    const connectionId = deps.activeConnectionId();
    return { phase: rules.phase, items: connectionId === null ? [] : evaluate(connectionId, rules) };
  };

  const decide = (
    draftIds: readonly number[],
    status: 'approved' | 'rejected',
    reason?: string,
    send: { channel?: OutboxChannel; byRule?: boolean } = {},
  ): ApprovalsResult => {
    const rules = readRules(db);
    const s = stmts(db);
    const byConnection = new Map<string, Map<number, ApprovalItem>>();
    const itemFor = (row: PendingRow): ApprovalItem | undefined => {
      let items = byConnection.get(row.connection_id);
      if (!items) {
        items = new Map(evaluate(row.connection_id, rules).map((i) => [i.draft.id, i]));
        byConnection.set(row.connection_id, items);
      }
      return items.get(row.id);
    };
    const at = clock.now().toISOString();
    const results: ApprovalOutcome[] = [];
    let done = 0;
    db.transaction(() => {
      for (const draftId of new Set(draftIds)) {
        const row = s.get.get(draftId);
        if (!row) {
          results.push({ draftId, ok: false, error: `No draft ${draftId}` });
          continue;
        }
        if (row.status !== 'pending_approval') {
          results.push({ draftId, ok: false, error: `This draft is ${row.status.replace('_', ' ')}, not waiting for approval` });
          continue;
        }
        const item = itemFor(row);
        if (status === 'approved' && item?.blocked) {
          results.push({ draftId, ok: false, error: item.blocked });
          continue;
        }
        if (send.byRule && !item?.eligible) {
          results.push({ draftId, ok: false, error: 'Not eligible for auto-send' });
          continue;
        }
        // One savepoint per draft: a draft the outbox refuses (no email address…) is left as it was.
        try {
          db.transaction(() => {
            s.setStatus.run(status, at, draftId);
            appendAudit(db, clock, {
              actor: send.byRule ? 'rule' : 'owner',
              action: status === 'approved' ? 'draft.approve' : 'draft.reject',
              entity: 'draft',
              entityId: draftId,
              detail: {
                phase: rules.phase,
                reasons: item?.reasons.map((r) => r.code) ?? [],
                factsHash: row.facts_hash,
                flagged: row.flagged,
                ...(item?.eligible ? { eligible: true } : {}),
                ...(reason ? { reason } : {}),
              },
            });
            if (status === 'approved' && deps.outbox) {
              deps.outbox.enqueue(draftId, {
                ...(send.channel ? { channel: send.channel } : {}),
                approvedBy: send.byRule ? 'rule' : 'owner',
                notBefore: send.byRule ? deps.outbox.autoSendAt() : null,
              });
            }
          })();
        } catch (err) {
          if (!(err instanceof SettleError)) throw err;
          results.push({ draftId, ok: false, error: err.message });
          continue;
        }
        results.push({ draftId, ok: true });
        done++;
      }
    })();
    return { done, results };
  };

  const handlers: HandlerGroup[] = [
    defineHandlers('approvals', {
      list: () => list(),
      approve: ({ draftIds, channel }) => decide(draftIds, 'approved', undefined, channel ? { channel } : {}),
      reject: ({ draftIds, reason }) => decide(draftIds, 'rejected', reason || undefined),
    }),
    defineHandlers('rules', {
      get: () => readRules(db),
      set: (patch) => {
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
      },
    }),
  ];
  const autoApprove = (draftId: number): boolean => {
    if (!deps.outbox || readRules(db).phase !== 'auto_low') return false;
    const row = stmts(db).get.get(draftId);
    if (!row || row.status !== 'pending_approval') return false;
    return decide([draftId], 'approved', undefined, { byRule: true }).done === 1;
  };

  return { handlers, autoApprove };
}
