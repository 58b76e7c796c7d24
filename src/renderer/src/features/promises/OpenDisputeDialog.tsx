// "Open dispute": the invoices the customer disputes, why, and their words. Outreach for those
// invoices pauses and the board shows the customer as disputed until it is resolved.
import { useState } from 'react';
import { DISPUTE_REASON_OPTIONS, DISPUTE_REASON_TEXT, type DisputeReason } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { Choice, Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { InvoiceChecklist } from '../../components/InvoiceChecklist';
import { call } from '../../lib/api';

export function OpenDisputeDialog({ detail, locale, ...dialog }: DialogState & { detail: CustomerDetail; locale: string }): React.JSX.Element {
  const invoices = detail.openInvoices;
  const [checked, setChecked] = useState<Set<number>>(() => new Set(invoices.length === 1 ? [invoices[0]!.id] : []));
  const [reason, setReason] = useState<DisputeReason>('pricing');
  const [detailText, setDetailText] = useState('');
  const { busy, error, run } = useAction();

  return (
    <FormDialog
      {...dialog}
      title={`Open a dispute for ${detail.customer.name}`}
      description="Settle stops chasing the disputed invoices until you resolve it."
      error={error}
      busy={busy !== null}
      submitLabel="Open dispute"
      onSubmit={() =>
        void run('submit', async () => {
          await call('disputes.open', {
            customerId: detail.customer.id,
            invoiceIds: [...checked],
            reason,
            ...(detailText.trim() ? { detail: detailText.trim() } : {}),
          });
          dialog.onOpenChange(false);
        })
      }
    >
      <InvoiceChecklist legend="Disputed invoices" invoices={invoices} checked={checked} onChange={setChecked} locale={locale} />
      <Field label="Reason">
        <Choice value={reason} options={DISPUTE_REASON_OPTIONS} labels={DISPUTE_REASON_TEXT} onChange={setReason} />
      </Field>
      <Field label="Detail">
        <textarea rows={3} maxLength={2000} value={detailText} placeholder="The customer's words or your summary" onChange={(e) => setDetailText(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
