// The customer's open invoices as checkboxes (number, due date, balance): what a promise, a
// dispute, a payment plan or a triaged reply covers. Styles in form-dialog.css.
import type { QueueInvoice } from '../../../shared/model';
import { formatDate, formatMoney } from '../lib/format';
import './form-dialog.css';

/** Oldest due first (then by id), the order the owner reads invoices in. */
export function byDueDate(a: QueueInvoice, b: QueueInvoice): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id - b.id;
}

export function InvoiceChecklist({
  legend,
  invoices,
  checked,
  onChange,
  locale,
  showDue = true,
}: {
  legend: string;
  invoices: readonly QueueInvoice[];
  checked: ReadonlySet<number>;
  /** The new set of chosen invoice ids after one box was ticked or unticked. */
  onChange(next: Set<number>): void;
  locale: string;
  showDue?: boolean;
}): React.JSX.Element {
  const toggle = (id: number): void => {
    const next = new Set(checked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <fieldset className="form-field invoice-checklist">
      <legend className="form-label">{legend}</legend>
      {invoices.length === 0 && <p className="muted small">No open invoices.</p>}
      {[...invoices].sort(byDueDate).map((inv) => (
        <label key={inv.id} className="check-row">
          <input type="checkbox" checked={checked.has(inv.id)} onChange={() => toggle(inv.id)} />
          <span className="inv-number">{inv.number}</span>
          {showDue && <span className="muted small">due {formatDate(inv.dueDate, locale)}</span>}
          <span className="check-amount">{formatMoney(inv.balanceCents, inv.currency, locale)}</span>
        </label>
      ))}
    </fieldset>
  );
}
