// The triage dialog's proposals as the owner edits them, and the reply actions they become:
// each proposal starts ticked with its fields as text, and only the ticked ones are applied.
import type { ProposedUpdateView, ReplyAction, DisputeReason } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { amountText, parseAmount } from '../promises/money-input';

/** One proposal as the owner edits it: ticked or not, with its fields as text. */
export interface Editable {
  key: string;
  on: boolean;
  proposal: ProposedUpdateView;
  date: string;
  amount: string;
  invoiceIds: Set<number>;
  note: string;
  reason: DisputeReason;
}

export function editableOf(p: ProposedUpdateView, n: number, detail: CustomerDetail): Editable {
  const numbers = 'invoiceNumbers' in p ? p.invoiceNumbers : [];
  const named = detail.openInvoices.filter((i) => numbers.includes(i.number));
  const overdue = detail.openInvoices.filter((i) => i.daysOverdue > 0);
  const invoices = named.length > 0 ? named : overdue.length > 0 ? overdue : detail.openInvoices;
  const balance = invoices.reduce((s, i) => s + i.balanceCents, 0);
  const currency = invoices[0]?.currency ?? detail.customer.currency;
  return {
    key: `${p.kind}-${n}`,
    // Proposals start ticked: they came from the reply; the owner unticks what they disagree with.
    on: true,
    proposal: p,
    date: p.kind === 'create_promise' ? p.date : p.kind === 'pause_outreach' ? p.until : '',
    amount: p.kind === 'create_promise' ? amountText(p.amountCents ?? balance, p.currency) : amountText(balance, currency),
    invoiceIds: new Set(invoices.map((i) => i.id)),
    note: p.kind === 'create_promise' ? p.note : p.kind === 'open_dispute' ? p.detail : p.kind === 'pause_outreach' ? p.reason : '',
    reason: p.kind === 'open_dispute' ? p.reason : 'other',
  };
}

/** The ticked proposals as reply actions, or the first field that stops them. */
export function actionsOf(chosen: readonly Editable[], detail: CustomerDetail | null): { actions: ReplyAction[] } | { error: string } {
  const out: ReplyAction[] = [];
  for (const e of chosen) {
    const p = e.proposal;
    const invoiceIds = [...e.invoiceIds];
    if (p.kind === 'create_promise') {
      const currency = detail?.openInvoices.find((i) => e.invoiceIds.has(i.id))?.currency ?? p.currency;
      const cents = parseAmount(e.amount, currency);
      if (cents === null || cents <= 0) return { error: `Enter the promised amount in ${currency}.` };
      out.push({ kind: 'create_promise', invoiceIds, date: e.date, amountCents: cents, currency, note: e.note });
    } else if (p.kind === 'open_dispute') {
      out.push({ kind: 'open_dispute', invoiceIds, reason: e.reason, detail: e.note });
    } else if (p.kind === 'pause_outreach') {
      out.push({ kind: 'pause_outreach', until: e.date, reason: e.note });
    } else {
      out.push({ kind: 'recheck_ledger' });
    }
  }
  return { actions: out };
}
