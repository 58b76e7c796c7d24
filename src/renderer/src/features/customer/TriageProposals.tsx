// The triage dialog's proposed updates: one checkbox per proposal with its fields editable
// (a promise's date, amount and invoices; a dispute's reason and invoices; a pause's end date;
// the note), greyed out when unticked.
import { DISPUTE_REASON_OPTIONS, DISPUTE_REASON_TEXT } from '../../../../shared/followup';
import type { QueueInvoice } from '../../../../shared/model';
import { Choice, Field } from '../../components/FormDialog';
import { InvoiceChecklist } from '../../components/InvoiceChecklist';
import type { Editable } from './triage-edit';

interface ProposalProps {
  e: Editable;
  invoices: readonly QueueInvoice[];
  locale: string;
  update(key: string, patch: Partial<Editable>): void;
}

function headline(kind: Editable['proposal']['kind']): string {
  return kind === 'create_promise'
    ? 'Record a promise to pay'
    : kind === 'open_dispute'
      ? 'Open a dispute'
      : kind === 'pause_outreach'
        ? 'Pause outreach'
        : 'Re-check with the ledger (sync now)';
}

function Proposal({ e, invoices, locale, update }: ProposalProps): React.JSX.Element {
  const invoicePicker = (legend: string): React.JSX.Element => (
    <InvoiceChecklist
      legend={legend}
      invoices={invoices}
      checked={e.invoiceIds}
      onChange={(next) => update(e.key, { invoiceIds: next })}
      locale={locale}
      showDue={false}
    />
  );
  return (
    <div className={`proposal${e.on ? '' : ' proposal-off'}`}>
      <label className="proposal-head">
        <input type="checkbox" checked={e.on} onChange={() => update(e.key, { on: !e.on })} />
        {headline(e.proposal.kind)}
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
          {invoicePicker('Invoices it covers')}
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
          {invoicePicker('Invoices disputed')}
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
      {e.proposal.kind === 'recheck_ledger' && <p className="form-hint">Syncs now, so a payment the ledger already has marks the invoices paid.</p>}
    </div>
  );
}

export function TriageProposals({ items, ...rest }: Omit<ProposalProps, 'e'> & { items: Editable[] }): React.JSX.Element {
  return (
    <fieldset className="form-field" aria-label="Proposed updates">
      <legend className="form-label">Proposed updates</legend>
      {items.map((e) => (
        <Proposal key={e.key} e={e} {...rest} />
      ))}
    </fieldset>
  );
}
