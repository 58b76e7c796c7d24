// "Log promise": the date, the amount (the overdue balance by default), the invoices it covers,
// how it was made and a note. The core validates (past dates, more than the balance, paid
// invoices) and its message is shown inline; nothing is saved until it accepts.
import { useMemo, useState } from 'react';
import { addDays, localDate } from '../../../../shared/dates';
import { PROMISE_CHANNEL_LABELS, PROMISE_CHANNEL_OPTIONS, type PromiseChannel } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { Choice, Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { byDueDate, InvoiceChecklist } from '../../components/InvoiceChecklist';
import { call } from '../../lib/api';
import { formatMoney } from '../../lib/format';
import { amountText, parseAmount } from './money-input';

export function LogPromiseDialog({
  detail,
  locale,
  today,
  onSaved,
  ...dialog
}: DialogState & {
  detail: CustomerDetail;
  locale: string;
  /** The core's calendar date (promises cannot be dated before it). */
  today: string | null;
  onSaved(warnings: string[]): void;
}): React.JSX.Element {
  const invoices = useMemo(() => [...detail.openInvoices].sort(byDueDate), [detail.openInvoices]);
  const overdue = invoices.filter((i) => i.daysOverdue > 0);
  const initial = overdue.length > 0 ? overdue : invoices.slice(0, 1);
  const [checked, setChecked] = useState<Set<number>>(() => new Set(initial.map((i) => i.id)));
  const chosen = invoices.filter((i) => checked.has(i.id));
  const currency = chosen[0]?.currency ?? detail.customer.currency;
  const chosenBalance = chosen.filter((i) => i.currency === currency).reduce((s, i) => s + i.balanceCents, 0);
  const [amount, setAmount] = useState(() => amountText(initial.reduce((s, i) => s + i.balanceCents, 0), initial[0]?.currency ?? detail.customer.currency));
  const [amountTouched, setAmountTouched] = useState(false);
  const minDate = today ?? localDate(new Date());
  const [date, setDate] = useState(() => addDays(minDate, 7));
  const [madeVia, setMadeVia] = useState<PromiseChannel>('phone');
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useAction();

  const choose = (next: Set<number>): void => {
    setChecked(next);
    if (!amountTouched) {
      const list = invoices.filter((i) => next.has(i.id));
      const cur = list[0]?.currency ?? currency;
      setAmount(amountText(list.filter((i) => i.currency === cur).reduce((s, i) => s + i.balanceCents, 0), cur));
    }
  };

  const submit = (): void => {
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
    void run('submit', async () => {
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
      dialog.onOpenChange(false);
    });
  };

  return (
    <FormDialog
      {...dialog}
      title={`Log a promise from ${detail.customer.name}`}
      error={error}
      busy={busy !== null}
      submitLabel="Log promise"
      onSubmit={submit}
    >
      <div className="form-row">
        <Field label="Promised date">
          <input type="date" value={date} min={minDate} required onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field
          label={`Amount (${currency})`}
          hintId="promise-amount-hint"
          hint={`${formatMoney(chosenBalance, currency, locale)} open on the chosen invoices`}
        >
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
        </Field>
      </div>
      <InvoiceChecklist legend="Invoices it covers" invoices={invoices} checked={checked} onChange={choose} locale={locale} />
      <div className="form-row">
        <Field label="How it was made">
          <Choice value={madeVia} options={PROMISE_CHANNEL_OPTIONS} labels={PROMISE_CHANNEL_LABELS} onChange={setMadeVia} />
        </Field>
      </div>
      <Field label="Note">
        <textarea rows={2} maxLength={2000} value={note} placeholder="What they said (optional)" onChange={(e) => setNote(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
