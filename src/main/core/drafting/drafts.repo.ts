// The one owner of the `drafts` and `draft_invoices` tables (migrations 0003 and 0005): every
// statement on them, the one DraftRow type with its mappers, and the only place their JSON
// columns (facts_json, factcheck_json) are encoded and decoded. Other features (approvals, the
// outbox, follow-up's reconcile pass, the audit query) read and move drafts through the functions
// here; each names its caller. Status changes are compare-and-set: a draft moves only from the
// status its caller read, so two passes racing over one draft cannot both win.
import type { DraftStatus } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { DraftSource } from './compose';
import type { DraftCheck } from './factcheck';
import type { DraftFacts } from './facts';
import type { Tone } from './tone';

export type DraftScope = 'customer' | 'invoice';

/** One row of `drafts`, as stored. */
export interface DraftRow {
  id: number;
  connection_id: string;
  customer_id: number;
  scope: DraftScope;
  invoice_id: number | null;
  channel: 'email';
  tone: Tone;
  subject: string;
  body: string;
  source: DraftSource;
  model: string | null;
  prompt_version: string | null;
  facts_json: string;
  facts_hash: string;
  factcheck_json: string;
  flagged: number;
  to_email: string | null;
  status: DraftStatus;
  override_reason: string | null;
  /** Migration 0005: the outbox's toggles. */
  pay_link: number;
  attach_pdf: number;
  created_at: string;
  updated_at: string;
}

