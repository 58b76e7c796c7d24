// The outbox's send pass (issue 5, DESIGN §8): processDue() re-checks each due item's invoices
// against the ledger (one request per invoice; the local ledger for the demo company), then sends
// it through its channel with the item's idempotency key, retries transient failures with
// backoff, holds items whose invoices changed (with a redraft path), and writes the opt-in note
// back to the ledger. An item found in `sending` when Settle starts may have gone out, and so may
// one whose sender lost the answer after handing the message over (SendError.maybeDelivered, e.g.
// an SMTP connection dropped after DATA): neither is re-sent on its own, only confirmed or
// re-queued by the owner (issue 11 §2). Also the timer that runs passes.
import { openlyDisputedInvoiceIds } from '../../followup';
import { insertReminderNote } from '../../ledger';
import { localDate } from '../../../../shared/dates';
import { SettleError } from '../../../../shared/errors';
import type { OutboxProcessResult } from '../../../../shared/outbox';
import { appendAudit } from '../../audit';
import { getConnectionRecord, type ConnectionRecord } from '../../connectors';
import type { LedgerAccess } from '../../connectors';
import type { Db } from '../../db/open';
import { outreachHolds, type OutreachPause } from '../../followup';
import { getInvoiceRow } from '../../ledger';
import type { Clock, Logger, Network } from '../../ports';
import { getSettings } from '../../settings';
import { invoicePdf } from '../senders';
import { createLedgerSender, ledgerName, toSendError } from '../senders';
import type { SmtpPort } from '../senders';
import { SendError, type OutgoingMessage, type SendReceipt, type Sender } from '../senders';
import { afterFailure, recheckReason, withPayLinks, writeBackNote, type CurrentInvoice } from './outbox';
import {
  claimOutboxItem,
  countOutboxAttempt,
  dueOutboxItems,
  markOutboxSent,
  moveOutboxItem,
  outboxInvoices,
  sendingOutboxItems,
  setOutboxWaiting,
  setOutboxWriteBack,
  type OutboxInvoice,
  type OutboxItem,
} from './outbox.repo';
import { writeBackMap } from './outbox-settings';
import type { OutboxSignals } from './signals';

/** How often the app looks for due items (auto-send countdowns end, retries come due). */
export const OUTBOX_TICK_MS = 30_000;

const INTERRUPTED = 'Settle stopped while sending this; it may have gone out.';

export interface SendPassDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  network?: Network;
  /** The ledger of a QuickBooks or Xero company; null for the demo company (its local ledger is the ledger). */
  ledgerFor(connectionId: string): LedgerAccess | null;
  smtp?: SmtpPort;
  /** Outreach pauses not yet over in a company (follow-up); a paused reminder is held, not sent. */
  pauses?(connectionId: string): OutreachPause[];
  signals: OutboxSignals;
}

type Outcome = keyof OutboxProcessResult | null;
/** A step of processOne: go on with a value, or stop with the item's outcome. */
type Step<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };
type Target = { externalId: string; number: string; sendTo: string | null };
interface Checked {
  links: { number: string; url: string }[];
  targets: Target[];
}
interface Ready {
  conn: ConnectionRecord;
  ledger: LedgerAccess | null;
}

const stop = (outcome: Outcome): { ok: false; outcome: Outcome } => ({ ok: false, outcome });

