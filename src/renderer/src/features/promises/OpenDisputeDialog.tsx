// "Open dispute": the invoices the customer disputes, why, and their words. Outreach for those
// invoices pauses and the board shows the customer as disputed until it is resolved.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useState } from 'react';
import { DISPUTE_REASON_OPTIONS, DISPUTE_REASON_TEXT, type DisputeReason } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';

export function OpenDisputeDialog({
  detail,
  locale,
  open,
  onOpenChange,
}: {
  detail: CustomerDetail;
  locale: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}): React.JSX.Element {
  const invoices = detail.openInvoices;
  const [checked, setChecked] = useState<Set<number>>(() => new Set(invoices.length === 1 ? [invoices[0]!.id] : []));
  const [reason, setReason] = useState<DisputeReason>('pricing');
  const [detailText, setDetailText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await call('disputes.open', {
        customerId: detail.customer.id,
        invoiceIds: [...checked],
        reason,
        ...(detailText.trim() ? { detail: detailText.trim() } : {}),
      });
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
        <Dialog.Content className="modal followup-dialog" aria-describedby="dispute-desc">
          <div className="modal-head">
            <Dialog.Title className="modal-title">Open a dispute for {detail.customer.name}</Dialog.Title>
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </div>
          <Dialog.Description id="dispute-desc" className="muted small">
            Settle stops chasing the disputed invoices until you resolve it.
          </Dialog.Description>
          <form
            className="followup-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <fieldset className="form-field invoice-checklist">
              <legend className="form-label">Disputed invoices</legend>
              {invoices.map((inv) => (
                <label key={inv.id} className="check-row">
                  <input
                    type="checkbox"
                    checked={checked.has(inv.id)}
                    onChange={() => {
                      const next = new Set(checked);
                      if (next.has(inv.id)) next.delete(inv.id);
                      else next.add(inv.id);
                      setChecked(next);
                    }}
                  />
                  <span className="inv-number">{inv.number}</span>
                  <span className="muted small">due {formatDate(inv.dueDate, locale)}</span>
                  <span className="check-amount">{formatMoney(inv.balanceCents, inv.currency, locale)}</span>
                </label>
              ))}
            </fieldset>
            <label className="form-field">
              <span className="form-label">Reason</span>
              <select value={reason} onChange={(e) => setReason(e.target.value as DisputeReason)}>
                {DISPUTE_REASON_OPTIONS.map((r) => (
                  <option key={r} value={r}>
                    {DISPUTE_REASON_TEXT[r]}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">Detail</span>
              <textarea rows={3} maxLength={2000} value={detailText} placeholder="The customer's words or your summary" onChange={(e) => setDetailText(e.target.value)} />
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
                Open dispute
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