/** A stored draft without its last fact-check: what other features read (the facts decoded). */
export interface DraftSummary {
  id: number;
  connectionId: string;
  customerId: number;
  scope: DraftScope;
  invoiceId: number | null;
  channel: 'email';
  tone: Tone;
  subject: string;
  body: string;
  source: DraftSource;
  model: string | null;
  promptVersion: string | null;
  /** The facts the text was written from, frozen with the draft. */
  facts: DraftFacts;
  factsHash: string;
  /** Findings of the last fact-check that are not 'ok'. */
  flagged: number;
  /** The customer's email from the ledger; null when the email channel is not available. */
  toEmail: string | null;
  status: DraftStatus;
  overrideReason: string | null;
  payLink: boolean;
  attachPdf: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A stored draft with everything decoded, its last fact-check included (drafting's own reads). */
export interface Draft extends DraftSummary {
  factcheck: DraftCheck;
}

/** The text of a draft and its provenance, as create, regenerate and an edit write it. */
export type DraftText = Pick<Draft, 'tone' | 'subject' | 'body' | 'source' | 'model' | 'promptVersion' | 'facts' | 'factsHash' | 'factcheck' | 'toEmail'>;

/** A new draft: its company, customer and scope, and its first text. */
export interface NewDraft extends DraftText {
  connectionId: string;
  customerId: number;
  scope: DraftScope;
  invoiceId: number | null;
}

type SummaryRow = Omit<DraftRow, 'factcheck_json'>;

// ---- mappers -----------------------------------------------------------------------------------

function summaryOf(r: SummaryRow): DraftSummary {
  return {
    id: r.id,
    connectionId: r.connection_id,
    customerId: r.customer_id,
    scope: r.scope,
    invoiceId: r.invoice_id,
    channel: r.channel,
    tone: r.tone,
    subject: r.subject,
    body: r.body,
    source: r.source,
    model: r.model,
    promptVersion: r.prompt_version,
    facts: JSON.parse(r.facts_json) as DraftFacts,
    factsHash: r.facts_hash,
    flagged: r.flagged,
    toEmail: r.to_email,
    status: r.status,
    overrideReason: r.override_reason,
    payLink: r.pay_link === 1,
    attachPdf: r.attach_pdf === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function draftOf(r: DraftRow): Draft {
  return { ...summaryOf(r), factcheck: JSON.parse(r.factcheck_json) as DraftCheck };
}

/** The named parameters of a text write, the JSON columns encoded. */
function textParams(t: DraftText): TextParams {
  return {
    tone: t.tone,
    subject: t.subject,
    body: t.body,
    source: t.source,
    model: t.model,
    promptVersion: t.promptVersion,
    factsJson: JSON.stringify(t.facts),
    factsHash: t.factsHash,
    factcheckJson: JSON.stringify(t.factcheck),
    flagged: t.factcheck.flagged,
    toEmail: t.toEmail,
  };
}

interface TextParams {
  tone: string;
  subject: string;
  body: string;
  source: string;
  model: string | null;
  promptVersion: string | null;
  factsJson: string;
  factsHash: string;
  factcheckJson: string;
  flagged: number;
  toEmail: string | null;
}

// ---- statements --------------------------------------------------------------------------------

/** Every column but factcheck_json: what the summaries read. */
const SUMMARY_COLS = `id, connection_id, customer_id, scope, invoice_id, channel, tone, subject, body, source, model, prompt_version,
  facts_json, facts_hash, flagged, to_email, status, override_reason, pay_link, attach_pdf, created_at, updated_at`;

const writes = perDb((db) => ({
  insert: db
    .prepare<[TextParams & { conn: string; customer: number; scope: string; invoice: number | null; at: string }], number>(
      `INSERT INTO drafts (connection_id, customer_id, scope, invoice_id, tone, subject, body, source, model, prompt_version,
                           facts_json, facts_hash, factcheck_json, flagged, to_email, created_at, updated_at)
       VALUES (@conn, @customer, @scope, @invoice, @tone, @subject, @body, @source, @model, @promptVersion,
               @factsJson, @factsHash, @factcheckJson, @flagged, @toEmail, @at, @at) RETURNING id`,
    )
    .pluck(),
  link: db.prepare<[number, number]>('INSERT OR IGNORE INTO draft_invoices (draft_id, invoice_id) VALUES (?, ?)'),
  setText: db.prepare<[TextParams & { id: number; from: string; status: string; at: string }]>(
    `UPDATE drafts SET tone = @tone, subject = @subject, body = @body, source = @source, model = @model, prompt_version = @promptVersion,
            facts_json = @factsJson, facts_hash = @factsHash, factcheck_json = @factcheckJson, flagged = @flagged, to_email = @toEmail,
            status = @status, updated_at = @at
     WHERE id = @id AND status = @from`,
  ),
  setStatus: db.prepare<[string, string, number, string]>('UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?'),
  setStatusWithReason: db.prepare<[string, string | null, string, number, string]>(
    'UPDATE drafts SET status = ?, override_reason = ?, updated_at = ? WHERE id = ? AND status = ?',
  ),
  setOptions: db.prepare<[number, number, string, number]>('UPDATE drafts SET pay_link = ?, attach_pdf = ?, updated_at = ? WHERE id = ?'),
}));

const reads = perDb((db) => ({
  get: db.prepare<[number], DraftRow>('SELECT * FROM drafts WHERE id = ?'),
  summary: db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLS} FROM drafts WHERE id = ?`),
  openFor: db
    .prepare<[number, string, number | null], number>("SELECT id FROM drafts WHERE customer_id = ? AND scope = ? AND invoice_id IS ? AND status = 'draft'")
    .pluck(),
  listByCustomer: db.prepare<[number, string | null, string | null, number], DraftRow>(
    'SELECT * FROM drafts WHERE customer_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?',
  ),
  listByConnection: db.prepare<[string, string | null, string | null, number], DraftRow>(
    'SELECT * FROM drafts WHERE connection_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?',
  ),
}));

const foreign = perDb((db) => ({
  awaitingApproval: db.prepare<[string], SummaryRow>(`SELECT ${SUMMARY_COLS} FROM drafts WHERE connection_id = ? AND status = 'pending_approval'`),
  countAwaiting: db
    .prepare<[], number>(
      `SELECT COUNT(*) FROM drafts d JOIN connections c ON c.id = d.connection_id
       WHERE d.status = 'pending_approval' AND c.status != 'disconnected'`,
    )
    .pluck(),
  editable: db.prepare<[string], SummaryRow>(`SELECT ${SUMMARY_COLS} FROM drafts WHERE connection_id = ? AND status IN ('draft', 'pending_approval')`),
  idsByInvoiceNumber: db
    .prepare<[string], string>(
      `SELECT DISTINCT CAST(di.draft_id AS TEXT) FROM draft_invoices di JOIN invoices i ON i.id = di.invoice_id
       WHERE i.number LIKE ? ESCAPE '\\' LIMIT 5000`,
    )
    .pluck(),
  invoiceNumbers: db.prepare<[string], { draftId: number; number: string }>(
    `SELECT di.draft_id AS draftId, i.number FROM draft_invoices di JOIN invoices i ON i.id = di.invoice_id
     WHERE di.draft_id IN (SELECT value FROM json_each(?)) ORDER BY i.due_date, i.number`,
  ),
}));

// ---- drafting's own reads and writes --------------------------------------------------------------

/** One draft with everything decoded; null when there is none. */
export function getDraft(db: Db, id: number): Draft | null {
  const row = reads(db).get.get(id);
  return row ? draftOf(row) : null;
}

/** A customer's drafts, newest first, optionally of one status. */
export function draftsOfCustomer(db: Db, customerId: number, status: DraftStatus | null, limit: number): Draft[] {
  return reads(db).listByCustomer.all(customerId, status, status, limit).map(draftOf);
}

/** A company's drafts, newest first, optionally of one status. */
export function draftsOfConnection(db: Db, connectionId: string, status: DraftStatus | null, limit: number): Draft[] {
  return reads(db).listByConnection.all(connectionId, status, status, limit).map(draftOf);
}

/** Drafts still being written ('draft') about the same customer and scope: a new one supersedes them. */
export function openDraftIds(db: Db, customerId: number, scope: DraftScope, invoiceId: number | null): number[] {
  return reads(db).openFor.all(customerId, scope, invoiceId);
}

/**
 * Stores a new draft (status 'draft') and the invoices it covers; returns its id, undefined if
 * the insert returned none. Run it in a transaction.
 */
export function insertDraft(db: Db, draft: NewDraft, invoiceIds: readonly number[], at: string): number | undefined {
  const w = writes(db);
  const id = w.insert.get({ ...textParams(draft), conn: draft.connectionId, customer: draft.customerId, scope: draft.scope, invoice: draft.invoiceId, at });
  if (id === undefined) return undefined;
  for (const invoiceId of invoiceIds) w.link.run(id, invoiceId);
  return id;
}

/**
 * Replaces a draft's text, facts, fact-check and provenance and sets its status, if it is still
 * `from`. False when the draft moved meanwhile (approved, cancelled or superseded while an AI
 * was still writing it).
 */
export function writeDraftText(db: Db, id: number, from: DraftStatus, to: DraftStatus, text: DraftText, at: string): boolean {
  return writes(db).setText.run({ ...textParams(text), id, from, status: to, at }).changes > 0;
}

/** The outbox toggles (drafts.setOptions); the caller has checked the draft may still change. */
export function setDraftOptions(db: Db, id: number, payLink: boolean, attachPdf: boolean, at: string): void {
  writes(db).setOptions.run(Number(payLink), Number(attachPdf), at, id);
}

// ---- status, for every feature ------------------------------------------------------------------

/**
 * Compare-and-set: moves a draft from `from` to `to`; false when it is no longer `from`.
 * `overrideReason`, when given (null included), replaces the stored reason; left out, it stays.
 *
 * Callers: drafting (submit, cancel, supersede, failed); approvals.service decide (replaces its
 * `setStatus`, from 'pending_approval'); followup.service reconcileDrafts (replaces its
 * `setDraftStatus`).
 */
export function setDraftStatus(db: Db, id: number, from: DraftStatus, to: DraftStatus, at: string, overrideReason?: string | null): boolean {
  const w = writes(db);
  const r = overrideReason === undefined ? w.setStatus.run(to, at, id, from) : w.setStatusWithReason.run(to, overrideReason, at, id, from);
  return r.changes > 0;
}

// ---- reads for other features --------------------------------------------------------------------

/**
 * One draft without its fact-check; null when there is none. Callers: approvals.service decide
 * (replaces its `get`), outbox.service enqueue and redraft (replaces its `draft`).
 */
export function getDraftSummary(db: Db, id: number): DraftSummary | null {
  const row = reads(db).summary.get(id);
  return row ? summaryOf(row) : null;
}

/** A company's drafts waiting for the owner's approval. Caller: approvals.service evaluate (replaces `pending`). */
export function draftsAwaitingApproval(db: Db, connectionId: string): DraftSummary[] {
  return foreign(db).awaitingApproval.all(connectionId).map(summaryOf);
}

/**
 * Drafts waiting for approval in companies still connected (the daily nudge).
 * Caller: followup.service notifications (replaces `approvalsWaiting`).
 */
export function countDraftsAwaitingApproval(db: Db): number {
  return foreign(db).countAwaiting.get() ?? 0;
}

/**
 * A company's drafts not yet decided ('draft' or 'pending_approval'), whose facts a ledger change
 * may have overtaken. Caller: followup.service reconcileDrafts (replaces `pendingDrafts`).
 */
export function editableDraftsOf(db: Db, connectionId: string): DraftSummary[] {
  return foreign(db).editable.all(connectionId).map(summaryOf);
}

/**
 * Ids (as text, like audit_log.entity_id) of drafts covering an invoice whose number is LIKE
 * `pattern` (escape character '\'), at most 5000. Caller: audit/query.ts search (replaces its
 * inline draft_invoices lookup).
 */
export function draftIdsByInvoiceNumber(db: Db, pattern: string): string[] {
  return foreign(db).idsByInvoiceNumber.all(pattern);
}

/**
 * The invoice numbers each draft covers, by due date then number. Caller: audit/query.ts
 * (replaces `lookups.draftInvoices`).
 */
export function invoiceNumbersOfDrafts(db: Db, draftIds: Iterable<number>): { draftId: number; number: string }[] {
  return foreign(db).invoiceNumbers.all(JSON.stringify([...draftIds]));
}

/**
 * SQL for "the customer of the draft whose id is `idExpr`", to embed in a query that cannot call
 * out per row (the audit log's CUSTOMER_OF). `idExpr` must be SQL the caller wrote, never input.
 * Caller: audit/query.ts CUSTOMER_OF (replaces its two `SELECT customer_id FROM drafts` subqueries).
 */
export function draftCustomerSql(idExpr: string): string {
  return `(SELECT customer_id FROM drafts WHERE id = ${idExpr})`;
}
