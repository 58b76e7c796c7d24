// The outbox wired into the core (issue 5, DESIGN §8): approval puts a draft here (enqueue runs
// inside the approval's transaction); the owner lists, cancels, confirms, re-queues and redrafts
// items and sets the default channel and write-back; the send pass (send-pass.ts) sends what is
// due. Storage is outbox.repo.ts; the drafts it reads come from drafting's repo. Reminders
// about invoices paid or changed in the ledger are dealt with by ../reconcile.ts. Everything is
// audited; events carry ids only.
import { randomUUID } from 'node:crypto';
import type { ParsedInput } from '../../../../shared/contract';
import { localDate } from '../../../../shared/dates';
import { SettleError } from '../../../../shared/errors';
import type { DraftView } from '../../../../shared/model';
import {
  CHANNEL_LABELS,
  OUTBOX_STATE_LABELS,
  OUTBOX_STATES,
  type OutboxChannel,
  type OutboxItemView,
  type OutboxProcessResult,
  type OutboxState,
  type OutboxView,
} from '../../../../shared/outbox';
import { appendAudit } from '../../audit';
import { getConnectionRecord } from '../../connectors';
import type { LedgerAccess } from '../../connectors';
import type { Db } from '../../db/open';
import { checkEdit } from '../../drafting';
import type { EventHub } from '../../events';
import type { OutreachPause } from '../../followup';
import { defineHandlers, type HandlerGroup } from '../../handlers';
import type { Clock, Logger, Network, Notifier } from '../../ports';
import { createManualSender, manualCopy } from '../senders';
import type { SmtpPort } from '../senders';
import { getDraftSummary, type DraftSummary } from '../../drafting';
import { actionsFor, AUTO_SEND_DELAY_MS, invalidAddress, MAX_ATTEMPTS, parseRecipients } from './outbox';
import {
  countOutboxByState,
  getOutboxItem,
  insertOutboxItem,
  listOutboxItems,
  moveOutboxItem,
  outboxIdForDraft,
  outboxInvoices,
  requeueOutboxItem,
  ruleQueuedSince,
  type OutboxItem,
} from './outbox.repo';
import { configureOutbox, defaultChannel, outboxSettingsView, smtpConfigured } from './outbox-settings';
import { SendPass } from './send-pass';
import { OutboxSignals } from './signals';

const LIST_LIMIT = 500;
const RECENT_RULE_MS = 2 * 86_400_000;

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  notifier?: Notifier;
  network?: Network;
  /** The ledger of a QuickBooks or Xero company; null for the demo company (its local ledger is the ledger). */
  ledgerFor(connectionId: string): LedgerAccess | null;
  /** Whether a company has a remote ledger to send through and write notes to. */
  hasLedger(connectionId: string): boolean;
  smtp?: SmtpPort;
  /** drafts.create: a fresh draft from the ledger's current facts. */
  createDraft(input: { customerId: number } | { invoiceId: number }): DraftView | Promise<DraftView>;
  /** The company the owner is looking at (outbox.list without a company); null when there is none. */
  activeConnectionId(): string | null;
  /** Outreach pauses not yet over in a company (follow-up); a paused reminder is held, not sent. */
  pauses?(connectionId: string): OutreachPause[];
}

export interface EnqueueOptions {
  channel?: OutboxChannel;
  approvedBy: 'owner' | 'rule';
  /** Auto-send: not before this instant. */
  notBefore?: string | null;
}

export class OutboxService {
  readonly handlers: readonly HandlerGroup[];
  private readonly signals: OutboxSignals;
  private readonly sendPass: SendPass;

