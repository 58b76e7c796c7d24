// Where a notification leads, and opening it: a customer's drawer, Approvals or Promises. Used by
// the notification centre, Web Notifications (browser mode) and the shell's ui.navigate event.
import type { UiNavigate } from '../../../../shared/contract';
import type { NotificationItem } from '../../../../shared/followup';
import { useAppStore } from '../../stores/app.store';
import { useCustomerStore } from '../../stores/customer.store';

export function targetOf(item: Pick<NotificationItem, 'kind' | 'customerId' | 'outcome'>): UiNavigate {
  if (item.kind === 'approvals_waiting') return { view: 'approvals' };
  // A grouped catch-up stands for a summary of several promises: the Promises page.
  if (item.outcome === 'shown' && item.customerId !== null) return { view: 'customer', customerId: item.customerId };
  return { view: 'promises' };
}

export function openTarget(target: UiNavigate): void {
  if (target.view === 'customer' && target.customerId !== undefined) {
    useCustomerStore.getState().open(target.customerId);
    return;
  }
  useAppStore.getState().navigate(target.view === 'approvals' ? 'approvals' : 'promises');
}
