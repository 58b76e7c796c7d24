// "Log promise": the date, the amount (the overdue balance by default), the invoices it covers,
// how it was made and a note. The core validates (past dates, more than the balance, paid
// invoices) and its message is shown inline; nothing is saved until it accepts.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useMemo, useState } from 'react';
import { addDays } from '../../../../shared/dates';
import { PROMISE_CHANNEL_LABELS, PROMISE_CHANNEL_OPTIONS, type PromiseChannel } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { amountText, parseAmount } from './money-input';

/** The browser's calendar date, when the core's is not known yet. */
export function browserToday(): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function LogPromiseDialog({
  detail,
  locale,
  today,
  open,
  onOpenChange,
  onSaved,
}: {
  detail: CustomerDetail;
  locale: string;
  /** The core's calendar date (promises cannot be dated before it). */
  today: string | null;
  open: boolean;
  onOpenChange(open: boolean): void;
  onSaved(warnings: string[]): void;
}): React.JSX.Element {
  const invoices = useMemo(
    () => [...detail.openInvoices].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id - b.id)),
    [detail.openInvoices],
  );
  const overdue = invoices.filter((i) => i.daysOverdue > 0);
  const initial = overdue.length > 0 ? overdue : invoices.slice(0, 1);
  const [checked, setChecked] = useState<Set<number>>(() => new Set(initial.map((i) => i.id)));
  const chosen = invoices.filter((i) => checked.has(i.id));
  const currency = chosen[0]?.currency ?? detail.customer.currency;
  const chosenBalance = chosen.filter((i) => i.currency === currency).reduce((s, i) => s + i.balanceCents, 0);
  const [amount, setAmount] = useState(() => amountText(initial.reduce((s, i) => s + i.balanceCents, 0), initial[0]?.currency ?? detail.customer.currency));
  const [amountTouched, setAmountTouched] = useState(false);
  const minDate = today ?? browserToday();
  const [date, setDate] = useState(() => addDays(minDate, 7));
  const [madeVia, setMadeVia] = useState<PromiseChannel>('phone');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (id: number): void => {
    const next = new Set(checked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChecked(next);
    if (!amountTouched) {
      const list = invoices.filter((i) => next.has(i.id));
      const cur = list[0]?.currency ?? currency;
      setAmount(amountText(list.filter((i) => i.currency === cur).reduce((s, i) => s + i.balanceCents, 0), cur));
    }
  };

  const submit = async (): Promise<void> => {
    setError(null);
    const cents = parseAmount(amount, currency);
    if (cents === null || cents <= 0) {
      setError(`Enter the promised amount in ${currency}, such as ${amountText(chosenBalance || 10000, currency)}.`);
      return;
    }
    if (chosen.length === 0) {
      setError('Choose the invoices the promise covers.');
      return;
    }
    setBusy(true);
    try {
      const res = await call('promises.create', {
        customerId: detail.customer.id,
        invoiceIds: chosen.map((i) => i.id),
        date,
        amountCents: cents,
        currency,
        madeVia,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onSaved(res.warnings);
      onOpenChange(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="modal followup-dialog" aria-describedby={undefined}>
          <div className="modal-head">
            <Dialog.Title className="modal-title">Log a promise from {detail.customer.name}</Dialog.Title>
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </div>
          <form
            className="followup-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">Promised date</span>
                <input type="date" value={date} min={minDate} required onChange={(e) => setDate(e.target.value)} />
              </label>
              <label className="form-field">
                <span className="form-label">Amount ({currency})</span>
                <input
                  type="text"
                  inputMode="decimal"
                  value={amount}
                  aria-describedby="promise-amount-hint"
                  onChange={(e) => {
                    setAmount(e.target.value);
                    setAmountTouched(true);
                  }}
                />
                <span id="promise-amount-hint" className="form-hint">
                  {formatMoney(chosenBalance, currency, locale)} open on the chosen invoices
                </span>
              </label>
            </div>
            <fieldset className="form-field invoice-checklist">
              <legend className="form-label">Invoices it covers</legend>
              {invoices.length === 0 && <p className="muted small">No open invoices.</p>}
              {invoices.map((inv) => (
                <label key={inv.id} className="check-row">
                  <input type="checkbox" checked={checked.has(inv.id)} onChange={() => toggle(inv.id)} />
                  <span className="inv-number">{inv.number}</span>
                  <span className="muted small">due {formatDate(inv.dueDate, locale)}</span>
                  <span className="check-amount">{formatMoney(inv.balanceCents, inv.currency, locale)}</span>
                </label>
              ))}
            </fieldset>
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">How it was made</span>
                <select value={madeVia} onChange={(e) => setMadeVia(e.target.value as PromiseChannel)}>
                  {PROMISE_CHANNEL_OPTIONS.map((c) => (
                    <option key={c} value={c}>
                      {PROMISE_CHANNEL_LABELS[c]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <label className="form-field">
              <span className="form-label">Note</span>
              <textarea rows={2} maxLength={2000} value={note} placeholder="What they said (optional)" onChange={(e) => setNote(e.target.value)} />
            </label>
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="modal-actions">
              <Dialog.Close asChild>
                <button type="button" className="btn">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {busy && <Spinner size={12} />}
                Log promise
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
