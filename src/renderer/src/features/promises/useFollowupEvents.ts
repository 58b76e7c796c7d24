// Follow-up changes (a promise logged, kept or broken, a dispute opened, a notification shown)
// re-read the board (its chips and counts), the open customer and the Promises page.
import { useEffect } from 'react';
import { on } from '../../lib/api';
import { useBoardStore } from '../../stores/board.store';
import { useCustomerStore } from '../../stores/customer.store';
import { usePromisesStore } from './promises.store';

export function reloadFollowup(): void {
  void useBoardStore.getState().load({ keepSelection: true });
  void useCustomerStore.getState().reload();
  void usePromisesStore.getState().load();
  const id = useCustomerStore.getState().customerId;
  if (id !== null) void usePromisesStore.getState().loadCustomer(id);
}

export function useFollowupEvents(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = on('followup.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(reloadFollowup, 50);
    });
    const offLedger = on('ledger.changed', () => {
      // A sync can keep or break promises; the page re-reads with the board.
      void usePromisesStore.getState().load();
    });
    return () => {
      off();
      offLedger();
      clearTimeout(timer);
    };
  }, []);
}
