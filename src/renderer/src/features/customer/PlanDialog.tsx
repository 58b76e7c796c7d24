// "Payment plan…": split the chosen invoices' balance into instalments (a number of them, or an
// amount each), weekly, fortnightly or monthly from a start date. The schedule previews as the
// owner types (exact cents; the last instalment absorbs the rounding). Saving keeps it as
// proposed; "Save and draft proposal" also opens a draft whose facts carry the schedule. The
// customer's acceptance is recorded from the drawer or the Promises page.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { addDays } from '../../../../shared/dates';
import type { PlanFrequency, PlanPreview } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { useDraftStore } from '../drafts/drafts.store';
import { browserToday } from '../promises/LogPromiseDialog';
import { parseAmount } from '../promises/money-input';
import '../promises/followup.css';

const FREQUENCIES: { id: PlanFrequency; label: string }[] = [
  { id: 'weekly', label: 'Weekly' },
  { id: 'fortnightly', label: 'Every two weeks' },
  { id: 'monthly', label: 'Monthly' },
];
const PREVIEW_DELAY_MS = 150;

export function PlanDialog({
  detail,
  locale,
  today,
  open,
  onOpenChange,
  onSaved,
}: {
  detail: CustomerDetail;
  locale: string;
  today: string | null;
  open: boolean;
  onOpenChange(open: boolean): void;
  onSaved(message: string): void;
}): React.JSX.Element {
  const invoices = useMemo(
    () => [...detail.openInvoices].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id - b.id)),
    [detail.openInvoices],
  );
  const firstCurrency = invoices[0]?.currency ?? detail.customer.currency;
  const [checked, setChecked] = useState<Set<number>>(
    () => new Set(invoices.filter((i) => i.daysOverdue > 0 && i.currency === firstCurrency).map((i) => i.id)),
  );
  const chosen = invoices.filter((i) => checked.has(i.id));
  const currency = chosen[0]?.currency ?? firstCurrency;
  const mixed = chosen.some((i) => i.currency !== currency);
  const balanceCents = chosen.reduce((s, i) => s + i.balanceCents, 0);
  const base = today ?? browserToday();
  const [by, setBy] = useState<'count' | 'amount'>('count');
  const [count, setCount] = useState('3');
  const [amount, setAmount] = useState('');
  const [frequency, setFrequency] = useState<PlanFrequency>('monthly');
  const [startDate, setStartDate] = useState(() => addDays(base, 7));
  const [server, setServer] = useState<{ preview: PlanPreview | null; problem: string | null }>({ preview: null, problem: null });
  const [busy, setBusy] = useState<'save' | 'propose' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const request = useMemo(() => {
    if (chosen.length === 0) return { error: 'Choose the invoices the plan covers.' };
    if (mixed) return { error: 'A plan covers invoices in one currency.' };
    if (by === 'count') {
      const n = Number(count);
      if (!/^\d+$/.test(count.trim()) || n < 1) return { error: 'Enter how many instalments, such as 3.' };
      return { input: { balanceCents, currency, instalments: n, frequency, startDate } };
    }
    const cents = parseAmount(amount, currency);
    if (cents === null || cents <= 0) return { error: `Enter the amount of each instalment in ${currency}.` };
    return { input: { balanceCents, currency, amountCents: cents, frequency, startDate } };
  }, [chosen.length, mixed, by, count, amount, balanceCents, currency, frequency, startDate]);

  // The preview follows the form; a stale answer is dropped.
  useEffect(() => {
    if (!request.input) return;
    let live = true;
    const timer = setTimeout(() => {
      call('plans.preview', request.input)
        .then((p) => live && setServer({ preview: p, problem: null }))
        .catch((err: Error) => live && setServer({ preview: null, problem: err.message }));
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [request]);
  const preview = request.input ? server.preview : null;
  const problem = request.error ?? server.problem;

  const toggle = (id: number): void => {
    const next = new Set(checked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChecked(next);
  };

  const save = async (propose: boolean): Promise<void> => {
    if (!request.input) return;
    setError(null);
    setBusy(propose ? 'propose' : 'save');
    try {
      const { balanceCents: _b, currency: _c, ...rest } = request.input;
      const plan = await call('plans.save', { customerId: detail.customer.id, invoiceIds: chosen.map((i) => i.id), ...rest });
      if (propose) {
        const draft = await call('plans.propose', { planId: plan.id });
        onOpenChange(false);
        void useDraftStore.getState().openDraft(draft.id);
      } else {
        onOpenChange(false);
      }
      onSaved(`Payment plan saved: ${plan.instalments.length} instalments. Record it as accepted when ${detail.customer.name} agrees.`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="modal followup-dialog plan-dialog" aria-describedby={undefined}>
          <div className="modal-head">
            <Dialog.Title className="modal-title">Payment plan for {detail.customer.name}</Dialog.Title>
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </div>
          <form
            className="followup-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(false);
            }}
          >
            <fieldset className="form-field invoice-checklist">
              <legend className="form-label">Invoices on the plan</legend>
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
              <fieldset className="form-field">
                <legend className="form-label">Split by</legend>
                <div className="plan-by">
                  <label className="check-row">
                    <input type="radio" name="plan-by" checked={by === 'count'} onChange={() => setBy('count')} />
                    Number of instalments
                  </label>
                  <label className="check-row">
                    <input type="radio" name="plan-by" checked={by === 'amount'} onChange={() => setBy('amount')} />
                    Amount each
                  </label>
                </div>
              </fieldset>
              {by === 'count' ? (
                <label className="form-field">
                  <span className="form-label">Instalments</span>
                  <input type="text" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
                </label>
              ) : (
                <label className="form-field">
                  <span className="form-label">Each ({currency})</span>
                  <input type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
                </label>
              )}
            </div>
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">How often</span>
                <select value={frequency} onChange={(e) => setFrequency(e.target.value as PlanFrequency)}>
                  {FREQUENCIES.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="form-field">
                <span className="form-label">First payment</span>
                <input type="date" value={startDate} min={base} required onChange={(e) => setStartDate(e.target.value)} />
              </label>
            </div>
            <div className="plan-preview" aria-live="polite">
              {problem ? (
                <p className="field-error" role="status">
                  {problem}
                </p>
              ) : preview ? (
                <table className="plan-table" aria-label="Schedule">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Date</th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.instalments.map((i) => (
                      <tr key={i.seq}>
                        <td>{i.seq}</td>
                        <td>{formatDate(i.dueDate, locale)}</td>
                        <td className="num">{formatMoney(i.amountCents, preview.currency, locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <td colSpan={2}>Total</td>
                      <td className="num">{formatMoney(preview.balanceCents, preview.currency, locale)}</td>
                    </tr>
                  </tfoot>
                </table>
              ) : (
                <Spinner size={12} />
              )}
              {preview?.notes.map((n) => (
                <p key={n} className="form-hint">
                  {n}
                </p>
              ))}
            </div>
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
              <button type="submit" className="btn" disabled={busy !== null || !preview}>
                {busy === 'save' && <Spinner size={12} />}
                Save plan
              </button>
              <button type="button" className="btn btn-primary" disabled={busy !== null || !preview} onClick={() => void save(true)}>
                {busy === 'propose' && <Spinner size={12} />}
                Save and draft proposal
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
