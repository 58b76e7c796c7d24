// "Pause outreach…": no reminders to this customer until a date (out of office, a payment being
// checked, a conversation in progress). Approvals hold their drafts until then; the drawer lists
// the pause and removes it early.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useState } from 'react';
import { addDays } from '../../../../shared/dates';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { browserToday } from '../promises/LogPromiseDialog';
import '../promises/followup.css';

export function PauseDialog({
  customerId,
  customerName,
  today,
  open,
  onOpenChange,
}: {
  customerId: number;
  customerName: string;
  today: string | null;
  open: boolean;
  onOpenChange(open: boolean): void;
}): React.JSX.Element {
  const base = today ?? browserToday();
  const [until, setUntil] = useState(() => addDays(base, 7));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await call('pauses.create', { customerId, until, reason: reason.trim() });
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
            <Dialog.Title className="modal-title">Pause outreach to {customerName}</Dialog.Title>
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
            <label className="form-field">
              <span className="form-label">Resume on</span>
              <input type="date" value={until} min={addDays(base, 1)} required onChange={(e) => setUntil(e.target.value)} />
              <span className="form-hint">Reminders waiting for approval are held until this date.</span>
            </label>
            <label className="form-field">
              <span className="form-label">Why</span>
              <input type="text" value={reason} maxLength={500} placeholder="Out of office, checking a payment…" onChange={(e) => setReason(e.target.value)} />
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
                Pause outreach
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
