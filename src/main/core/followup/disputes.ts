// Disputes and other reasons to stop chasing (DESIGN §8 Follow-up, issue #6). An open dispute
// on an invoice pauses all outreach for it until the owner resolves it; the approval rules route
// anything touching it to a human, and the open_disputes score factor counts them per customer.
// Outreach can also be paused until a date without a dispute (the customer is out of office, or
// a claimed payment is being checked). Pure helpers: the caller stores and loads the rows.
import type { IsoDate } from '../../../shared/dates';
import { isIsoDate, toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { DISPUTE_REASON_OPTIONS, type DisputeReason, type DisputeResolution } from '../../../shared/followup';

const DISPUTE_RESOLUTIONS: readonly DisputeResolution[] = ['credit_issued', 'invoice_corrected', 'customer_accepted', 'written_off', 'other'];

export interface Dispute {
  id: number;
  customerId: number;
  invoiceIds: number[];
  reason: DisputeReason;
  /** The customer's words or the owner's summary (free text). */
  detail: string;
  status: 'open' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  resolution: DisputeResolution | null;
  resolutionNote: string | null;
}

export interface NewDisputeInput {
  customerId: number;
  invoiceIds: number[];
  reason: DisputeReason;
  detail?: string;
}

export const MAX_DETAIL_LENGTH = 2000;

/** Problems that stop a dispute being opened (messages the owner can act on). */
export function validateNewDispute(
  input: NewDisputeInput,
  invoices: readonly { id: number; customerId: number; number: string }[],
): string[] {
  const problems: string[] = [];
  if (!DISPUTE_REASON_OPTIONS.includes(input.reason)) problems.push(`Choose a reason: ${DISPUTE_REASON_OPTIONS.join(', ')}.`);
  const detail = (input.detail ?? '').trim();
  if (input.reason === 'other' && detail.length < 3) problems.push('Say what the dispute is about (the reason is "other").');
  if (detail.length > MAX_DETAIL_LENGTH) problems.push(`Keep the detail under ${MAX_DETAIL_LENGTH} characters.`);
  if (input.invoiceIds.length === 0) problems.push('Choose the invoices the customer disputes.');
  const byId = new Map(invoices.map((i) => [i.id, i]));
  for (const id of new Set(input.invoiceIds)) {
    const inv = byId.get(id);
    if (!inv) problems.push(`There is no invoice ${id} in this company.`);
    else if (inv.customerId !== input.customerId) problems.push(`Invoice ${inv.number} belongs to another customer.`);
  }
  return problems;
}

export function openDispute(
  input: NewDisputeInput,
  ctx: { id: number; now: Date; invoices: readonly { id: number; customerId: number; number: string }[] },
): Dispute {
  const problems = validateNewDispute(input, ctx.invoices);
  if (problems.length > 0) throw new SettleError('invalid_input', problems.join(' '));
  return {
    id: ctx.id,
    customerId: input.customerId,
    invoiceIds: [...new Set(input.invoiceIds)],
    reason: input.reason,
    detail: (input.detail ?? '').trim(),
    status: 'open',
    openedAt: ctx.now.toISOString(),
    resolvedAt: null,
    resolution: null,
    resolutionNote: null,
  };
}

export function resolveDispute(
  d: Dispute,
  how: { resolution: DisputeResolution; note?: string },
  now: Date,
): Dispute {
  if (d.status === 'resolved') throw new SettleError('conflict', 'This dispute is already resolved.');
  if (!DISPUTE_RESOLUTIONS.includes(how.resolution)) {
    throw new SettleError('invalid_input', `Say how it was resolved: ${DISPUTE_RESOLUTIONS.join(', ')}.`);
  }
  const note = (how.note ?? '').trim();
  if (how.resolution === 'other' && note.length < 3) {
    throw new SettleError('invalid_input', 'Say how the dispute was resolved (the resolution is "other").');
  }
  return { ...d, status: 'resolved', resolvedAt: now.toISOString(), resolution: how.resolution, resolutionNote: note || null };
}

/** Open disputes per customer, for the open_disputes score factor (CustomerFacts.openDisputes). */
export function openDisputeCounts(disputes: readonly Pick<Dispute, 'customerId' | 'status'>[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const d of disputes) {
    if (d.status === 'open') counts.set(d.customerId, (counts.get(d.customerId) ?? 0) + 1);
  }
  return counts;
}

/** Invoices under an open dispute (the board's disputed flag, the approval rules). */
export function disputedInvoiceIds(disputes: readonly Pick<Dispute, 'invoiceIds' | 'status'>[]): Set<number> {
  const ids = new Set<number>();
  for (const d of disputes) if (d.status === 'open') for (const id of d.invoiceIds) ids.add(id);
  return ids;
}

/** Outreach paused until a date, for a whole customer (invoiceIds null) or some invoices. */
export interface OutreachPause {
  customerId: number;
  invoiceIds: number[] | null;
  /** Outreach resumes on this date. */
  until: IsoDate;
  reason: string;
}

export type HoldReason =
  | { kind: 'dispute'; disputeId: number; reason: DisputeReason }
  | { kind: 'pause'; until: IsoDate; reason: string };

/**
 * Why outreach about an invoice is on hold today, if it is: any open dispute on it, and any pause
 * for the customer or the invoice that has not reached its date. Empty means it may be chased.
 */
export function outreachHolds(
  invoice: { id: number; customerId: number },
  today: IsoDate,
  disputes: readonly Dispute[],
  pauses: readonly OutreachPause[] = [],
): HoldReason[] {
  const holds: HoldReason[] = [];
  for (const d of disputes) {
    if (d.status === 'open' && d.invoiceIds.includes(invoice.id)) {
      holds.push({ kind: 'dispute', disputeId: d.id, reason: d.reason });
    }
  }
  const todayDay = toEpochDay(today);
  for (const p of pauses) {
    if (p.customerId !== invoice.customerId) continue;
    if (p.invoiceIds !== null && !p.invoiceIds.includes(invoice.id)) continue;
    if (!isIsoDate(p.until) || toEpochDay(p.until) <= todayDay) continue;
    holds.push({ kind: 'pause', until: p.until, reason: p.reason });
  }
  return holds;
}

export function isOutreachPaused(
  invoice: { id: number; customerId: number },
  today: IsoDate,
  disputes: readonly Dispute[],
  pauses: readonly OutreachPause[] = [],
): boolean {
  return outreachHolds(invoice, today, disputes, pauses).length > 0;
}
