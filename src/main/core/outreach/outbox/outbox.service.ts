// The outbox wired into the core (issue 5, DESIGN §8): approval puts a draft here (enqueue runs
// inside the approval's transaction), processDue() re-checks each due item's invoices against the
// ledger (one request per invoice; the local ledger for the demo company), then sends it through
// its channel with the item's idempotency key, retries transient failures with backoff, holds
// items whose invoices changed (with a redraft path), and writes the opt-in note back to the
// ledger. An item found in `sending` when Settle starts may have gone out: it is never re-sent on
// its own, only confirmed or re-queued by the owner. A sync that shows an invoice paid or changed
// cancels or holds the items not yet sent (reconcile). Everything is audited; events carry ids only.
import { defineHandlers, type HandlerGroup } from '../../handlers';
import { randomUUID } from 'node:crypto';
import type { ParsedInput } from '../../../../shared/contract';
import { localDate } from '../../../../shared/dates';
import { SettleError } from '../../../../shared/errors';
import type { DraftView } from '../../../../shared/model';
import {
  CHANNEL_LABELS,
  OUTBOX_STATE_LABELS,
  OUTBOX_STATES,
  type OutboxChanged,
  type OutboxChannel,
  type OutboxItemView,
  type OutboxProcessResult,
  type OutboxSettingsView,
  type OutboxState,
  type OutboxView,
  type WriteBackState,
} from '../../../../shared/outbox';
import { appendAudit, type AuditActor } from '../../audit/log';
import type { Db } from '../../db/open';
import { getConnectionRecord } from '../../connectors/connections.repo';
import { getInvoiceRow, invoiceApplications } from '../../ledger/invoices.repo';
import { perDb } from '../../db/prepared';
import { getSetting, getSettings, setSetting } from '../../settings/settings.repo';
import { checkEdit } from '../../drafting/compose';
import type { DraftFacts } from '../../drafting/facts';
import type { EventHub } from '../../events';
import { outreachHolds, type OutreachPause } from '../../followup/disputes';
import { outsidePaymentEffects, type InvoiceBalanceChange } from '../../followup/ledger-changes';
import { actionsFor, afterFailure, AUTO_SEND_DELAY_MS, MAX_ATTEMPTS, recheckReason, withPayLinks, writeBackNote, type CurrentInvoice } from './outbox';
import type { Clock, Logger, Network, Notifier } from '../../ports';
import { smtpSenderFrom } from '../senders/email.service';
import type { LedgerAccess } from '../../connectors/ledger-access';
import { createLedgerSender, toSendError } from '../senders/ledger';
import { EMAIL_SETTINGS_KEY, missingForSending, readSmtpSettings } from '../senders/smtp-settings';
import type { SecretStore } from '../../ports';
import { invoicePdf } from '../senders/invoice-pdf';
import { createManualSender, manualCopy } from '../senders/manual';
import { SendError, type OutgoingMessage, type SendReceipt, type Sender } from '../senders/types';

export const DEFAULT_CHANNEL_KEY = 'outbox.defaultChannel';
export const WRITE_BACK_KEY = 'outbox.writeBack';
/** How often the app looks for due items (auto-send countdowns end, retries come due). */
export const OUTBOX_TICK_MS = 30_000;
/** Items sent per pass at most, so one pass stays short. */
const BATCH = 25;
const LIST_LIMIT = 500;
const RECENT_RULE_MS = 2 * 86_400_000;

export interface SmtpPort {
  /** Email is set up enough to send (host and from address; the password may be optional). */
  configured(): boolean;
  /** A sender for the current settings; throws a clear SettleError when email is not set up. */
  sender(): Promise<Sender>;
}

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  notifier?: Notifier;
  network?: Network;
  /** The ledger of a QuickBooks or Xero company; null for the demo company (its local ledger is the ledger). */
  ledgerFor(connectionId: string): LedgerAccess | null;
  smtp?: SmtpPort;
  /** drafts.create: a fresh draft from the ledger's current facts. */
  createDraft(input: { customerId: number } | { invoiceId: number }): DraftView | Promise<DraftView>;
  /** drafts.get. */
  getDraft(draftId: number): DraftView | Promise<DraftView>;
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

interface ItemRow {
  id: number;
  connection_id: string;
  draft_id: number;
  customer_id: number;
  customer_name: string;
  idempotency_key: string;
  channel: OutboxChannel;
  recipients_json: string;
  subject: string;
  body: string;
  pay_link: number;
  attach_pdf: number;
  approved_by: 'owner' | 'rule';
  state: OutboxState;
  attempts: number;
  max_attempts: number;
  not_before: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  block_reason: string | null;
  message_id: string | null;
  sent_at: string | null;
  writeback_state: WriteBackState;
  writeback_error: string | null;
  writeback_at: string | null;
  created_at: string;
  updated_at: string;
}

interface ItemInvoice {
  outbox_id: number;
  invoice_id: number;
  number: string;
  currency: string;
  balance_cents: number;
}

interface DraftRow {
  id: number;
  connection_id: string;
  customer_id: number;
  subject: string;
  body: string;
  to_email: string | null;
  status: string;
  facts_json: string;
  pay_link: number;
  attach_pdf: number;
  scope: 'customer' | 'invoice';
  invoice_id: number | null;
}

const ITEM_SELECT = `SELECT o.*, c.name AS customer_name FROM outbox o JOIN customers c ON c.id = o.customer_id`;

