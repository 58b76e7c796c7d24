// "Paste a reply…": the owner pastes what a customer wrote. Settle classifies it (promise to pay,
// dispute, already paid, question, out of office), shows what it extracted and why, asks the
// owner what it could not tell (an undated "next Friday" is a question, never a guess), and
// proposes updates: each a checkbox with its fields editable. "Apply" saves the ticked ones in
// one step (replies.apply: one transaction, audited). The reply itself is never stored.
// The parts: CustomerPicker, TriageReading (what was read), TriageProposals (the checkboxes),
// triage-edit.ts (proposals as edited, and the actions they become).
import { useEffect, useState } from 'react';
import type { ReplyApplied, ReplyTriageResult } from '../../../../shared/followup';
import { localDate } from '../../../../shared/dates';
import type { CustomerDetail } from '../../../../shared/model';
import { BusyButton, Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { call } from '../../lib/api';
import { CustomerPicker } from './CustomerPicker';
import { actionsOf, editableOf, type Editable } from './triage-edit';
import { TriageProposals } from './TriageProposals';
import { TriageReading } from './TriageReading';
import '../promises/followup.css';

/** The pasted text and when it was received (or that the owner does not know). */
function ReplyForm({
  text,
  setText,
  knowDate,
  setKnowDate,
  receivedOn,
  setReceivedOn,
  reading,
  canRead,
  onRead,
}: {
  text: string;
  setText(text: string): void;
  knowDate: boolean;
  setKnowDate(know: boolean): void;
  receivedOn: string;
  setReceivedOn(date: string): void;
  reading: boolean;
  canRead: boolean;
  onRead(): void;
}): React.JSX.Element {
  return (
    <>
      <Field label="Their reply">
        <textarea
          value={text}
          maxLength={20_000}
          placeholder="Paste the email text here. It is read as data only and not stored."
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <div className="form-row">
        <Field label="Received on" hint="“Friday” and “next week” count from this date.">
          <input type="date" value={receivedOn} disabled={!knowDate} onChange={(e) => setReceivedOn(e.target.value)} />
        </Field>
        <label className="check-row">
          <input type="checkbox" checked={!knowDate} onChange={(e) => setKnowDate(!e.target.checked)} />I don’t know when it was sent
        </label>
      </div>
      <div className="modal-actions">
        <BusyButton busy={reading} disabled={!canRead} onClick={onRead}>
          Read reply
        </BusyButton>
      </div>
    </>
  );
}

/** What was saved, and what the re-check found. */
function Applied({ applied }: { applied: ReplyApplied }): React.JSX.Element {
  return (
    <div role="status" className="triage-applied">
      <ul className="followup-list">
        {applied.applied.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
      {applied.recheckMessage && <p className="muted small">{applied.recheckMessage}</p>}
    </div>
  );
}

export function TriageDialog({
  customerId: givenId,
  locale,
  today,
  ...dialog
}: DialogState & {
  /** null: the owner picks the customer first (from the Promises page). */
  customerId: number | null;
  locale: string;
  today: string | null;
}): React.JSX.Element {
  const [customerId, setCustomerId] = useState<number | null>(givenId);
  const [detail, setDetail] = useState<CustomerDetail | null>(null);
  const [text, setText] = useState('');
  const [knowDate, setKnowDate] = useState(true);
  const [receivedOn, setReceivedOn] = useState(() => today ?? localDate(new Date()));
  const [result, setResult] = useState<ReplyTriageResult | null>(null);
  const [items, setItems] = useState<Editable[]>([]);
  const [applied, setApplied] = useState<ReplyApplied | null>(null);
  const { busy, error, setError, run } = useAction<'triage' | 'apply'>();

  useEffect(() => {
    if (customerId === null) return;
    let live = true;
    call('customers.get', { customerId })
      .then((d) => live && setDetail(d))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [customerId, setError]);

  const classify = (): void => {
    if (customerId === null || !detail) return;
    setApplied(null);
    void run('triage', async () => {
      const r = await call('replies.triage', { customerId, text, receivedOn: knowDate ? receivedOn : null });
      setResult(r);
      setItems(r.proposals.map((p, n) => editableOf(p, n, detail)));
    });
  };

  const update = (key: string, patch: Partial<Editable>): void => setItems((list) => list.map((e) => (e.key === key ? { ...e, ...patch } : e)));

  const chosen = items.filter((e) => e.on);
  const actions = actionsOf(chosen, detail);

  const apply = (): void => {
    if (customerId === null || !('actions' in actions)) return;
    const list = actions.actions;
    void run('apply', async () => {
      setApplied(await call('replies.apply', { customerId, actions: list }));
      setItems([]);
    });
  };

  const canRead = busy === null && text.trim() !== '' && detail !== null;
  const canApply = busy === null && chosen.length > 0 && !('error' in actions);

  return (
    <FormDialog
      {...dialog}
      title={detail ? `Reply from ${detail.customer.name}` : 'Paste a customer’s reply'}
      size="lg"
      className="triage-dialog"
      error={error ?? ('error' in actions && chosen.length > 0 ? actions.error : null)}
      busy={busy === 'apply'}
      // Enter reads the reply until there are proposals, then applies the ticked ones.
      onSubmit={items.length > 0 ? apply : classify}
      submitDisabled={items.length > 0 ? !canApply : !canRead}
      submitLabel={items.length > 0 ? (chosen.length === 1 ? 'Apply 1 update' : `Apply ${chosen.length} updates`) : undefined}
      cancelLabel={applied ? 'Done' : 'Cancel'}
    >
      {customerId === null ? (
        <CustomerPicker onPick={(r) => setCustomerId(r.customerId)} />
      ) : (
        <ReplyForm
          {...{ text, setText, knowDate, setKnowDate, receivedOn, setReceivedOn }}
          reading={busy === 'triage'}
          canRead={canRead}
          onRead={classify}
        />
      )}
      {result && <TriageReading result={result} locale={locale} />}
      {result && items.length === 0 && !applied && (
        <p className="muted small">Nothing to update from this reply. Answer the customer yourself, or log a promise from the drawer.</p>
      )}
      {items.length > 0 && <TriageProposals items={items} invoices={detail?.openInvoices ?? []} locale={locale} update={update} />}
      {applied && <Applied applied={applied} />}
    </FormDialog>
  );
}