  constructor(private readonly deps: OutboxDeps) {
    this.signals = new OutboxSignals(deps);
    this.sendPass = new SendPass({ ...deps, signals: this.signals });
    const { db, clock, smtp } = deps;
    this.handlers = [
      defineHandlers('outbox', {
        list: (input = {}) => this.list(input),
        get: ({ itemId }) => this.view(itemId),
        process: () => this.processDue(),
        cancel: ({ itemId, reason }) => this.cancel(itemId, reason ?? null),
        confirmSent: ({ itemId }) => this.confirmSent(itemId),
        requeue: ({ itemId }) => this.requeue(itemId),
        redraft: ({ itemId }) => this.redraft(itemId),
        settings: () => outboxSettingsView(db, smtp),
        configure: (input) => configureOutbox(db, clock, smtp, deps.hasLedger, input),
      }),
    ];
  }

  // ---- lifecycle (the send pass's timer) ----

  /** Marks items a previous run left in `sending` as "may have been sent — confirm"; with `timer`, sends due items as they come due. */
  start(opts: { timer: boolean }): void {
    this.sendPass.start(opts);
  }

  /** Stops the timer, aborts a send in flight (it becomes "may have been sent") and waits for the pass to end. */
  stop(): Promise<void> {
    return this.sendPass.stop();
  }

  /** Sends every due item once (joins a pass already running). */
  processDue(): Promise<OutboxProcessResult> {
    return this.sendPass.processDue();
  }

  /** The channel an approval uses when none is given: the owner's choice, else email when set up, else manual. */
  defaultChannel(): OutboxChannel {
    return defaultChannel(this.deps.db, this.deps.smtp);
  }

  // ---- queueing (inside the approval's transaction) ----

  /**
   * Puts an approved draft in the outbox with a fresh idempotency key and its text, recipients and
   * toggles frozen. Throws a SettleError saying why it cannot go (no email address, no ledger,
   * email not set up, text too long); the caller's savepoint then rolls the approval back.
   */
  enqueue(draftId: number, opts: EnqueueOptions): number {
    const { db, clock } = this.deps;
    const d = getDraftSummary(db, draftId);
    if (!d) throw new SettleError('not_found', `No draft ${draftId}`);
    if (outboxIdForDraft(db, draftId) !== undefined) throw new SettleError('conflict', 'This reminder is already in the outbox');
    const channel = opts.channel ?? this.defaultChannel();
    const recipients = this.sendable(d, channel);
    const at = clock.now().toISOString();
    const key = `settle-${randomUUID()}`;
    const { invoices } = d.facts;
    const id = insertOutboxItem(db, {
      connectionId: d.connectionId,
      draftId,
      customerId: d.customerId,
      idempotencyKey: key,
      channel,
      recipients,
      subject: d.subject,
      body: d.body,
      payLink: d.payLink,
      attachPdf: d.attachPdf,
      approvedBy: opts.approvedBy,
      maxAttempts: MAX_ATTEMPTS,
      notBefore: opts.notBefore ?? null,
      at,
      invoices,
    });
    if (id === undefined) throw new SettleError('internal', 'Could not queue the reminder');
    appendAudit(db, clock, {
      actor: opts.approvedBy === 'rule' ? 'rule' : 'owner',
      action: 'outbox.queue',
      entity: 'outbox',
      entityId: id,
      detail: {
        draftId,
        channel,
        recipients,
        key,
        invoices: invoices.map((i) => i.number),
        payLink: d.payLink,
        attachPdf: d.attachPdf,
        ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      },
    });
    // After the caller's transaction commits.
    queueMicrotask(() => {
      this.signals.changed(d.connectionId, [id], 'queued');
      this.sendPass.kick();
    });
    return id;
  }

