// "Pause outreach…": no reminders to this customer until a date (out of office, a payment being
// checked, a conversation in progress). Approvals hold their drafts until then; the drawer lists
// the pause and removes it early.
import { useState } from 'react';
import { addDays, localDate } from '../../../../shared/dates';
import { Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { call } from '../../lib/api';

export function PauseDialog({
  customerId,
  customerName,
  today,
  ...dialog
}: DialogState & { customerId: number; customerName: string; today: string | null }): React.JSX.Element {
  const base = today ?? localDate(new Date());
  const [until, setUntil] = useState(() => addDays(base, 7));
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();

  return (
    <FormDialog
      {...dialog}
      title={`Pause outreach to ${customerName}`}
      error={error}
      busy={busy !== null}
      submitLabel="Pause outreach"
      onSubmit={() =>
        void run('submit', async () => {
          await call('pauses.create', { customerId, until, reason: reason.trim() });
          dialog.onOpenChange(false);
        })
      }
    >
      <Field label="Resume on" hint="Reminders waiting for approval are held until this date.">
        <input type="date" value={until} min={addDays(base, 1)} required onChange={(e) => setUntil(e.target.value)} />
      </Field>
      <Field label="Why">
        <input type="text" value={reason} maxLength={500} placeholder="Out of office, checking a payment…" onChange={(e) => setReason(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
