// The Promises page's data, and one customer's follow-up (promises and disputes) for the drawer.
// Requests carry a counter so a slow answer for something the owner already left is dropped.
import { create } from 'zustand';
import type { DisputeItem, PromiseGroupsView } from '../../../../shared/followup';
import { call } from '../../lib/api';

interface PromisesState {
  groups: PromiseGroupsView | null;
  loading: boolean;
  error: string | null;
  /** The drawer's customer: their promises and disputes. */
  customer: { customerId: number; groups: PromiseGroupsView; disputes: DisputeItem[] } | null;
  load(): Promise<void>;
  loadCustomer(customerId: number): Promise<void>;
}

let pageRequest = 0;
let customerRequest = 0;

export const usePromisesStore = create<PromisesState>((set) => ({
  groups: null,
  loading: false,
  error: null,
  customer: null,

  async load() {
    const mine = ++pageRequest;
    set({ loading: true });
    try {
      const groups = await call('promises.list');
      if (mine === pageRequest) set({ groups, loading: false, error: null });
    } catch (err) {
      if (mine === pageRequest) set({ loading: false, error: (err as Error).message });
    }
  },

  async loadCustomer(customerId) {
    const mine = ++customerRequest;
    try {
      const [groups, disputes] = await Promise.all([call('promises.list', { customerId }), call('disputes.list', { customerId })]);
      if (mine === customerRequest) set({ customer: { customerId, groups, disputes } });
    } catch {
      if (mine === customerRequest) set({ customer: null });
    }
  },
}));
