// Reply triage (DESIGN §8, issue #6): reads a customer's pasted reply (replies.ts, rules mode) and
// applies the updates the owner ticked in the triage dialog — promises, a dispute, a pause, a
// re-check with the ledger — through the promises, disputes and pauses services, in one
// transaction after every one of them was validated.
import type { IsoDate } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { DISPUTE_REASON_TEXT, type ReplyAction, type ReplyApplied, type ReplyTriageResult } from '../../../shared/followup';
import { formatMoney } from '../../../shared/money';
import type { FollowupContext } from './context';
import type { Dispute } from './disputes';
import type { DisputesService } from './disputes.service';
import { openInvoiceNumbers } from '../ledger';
import type { PausesService } from './pauses.service';
import type { PromiseToPay } from './promises';
import type { PromisesService } from './promises.service';
import { triageReply } from './replies';

const ACTION_LABEL: Record<ReplyAction['kind'], string> = {
  create_promise: 'Promise',
  open_dispute: 'Dispute',
  pause_outreach: 'Pause',
  recheck_ledger: 'Re-check',
};

/** An update the owner ticked, validated and ready to store. */
type Ready =
  | { kind: 'promise'; promise: PromiseToPay }
  | { kind: 'dispute'; dispute: Dispute }
  | { kind: 'pause'; until: IsoDate; reason: string }
  | { kind: 'recheck' };

export class RepliesService {
  constructor(
    private readonly ctx: FollowupContext,
    private readonly promises: PromisesService,
    private readonly disputes: DisputesService,
    private readonly pauses: PausesService,
  ) {}

  async triage(input: { customerId: number; text: string; receivedOn: IsoDate | null }): Promise<ReplyTriageResult> {
    const cust = this.ctx.customer(input.customerId);
    const invoiceNumbers = openInvoiceNumbers(this.ctx.db, input.customerId);
    // Rules mode: the LLM classifier arrives with drafting's AI settings.
    const result = await triageReply({ text: input.text, receivedOn: input.receivedOn, currency: cust.currency, invoiceNumbers });
    this.ctx.audit({
      actor: 'owner',
      action: 'reply.triage',
      entity: 'customer',
      entityId: input.customerId,
      // The reply itself is the customer's text: only its size and the verdict are kept.
      detail: { chars: input.text.length, class: result.triage.class, source: result.triage.source, proposals: result.proposals.map((p) => p.kind) },
    });
    return result;
  }

  /**
   * Applies the updates the owner ticked in the triage dialog, as edited, in one transaction:
   * everything is validated first, so one bad field leaves nothing half-written. A re-check with
   * the ledger starts a sync once the rest is saved.
   */
  apply(input: { customerId: number; actions: ReplyAction[] }): ReplyApplied {
    const cust = this.ctx.customer(input.customerId);
    if (input.actions.length === 0) throw new SettleError('invalid_input', 'Choose at least one update to apply.');
    const ready = this.validate(cust.connectionId, input.customerId, input.actions);
    const applied = this.store(cust.connectionId, input.customerId, input.actions, ready);
    let recheck: ReplyApplied['recheck'] = null;
    let recheckMessage: string | null = null;
    if (ready.some((r) => r.kind === 'recheck')) {
      const started = this.ctx.deps.recheck?.(cust.connectionId) ?? false;
      recheck = started ? 'started' : 'not_synced';
      recheckMessage = started
        ? 'Syncing now: a payment the ledger has will mark the invoices paid.'
        : 'This company is not synced with QuickBooks or Xero, so there is no ledger to re-check. Look for the payment yourself.';
    }
    this.ctx.changed(cust.connectionId, 'promise');
    return { applied, recheck, recheckMessage };
  }

  /** Every ticked update checked; throws invalid_input naming each one that fails. */
  private validate(connectionId: string, customerId: number, actions: readonly ReplyAction[]): Ready[] {
    const now = this.ctx.clock.now();
    const today = this.ctx.today();
    const ready: Ready[] = [];
    const made: PromiseToPay[] = [];
    const problems: string[] = [];
    for (const a of actions) {
      try {
        if (a.kind === 'create_promise') {
          const { promise } = this.promises.validPromise(
            connectionId,
            { customerId, invoiceIds: a.invoiceIds, date: a.date, amountCents: a.amountCents, currency: a.currency, madeVia: 'reply', note: a.note },
            made,
          );
          made.push(promise);
          ready.push({ kind: 'promise', promise });
        } else if (a.kind === 'open_dispute') {
          const dispute = this.disputes.validDispute(connectionId, { customerId, invoiceIds: a.invoiceIds, reason: a.reason, detail: a.detail }, now);
          ready.push({ kind: 'dispute', dispute });
        } else if (a.kind === 'pause_outreach') {
          ready.push({ kind: 'pause', ...this.pauses.validPause(a.until, a.reason, today) });
        } else {
          ready.push({ kind: 'recheck' });
        }
      } catch (err) {
        if (!(err instanceof SettleError)) throw err;
        problems.push(`${ACTION_LABEL[a.kind]}: ${err.message}`);
      }
    }
    if (problems.length > 0) throw new SettleError('invalid_input', problems.join(' '));
    return ready;
  }

  /** Stores the validated updates and audits the reply, in one transaction; returns what was done, in words. */
  private store(connectionId: string, customerId: number, actions: readonly ReplyAction[], ready: readonly Ready[]): string[] {
    const applied: string[] = [];
    const money = (cents: number, currency: string): string => formatMoney(cents, currency, 'en-US');
    this.ctx.db.transaction(() => {
      for (const r of ready) {
        if (r.kind === 'promise') {
          this.promises.storePromise(connectionId, r.promise, { from: 'reply' });
          applied.push(`Promise recorded: ${money(r.promise.amountCents, r.promise.currency)} by ${r.promise.date}.`);
        } else if (r.kind === 'dispute') {
          this.disputes.storeDispute(connectionId, r.dispute, { from: 'reply' });
          applied.push(`Dispute opened: ${DISPUTE_REASON_TEXT[r.dispute.reason]}.`);
        } else if (r.kind === 'pause') {
          this.pauses.storePause(connectionId, customerId, null, r.until, r.reason, { from: 'reply' });
          applied.push(`Outreach paused until ${r.until}.`);
        } else {
          applied.push('Re-checking with the ledger.');
        }
      }
      this.ctx.audit({
        actor: 'owner',
        action: 'reply.apply',
        entity: 'customer',
        entityId: customerId,
        detail: { actions: actions.map((a) => a.kind) },
      });
    })();
    return applied;
  }
}