  /** The draft's recipients when it can go by this channel; otherwise a SettleError saying why not. */
  private sendable(d: DraftSummary, channel: OutboxChannel): string[] {
    const name = d.facts.customer.name;
    const conn = getConnectionRecord(this.deps.db, d.connectionId);
    if (!conn) throw new SettleError('not_found', `No company "${d.connectionId}"`);
    if (conn.status === 'disconnected') throw new SettleError('conflict', `${conn.name} is disconnected; reconnect it before sending reminders.`);
    const recipients = parseRecipients(d.toEmail);
    if (channel !== 'manual') {
      if (recipients.length === 0) {
        throw new SettleError(
          'invalid_input',
          `${name} has no email address in the ledger, so this reminder cannot be ${channel === 'ledger' ? 'sent through the ledger' : 'emailed'}. Add one in your accounting software and sync, or choose "Copy / open in mail app".`,
        );
      }
      const bad = invalidAddress(recipients);
      if (bad) throw new SettleError('invalid_input', `${name}'s email address "${bad}" does not look valid; fix it in your accounting software and sync.`);
    }
    if (channel === 'ledger' && !this.deps.hasLedger(conn.id)) {
      throw new SettleError('invalid_input', `${conn.name} has no QuickBooks or Xero ledger to send through; choose email or "Copy / open in mail app".`);
    }
    if (channel === 'smtp' && !smtpConfigured(this.deps.smtp)) {
      throw new SettleError('invalid_input', 'Email is not set up yet (Settings → Email), so this reminder cannot be emailed. Set it up, or choose another channel.');
    }
    const problems = checkEdit({ subject: d.subject, body: d.body });
    if (problems.length > 0) throw new SettleError('invalid_input', `This reminder cannot be sent: ${problems.map((p) => p.message).join('; ')}.`);
    if (d.attachPdf && channel === 'manual') {
      throw new SettleError('invalid_input', 'A mail app link cannot carry the invoice PDF; switch "Attach PDF" off, or send it by email.');
    }
    return recipients;
  }

  /** Rule (auto-send) approvals today in the owner's time zone, from the table: a restart does not reset the cap. */
  ruleQueuedToday(): number {
    const { db, clock } = this.deps;
    const now = clock.now();
    const today = localDate(now, clock.timeZone());
    return ruleQueuedSince(db, new Date(now.getTime() - RECENT_RULE_MS).toISOString()).filter((at) => localDate(new Date(at), clock.timeZone()) === today).length;
  }

  /** The not-before of an auto-sent reminder approved now. */
  autoSendAt(): string {
    return new Date(this.deps.clock.now().getTime() + AUTO_SEND_DELAY_MS).toISOString();
  }

  // ---- the owner's actions ----

  private requireRow(itemId: number): OutboxItem {
    const row = getOutboxItem(this.deps.db, itemId);
    if (!row) throw new SettleError('not_found', `No outbox item ${itemId}`);
    return row;
  }

  private refuse(row: OutboxItem, what: string): never {
    throw new SettleError('conflict', `This reminder is ${OUTBOX_STATE_LABELS[row.state].toLowerCase()}, so it cannot be ${what}.`);
  }

