// The outbox's storage: the only owner of the `outbox` and `outbox_invoices` tables. One Row
// type per table mapped to the records the outbox works with (recipients_json is decoded here and
// nowhere else), and every state change is compare-and-set on the state the caller saw, so an
// item cancelled or claimed meanwhile is never overwritten.
import type { OutboxChannel, OutboxState, WriteBackState } from '../../../../shared/outbox';
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';

/** Items sent per pass at most, so one pass stays short. */
export const SEND_BATCH = 25;

interface OutboxRow {
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

interface OutboxInvoiceRow {
  outbox_id: number;
  invoice_id: number;
  number: string;
  currency: string;
  balance_cents: number;
}

/** One outbox item with its customer's name; the text, recipients and toggles are frozen at approval. */
export interface OutboxItem {
  id: number;
  connectionId: string;
  draftId: number;
  customerId: number;
  customerName: string;
  idempotencyKey: string;
  channel: OutboxChannel;
  recipients: string[];
  subject: string;
  body: string;
  payLink: boolean;
  attachPdf: boolean;
  approvedBy: 'owner' | 'rule';
  state: OutboxState;
  attempts: number;
  maxAttempts: number;
  notBefore: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  blockReason: string | null;
  messageId: string | null;
  sentAt: string | null;
  writeBack: { state: WriteBackState; error: string | null; at: string | null };
  createdAt: string;
  updatedAt: string;
}

/** An invoice an item is about, with the figures its approved text states. */
export interface OutboxInvoice {
  outboxId: number;
  invoiceId: number;
  number: string;
  currency: string;
  balanceCents: number;
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    connectionId: r.connection_id,
    draftId: r.draft_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    idempotencyKey: r.idempotency_key,
    channel: r.channel,
    recipients: JSON.parse(r.recipients_json) as string[],
    subject: r.subject,
    body: r.body,
    payLink: r.pay_link === 1,
    attachPdf: r.attach_pdf === 1,
    approvedBy: r.approved_by,
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    notBefore: r.not_before,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    blockReason: r.block_reason,
    messageId: r.message_id,
    sentAt: r.sent_at,
    writeBack: { state: r.writeback_state, error: r.writeback_error, at: r.writeback_at },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toInvoice(r: OutboxInvoiceRow): OutboxInvoice {
  return { outboxId: r.outbox_id, invoiceId: r.invoice_id, number: r.number, currency: r.currency, balanceCents: r.balance_cents };
}

const ITEM_SELECT = `SELECT o.*, c.name AS customer_name FROM outbox o JOIN customers c ON c.id = o.customer_id`;

const reads = perDb((db) => ({
  item: db.prepare<[number], OutboxRow>(`${ITEM_SELECT} WHERE o.id = ?`),
  list: db.prepare<{ conn: string; state: string | null; customer: number | null; limit: number }, OutboxRow>(
    `${ITEM_SELECT} WHERE o.connection_id = @conn AND (@state IS NULL OR o.state = @state) AND (@customer IS NULL OR o.customer_id = @customer)
     ORDER BY o.updated_at DESC, o.id DESC LIMIT @limit`,
  ),
  counts: db.prepare<[string], { state: OutboxState; n: number }>('SELECT state, COUNT(*) AS n FROM outbox WHERE connection_id = ? GROUP BY state'),
  invoicesOf: db.prepare<[number], OutboxInvoiceRow>('SELECT * FROM outbox_invoices WHERE outbox_id = ? ORDER BY rowid'),
  invoicesOfConnection: db.prepare<[string], OutboxInvoiceRow>(
    'SELECT oi.* FROM outbox_invoices oi JOIN outbox o ON o.id = oi.outbox_id WHERE o.connection_id = ?',
  ),
  due: db.prepare<[string, string], OutboxRow>(
    `${ITEM_SELECT} WHERE o.state = 'queued' AND (o.not_before IS NULL OR o.not_before <= ?) AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
     ORDER BY COALESCE(o.next_attempt_at, o.not_before, o.created_at), o.id LIMIT ${SEND_BATCH}`,
  ),
  sending: db.prepare<[], OutboxRow>(`${ITEM_SELECT} WHERE o.state = 'sending'`),
  unsentOf: db.prepare<[string], OutboxRow>(`${ITEM_SELECT} WHERE o.connection_id = ? AND o.state IN ('queued','awaiting_owner')`),
  byDraft: db.prepare<[number], number>('SELECT id FROM outbox WHERE draft_id = ?').pluck(),
  ruleSince: db.prepare<[string], string>("SELECT created_at FROM outbox WHERE approved_by = 'rule' AND state <> 'cancelled' AND created_at >= ?").pluck(),
}));

interface InsertParams {
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
}

const inserts = perDb((db) => ({
  insert: db
    .prepare<InsertParams, number>(
      `INSERT INTO outbox (connection_id, draft_id, customer_id, idempotency_key, channel, recipients_json, subject, body, pay_link, attach_pdf,
                           approved_by, max_attempts, not_before, created_at, updated_at)
       VALUES (@conn, @draft, @customer, @key, @channel, @recipients, @subject, @body, @payLink, @attachPdf, @approvedBy, @maxAttempts, @notBefore, @at, @at)
       RETURNING id`,
    )
    .pluck(),
  insertInvoice: db.prepare<[number, number, string, string, number]>(
    'INSERT INTO outbox_invoices (outbox_id, invoice_id, number, currency, balance_cents) VALUES (?, ?, ?, ?, ?)',
  ),
}));

interface StateParams {
  id: number;
  state: string;
  from: string;
  at: string;
  error: string | null;
  reason: string | null;
  next: string | null;
}

const updates = perDb((db) => ({
  claim: db.prepare<[string, string, number]>(
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, sending_since = ?, updated_at = ? WHERE id = ? AND state = 'queued'",
  ),
  setState: db.prepare<StateParams>(
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
  countAttempt: db.prepare<[number]>('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?'),
  waiting: db.prepare<[string, string, number]>('UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ?'),
}));

// ---- reads

export function getOutboxItem(db: Db, itemId: number): OutboxItem | null {
  const r = reads(db).item.get(itemId);
  return r ? toItem(r) : null;
}

/** A company's items, newest change first, optionally of one state or customer. */
export function listOutboxItems(db: Db, q: { connectionId: string; state: OutboxState | null; customerId: number | null; limit: number }): OutboxItem[] {
  return reads(db)
    .list.all({ conn: q.connectionId, state: q.state, customer: q.customerId, limit: q.limit })
    .map(toItem);
}

/** How many items a company has in each state (states without any are left out). */
export function countOutboxByState(db: Db, connectionId: string): { state: OutboxState; n: number }[] {
  return reads(db).counts.all(connectionId);
}

/** The invoices an item is about, in the order they were queued. */
export function outboxInvoices(db: Db, itemId: number): OutboxInvoice[] {
  return reads(db).invoicesOf.all(itemId).map(toInvoice);
}

/** Every item's invoices in a company, by item. */
export function outboxInvoicesByItem(db: Db, connectionId: string): Map<number, OutboxInvoice[]> {
  const byItem = new Map<number, OutboxInvoice[]>();
  for (const r of reads(db).invoicesOfConnection.all(connectionId)) {
    const list = byItem.get(r.outbox_id) ?? [];
    list.push(toInvoice(r));
    byItem.set(r.outbox_id, list);
  }
  return byItem;
}

/** Queued items whose not-before and retry time have come, oldest due first, at most SEND_BATCH. */
export function dueOutboxItems(db: Db, now: string): OutboxItem[] {
  return reads(db).due.all(now, now).map(toItem);
}

/** Items left in `sending` (by a run that stopped mid-send). */
export function sendingOutboxItems(db: Db): OutboxItem[] {
  return reads(db).sending.all().map(toItem);
}

/** A company's items not yet sent nor held: queued, or waiting for the owner to send them. */
export function unsentOutboxItems(db: Db, connectionId: string): OutboxItem[] {
  return reads(db).unsentOf.all(connectionId).map(toItem);
}

export function outboxIdForDraft(db: Db, draftId: number): number | undefined {
  return reads(db).byDraft.get(draftId);
}

/** When each rule (auto-send) approval since `sinceIso` that was not cancelled was queued. */
export function ruleQueuedSince(db: Db, sinceIso: string): string[] {
  return reads(db).ruleSince.all(sinceIso);
}

// ---- writes

export interface NewOutboxItem {
  connectionId: string;
  draftId: number;
  customerId: number;
  idempotencyKey: string;
  channel: OutboxChannel;
  recipients: readonly string[];
  subject: string;
  body: string;
  payLink: boolean;
  attachPdf: boolean;
  approvedBy: 'owner' | 'rule';
  maxAttempts: number;
  notBefore: string | null;
  at: string;
  invoices: readonly { id: number; number: string; currency: string; balanceCents: number }[];
}

/** Inserts an item and its invoices; returns its id, or undefined when nothing was inserted. */
export function insertOutboxItem(db: Db, n: NewOutboxItem): number | undefined {
  const s = inserts(db);
  const id = s.insert.get({
    conn: n.connectionId,
    draft: n.draftId,
    customer: n.customerId,
    key: n.idempotencyKey,
    channel: n.channel,
    recipients: JSON.stringify(n.recipients),
    subject: n.subject,
    body: n.body,
    payLink: n.payLink ? 1 : 0,
    attachPdf: n.attachPdf ? 1 : 0,
    approvedBy: n.approvedBy,
    maxAttempts: n.maxAttempts,
    notBefore: n.notBefore,
    at: n.at,
  });
  if (id === undefined) return undefined;
  for (const inv of n.invoices) s.insertInvoice.run(id, inv.id, inv.number, inv.currency, inv.balanceCents);
  return id;
}

/** queued → sending, counting the try; false when it is no longer queued. */
export function claimOutboxItem(db: Db, itemId: number, at: string): boolean {
  return updates(db).claim.run(at, at, itemId).changes > 0;
}

/**
 * from → state, when the item is still in `from`. A null error or reason keeps the stored one;
 * the retry time is replaced and the send marker cleared. Returns whether it moved.
 */
export function moveOutboxItem(db: Db, p: StateParams): boolean {
  return updates(db).setState.run(p).changes > 0;
}

/** from → sent, with the message id and the write-back's starting state; returns whether it moved. */
export function markOutboxSent(db: Db, p: { id: number; messageId: string; at: string; writeBack: WriteBackState; from: OutboxState }): boolean {
  return updates(db).markSent.run(p).changes > 0;
}

/** unconfirmed or failed → queued with its tries reset; false when it is in neither state. */
export function requeueOutboxItem(db: Db, itemId: number, at: string): boolean {
  return updates(db).requeue.run(at, itemId).changes > 0;
}

export function setOutboxWriteBack(db: Db, itemId: number, state: WriteBackState, error: string | null, at: string): void {
  updates(db).writeBack.run(state, error, at, itemId);
}

/** Counts a try that failed before the item was claimed. */
export function countOutboxAttempt(db: Db, itemId: number): void {
  updates(db).countAttempt.run(itemId);
}

/** Says why a queued item waits (no try is used up). */
export function setOutboxWaiting(db: Db, itemId: number, why: string, at: string): void {
  updates(db).waiting.run(why, at, itemId);
}
