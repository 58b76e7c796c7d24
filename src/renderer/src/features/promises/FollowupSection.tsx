// The drawer's follow-up section: "Log promise", "Open dispute", "Payment plan…", "Paste reply…"
// and "Pause outreach…"; the customer's open and recent promises (cancel one that was withdrawn,
// draft a follow-up to a broken one), their disputes (resolve one), outreach pauses (remove one)
// and payment plans (record the customer's acceptance, cancel).
import { CalendarRange, Handshake, MessageSquareText, PauseCircle, ShieldAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { DISPUTE_REASON_TEXT, type DisputeResolution } from '../../../../shared/followup';
import type { CustomerDetail } from '../../../../shared/model';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { FollowupDialogs, type FollowupDialog } from './FollowupDialogs';
import { PlanRows } from './PlanRows';
import { draftFollowUp } from './follow-up';
import { usePromisesStore } from './promises.store';
import { StatusChip } from './StatusChip';
import './followup.css';

const RESOLUTIONS: { id: DisputeResolution; label: string }[] = [
  { id: 'credit_issued', label: 'Credit issued' },
  { id: 'invoice_corrected', label: 'Invoice corrected' },
  { id: 'customer_accepted', label: 'Customer accepted' },
  { id: 'written_off', label: 'Written off' },
];

export function FollowupSection({ detail, locale }: { detail: CustomerDetail; locale: string }): React.JSX.Element {
  const customerId = detail.customer.id;
  const mine = usePromisesStore((s) => (s.customer?.customerId === customerId ? s.customer : null));
  const loadCustomer = usePromisesStore((s) => s.loadCustomer);
  const [dialog, setDialog] = useState<FollowupDialog | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadCustomer(customerId);
  }, [customerId, loadCustomer, detail]);

  const promises = mine ? [...mine.groups.today, ...mine.groups.upcoming, ...mine.groups.broken, ...mine.groups.kept.slice(0, 3)] : [];
  const disputes = mine ? mine.disputes.filter((d) => d.status === 'open') : [];
  const pauses = mine?.pauses ?? [];
  const plans = mine ? mine.plans.filter((p) => p.status !== 'cancelled' && p.status !== 'completed') : [];
  const canAct = detail.openInvoices.length > 0;

  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="sheet-section" aria-labelledby="sec-followup">
      <div className="followup-head">
        <h3 id="sec-followup">Follow-up</h3>
        <div className="followup-actions">
          <button type="button" className="btn btn-sm" disabled={!canAct} onClick={() => setDialog('promise')}>
            <Handshake size={13} aria-hidden="true" /> Log promise
          </button>
          <button type="button" className="btn btn-sm" disabled={!canAct} onClick={() => setDialog('dispute')}>
            <ShieldAlert size={13} aria-hidden="true" /> Open dispute
          </button>
          <button type="button" className="btn btn-sm" disabled={!canAct} onClick={() => setDialog('plan')}>
            <CalendarRange size={13} aria-hidden="true" /> Payment plan…
          </button>
          <button type="button" className="btn btn-sm" onClick={() => setDialog('triage')}>
            <MessageSquareText size={13} aria-hidden="true" /> Paste reply…
          </button>
          <button type="button" className="btn btn-sm" onClick={() => setDialog('pause')}>
            <PauseCircle size={13} aria-hidden="true" /> Pause outreach…
          </button>
        </div>
      </div>
      {message && (
        <p className="muted small" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {pauses.length > 0 && (
        <ul className="followup-list" aria-label="Outreach pauses">
          {pauses.map((p) => (
            <li key={`pause${p.id}`} className="followup-item">
              <span className="mini-chip mini-chip-paused">Paused</span>
              <span className="followup-what">
                Until {formatDate(p.until, locale)}
                <span className="muted small"> — {p.reason}</span>
              </span>
              <button type="button" className="btn btn-sm btn-quiet" onClick={() => void run(() => call('pauses.remove', { pauseId: p.id }))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {plans.length > 0 && <PlanRows plans={plans} locale={locale} onError={setError} />}
      {promises.length === 0 && disputes.length === 0 ? (
        <p className="muted small">No promises or disputes.</p>
      ) : (
        <ul className="followup-list" aria-label="Promises and disputes">
          {disputes.map((d) => (
            <li key={`d${d.id}`} className="followup-item">
              <span className="mini-chip mini-chip-dispute">Disputed</span>
              <span className="followup-what">
                {DISPUTE_REASON_TEXT[d.reason]} · {d.invoices.map((i) => i.number).join(', ')}
                {d.detail && <span className="muted small"> — {d.detail}</span>}
              </span>
              <select
                className="followup-resolve"
                aria-label={`Resolve the dispute on ${d.invoices.map((i) => i.number).join(', ')}`}
                value=""
                onChange={(e) => {
                  const resolution = e.target.value as DisputeResolution;
                  if (resolution) void run(() => call('disputes.resolve', { disputeId: d.id, resolution }));
                }}
              >
                <option value="">Resolve…</option>
                {RESOLUTIONS.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </li>
          ))}
          {promises.map((p) => (
            <li key={`p${p.id}`} className="followup-item">
              <StatusChip status={p.status} />
              <span className="followup-what">
                {formatMoney(p.amountCents, p.currency, locale)} by {formatDate(p.date, locale)}
                <span className="muted small"> · {p.invoices.map((i) => i.number).join(', ')}</span>
              </span>
              {(p.status === 'broken' || p.status === 'partially_kept') && (
                <button type="button" className="btn btn-sm" onClick={() => void run(() => draftFollowUp(p.id))}>
                  Draft follow-up
                </button>
              )}
              {p.status !== 'kept' && (
                <button type="button" className="btn btn-sm btn-quiet" onClick={() => void run(() => call('promises.cancel', { promiseId: p.id }))}>
                  Cancel
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FollowupDialogs
        dialog={dialog}
        detail={detail}
        locale={locale}
        today={mine?.groups.asOf ?? null}
        onClose={() => setDialog(null)}
        onMessage={setMessage}
      />
    </section>
  );
}