  private cancel(itemId: number, reason: string | null): OutboxItemView {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (row.state === 'cancelled') return this.toView(row);
    if (!actionsFor(row.state).cancel) this.refuse(row, 'cancelled');
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (!moveOutboxItem(db, { id: itemId, state: 'cancelled', from: row.state, at, error: null, reason: reason ?? 'Cancelled by you.', next: null })) {
        throw new SettleError('conflict', 'This reminder changed while cancelling it; look again.');
      }
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.cancel', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, ...(reason ? { reason } : {}) } });
    })();
    this.signals.changed(row.connectionId, [itemId], 'cancelled');
    return this.view(itemId);
  }

  private async confirmSent(itemId: number): Promise<OutboxItemView> {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).confirmSent) this.refuse(row, 'confirmed as sent');
    const { recipients } = row;
    const receipt =
      row.channel === 'manual'
        ? await createManualSender().send({ idempotencyKey: row.idempotencyKey, to: recipients, subject: row.subject, text: row.body, attachments: [] })
        : { messageId: row.messageId ?? `confirmed:${row.idempotencyKey}`, accepted: recipients };
    const invoices = outboxInvoices(db, itemId);
    db.transaction(() => {
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.confirm', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, channel: row.channel } });
      this.sendPass.markSent(row, receipt.messageId, receipt.accepted, invoices);
    })();
    let ledger: LedgerAccess | null;
    try {
      ledger = this.deps.ledgerFor(row.connectionId);
    } catch {
      ledger = null;
    }
    await this.sendPass.writeBack({ ...row, state: 'sent' }, ledger, invoices, recipients);
    return this.view(itemId);
  }

  private requeue(itemId: number): OutboxItemView {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).requeue) this.refuse(row, 'queued again');
    db.transaction(() => {
      if (!requeueOutboxItem(db, itemId, clock.now().toISOString())) throw new SettleError('conflict', 'This reminder changed meanwhile; look again.');
      // Same idempotency key: a ledger send that did go out is replayed, not repeated.
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.requeue', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, attempts: row.attempts, key: row.idempotencyKey } });
    })();
    this.signals.changed(row.connectionId, [itemId], 'requeued');
    this.sendPass.kick();
    return this.view(itemId);
  }

  /** A fresh draft from the ledger's current facts for a held (or failed, or cancelled) reminder. */
  private async redraft(itemId: number): Promise<DraftView> {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).redraft) this.refuse(row, 'redrafted');
    const d = getDraftSummary(db, row.draftId);
    const target = d && d.scope === 'invoice' && d.invoiceId !== null ? { invoiceId: d.invoiceId } : { customerId: row.customerId };
    const draft = await this.deps.createDraft(target);
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (row.state !== 'cancelled') {
        moveOutboxItem(db, { id: itemId, state: 'cancelled', from: row.state, at, error: null, reason: `Redrafted as draft ${draft.id}.`, next: null });
      }
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.redraft', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, newDraftId: draft.id } });
    })();
    this.signals.changed(row.connectionId, [itemId], 'cancelled');
    return draft;
  }

  // ---- views ----

  private list(input: ParsedInput<'outbox.list'> & object): OutboxView {
    const { db } = this.deps;
    const connectionId = input.connectionId ?? this.deps.activeConnectionId();
    const counts = Object.fromEntries(OUTBOX_STATES.map((st) => [st, 0])) as Record<OutboxState, number>;
    if (connectionId === null) return { items: [], counts, defaultChannel: this.defaultChannel() };
    for (const c of countOutboxByState(db, connectionId)) counts[c.state] = c.n;
    const rows = listOutboxItems(db, { connectionId, state: input.state ?? null, customerId: input.customerId ?? null, limit: input.limit ?? LIST_LIMIT });
    return { items: rows.map((r) => this.toView(r)), counts, defaultChannel: this.defaultChannel() };
  }

  view(itemId: number): OutboxItemView {
    return this.toView(this.requireRow(itemId));
  }

  private toView(row: OutboxItem): OutboxItemView {
    const { recipients } = row;
    const invoices = outboxInvoices(this.deps.db, row.id);
    return {
      id: row.id,
      draftId: row.draftId,
      connectionId: row.connectionId,
      customer: { id: row.customerId, name: row.customerName },
      invoices: invoices.map((i) => ({ id: i.invoiceId, number: i.number, currency: i.currency, balanceCents: i.balanceCents })),
      channel: row.channel,
      channelLabel: CHANNEL_LABELS[row.channel],
      recipients,
      subject: row.subject,
      body: row.body,
      payLink: row.payLink,
      attachPdf: row.attachPdf,
      state: row.state,
      stateLabel: OUTBOX_STATE_LABELS[row.state],
      approvedBy: row.approvedBy,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      lastError: row.lastError,
      blockReason: row.blockReason,
      notBefore: row.notBefore,
      nextAttemptAt: row.nextAttemptAt,
      messageId: row.messageId,
      sentAt: row.sentAt,
      writeBack: { ...row.writeBack },
      manual: row.channel === 'manual' ? manualCopy({ to: recipients, subject: row.subject, text: row.body }) : null,
      can: actionsFor(row.state),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
