// "Paste a reply…": the owner pastes what a customer wrote. Settle classifies it (promise to pay,
// dispute, already paid, question, out of office), shows what it extracted and why, asks the
// owner what it could not tell (an undated "next Friday" is a question, never a guess), and
// proposes updates: each a checkbox with its fields editable. "Apply" saves the ticked ones in
// one step (replies.apply: one transaction, audited). The reply itself is never stored.
import { useEffect, useState } from 'react';
import {
  DISPUTE_REASON_OPTIONS,
  DISPUTE_REASON_TEXT,
  type DisputeReason,
  type ProposedUpdateView,
  type ReplyAction,
  type ReplyApplied,
  type ReplyClass,
  type ReplyTriageResult,
} from '../../../../shared/followup';
import { localDate } from '../../../../shared/dates';
import type { CustomerDetail, QueueRow } from '../../../../shared/model';
import { BusyButton, Choice, Field, FormDialog, type DialogState } from '../../components/FormDialog';
import { useAction } from '../../lib/useAction';
import { InvoiceChecklist } from '../../components/InvoiceChecklist';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { amountText, parseAmount } from '../promises/money-input';
import '../promises/followup.css';

const CLASS_LABEL: Record<ReplyClass, string> = {
  promise_to_pay: 'Promise to pay',
  dispute: 'Dispute',
  already_paid: 'Says already paid',
  question: 'Question',
  out_of_office: 'Out of office',
  other: 'Other',
};

/** One proposal as the owner edits it: ticked or not, with its fields as text. */
interface Editable {
  key: string;
  on: boolean;
  proposal: ProposedUpdateView;
  date: string;
  amount: string;
  invoiceIds: Set<number>;
  note: string;
  reason: DisputeReason;
}

function editableOf(p: ProposedUpdateView, n: number, detail: CustomerDetail): Editable {
  const numbers = 'invoiceNumbers' in p ? p.invoiceNumbers : [];
  const named = detail.openInvoices.filter((i) => numbers.includes(i.number));
  const overdue = detail.openInvoices.filter((i) => i.daysOverdue > 0);
  const invoices = named.length > 0 ? named : overdue.length > 0 ? overdue : detail.openInvoices;
  const balance = invoices.reduce((s, i) => s + i.balanceCents, 0);
  const currency = invoices[0]?.currency ?? detail.customer.currency;
  return {
    key: `${p.kind}-${n}`,
    // Proposals start ticked: they came from the reply; the owner unticks what they disagree with.
    on: true,
    proposal: p,
    date: p.kind === 'create_promise' ? p.date : p.kind === 'pause_outreach' ? p.until : '',
    amount: p.kind === 'create_promise' ? amountText(p.amountCents ?? balance, p.currency) : amountText(balance, currency),
    invoiceIds: new Set(invoices.map((i) => i.id)),
    note: p.kind === 'create_promise' ? p.note : p.kind === 'open_dispute' ? p.detail : p.kind === 'pause_outreach' ? p.reason : '',
    reason: p.kind === 'open_dispute' ? p.reason : 'other',
  };
}

