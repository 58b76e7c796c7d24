// "Payment plan…": split the chosen invoices' balance into instalments (a number of them, or an
// amount each), weekly, fortnightly or monthly from a start date. The schedule previews as the
// owner types (exact cents; the last instalment absorbs the rounding). Saving keeps it as
// proposed; "Save and draft proposal" also opens a draft whose facts carry the schedule. The
// customer's acceptance is recorded from the drawer or the Promises page.
import { useMemo, useState } from 'react';
import { addDays, localDate } from '../../../../shared/dates';
import type { PlanFrequency } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { BusyButton, Choice, Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { byDueDate, InvoiceChecklist } from '../../components/InvoiceChecklist';
import { call } from '../../lib/api';
import { useDraftStore } from '../drafts/drafts.store';
import { parseAmount } from '../promises/money-input';
import { PlanSchedule, usePlanPreview, type PlanRequest } from './PlanPreview';
import '../promises/followup.css';

const FREQUENCY_LABELS: Record<PlanFrequency, string> = { weekly: 'Weekly', fortnightly: 'Every two weeks', monthly: 'Monthly' };
const FREQUENCIES: readonly PlanFrequency[] = ['weekly', 'fortnightly', 'monthly'];

export function PlanDialog({
  detail,
  locale,
  today,
  onSaved,
  ...dialog
}: DialogState & {
  detail: CustomerDetail;
  locale: string;
  today: string | null;
  onSaved(message: string): void;
}): React.JSX.Element {
  const invoices = useMemo(() => [...detail.openInvoices].sort(byDueDate), [detail.openInvoices]);
  const firstCurrency = invoices[0]?.currency ?? detail.customer.currency;
  const [checked, setChecked] = useState<Set<number>>(
    () => new Set(invoices.filter((i) => i.daysOverdue > 0 && i.currency === firstCurrency).map((i) => i.id)),
  );
  const chosen = invoices.filter((i) => checked.has(i.id));
  const currency = chosen[0]?.currency ?? firstCurrency;
  const mixed = chosen.some((i) => i.currency !== currency);
  const balanceCents = chosen.reduce((s, i) => s + i.balanceCents, 0);
  const base = today ?? localDate(new Date());
  const [by, setBy] = useState<'count' | 'amount'>('count');
  const [count, setCount] = useState('3');
  const [amount, setAmount] = useState('');
  const [frequency, setFrequency] = useState<PlanFrequency>('monthly');
  const [startDate, setStartDate] = useState(() => addDays(base, 7));
  const { busy, error, run } = useAction<'save' | 'propose'>();

  const request = useMemo((): PlanRequest => {
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

  const { preview, problem } = usePlanPreview(request);

  const save = (propose: boolean): void => {
    if (!request.input) return;
    const input = request.input;
    void run(propose ? 'propose' : 'save', async () => {
      const { balanceCents: _b, currency: _c, ...rest } = input;
      const plan = await call('plans.save', { customerId: detail.customer.id, invoiceIds: chosen.map((i) => i.id), ...rest });
      if (propose) {
        const draft = await call('plans.propose', { planId: plan.id });
        dialog.onOpenChange(false);
        void useDraftStore.getState().openDraft(draft.id);
      } else {
        dialog.onOpenChange(false);
      }
      onSaved(`Payment plan saved: ${plan.instalments.length} instalments. Record it as accepted when ${detail.customer.name} agrees.`);
    });
  };

  return (
    <FormDialog
      {...dialog}
      title={`Payment plan for ${detail.customer.name}`}
      size="lg"
      error={error}
      busy={busy !== null}
      submitDisabled={!preview}
      onSubmit={() => save(false)}
      actions={
        <>
          <BusyButton type="submit" busy={busy === 'save'} disabled={busy !== null || !preview}>
            Save plan
          </BusyButton>
          <BusyButton variant="primary" busy={busy === 'propose'} disabled={busy !== null || !preview} onClick={() => save(true)}>
            Save and draft proposal
          </BusyButton>
        </>
      }
    >
      <InvoiceChecklist legend="Invoices on the plan" invoices={invoices} checked={checked} onChange={setChecked} locale={locale} />
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
          <Field label="Instalments">
            <input type="text" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
          </Field>
        ) : (
          <Field label={`Each (${currency})`}>
            <input type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </Field>
        )}
      </div>
      <div className="form-row">
        <Field label="How often">
          <Choice value={frequency} options={FREQUENCIES} labels={FREQUENCY_LABELS} onChange={setFrequency} />
        </Field>
        <Field label="First payment">
          <input type="date" value={startDate} min={base} required onChange={(e) => setStartDate(e.target.value)} />
        </Field>
      </div>
      <PlanSchedule preview={preview} problem={problem} locale={locale} />
    </FormDialog>
  );
}
