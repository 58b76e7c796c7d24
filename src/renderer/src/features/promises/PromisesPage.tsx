// Promises to pay, grouped Today (due, or within the grace days), Upcoming, Broken (and partly
// kept) and Kept, then payment plans. Each row opens the customer; a broken one offers "Draft
// follow-up". Synced payments keep or break them by themselves. "Paste a reply…" triages a
// customer's answer from here too.
import { Handshake, MessageSquareText } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { PromiseItem } from '../../../../shared/followup';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { formatDate, formatMoney, formatNumber } from '../../lib/format';
import { useAppStore } from '../../stores/app.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { usePromisesStore } from './promises.store';
import { TriageDialog } from '../customer/TriageDialog';
import { draftFollowUp } from './follow-up';
import { PlanRows } from './PlanRows';
import { StatusChip } from './StatusChip';
import './followup.css';

const GROUPS = [
  { id: 'today', title: 'Today', empty: 'Nothing due today.' },
  { id: 'upcoming', title: 'Upcoming', empty: 'No upcoming promises.' },
  { id: 'broken', title: 'Broken', empty: 'No broken promises.' },
  { id: 'kept', title: 'Kept', empty: 'None kept yet.' },
] as const;

function PromiseRow({ p, locale, onError }: { p: PromiseItem; locale: string; onError(message: string): void }): React.JSX.Element {
  const open = (): void => useCustomerStore.getState().open(p.customerId, p.customerName);
  return (
    <tr onClick={open} data-promise-id={p.id}>
      <td>
        <button type="button" className="promise-customer" onClick={(e) => (e.stopPropagation(), open())}>
          {p.customerName}
        </button>
      </td>
      <td>{formatDate(p.date, locale)}</td>
      <td className="num">
        {formatMoney(p.amountCents, p.currency, locale)}
        {p.paidCents > 0 && p.status !== 'kept' && (
          <div className="muted small">{formatMoney(p.paidCents, p.currency, locale)} arrived</div>
        )}
      </td>
      <td className="muted promise-invoices" title={p.invoices.map((i) => i.number).join(', ')}>
        {p.invoices.length <= 3
          ? p.invoices.map((i) => i.number).join(', ')
          : `${p.invoices
              .slice(0, 2)
              .map((i) => i.number)
              .join(', ')} and ${p.invoices.length - 2} more`}
      </td>
      <td>
        <span className="promise-status">
          <StatusChip status={p.status} />
          {(p.status === 'broken' || p.status === 'partially_kept') && (
            <button
              type="button"
              className="btn btn-sm"
              onClick={(e) => {
                e.stopPropagation();
                draftFollowUp(p.id).catch((err: Error) => onError(err.message));
              }}
            >
              Draft follow-up
            </button>
          )}
        </span>
      </td>
    </tr>
  );
}

export function PromisesPage(): React.JSX.Element {
  const navigate = useAppStore((s) => s.navigate);
  const groups = usePromisesStore((s) => s.groups);
  const loading = usePromisesStore((s) => s.loading);
  const error = usePromisesStore((s) => s.error);
  const plans = usePromisesStore((s) => s.plans);
  const locale = useLocale();
  const [triage, setTriage] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    void usePromisesStore.getState().load();
  }, []);

  const total = groups ? groups.today.length + groups.upcoming.length + groups.broken.length + groups.kept.length : 0;

  return (
    <div className="page">
      <div className="page-head">
        <h1 className="page-title">Promises</h1>
        {loading && <Spinner size={14} />}
        <div className="page-head-actions">
          <button type="button" className="btn btn-sm" onClick={() => setTriage(true)}>
            <MessageSquareText size={13} aria-hidden="true" /> Paste a reply…
          </button>
        </div>
      </div>
      {(error ?? actionError) && (
        <p className="field-error" role="alert">
          {error ?? actionError}
        </p>
      )}
      {triage && <TriageDialog customerId={null} locale={locale} today={groups?.asOf ?? null} open onOpenChange={setTriage} />}
      {groups && total === 0 ? (
        <EmptyState
          icon={<Handshake size={22} />}
          title="No promises to pay yet"
          actions={
            <button type="button" className="btn" onClick={() => navigate('board')}>
              Go to the board
            </button>
          }
        >
          <p>
            When a customer promises to pay by a date, open them on the board and choose <strong>Log promise</strong>. Synced
            payments mark each promise kept or broken, and Settle reminds you the day before and on the day.
          </p>
        </EmptyState>
      ) : groups ? (
        <div className="promise-groups">
          {GROUPS.map((g) => {
            const list = groups[g.id];
            return (
              <section key={g.id} className="promise-group" aria-labelledby={`pg-${g.id}`}>
                <h2 id={`pg-${g.id}`}>
                  {g.title} <span className="count">{formatNumber(list.length, locale)}</span>
                </h2>
                {list.length === 0 ? (
                  <p className="promise-group-empty">{g.empty}</p>
                ) : (
                  <table className="promise-table" aria-label={`${g.title} promises`}>
                    <colgroup>
                      <col className="pc-customer" />
                      <col className="pc-date" />
                      <col className="pc-amount" />
                      <col />
                      <col className="pc-status" />
                    </colgroup>
                    <thead>
                      <tr>
                        <th scope="col">Customer</th>
                        <th scope="col">Date</th>
                        <th scope="col" className="num">
                          Amount
                        </th>
                        <th scope="col">Invoices</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((p) => (
                        <PromiseRow key={p.id} p={p} locale={locale} onError={setActionError} />
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            );
          })}
          <section className="promise-group" aria-labelledby="pg-plans">
            <h2 id="pg-plans">
              Payment plans <span className="count">{formatNumber(plans.length, locale)}</span>
            </h2>
            {plans.length === 0 ? (
              <p className="promise-group-empty">No payment plans. Open a customer and choose Payment plan… to offer one.</p>
            ) : (
              <PlanRows plans={plans} locale={locale} withCustomer onError={setActionError} />
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}