/** Finds a customer by name when the dialog is opened from the Promises page. */
function CustomerPicker({ onPick }: { onPick(row: QueueRow): void }): React.JSX.Element {
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<QueueRow[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      call('board.get', { search, scope: 'open', sort: 'name', limit: 8 })
        .then((b) => live && setRows(b.queue.rows))
        .catch(() => live && setRows([]));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search]);
  return (
    <div className="form-field">
      <label className="form-label" htmlFor="triage-customer">
        Customer who replied
      </label>
      <input id="triage-customer" type="text" value={search} placeholder="Search by name" onChange={(e) => setSearch(e.target.value)} />
      <ul className="followup-list" aria-label="Matching customers">
        {rows.map((r) => (
          <li key={r.customerId}>
            <button type="button" className="btn btn-sm btn-quiet" onClick={() => onPick(r)}>
              {r.name}
            </button>
          </li>
        ))}
      </ul>
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

  const actions = ((): { actions: ReplyAction[] } | { error: string } => {
    const out: ReplyAction[] = [];
    for (const e of chosen) {
      const p = e.proposal;
      const invoiceIds = [...e.invoiceIds];
      if (p.kind === 'create_promise') {
        const currency = detail?.openInvoices.find((i) => e.invoiceIds.has(i.id))?.currency ?? p.currency;
        const cents = parseAmount(e.amount, currency);
        if (cents === null || cents <= 0) return { error: `Enter the promised amount in ${currency}.` };
        out.push({ kind: 'create_promise', invoiceIds, date: e.date, amountCents: cents, currency, note: e.note });
      } else if (p.kind === 'open_dispute') {
        out.push({ kind: 'open_dispute', invoiceIds, reason: e.reason, detail: e.note });
      } else if (p.kind === 'pause_outreach') {
        out.push({ kind: 'pause_outreach', until: e.date, reason: e.note });
      } else {
        out.push({ kind: 'recheck_ledger' });
      }
    }
    return { actions: out };
  })();

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

  const invoicePicker = (e: Editable, legend: string): React.JSX.Element => (
    <InvoiceChecklist
      legend={legend}
      invoices={detail?.openInvoices ?? []}
      checked={e.invoiceIds}
      onChange={(next) => update(e.key, { invoiceIds: next })}
      locale={locale}
      showDue={false}
    />
  );

  const t = result?.triage;
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
            <BusyButton busy={busy === 'triage'} disabled={!canRead} onClick={classify}>
              Read reply
            </BusyButton>
          </div>
        </>
      )}

      {t && (
        <section aria-label="What Settle read">
          <div className="triage-summary">
            <span className="status-chip status-open" data-testid="triage-class">
              {CLASS_LABEL[t.class]}
            </span>
            {t.also.map((c) => (
              <span key={c} className="status-chip">
                also {CLASS_LABEL[c].toLowerCase()}
              </span>
            ))}
            <span className="muted small">
              {t.confidence} confidence · {t.source === 'model' ? 'AI' : 'rules'}
            </span>
          </div>
          <table className="triage-fields" aria-label="Extracted">
            <tbody>
              {t.promises.map((p, n) => (
                <tr key={`p${n}`}>
                  <th scope="row">Promise</th>
                  <td>
                    {p.amountCents !== null ? formatMoney(p.amountCents, p.currency, locale) : 'no amount stated'} ·{' '}
                    {p.date ? formatDate(p.date, locale) : `“${p.dateText ?? 'no date'}”`}
                    {p.note && <span className="muted small"> — {p.note}</span>}
                  </td>
                </tr>
              ))}
              {t.dispute && (
                <tr>
                  <th scope="row">Dispute</th>
                  <td>
                    {DISPUTE_REASON_TEXT[t.dispute.reason]} — “{t.dispute.snippet}”
                  </td>
                </tr>
              )}
              {t.alreadyPaid && (
                <tr>
                  <th scope="row">Says paid</th>
                  <td>
                    {[
                      t.alreadyPaid.amountCents !== null ? formatMoney(t.alreadyPaid.amountCents, t.alreadyPaid.currency, locale) : null,
                      t.alreadyPaid.date ? formatDate(t.alreadyPaid.date, locale) : t.alreadyPaid.dateText,
                      t.alreadyPaid.reference && `ref ${t.alreadyPaid.reference}`,
                    ]
                      .filter(Boolean)
                      .join(' · ') || 'no details'}
                  </td>
                </tr>
              )}
              {t.outOfOffice && (
                <tr>
                  <th scope="row">Back on</th>
                  <td>{t.outOfOffice.returnDate ? formatDate(t.outOfOffice.returnDate, locale) : (t.outOfOffice.dateText ?? 'not said')}</td>
                </tr>
              )}
              {t.question && (
                <tr>
                  <th scope="row">Question</th>
                  <td>“{t.question.snippet}”</td>
                </tr>
              )}
              {t.invoiceNumbers.length > 0 && (
                <tr>
                  <th scope="row">Invoices named</th>
                  <td>{t.invoiceNumbers.join(', ')}</td>
                </tr>
              )}
            </tbody>
          </table>
          {(t.questionsForOwner.length > 0 || t.warnings.length > 0) && (
            <ul className="triage-questions" aria-label="Questions for you">
              {t.questionsForOwner.map((q) => (
                <li key={q}>{q}</li>
              ))}
              {t.warnings.map((w) => (
                <li key={w.message}>{w.message}</li>
              ))}
            </ul>
          )}
          {result.fallbackReason && <p className="form-hint">{result.fallbackReason}</p>}
        </section>
      )}

      {result && items.length === 0 && !applied && (
        <p className="muted small">Nothing to update from this reply. Answer the customer yourself, or log a promise from the drawer.</p>
      )}
      {items.length > 0 && (
        <fieldset className="form-field" aria-label="Proposed updates">
          <legend className="form-label">Proposed updates</legend>
          {items.map((e) => (
            <div key={e.key} className={`proposal${e.on ? '' : ' proposal-off'}`}>
              <label className="proposal-head">
                <input type="checkbox" checked={e.on} onChange={() => update(e.key, { on: !e.on })} />
                {e.proposal.kind === 'create_promise'
                  ? 'Record a promise to pay'
                  : e.proposal.kind === 'open_dispute'
                    ? 'Open a dispute'
                    : e.proposal.kind === 'pause_outreach'
                      ? 'Pause outreach'
                      : 'Re-check with the ledger (sync now)'}
              </label>
              {e.proposal.kind === 'create_promise' && (
                <>
                  <div className="form-row">
                    <Field label="Promised date">
                      <input type="date" value={e.date} disabled={!e.on} onChange={(ev) => update(e.key, { date: ev.target.value })} />
                    </Field>
                    <Field label="Amount">
                      <input type="text" inputMode="decimal" value={e.amount} disabled={!e.on} onChange={(ev) => update(e.key, { amount: ev.target.value })} />
                    </Field>
                  </div>
                  {invoicePicker(e, 'Invoices it covers')}
                </>
              )}
              {e.proposal.kind === 'open_dispute' && (
                <>
                  <Field label="Reason">
                    <Choice
                      value={e.reason}
                      options={DISPUTE_REASON_OPTIONS}
                      labels={DISPUTE_REASON_TEXT}
                      disabled={!e.on}
                      onChange={(reason) => update(e.key, { reason })}
                    />
                  </Field>
                  {invoicePicker(e, 'Invoices disputed')}
                </>
              )}
              {e.proposal.kind === 'pause_outreach' && (
                <div className="form-row">
                  <Field label="Resume on">
                    <input type="date" value={e.date} disabled={!e.on} onChange={(ev) => update(e.key, { date: ev.target.value })} />
                  </Field>
                </div>
              )}
              {e.proposal.kind !== 'recheck_ledger' && (
                <Field label={e.proposal.kind === 'open_dispute' ? 'Their words' : e.proposal.kind === 'pause_outreach' ? 'Why' : 'Note'}>
                  <input type="text" value={e.note} disabled={!e.on} maxLength={e.proposal.kind === 'pause_outreach' ? 500 : 2000} onChange={(ev) => update(e.key, { note: ev.target.value })} />
                </Field>
              )}
              {e.proposal.kind === 'recheck_ledger' && (
                <p className="form-hint">Syncs now, so a payment the ledger already has marks the invoices paid.</p>
              )}
            </div>
          ))}
        </fieldset>
      )}
      {applied && (
        <div role="status" className="triage-applied">
          <ul className="followup-list">
            {applied.applied.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          {applied.recheckMessage && <p className="muted small">{applied.recheckMessage}</p>}
        </div>
      )}
    </FormDialog>
  );
}
