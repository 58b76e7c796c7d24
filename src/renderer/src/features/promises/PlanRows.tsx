// Payment plans as a short list (drawer and Promises page): status, schedule summary, and the
// owner's actions: draft the proposal again, record that the customer accepted, cancel.
import type { PlanItem, PlanStatus } from '../../../../shared/followup';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { useCustomerStore } from '../../stores/customer.store';
import { useDraftStore } from '../drafts/drafts.store';

const STATUS_LABEL: Record<PlanStatus, string> = {
  proposed: 'Proposed',
  active: 'Active',
  behind: 'Behind',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
const STATUS_CLASS: Record<PlanStatus, string> = {
  proposed: 'status-open',
  active: 'status-open',
  behind: 'status-broken',
  completed: 'status-kept',
  cancelled: '',
};

export function PlanRows({ plans, locale, withCustomer = false, onError }: { plans: PlanItem[]; locale: string; withCustomer?: boolean; onError(message: string | null): void }): React.JSX.Element {
  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    onError(null);
    try {
      await fn();
    } catch (err) {
      onError((err as Error).message);
    }
  };
  return (
    <ul className="followup-list" aria-label="Payment plans">
      {plans.map((p) => {
        const last = p.instalments.at(-1);
        const kept = p.instalments.filter((i) => i.status === 'kept').length;
        return (
          <li key={p.id} className="followup-item" data-plan-id={p.id}>
            <span className={`status-chip ${STATUS_CLASS[p.status]}`}>{STATUS_LABEL[p.status]}</span>
            <span className="followup-what">
              {withCustomer && (
                <button type="button" className="promise-customer" onClick={() => useCustomerStore.getState().open(p.customerId, p.customerName)}>
                  {p.customerName}
                </button>
              )}
              {withCustomer && ' · '}
              {formatMoney(p.balanceCents, p.currency, locale)} in {p.instalments.length} {p.frequency} instalments
              <span className="muted small">
                {' '}
                · {formatDate(p.startDate, locale)} to {last ? formatDate(last.dueDate, locale) : ''}
                {p.status !== 'proposed' && ` · ${kept} of ${p.instalments.length} paid`}
              </span>
            </span>
            {p.status === 'proposed' && (
              <>
                <button
                  type="button"
                  className="btn btn-sm btn-quiet"
                  onClick={() => void run(async () => useDraftStore.getState().openDraft((await call('plans.propose', { planId: p.id })).id))}
                >
                  Draft proposal
                </button>
                <button type="button" className="btn btn-sm" onClick={() => void run(() => call('plans.accept', { planId: p.id }))}>
                  Customer accepted
                </button>
              </>
            )}
            {(p.status === 'proposed' || p.status === 'active' || p.status === 'behind') && (
              <button type="button" className="btn btn-sm btn-quiet" aria-label={`Cancel the plan for ${p.customerName}`} onClick={() => void run(() => call('plans.cancel', { planId: p.id }))}>
                Cancel
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
