// Payments that arrive outside Settle (issue #6, "Payments outside Settle"). When a sync sees an
// invoice's balance change, pending drafts and outbox items that mention it must not go out as
// written: an invoice that is now closed cancels them (or, for a message that also covers other
// invoices still open, sends it back for a redraft); a balance that merely changed sends them back
// for a redraft. Each decision carries the sentence Activity logs. Pure: the sync passes the
// before/after balances and the pending items; the outbox and drafts apply the decisions.
import type { IsoDate } from '../../../shared/dates';
import type { InvoiceStatus } from '../../../shared/model';
import { formatMoney } from '../../../shared/money';

export interface InvoiceBalanceChange {
  invoiceId: number;
  number: string;
  currency: string;
  before: { balanceCents: number; status: InvoiceStatus };
  after: { balanceCents: number; status: InvoiceStatus };
  /** What moved the balance, when the sync knows (for the Activity sentence). */
  cause?: { kind: 'payment' | 'credit'; date: IsoDate; reference?: string | null } | null;
}

/** A draft or outbox item about some invoices, not yet sent. */
export interface PendingOutreach {
  id: number | string;
  kind: 'draft' | 'outbox';
  invoiceIds: number[];
}

export interface OutreachDecision {
  id: number | string;
  kind: 'draft' | 'outbox';
  action: 'cancel' | 'redraft';
  reason: string;
}

export interface OutsidePaymentEffects {
  /** Invoices now closed (paid, voided or nothing left): outreach about them stops. */
  closedInvoiceIds: number[];
  /** Invoices whose open balance changed but stays open. */
  changedInvoiceIds: number[];
  decisions: OutreachDecision[];
  /** One Activity line per changed invoice, saying what happened and why. */
  activity: { invoiceId: number; message: string }[];
}

function isClosed(s: { balanceCents: number; status: InvoiceStatus }): boolean {
  return s.status === 'paid' || s.status === 'void' || s.balanceCents <= 0;
}

/** What a ledger change means for outreach not yet sent (see the header). */
export function outsidePaymentEffects(
  changes: readonly InvoiceBalanceChange[],
  pending: readonly PendingOutreach[],
  locale = 'en-US',
): OutsidePaymentEffects {
  const closed = new Map<number, InvoiceBalanceChange>();
  const changed = new Map<number, InvoiceBalanceChange>();
  for (const c of changes) {
    if (isClosed(c.before)) continue;
    if (isClosed(c.after)) closed.set(c.invoiceId, c);
    else if (c.after.balanceCents !== c.before.balanceCents) changed.set(c.invoiceId, c);
  }

  const decisions: OutreachDecision[] = [];
  const touched = new Map<number, { cancelled: number; redrafted: number }>();
  const bump = (ids: readonly number[], key: 'cancelled' | 'redrafted'): void => {
    for (const id of ids) {
      if (!closed.has(id) && !changed.has(id)) continue;
      const t = touched.get(id) ?? { cancelled: 0, redrafted: 0 };
      t[key] += 1;
      touched.set(id, t);
    }
  };
  for (const item of pending) {
    const hitClosed = item.invoiceIds.filter((id) => closed.has(id));
    const hitChanged = item.invoiceIds.filter((id) => changed.has(id));
    if (hitClosed.length === 0 && hitChanged.length === 0) continue;
    const numbers = (ids: number[]): string =>
      ids.map((id) => (closed.get(id) ?? changed.get(id))!.number).join(', ');
    if (hitClosed.length === item.invoiceIds.length) {
      decisions.push({ id: item.id, kind: item.kind, action: 'cancel', reason: `${numbers(hitClosed)} ${hitClosed.length === 1 ? 'is' : 'are'} no longer open.` });
      bump(item.invoiceIds, 'cancelled');
    } else {
      const parts = [
        hitClosed.length > 0 ? `${numbers(hitClosed)} ${hitClosed.length === 1 ? 'is' : 'are'} no longer open` : null,
        hitChanged.length > 0 ? `the balance of ${numbers(hitChanged)} changed` : null,
      ].filter(Boolean);
      decisions.push({ id: item.id, kind: item.kind, action: 'redraft', reason: `${parts.join(' and ')}; redraft before sending.` });
      bump(item.invoiceIds, 'redrafted');
    }
  }

  const activity: { invoiceId: number; message: string }[] = [];
  for (const c of [...closed.values(), ...changed.values()]) {
    const money = (cents: number): string => formatMoney(cents, c.currency, locale);
    const how = c.cause
      ? ` (${c.cause.kind} on ${c.cause.date}${c.cause.reference ? `, ref ${c.cause.reference}` : ''})`
      : '';
    const what = closed.has(c.invoiceId)
      ? c.after.status === 'void'
        ? `${c.number} was voided in the ledger`
        : `${c.number} was paid in full outside Settle${how}`
      : `${c.number}'s balance went from ${money(c.before.balanceCents)} to ${money(c.after.balanceCents)} outside Settle${how}`;
    const t = touched.get(c.invoiceId);
    const effects = [
      t?.cancelled ? `${t.cancelled} pending ${t.cancelled === 1 ? 'message' : 'messages'} cancelled` : null,
      t?.redrafted ? `${t.redrafted} pending ${t.redrafted === 1 ? 'message' : 'messages'} sent back for a redraft` : null,
      closed.has(c.invoiceId) ? 'outreach about it stopped' : null,
    ].filter(Boolean);
    activity.push({ invoiceId: c.invoiceId, message: `${what}${effects.length > 0 ? `: ${effects.join('; ')}` : ''}.` });
  }

  return {
    closedInvoiceIds: [...closed.keys()],
    changedInvoiceIds: [...changed.keys()],
    decisions,
    activity,
  };
}