const stmts = perDb((db) => ({
  item: db.prepare<[number], ItemRow>(`${ITEM_SELECT} WHERE o.id = ?`),
  list: db.prepare<{ conn: string; state: string | null; customer: number | null; limit: number }, ItemRow>(
    `${ITEM_SELECT} WHERE o.connection_id = @conn AND (@state IS NULL OR o.state = @state) AND (@customer IS NULL OR o.customer_id = @customer)
     ORDER BY o.updated_at DESC, o.id DESC LIMIT @limit`,
  ),
  counts: db.prepare<[string], { state: OutboxState; n: number }>('SELECT state, COUNT(*) AS n FROM outbox WHERE connection_id = ? GROUP BY state'),
  invoicesOf: db.prepare<[number], ItemInvoice>('SELECT * FROM outbox_invoices WHERE outbox_id = ? ORDER BY rowid'),
  invoicesOfConnection: db.prepare<[string], ItemInvoice>(
    'SELECT oi.* FROM outbox_invoices oi JOIN outbox o ON o.id = oi.outbox_id WHERE o.connection_id = ?',
  ),
  due: db.prepare<[string, string], ItemRow>(
    `${ITEM_SELECT} WHERE o.state = 'queued' AND (o.not_before IS NULL OR o.not_before <= ?) AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
     ORDER BY COALESCE(o.next_attempt_at, o.not_before, o.created_at), o.id LIMIT ${BATCH}`,
  ),
  sending: db.prepare<[], ItemRow>(`${ITEM_SELECT} WHERE o.state = 'sending'`),
  disputedOf: db.prepare<[number], string>(
    `SELECT DISTINCT oi.number FROM outbox_invoices oi JOIN dispute_invoices di ON di.invoice_id = oi.invoice_id
     JOIN disputes d ON d.id = di.dispute_id WHERE oi.outbox_id = ? AND d.status = 'open' ORDER BY oi.number`,
  ).pluck(),
  unsentOf: db.prepare<[string], ItemRow>(`${ITEM_SELECT} WHERE o.connection_id = ? AND o.state IN ('queued','awaiting_owner')`),
  draft: db.prepare<[number], DraftRow>(
    'SELECT id, connection_id, customer_id, subject, body, to_email, status, facts_json, pay_link, attach_pdf, scope, invoice_id FROM drafts WHERE id = ?',
  ),
  byDraft: db.prepare<[number], number>('SELECT id FROM outbox WHERE draft_id = ?').pluck(),
  insert: db
    .prepare<
      {
        conn: string;
        draft: number;
        customer: number;
        key: string;
        channel: string;
        recipients: string;
        subject: string;
        body: string;
        payLink: number;
        attachPdf: number;
        approvedBy: string;
        maxAttempts: number;
        notBefore: string | null;
        at: string;
      },
      number
    >(
      `INSERT INTO outbox (connection_id, draft_id, customer_id, idempotency_key, channel, recipients_json, subject, body, pay_link, attach_pdf,
                           approved_by, max_attempts, not_before, created_at, updated_at)
       VALUES (@conn, @draft, @customer, @key, @channel, @recipients, @subject, @body, @payLink, @attachPdf, @approvedBy, @maxAttempts, @notBefore, @at, @at)
       RETURNING id`,
    )
    .pluck(),
  insertInvoice: db.prepare<[number, number, string, string, number]>(
    'INSERT INTO outbox_invoices (outbox_id, invoice_id, number, currency, balance_cents) VALUES (?, ?, ?, ?, ?)',
  ),
  claim: db.prepare<[string, string, number]>(
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, sending_since = ?, updated_at = ? WHERE id = ? AND state = 'queued'",
  ),
  setState: db.prepare<{ id: number; state: string; from: string; at: string; error: string | null; reason: string | null; next: string | null }>(
    `UPDATE outbox SET state = @state, last_error = COALESCE(@error, last_error), block_reason = COALESCE(@reason, block_reason),
            next_attempt_at = @next, sending_since = NULL, updated_at = @at
     WHERE id = @id AND state = @from`,
  ),
  markSent: db.prepare<{ id: number; messageId: string; at: string; writeBack: string; from: string }>(
    `UPDATE outbox SET state = 'sent', message_id = @messageId, sent_at = @at, last_error = NULL, next_attempt_at = NULL, sending_since = NULL,
            writeback_state = @writeBack, updated_at = @at
     WHERE id = @id AND state = @from`,
  ),
  requeue: db.prepare<[string, number]>(
    `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = NULL, not_before = NULL, last_error = NULL, updated_at = ?
     WHERE id = ? AND state IN ('unconfirmed','failed')`,
  ),
  writeBack: db.prepare<[string, string | null, string, number]>(
    'UPDATE outbox SET writeback_state = ?, writeback_error = ?, writeback_at = ? WHERE id = ?',
  ),
  reminderNote: db.prepare<[string, number, number | null, string, string, string]>(
    "INSERT INTO notes (connection_id, customer_id, invoice_id, kind, body, occurred_at, created_at) VALUES (?, ?, ?, 'reminder', ?, ?, ?)",
  ),
  ruleSince: db.prepare<[string], string>("SELECT created_at FROM outbox WHERE approved_by = 'rule' AND state <> 'cancelled' AND created_at >= ?").pluck(),
}));

/** The ledger port of a company: QuickBooks or Xero through its client; null for the demo (and CSV) company. */
/**
 * The SMTP channel over Settings → Email. "Configured" is judged from the settings alone (a
 * missing password shows up as a clear failure when sending), so approval can decide it inside
 * its transaction.
 */
