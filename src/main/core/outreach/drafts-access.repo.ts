// Statements on drafting's tables used by outreach; they move behind drafting/drafts.repo.ts when the branches merge.
// Every read and write of `drafts` made by approvals, the outbox and the reconcile pass is here
// (and facts_json is decoded only here on this side), so the swap is this one file.
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { DraftFacts } from '../drafting/facts';

/** A draft as the outbox queues it (enqueue) or redrafts from it. */
export interface OutboxDraft {
  id: number;
  connectionId: string;
  customerId: number;
  subject: string;
  body: string;
  toEmail: string | null;
  status: string;
  facts: DraftFacts;
  payLink: boolean;
  attachPdf: boolean;
  scope: 'customer' | 'invoice';
  invoiceId: number | null;
}

/** A draft as approvals weighs it. */
export interface ApprovalDraft {
  id: number;
  connectionId: string;
  customerId: number;
  subject: string;
  tone: 'friendly' | 'firm' | 'final';
  facts: DraftFacts;
  factsHash: string;
  flagged: number;
  overrideReason: string | null;
  status: string;
  updatedAt: string;
}

/** A draft not yet approved (being written or waiting for approval), as the reconcile pass reads it. */
export interface UnsentDraft {
  id: number;
  customerId: number;
  status: string;
  facts: DraftFacts;
}

interface OutboxDraftRow {
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

interface ApprovalDraftRow {
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

const APPROVAL_COLS = 'id, connection_id, customer_id, subject, tone, facts_json, facts_hash, flagged, override_reason, status, updated_at';

const stmts = perDb((db) => ({
  outboxDraft: db.prepare<[number], OutboxDraftRow>(
    'SELECT id, connection_id, customer_id, subject, body, to_email, status, facts_json, pay_link, attach_pdf, scope, invoice_id FROM drafts WHERE id = ?',
  ),
  pendingApproval: db.prepare<[string], ApprovalDraftRow>(`SELECT ${APPROVAL_COLS} FROM drafts WHERE connection_id = ? AND status = 'pending_approval'`),
  approvalDraft: db.prepare<[number], ApprovalDraftRow>(`SELECT ${APPROVAL_COLS} FROM drafts WHERE id = ?`),
  decide: db.prepare<[string, string, number]>("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending_approval'"),
  unsent: db.prepare<[string], { id: number; customerId: number; status: string; factsJson: string }>(
    `SELECT id, customer_id AS customerId, status, facts_json AS factsJson FROM drafts
     WHERE connection_id = ? AND status IN ('draft', 'pending_approval')`,
  ),
  setStatusFrom: db.prepare<[string, string, number, string]>('UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?'),
}));

const facts = (json: string): DraftFacts => JSON.parse(json) as DraftFacts;

function toApprovalDraft(r: ApprovalDraftRow): ApprovalDraft {
  return {
    id: r.id,
    connectionId: r.connection_id,
    customerId: r.customer_id,
    subject: r.subject,
    tone: r.tone,
    facts: facts(r.facts_json),
    factsHash: r.facts_hash,
    flagged: r.flagged,
    overrideReason: r.override_reason,
    status: r.status,
    updatedAt: r.updated_at,
  };
}

// ---- the outbox

export function getOutboxDraft(db: Db, draftId: number): OutboxDraft | null {
  const r = stmts(db).outboxDraft.get(draftId);
  if (!r) return null;
  return {
    id: r.id,
    connectionId: r.connection_id,
    customerId: r.customer_id,
    subject: r.subject,
    body: r.body,
    toEmail: r.to_email,
    status: r.status,
    facts: facts(r.facts_json),
    payLink: r.pay_link === 1,
    attachPdf: r.attach_pdf === 1,
    scope: r.scope,
    invoiceId: r.invoice_id,
  };
}

// ---- approvals

/** A company's drafts waiting for approval. */
export function draftsPendingApproval(db: Db, connectionId: string): ApprovalDraft[] {
  return stmts(db).pendingApproval.all(connectionId).map(toApprovalDraft);
}

export function getApprovalDraft(db: Db, draftId: number): ApprovalDraft | null {
  const r = stmts(db).approvalDraft.get(draftId);
  return r ? toApprovalDraft(r) : null;
}

/** pending_approval → approved | rejected; returns whether it moved. */
export function decidePendingDraft(db: Db, draftId: number, status: 'approved' | 'rejected', at: string): boolean {
  return stmts(db).decide.run(status, at, draftId).changes > 0;
}

// ---- the reconcile pass

/** A company's drafts being written or waiting for approval. */
export function unsentDrafts(db: Db, connectionId: string): UnsentDraft[] {
  return stmts(db)
    .unsent.all(connectionId)
    .map((r) => ({ id: r.id, customerId: r.customerId, status: r.status, facts: facts(r.factsJson) }));
}

/** from → status, when the draft is still in `from`; returns whether it moved. */
export function setDraftStatusFrom(db: Db, draftId: number, status: 'cancelled' | 'superseded', from: string, at: string): boolean {
  return stmts(db).setStatusFrom.run(status, at, draftId, from).changes > 0;
}