function errorText(err: unknown): string {
  if (err instanceof SendError) return err.serverReply && !err.message.includes(err.serverReply) ? `${err.message} (${err.serverReply})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export class SendPass {
  private timer: ReturnType<typeof setInterval> | null = null;
  private soon: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<OutboxProcessResult> | null = null;
  private readonly controller = new AbortController();
  private stopped = false;

  constructor(private readonly deps: SendPassDeps) {}

  // ---- lifecycle ----

  /**
   * Marks items a previous run left in `sending` as "may have been sent — confirm" (never re-sent
   * on their own), then, in the app, looks for due items every OUTBOX_TICK_MS while online.
   */
  start(opts: { timer: boolean }): void {
    this.interrupt(sendingOutboxItems(this.deps.db));
    if (opts.timer && !this.timer && !this.stopped) {
      this.timer = setInterval(() => this.tick(), OUTBOX_TICK_MS);
      this.timer.unref?.();
      this.kick();
    }
  }

  /** Stops the timer, aborts a send in flight (it becomes "may have been sent") and waits for the pass to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }

  private tick(): void {
    if (this.stopped || !this.deps.db.open) return;
    if (this.deps.network && !this.deps.network.isOnline()) return;
    void this.processDue().catch((err: unknown) => this.deps.logger.warn('outbox pass failed', { error: err instanceof Error ? err.message : String(err) }));
  }

  /** With the timer on (the app), an approval is sent right away rather than at the next tick. */
  kick(): void {
    if (!this.timer || this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.tick();
    }, 0);
    this.soon.unref?.();
  }

  // ---- the pass ----

  /** Sends every due item once (joins a pass already running). */
  processDue(): Promise<OutboxProcessResult> {
    if (this.running) return this.running;
    const run = this.pass().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async pass(): Promise<OutboxProcessResult> {
    const result: OutboxProcessResult = { sent: 0, failed: 0, blocked: 0, retrying: 0, awaitingOwner: 0, unconfirmed: 0 };
    const { db, clock } = this.deps;
    const seen = new Set<number>();
    for (;;) {
      if (this.stopped || !db.open) break;
      const due = dueOutboxItems(db, clock.now().toISOString()).filter((r) => !seen.has(r.id));
      if (due.length === 0) break;
      for (const row of due) {
        seen.add(row.id);
        if (this.stopped || !db.open) break;
        const outcome = await this.processOne(row);
        if (outcome) result[outcome]++;
      }
    }
    return result;
  }

  private async processOne(row: OutboxItem): Promise<Outcome> {
    const { db } = this.deps;
    const invoices = outboxInvoices(db, row.id);
    const ready = this.ready(row);
    if (!ready.ok) return ready.outcome;

    // 0. A dispute or a pause opened since approval holds it: the approved text no longer fits.
    const hold = this.holdReason(row, invoices);
    if (hold) {
      this.block(row, hold);
      return 'blocked';
    }

    // 1. The re-check: one request per invoice (the local ledger for the demo company).
    const locale = getSettings(db).locale ?? 'en-US';
    const checked = await this.recheck(row, invoices, ready.value, locale);
    if (!checked.ok) return checked.outcome;
    if (row.payLink && checked.value.links.length === 0 && row.channel !== 'ledger') {
      this.deps.logger.info('outbox: no pay link available; sending without it', { itemId: row.id });
    }

    // 2. Manual: Settle sends nothing; the owner copies it and confirms.
    if (row.channel === 'manual') {
      const moved = moveOutboxItem(db, { id: row.id, state: 'awaiting_owner', from: 'queued', at: this.now(), error: null, reason: null, next: null });
      if (moved) this.deps.signals.changed(row.connectionId, [row.id], 'awaiting_owner');
      return moved ? 'awaitingOwner' : null;
    }

    const attachments = await this.attachments(row, invoices, ready.value, checked.value.targets, locale);
    if (!attachments.ok) return attachments.outcome;
    return this.send(row, invoices, ready.value, checked.value, attachments.value);
  }

  /** The company is connected and its ledger reachable; otherwise the item is held, failed or left waiting. */
  private ready(row: OutboxItem): Step<Ready> {
    const conn = getConnectionRecord(this.deps.db, row.connectionId);
    if (!conn || conn.status === 'disconnected') {
      this.block(row, `${conn?.name ?? 'The company'} was disconnected; reconnect it, then redraft.`);
      return stop('blocked');
    }
    let ledger: LedgerAccess | null;
    try {
      ledger = this.deps.ledgerFor(row.connectionId);
    } catch (err) {
      return stop(this.failed(row, new SendError(errorText(err), true), false));
    }
    if (ledger && conn.status === 'needs_reconnect') {
      // Nothing can be checked or sent until the owner signs in again; no try is used up meanwhile.
      const why = `Waiting: reconnect ${conn.name} in Settings → Connections.`;
      if (row.lastError !== why) {
        setOutboxWaiting(this.deps.db, row.id, why, this.now());
        this.deps.signals.changed(row.connectionId, [row.id], 'retry');
      }
      return stop(null);
    }
    return { ok: true, value: { conn, ledger } };
  }

  private holdReason(row: OutboxItem, invoices: OutboxInvoice[]): string | null {
    // A dispute opened after approval holds the reminder.
    const open = openlyDisputedInvoiceIds(this.deps.db, row.connectionId);
    const disputed = [...new Set(invoices.filter((i) => open.has(i.invoiceId)).map((i) => i.number))].sort();
    if (disputed.length > 0) return `${disputed.join(', ')} ${disputed.length === 1 ? 'is' : 'are'} disputed now.`;
    const pauses = this.deps.pauses?.(row.connectionId) ?? [];
    if (pauses.length === 0) return null;
    const today = localDate(this.deps.clock.now(), this.deps.clock.timeZone());
    for (const inv of invoices) {
      const pause = outreachHolds({ id: inv.invoiceId, customerId: row.customerId }, today, [], pauses).find((h) => h.kind === 'pause');
      if (pause?.kind === 'pause') return `Outreach to ${row.customerName} is paused until ${pause.until}: ${pause.reason}`;
    }
    return null;
  }

  /** Each invoice as the ledger has it now against what the approved text says; any difference holds the item. */
  private async recheck(row: OutboxItem, invoices: OutboxInvoice[], { ledger }: Ready, locale: string): Promise<Step<Checked>> {
    const signal = this.controller.signal;
    const checked: Checked = { links: [], targets: [] };
    const reasons: string[] = [];
    try {
      for (const inv of invoices) {
        const local = getInvoiceRow(this.deps.db, inv.invoiceId);
        if (!local) {
          reasons.push(`${inv.number} is no longer in the ledger.`);
          continue;
        }
        let now: CurrentInvoice & { payLink: string | null; billEmail: string | null };
        if (ledger) {
          now = await ledger.invoice(local.externalId, { payLink: row.payLink }, signal);
        } else {
          now = { status: local.status, balanceCents: local.balanceCents, currency: local.currency, deleted: local.deletedAt !== null, payLink: null, billEmail: null };
        }
        const why = recheckReason({ number: inv.number, currency: inv.currency, balanceCents: inv.balanceCents }, now, locale);
        if (why) reasons.push(why);
        if (now.payLink) checked.links.push({ number: inv.number, url: now.payLink });
        checked.targets.push({ externalId: local.externalId, number: inv.number, sendTo: now.billEmail ? null : (row.recipients[0] ?? null) });
      }
    } catch (err) {
      if (signal.aborted) return stop(null); // nothing was sent yet: it stays queued
      return stop(this.failed(row, toSendError(err, ledgerName(ledger)), false));
    }
    if (reasons.length > 0) {
      this.block(row, reasons.join(' '));
      return stop('blocked');
    }
    return { ok: true, value: checked };
  }

  /** The invoice PDFs for email (the ledger's own email carries its PDF already). */
  private async attachments(
    row: OutboxItem,
    invoices: OutboxInvoice[],
    { conn, ledger }: Ready,
    targets: Target[],
    locale: string,
  ): Promise<Step<OutgoingMessage['attachments']>> {
    const attachments: OutgoingMessage['attachments'] = [];
    if (!row.attachPdf || row.channel !== 'smtp') return { ok: true, value: attachments };
    const signal = this.controller.signal;
    try {
      for (const [i, inv] of invoices.entries()) {
        const content = ledger ? await ledger.pdf(targets[i]!.externalId, signal) : this.localPdf(inv, conn.name, locale);
        attachments.push({ filename: `${inv.number.replace(/[^\w.-]+/g, '_')}.pdf`, contentType: 'application/pdf', content });
      }
    } catch (err) {
      if (signal.aborted) return stop(null);
      return stop(this.failed(row, toSendError(err, ledgerName(ledger)), false));
    }
    return { ok: true, value: attachments };
  }

  /** The demo company's PDF, from the local ledger. */
  private localPdf(inv: OutboxInvoice, company: string, locale: string): Uint8Array {
    const row = getInvoiceRow(this.deps.db, inv.invoiceId);
    if (!row) throw new SendError(`${inv.number} is no longer in the ledger`, false);
    return invoicePdf({
      company,
      customer: row.customerName,
      number: row.number,
      issueDate: row.issueDate,
      dueDate: row.dueDate,
      currency: row.currency,
      totalCents: row.totalCents,
      balanceCents: row.balanceCents,
      locale,
    });
  }

  /** 3. Claims the item (from here a crash leaves it "may have been sent"), sends it and records it. */
  private async send(row: OutboxItem, invoices: OutboxInvoice[], { conn, ledger }: Ready, checked: Checked, attachments: OutgoingMessage['attachments']): Promise<Outcome> {
    const signal = this.controller.signal;
    if (!claimOutboxItem(this.deps.db, row.id, this.now())) return null; // cancelled meanwhile
    const claimed: OutboxItem = { ...row, state: 'sending', attempts: row.attempts + 1 };
    this.deps.signals.changed(row.connectionId, [row.id], 'sending');
    const message: OutgoingMessage = {
      idempotencyKey: row.idempotencyKey,
      to: row.recipients,
      subject: row.subject,
      text: row.payLink && row.channel === 'smtp' ? withPayLinks(row.body, checked.links) : row.body,
      attachments,
    };
    let receipt: SendReceipt;
    try {
      let sender: Sender;
      if (row.channel === 'ledger') {
        if (!ledger) throw new SendError(`${conn.name} has no ledger to send through`, false);
        sender = createLedgerSender(ledger, checked.targets);
      } else {
        if (!this.deps.smtp) throw new SendError('Email is not set up (Settings → Email)', false);
        sender = await this.deps.smtp.sender();
      }
      receipt = await sender.send(message, signal);
    } catch (err) {
      if (signal.aborted) {
        // Stopped mid-send: it may have gone out. Only the owner decides what happens next.
        this.interrupt([claimed]);
        return null;
      }
      const sendErr = err instanceof SendError ? err : err instanceof SettleError ? new SendError(err.message, err.code === 'unavailable') : (toSendError(err, row.channel) as Error);
      if (sendErr instanceof SendError && sendErr.maybeDelivered) {
        // Handed over, then the answer was lost: a retry could deliver it twice. The owner decides.
        this.interrupt([claimed], errorText(sendErr));
        this.deps.signals.notify(row, 'A reminder may have been sent', `To ${row.customerName}: ${errorText(sendErr)} Check your sent mail, then confirm it or send it again.`);
        return 'unconfirmed';
      }
      return this.failed(claimed, sendErr, true);
    }
    // Outside the try: once the message went, a failure to record it must never mark it for a retry.
    this.markSent(claimed, receipt.messageId, receipt.accepted.length > 0 ? receipt.accepted : row.recipients, invoices);
    await this.writeBack(claimed, ledger, invoices, row.recipients);
    return 'sent';
  }

  // ---- recording what happened ----

  /** Sent (by Settle, or confirmed by the owner): the state, a reminder note per invoice and the audit row, in one transaction. */
  markSent(row: OutboxItem, messageId: string, accepted: string[], invoices: OutboxInvoice[]): void {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    const writeBackOn = writeBackMap(db)[row.connectionId] === true;
    db.transaction(() => {
      markOutboxSent(db, { id: row.id, messageId, at, writeBack: writeBackOn ? 'pending' : 'off', from: row.state });
      // The reminder is contact history: it feeds "last contact", the quiet period and the per-invoice limit.
      const how = row.channel === 'ledger' ? "the ledger's invoice email" : row.channel === 'manual' ? 'your mail app' : 'email';
      for (const inv of invoices) {
        insertReminderNote(db, { connectionId: row.connectionId, customerId: row.customerId, invoiceId: inv.invoiceId, body: `Reminder sent by ${how} to ${accepted.join(', ')}: ${row.subject}`, at });
      }
      appendAudit(db, clock, {
        actor: row.approvedBy === 'rule' ? 'rule' : 'owner',
        action: 'outbox.sent',
        entity: 'outbox',
        entityId: row.id,
        detail: { channel: row.channel, recipients: accepted, messageId, attempts: row.attempts, key: row.idempotencyKey, draftId: row.draftId },
      });
    })();
    this.deps.signals.changed(row.connectionId, [row.id], 'sent');
  }

  /** The opt-in note on each invoice. Its failure is recorded and shown; the send stays sent. */
  async writeBack(row: OutboxItem, ledger: LedgerAccess | null, invoices: OutboxInvoice[], recipients: string[]): Promise<void> {
    const { db, clock } = this.deps;
    if (!ledger || writeBackMap(db)[row.connectionId] !== true) return;
    const sentOn = localDate(clock.now(), clock.timeZone());
    const text = writeBackNote({ sentOn, channel: row.channel, recipients, invoiceNumbers: invoices.map((i) => i.number) }, ledger.noteMax);
    let error: string | null = null;
    for (const [i, inv] of invoices.entries()) {
      const local = getInvoiceRow(db, inv.invoiceId);
      if (!local) continue;
      try {
        await ledger.note(local.externalId, text, `${row.idempotencyKey}-note-${i + 1}`, this.controller.signal);
      } catch (err) {
        error = `${inv.number}: ${err instanceof Error ? err.message : String(err)}`;
        break;
      }
    }
    if (!db.open) return;
    const at = clock.now().toISOString();
    db.transaction(() => {
      setOutboxWriteBack(db, row.id, error ? 'failed' : 'done', error, at);
      appendAudit(db, clock, {
        actor: 'system',
        action: 'outbox.writeback',
        entity: 'outbox',
        entityId: row.id,
        detail: { ok: error === null, provider: ledger.provider, note: text, invoices: invoices.map((i) => i.number), ...(error ? { error } : {}) },
      });
    })();
    this.deps.signals.changed(row.connectionId, [row.id], 'writeback');
  }

  private failed(row: OutboxItem, err: unknown, counted: boolean): keyof OutboxProcessResult {
    const { db, clock } = this.deps;
    const transient = err instanceof SendError ? err.transient : false;
    const message = errorText(err);
    const attempts = counted ? row.attempts : row.attempts + 1;
    const outcome = afterFailure(attempts, row.maxAttempts, transient, clock.now());
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (!counted) countOutboxAttempt(db, row.id);
      moveOutboxItem(db, { id: row.id, state: outcome.state, from: row.state, at, error: message, reason: null, next: outcome.state === 'queued' ? outcome.nextAttemptAt : null });
      appendAudit(db, clock, {
        actor: 'system',
        action: outcome.state === 'queued' ? 'outbox.retry' : 'outbox.fail',
        entity: 'outbox',
        entityId: row.id,
        detail: { channel: row.channel, attempts, transient, error: message, ...(outcome.state === 'queued' ? { nextAttemptAt: outcome.nextAttemptAt } : {}) },
      });
    })();
    this.deps.signals.changed(row.connectionId, [row.id], outcome.state === 'queued' ? 'retry' : 'failed');
    if (outcome.state === 'failed') this.deps.signals.notify(row, 'A reminder could not be sent', `To ${row.customerName}: ${message}`);
    return outcome.state === 'queued' ? 'retrying' : 'failed';
  }

  private block(row: OutboxItem, reason: string): void {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    const moved = db.transaction(() => {
      const ok = moveOutboxItem(db, { id: row.id, state: 'blocked', from: row.state, at, error: null, reason, next: null });
      if (ok) appendAudit(db, clock, { actor: 'system', action: 'outbox.block', entity: 'outbox', entityId: row.id, detail: { channel: row.channel, reason } });
      return ok;
    })();
    if (!moved) return;
    this.deps.signals.changed(row.connectionId, [row.id], 'blocked');
    this.deps.signals.notify(row, `Reminder to ${row.customerName} held`, `${reason} Redraft it from the outbox.`);
  }

  /**
   * sending → unconfirmed ("may have been sent — confirm"): at start for a previous run's items, on a
   * stop mid-send, or when a sender lost the answer after handing the message over (`reason`).
   */
  private interrupt(rows: OutboxItem[], reason = INTERRUPTED): void {
    const { db, clock } = this.deps;
    if (rows.length === 0 || !db.open) return;
    const at = clock.now().toISOString();
    db.transaction(() => {
      for (const r of rows) {
        moveOutboxItem(db, { id: r.id, state: 'unconfirmed', from: 'sending', at, error: reason, reason: null, next: null });
        const detail = { channel: r.channel, attempts: r.attempts, key: r.idempotencyKey, ...(reason === INTERRUPTED ? {} : { error: reason }) };
        appendAudit(db, clock, { actor: 'system', action: 'outbox.interrupted', entity: 'outbox', entityId: r.id, detail });
      }
    })();
    for (const r of rows) this.deps.signals.changed(r.connectionId, [r.id], 'interrupted');
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