export function smtpPortFrom(db: Db, secrets: SecretStore): SmtpPort {
  return {
    configured: () => missingForSending(readSmtpSettings(getSetting(db, EMAIL_SETTINGS_KEY)), true) === null,
    sender: () => smtpSenderFrom(db, secrets),
  };
}

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** The draft's address field as a list (a ledger may hold several, separated by commas or semicolons). */
export function parseRecipients(field: string | null): string[] {
  return (field ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function errorText(err: unknown): string {
  if (err instanceof SendError) return err.serverReply && !err.message.includes(err.serverReply) ? `${err.message} (${err.serverReply})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export class OutboxService {
  readonly handlers: readonly HandlerGroup[];
  private timer: ReturnType<typeof setInterval> | null = null;
  private soon: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<OutboxProcessResult> | null = null;
  private controller = new AbortController();
  private stopped = false;

  constructor(private readonly deps: OutboxDeps) {
    this.handlers = [
      defineHandlers('outbox', {
        list: (input = {}) => this.list(input),
        get: ({ itemId }) => this.view(itemId),
        process: () => this.processDue(),
        cancel: ({ itemId, reason }) => this.cancel(itemId, reason ?? null),
        confirmSent: ({ itemId }) => this.confirmSent(itemId),
        requeue: ({ itemId }) => this.requeue(itemId),
        redraft: ({ itemId }) => this.redraft(itemId),
        settings: () => this.settingsView(),
        configure: (input) => this.configure(input),
      }),
    ];
  }

  // ---- lifecycle ----

  /**
   * Marks items a previous run left in `sending` as "may have been sent — confirm" (never re-sent
   * on their own), then, in the app, looks for due items every OUTBOX_TICK_MS while online.
   */
  start(opts: { timer: boolean }): void {
    this.markInterrupted();
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
  private kick(): void {
    if (!this.timer || this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.tick();
    }, 0);
    this.soon.unref?.();
  }

  private markInterrupted(): void {
    const { db, clock } = this.deps;
    const rows = stmts(db).sending.all();
    if (rows.length === 0) return;
    const at = clock.now().toISOString();
    db.transaction(() => {
      for (const r of rows) {
        stmts(db).setState.run({ id: r.id, state: 'unconfirmed', from: 'sending', at, error: 'Settle stopped while sending this; it may have gone out.', reason: null, next: null });
        appendAudit(db, clock, { actor: 'system', action: 'outbox.interrupted', entity: 'outbox', entityId: r.id, detail: { channel: r.channel, attempts: r.attempts, key: r.idempotency_key } });
      }
    })();
    for (const r of rows) this.changed(r.connection_id, [r.id], 'interrupted');
  }

  // ---- settings ----

  private smtpConfigured(): boolean {
    try {
      return this.deps.smtp?.configured() ?? false;
    } catch {
      return false;
    }
  }

  /** The channel an approval uses when none is given: the owner's choice, else email when set up, else manual. */
  defaultChannel(): OutboxChannel {
    const chosen = getSetting<OutboxChannel>(this.deps.db, DEFAULT_CHANNEL_KEY);
    if (chosen === 'smtp' || chosen === 'ledger' || chosen === 'manual') return chosen;
    return this.smtpConfigured() ? 'smtp' : 'manual';
  }

  private writeBackMap(): Record<string, boolean> {
    const v = getSetting<Record<string, boolean>>(this.deps.db, WRITE_BACK_KEY);
    return v && typeof v === 'object' ? v : {};
  }

  private settingsView(): OutboxSettingsView {
    const chosen = getSetting<unknown>(this.deps.db, DEFAULT_CHANNEL_KEY);
    return {
      defaultChannel: this.defaultChannel(),
      defaultChannelChosen: chosen === 'smtp' || chosen === 'ledger' || chosen === 'manual',
      smtpConfigured: this.smtpConfigured(),
      writeBack: this.writeBackMap(),
    };
  }

  private configure(input: ParsedInput<'outbox.configure'>): OutboxSettingsView {
    const { db, clock } = this.deps;
    if (input.writeBack) {
      const conn = getConnectionRecord(db, input.writeBack.connectionId);
      if (!conn) throw new SettleError('not_found', `No company "${input.writeBack.connectionId}"`);
      if (conn.provider !== 'qbo' && conn.provider !== 'xero') {
        throw new SettleError('invalid_input', `${conn.name} has no QuickBooks or Xero ledger to write notes to`);
      }
    }
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (input.defaultChannel !== undefined) setSetting(db, DEFAULT_CHANNEL_KEY, input.defaultChannel ?? undefined, at);
      if (input.writeBack) setSetting(db, WRITE_BACK_KEY, { ...this.writeBackMap(), [input.writeBack.connectionId]: input.writeBack.enabled }, at);
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.settings', entity: 'settings', entityId: 'outbox', detail: input });
    })();
    return this.settingsView();
  }

  // ---- queueing (inside the approval's transaction) ----

  /**
   * Puts an approved draft in the outbox with a fresh idempotency key and its text, recipients and
   * toggles frozen. Throws a SettleError saying why it cannot go (no email address, no ledger,
   * email not set up, text too long); the caller's savepoint then rolls the approval back.
   */
  enqueue(draftId: number, opts: EnqueueOptions): number {
    const { db, clock } = this.deps;
    const s = stmts(db);
    const d = s.draft.get(draftId);
    if (!d) throw new SettleError('not_found', `No draft ${draftId}`);
    if (s.byDraft.get(draftId) !== undefined) throw new SettleError('conflict', 'This reminder is already in the outbox');
    const facts = JSON.parse(d.facts_json) as DraftFacts;
    const name = facts.customer.name;
    const channel = opts.channel ?? this.defaultChannel();
    const conn = getConnectionRecord(db, d.connection_id);
    if (!conn) throw new SettleError('not_found', `No company "${d.connection_id}"`);
    if (conn.status === 'disconnected') throw new SettleError('conflict', `${conn.name} is disconnected; reconnect it before sending reminders.`);
    const recipients = parseRecipients(d.to_email);
    if (channel !== 'manual') {
      if (recipients.length === 0) {
        throw new SettleError(
          'invalid_input',
          `${name} has no email address in the ledger, so this reminder cannot be ${channel === 'ledger' ? 'sent through the ledger' : 'emailed'}. Add one in your accounting software and sync, or choose "Copy / open in mail app".`,
        );
      }
      const bad = recipients.find((r) => !EMAIL_RE.test(r));
      if (bad) throw new SettleError('invalid_input', `${name}'s email address "${bad}" does not look valid; fix it in your accounting software and sync.`);
    }
    if (channel === 'ledger' && conn.provider !== 'qbo' && conn.provider !== 'xero') {
      throw new SettleError('invalid_input', `${conn.name} has no QuickBooks or Xero ledger to send through; choose email or "Copy / open in mail app".`);
    }
    if (channel === 'smtp' && !this.smtpConfigured()) {
      throw new SettleError('invalid_input', 'Email is not set up yet (Settings → Email), so this reminder cannot be emailed. Set it up, or choose another channel.');
    }
    const problems = checkEdit({ subject: d.subject, body: d.body });
    if (problems.length > 0) throw new SettleError('invalid_input', `This reminder cannot be sent: ${problems.map((p) => p.message).join('; ')}.`);
    if (d.attach_pdf === 1 && channel === 'manual') {
      throw new SettleError('invalid_input', 'A mail app link cannot carry the invoice PDF; switch "Attach PDF" off, or send it by email.');
    }
    const at = clock.now().toISOString();
    const key = `settle-${randomUUID()}`;
    const id = s.insert.get({
      conn: d.connection_id,
      draft: draftId,
      customer: d.customer_id,
      key,
      channel,
      recipients: JSON.stringify(recipients),
      subject: d.subject,
      body: d.body,
      payLink: d.pay_link,
      attachPdf: d.attach_pdf,
      approvedBy: opts.approvedBy,
      maxAttempts: MAX_ATTEMPTS,
      notBefore: opts.notBefore ?? null,
      at,
    });
    if (id === undefined) throw new SettleError('internal', 'Could not queue the reminder');
    for (const inv of facts.invoices) s.insertInvoice.run(id, inv.id, inv.number, inv.currency, inv.balanceCents);
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
        invoices: facts.invoices.map((i) => i.number),
        payLink: d.pay_link === 1,
        attachPdf: d.attach_pdf === 1,
        ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      },
    });
    // After the caller's transaction commits.
    queueMicrotask(() => {
      this.changed(d.connection_id, [id], 'queued');
      this.kick();
    });
    return id;
  }

  /** Rule (auto-send) approvals today in the owner's time zone, from the table: a restart does not reset the cap. */
  ruleQueuedToday(): number {
    const { db, clock } = this.deps;
    const now = clock.now();
    const today = localDate(now, clock.timeZone());
    return stmts(db)
      .ruleSince.all(new Date(now.getTime() - RECENT_RULE_MS).toISOString())
      .filter((at) => localDate(new Date(at), clock.timeZone()) === today).length;
  }

  /** The not-before of an auto-sent reminder approved now. */
  autoSendAt(): string {
    return new Date(this.deps.clock.now().getTime() + AUTO_SEND_DELAY_MS).toISOString();
  }

  // ---- the processing pass ----

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
    const result: OutboxProcessResult = { sent: 0, failed: 0, blocked: 0, retrying: 0, awaitingOwner: 0 };
    const { db, clock } = this.deps;
    const seen = new Set<number>();
    for (;;) {
      if (this.stopped || !db.open) break;
      const now = clock.now().toISOString();
      const due = stmts(db).due.all(now, now).filter((r) => !seen.has(r.id));
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

  private async processOne(row: ItemRow): Promise<keyof OutboxProcessResult | null> {
    const { db } = this.deps;
    const signal = this.controller.signal;
    const invoices = stmts(db).invoicesOf.all(row.id);
    const conn = getConnectionRecord(db, row.connection_id);
    if (!conn || conn.status === 'disconnected') {
      this.block(row, `${conn?.name ?? 'The company'} was disconnected; reconnect it, then redraft.`);
      return 'blocked';
    }
    let ledger: LedgerAccess | null;
    try {
      ledger = this.deps.ledgerFor(row.connection_id);
    } catch (err) {
      return this.failed(row, new SendError(errorText(err), true), false);
    }
    if (ledger && conn.status === 'needs_reconnect') {
      // Nothing can be checked or sent until the owner signs in again; no try is used up meanwhile.
      const why = `Waiting: reconnect ${conn.name} in Settings → Connections.`;
      if (row.last_error !== why) {
        db.prepare('UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ?').run(why, this.deps.clock.now().toISOString(), row.id);
        this.changed(row.connection_id, [row.id], 'retry');
      }
      return null;
    }

    // 0. A dispute or a pause opened since approval holds it: the approved text no longer fits.
    const hold = this.holdReason(row, invoices);
    if (hold) {
      this.block(row, hold);
      return 'blocked';
    }

    // 1. The re-check: one request per invoice (the local ledger for the demo company).
    const links: { number: string; url: string }[] = [];
    const targets: { externalId: string; number: string; sendTo: string | null }[] = [];
    const reasons: string[] = [];
    const locale = getSettings(db).locale ?? 'en-US';
    const recipients = JSON.parse(row.recipients_json) as string[];
    try {
      for (const inv of invoices) {
        const local = getInvoiceRow(db, inv.invoice_id);
        if (!local) {
          reasons.push(`${inv.number} is no longer in the ledger.`);
          continue;
        }
        let now: CurrentInvoice & { payLink: string | null; billEmail: string | null };
        if (ledger) {
          now = await ledger.invoice(local.externalId, { payLink: row.pay_link === 1 }, signal);
        } else {
          now = { status: local.status, balanceCents: local.balanceCents, currency: local.currency, deleted: local.deletedAt !== null, payLink: null, billEmail: null };
        }
        const why = recheckReason({ number: inv.number, currency: inv.currency, balanceCents: inv.balance_cents }, now, locale);
        if (why) reasons.push(why);
        if (now.payLink) links.push({ number: inv.number, url: now.payLink });
        targets.push({ externalId: local.externalId, number: inv.number, sendTo: now.billEmail ? null : (recipients[0] ?? null) });
      }
    } catch (err) {
      if (signal.aborted) return null; // nothing was sent yet: it stays queued
      return this.failed(row, toSendError(err, conn.provider === 'xero' ? 'Xero' : 'QuickBooks'), false);
    }
    if (reasons.length > 0) {
      this.block(row, reasons.join(' '));
      return 'blocked';
    }
    if (row.pay_link === 1 && links.length === 0 && row.channel !== 'ledger') {
      this.deps.logger.info('outbox: no pay link available; sending without it', { itemId: row.id });
    }

    // 2. Manual: Settle sends nothing; the owner copies it and confirms.
    if (row.channel === 'manual') {
      const at = this.deps.clock.now().toISOString();
      const moved = stmts(db).setState.run({ id: row.id, state: 'awaiting_owner', from: 'queued', at, error: null, reason: null, next: null }).changes > 0;
      if (moved) this.changed(row.connection_id, [row.id], 'awaiting_owner');
      return moved ? 'awaitingOwner' : null;
    }

    // The invoice PDFs for email (the ledger's own email carries its PDF already).
    const attachments: OutgoingMessage['attachments'] = [];
    if (row.attach_pdf === 1 && row.channel === 'smtp') {
      try {
        for (const [i, inv] of invoices.entries()) {
          const content = ledger ? await ledger.pdf(targets[i]!.externalId, signal) : this.localPdf(inv, conn.name, locale);
          attachments.push({ filename: `${inv.number.replace(/[^\w.-]+/g, '_')}.pdf`, contentType: 'application/pdf', content });
        }
      } catch (err) {
        if (signal.aborted) return null;
        return this.failed(row, toSendError(err, conn.provider === 'xero' ? 'Xero' : 'QuickBooks'), false);
      }
    }

    // 3. Claim it; from here a crash leaves it "may have been sent".
    const claimedAt = this.deps.clock.now().toISOString();
    if (stmts(db).claim.run(claimedAt, claimedAt, row.id).changes === 0) return null; // cancelled meanwhile
    const claimed = { ...row, state: 'sending' as const, attempts: row.attempts + 1 };
    this.changed(row.connection_id, [row.id], 'sending');
    const message: OutgoingMessage = {
      idempotencyKey: row.idempotency_key,
      to: recipients,
      subject: row.subject,
      text: row.pay_link === 1 && row.channel === 'smtp' ? withPayLinks(row.body, links) : row.body,
      attachments,
    };
    let receipt: SendReceipt;
    try {
      let sender: Sender;
      if (row.channel === 'ledger') {
        if (!ledger) throw new SendError(`${conn.name} has no ledger to send through`, false);
        sender = createLedgerSender(ledger, targets);
      } else {
        if (!this.deps.smtp) throw new SendError('Email is not set up (Settings → Email)', false);
        sender = await this.deps.smtp.sender();
      }
      receipt = await sender.send(message, signal);
    } catch (err) {
      if (signal.aborted) {
        // Stopped mid-send: it may have gone out. Only the owner decides what happens next.
        this.interrupt(claimed);
        return null;
      }
      const sendErr = err instanceof SendError ? err : err instanceof SettleError ? new SendError(err.message, err.code === 'unavailable') : (toSendError(err, row.channel) as Error);
      return this.failed(claimed, sendErr, true);
    }
    // Outside the try: once the message went, a failure to record it must never mark it for a retry.
    this.markSent(claimed, receipt.messageId, receipt.accepted.length > 0 ? receipt.accepted : recipients, invoices);
    await this.writeBack(claimed, ledger, invoices, recipients);
    return 'sent';
  }

  private holdReason(row: ItemRow, invoices: ItemInvoice[]): string | null {
    const disputed = stmts(this.deps.db).disputedOf.all(row.id);
    if (disputed.length > 0) return `${disputed.join(', ')} ${disputed.length === 1 ? 'is' : 'are'} disputed now.`;
    const pauses = this.deps.pauses?.(row.connection_id) ?? [];
    if (pauses.length === 0) return null;
    const today = localDate(this.deps.clock.now(), this.deps.clock.timeZone());
    for (const inv of invoices) {
      const pause = outreachHolds({ id: inv.invoice_id, customerId: row.customer_id }, today, [], pauses).find((h) => h.kind === 'pause');
      if (pause?.kind === 'pause') return `Outreach to ${row.customer_name} is paused until ${pause.until}: ${pause.reason}`;
    }
    return null;
  }

  /** The demo company's PDF, from the local ledger. */
  private localPdf(inv: ItemInvoice, company: string, locale: string): Uint8Array {
    const row = getInvoiceRow(this.deps.db, inv.invoice_id);
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

  private markSent(row: ItemRow, messageId: string, accepted: string[], invoices: ItemInvoice[]): void {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    const writeBackOn = this.writeBackMap()[row.connection_id] === true;
    db.transaction(() => {
      stmts(db).markSent.run({ id: row.id, messageId, at, writeBack: writeBackOn ? 'pending' : 'off', from: row.state });
      // The reminder is contact history: it feeds "last contact", the quiet period and the per-invoice limit.
      const how = row.channel === 'ledger' ? 'the ledger\'s invoice email' : row.channel === 'manual' ? 'your mail app' : 'email';
      for (const inv of invoices) {
        stmts(db).reminderNote.run(row.connection_id, row.customer_id, inv.invoice_id, `Reminder sent by ${how} to ${accepted.join(', ')}: ${row.subject}`, at, at);
      }
      appendAudit(db, clock, {
        actor: row.approved_by === 'rule' ? 'rule' : 'owner',
        action: 'outbox.sent',
        entity: 'outbox',
        entityId: row.id,
        detail: { channel: row.channel, recipients: accepted, messageId, attempts: row.attempts, key: row.idempotency_key, draftId: row.draft_id },
      });
    })();
    this.changed(row.connection_id, [row.id], 'sent');
  }

  /** The opt-in note on each invoice. Its failure is recorded and shown; the send stays sent. */
  private async writeBack(row: ItemRow, ledger: LedgerAccess | null, invoices: ItemInvoice[], recipients: string[]): Promise<void> {
    const { db, clock } = this.deps;
    if (!ledger || this.writeBackMap()[row.connection_id] !== true) return;
    const sentOn = localDate(clock.now(), clock.timeZone());
    const text = writeBackNote({ sentOn, channel: row.channel, recipients, invoiceNumbers: invoices.map((i) => i.number) }, ledger.noteMax);
    let error: string | null = null;
    for (const [i, inv] of invoices.entries()) {
      const local = getInvoiceRow(db, inv.invoice_id);
      if (!local) continue;
      try {
        await ledger.note(local.externalId, text, `${row.idempotency_key}-note-${i + 1}`, this.controller.signal);
      } catch (err) {
        error = `${inv.number}: ${err instanceof Error ? err.message : String(err)}`;
        break;
      }
    }
    if (!db.open) return;
    const at = clock.now().toISOString();
    db.transaction(() => {
      stmts(db).writeBack.run(error ? 'failed' : 'done', error, at, row.id);
      appendAudit(db, clock, {
        actor: 'system',
        action: 'outbox.writeback',
        entity: 'outbox',
        entityId: row.id,
        detail: { ok: error === null, provider: ledger.provider, note: text, invoices: invoices.map((i) => i.number), ...(error ? { error } : {}) },
      });
    })();
    this.changed(row.connection_id, [row.id], 'writeback');
  }

  private failed(row: ItemRow, err: unknown, counted: boolean): keyof OutboxProcessResult {
    const { db, clock } = this.deps;
    const transient = err instanceof SendError ? err.transient : false;
    const message = errorText(err);
    const attempts = counted ? row.attempts : row.attempts + 1;
    const outcome = afterFailure(attempts, row.max_attempts, transient, clock.now());
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (!counted) db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?').run(row.id);
      stmts(db).setState.run({ id: row.id, state: outcome.state, from: row.state, at, error: message, reason: null, next: outcome.state === 'queued' ? outcome.nextAttemptAt : null });
      appendAudit(db, clock, {
        actor: 'system',
        action: outcome.state === 'queued' ? 'outbox.retry' : 'outbox.fail',
        entity: 'outbox',
        entityId: row.id,
        detail: { channel: row.channel, attempts, transient, error: message, ...(outcome.state === 'queued' ? { nextAttemptAt: outcome.nextAttemptAt } : {}) },
      });
    })();
    this.changed(row.connection_id, [row.id], outcome.state === 'queued' ? 'retry' : 'failed');
    if (outcome.state === 'failed') this.notify(row, 'A reminder could not be sent', `To ${row.customer_name}: ${message}`);
    return outcome.state === 'queued' ? 'retrying' : 'failed';
  }

  private block(row: ItemRow, reason: string): void {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    const moved = db.transaction(() => {
      const n = stmts(db).setState.run({ id: row.id, state: 'blocked', from: row.state, at, error: null, reason, next: null }).changes;
      if (n > 0) appendAudit(db, clock, { actor: 'system', action: 'outbox.block', entity: 'outbox', entityId: row.id, detail: { channel: row.channel, reason } });
      return n > 0;
    })();
    if (!moved) return;
    this.changed(row.connection_id, [row.id], 'blocked');
    this.notify(row, `Reminder to ${row.customer_name} held`, `${reason} Redraft it from the outbox.`);
  }

  private interrupt(row: ItemRow): void {
    const { db, clock } = this.deps;
    if (!db.open) return;
    const at = clock.now().toISOString();
    db.transaction(() => {
      stmts(db).setState.run({ id: row.id, state: 'unconfirmed', from: 'sending', at, error: 'Settle stopped while sending this; it may have gone out.', reason: null, next: null });
      appendAudit(db, clock, { actor: 'system', action: 'outbox.interrupted', entity: 'outbox', entityId: row.id, detail: { channel: row.channel, attempts: row.attempts, key: row.idempotency_key } });
    })();
    this.changed(row.connection_id, [row.id], 'interrupted');
  }

  private notify(row: ItemRow, title: string, body: string): void {
    try {
      this.deps.notifier?.notify({ title, body, target: { view: 'customer', customerId: row.customer_id } });
    } catch (err) {
      this.deps.logger.warn('outbox notification failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private changed(connectionId: string, itemIds: number[], reason: OutboxChanged['reason']): void {
    this.deps.events.emit('outbox.changed', { connectionId, itemIds, reason });
  }

  // ---- the owner's actions ----

  private requireRow(itemId: number): ItemRow {
    const row = stmts(this.deps.db).item.get(itemId);
    if (!row) throw new SettleError('not_found', `No outbox item ${itemId}`);
    return row;
  }

  private refuse(row: ItemRow, what: string): never {
    throw new SettleError('conflict', `This reminder is ${OUTBOX_STATE_LABELS[row.state].toLowerCase()}, so it cannot be ${what}.`);
  }

  private cancel(itemId: number, reason: string | null): OutboxItemView {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (row.state === 'cancelled') return this.toView(row);
    if (!actionsFor(row.state).cancel) this.refuse(row, 'cancelled');
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (stmts(db).setState.run({ id: itemId, state: 'cancelled', from: row.state, at, error: null, reason: reason ?? 'Cancelled by you.', next: null }).changes === 0) {
        throw new SettleError('conflict', 'This reminder changed while cancelling it; look again.');
      }
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.cancel', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, ...(reason ? { reason } : {}) } });
    })();
    this.changed(row.connection_id, [itemId], 'cancelled');
    return this.view(itemId);
  }

  private async confirmSent(itemId: number): Promise<OutboxItemView> {
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).confirmSent) this.refuse(row, 'confirmed as sent');
    const recipients = JSON.parse(row.recipients_json) as string[];
    const receipt =
      row.channel === 'manual'
        ? await createManualSender().send({ idempotencyKey: row.idempotency_key, to: recipients, subject: row.subject, text: row.body, attachments: [] })
        : { messageId: row.message_id ?? `confirmed:${row.idempotency_key}`, accepted: recipients };
    const invoices = stmts(this.deps.db).invoicesOf.all(itemId);
    this.deps.db.transaction(() => {
      appendAudit(this.deps.db, this.deps.clock, { actor: 'owner', action: 'outbox.confirm', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, channel: row.channel } });
      this.markSent(row, receipt.messageId, receipt.accepted, invoices);
    })();
    let ledger: LedgerAccess | null;
    try {
      ledger = this.deps.ledgerFor(row.connection_id);
    } catch {
      ledger = null;
    }
    await this.writeBack({ ...row, state: 'sent' }, ledger, invoices, recipients);
    return this.view(itemId);
  }

  private requeue(itemId: number): OutboxItemView {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).requeue) this.refuse(row, 'queued again');
    db.transaction(() => {
      if (stmts(db).requeue.run(clock.now().toISOString(), itemId).changes === 0) throw new SettleError('conflict', 'This reminder changed meanwhile; look again.');
      // Same idempotency key: a ledger send that did go out is replayed, not repeated.
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.requeue', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, attempts: row.attempts, key: row.idempotency_key } });
    })();
    this.changed(row.connection_id, [itemId], 'requeued');
    this.kick();
    return this.view(itemId);
  }

  /** A fresh draft from the ledger's current facts for a held (or failed, or cancelled) reminder. */
  private async redraft(itemId: number): Promise<DraftView> {
    const { db, clock } = this.deps;
    const row = this.requireRow(itemId);
    if (!actionsFor(row.state).redraft) this.refuse(row, 'redrafted');
    const d = stmts(db).draft.get(row.draft_id);
    const target = d && d.scope === 'invoice' && d.invoice_id !== null ? { invoiceId: d.invoice_id } : { customerId: row.customer_id };
    const draft = await this.deps.createDraft(target);
    const at = clock.now().toISOString();
    db.transaction(() => {
      if (row.state !== 'cancelled') {
        stmts(db).setState.run({ id: itemId, state: 'cancelled', from: row.state, at, error: null, reason: `Redrafted as draft ${draft.id}.`, next: null });
      }
      appendAudit(db, clock, { actor: 'owner', action: 'outbox.redraft', entity: 'outbox', entityId: itemId, detail: { stateBefore: row.state, newDraftId: draft.id } });
    })();
    this.changed(row.connection_id, [itemId], 'cancelled');
    return draft;
  }

  // ---- payments outside Settle ----

  /**
   * After a sync (or any ledger change): items not yet sent whose invoices are now closed are
   * cancelled ("paid in the ledger on …"); those whose balance changed are held for a redraft.
   * Compares the balances the approved text states with the local ledger. Synchronous.
   */
  reconcile(connectionId: string): number {
    const { db, clock } = this.deps;
    const s = stmts(db);
    const items = s.unsentOf.all(connectionId);
    if (items.length === 0) return 0;
    const byItem = new Map<number, ItemInvoice[]>();
    for (const inv of s.invoicesOfConnection.all(connectionId)) {
      const list = byItem.get(inv.outbox_id) ?? [];
      list.push(inv);
      byItem.set(inv.outbox_id, list);
    }
    const changes = new Map<number, InvoiceBalanceChange>();
    for (const item of items) {
      for (const inv of byItem.get(item.id) ?? []) {
        if (changes.has(inv.invoice_id)) continue;
        const local = getInvoiceRow(db, inv.invoice_id);
        const after = !local || local.deletedAt !== null ? { balanceCents: 0, status: 'void' as const } : { balanceCents: local.balanceCents, status: local.status };
        if (after.balanceCents === inv.balance_cents && after.status === 'open') continue;
        const last = local ? invoiceApplications(db, inv.invoice_id).at(-1) : undefined;
        changes.set(inv.invoice_id, {
          invoiceId: inv.invoice_id,
          number: inv.number,
          currency: inv.currency,
          before: { balanceCents: inv.balance_cents, status: 'open' },
          after,
          cause: last ? { kind: last.kind, date: last.date, reference: last.reference } : null,
        });
      }
    }
    if (changes.size === 0) return 0;
    const locale = getSettings(db).locale ?? 'en-US';
    const effects = outsidePaymentEffects(
      [...changes.values()],
      items.map((i) => ({ id: i.id, kind: 'outbox' as const, invoiceIds: (byItem.get(i.id) ?? []).map((x) => x.invoice_id) })),
      locale,
    );
    const at = clock.now().toISOString();
    const touched: ItemRow[] = [];
    db.transaction(() => {
      for (const decision of effects.decisions) {
        const row = items.find((i) => i.id === decision.id);
        if (!row) continue;
        const mine = (byItem.get(row.id) ?? []).map((x) => changes.get(x.invoice_id)).filter((c): c is InvoiceBalanceChange => c !== undefined);
        const paidOn = mine.map((c) => c.cause?.date).filter((d): d is string => !!d).sort().at(-1);
        const voided = mine.length > 0 && mine.every((c) => c.after.status === 'void');
        const reason =
          decision.action === 'cancel'
            ? `${voided ? 'Voided in the ledger' : `Paid in the ledger${paidOn ? ` on ${paidOn}` : ''}`}: ${decision.reason}`
            : `Changed in the ledger: ${decision.reason}`;
        const state = decision.action === 'cancel' ? 'cancelled' : 'blocked';
        if (s.setState.run({ id: row.id, state, from: row.state, at, error: null, reason, next: null }).changes === 0) continue;
        const actor: AuditActor = 'sync';
        appendAudit(db, clock, {
          actor,
          action: decision.action === 'cancel' ? 'outbox.cancel' : 'outbox.block',
          entity: 'outbox',
          entityId: row.id,
          detail: { reason, stateBefore: row.state, activity: effects.activity.filter((a) => mine.some((c) => c.invoiceId === a.invoiceId)).map((a) => a.message) },
        });
        touched.push({ ...row, state });
      }
    })();
    for (const row of touched) {
      this.changed(row.connection_id, [row.id], 'ledger');
      if (row.state === 'blocked') this.notify(row, `Reminder to ${row.customer_name} held`, 'An invoice in it changed in the ledger. Redraft it from the outbox.');
    }
    return touched.length;
  }

  // ---- views ----

  private list(input: ParsedInput<'outbox.list'> & object): OutboxView {
    const connectionId = input.connectionId ?? this.deps.activeConnectionId();
    const counts = Object.fromEntries(OUTBOX_STATES.map((st) => [st, 0])) as Record<OutboxState, number>;
    if (connectionId === null) return { items: [], counts, defaultChannel: this.defaultChannel() };
    for (const c of stmts(this.deps.db).counts.all(connectionId)) counts[c.state] = c.n;
    const rows = stmts(this.deps.db).list.all({ conn: connectionId, state: input.state ?? null, customer: input.customerId ?? null, limit: input.limit ?? LIST_LIMIT });
    return { items: rows.map((r) => this.toView(r)), counts, defaultChannel: this.defaultChannel() };
  }

  view(itemId: number): OutboxItemView {
    return this.toView(this.requireRow(itemId));
  }

  private toView(row: ItemRow): OutboxItemView {
    const recipients = JSON.parse(row.recipients_json) as string[];
    const invoices = stmts(this.deps.db).invoicesOf.all(row.id);
    return {
      id: row.id,
      draftId: row.draft_id,
      connectionId: row.connection_id,
      customer: { id: row.customer_id, name: row.customer_name },
      invoices: invoices.map((i) => ({ id: i.invoice_id, number: i.number, currency: i.currency, balanceCents: i.balance_cents })),
      channel: row.channel,
      channelLabel: CHANNEL_LABELS[row.channel],
      recipients,
      subject: row.subject,
      body: row.body,
      payLink: row.pay_link === 1,
      attachPdf: row.attach_pdf === 1,
      state: row.state,
      stateLabel: OUTBOX_STATE_LABELS[row.state],
      approvedBy: row.approved_by,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      lastError: row.last_error,
      blockReason: row.block_reason,
      notBefore: row.not_before,
      nextAttemptAt: row.next_attempt_at,
      messageId: row.message_id,
      sentAt: row.sent_at,
      writeBack: { state: row.writeback_state, error: row.writeback_error, at: row.writeback_at },
      manual: row.channel === 'manual' ? manualCopy({ to: recipients, subject: row.subject, text: row.body }) : null,
      can: actionsFor(row.state),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
