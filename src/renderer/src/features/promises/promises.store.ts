// The Promises page's data, and one customer's follow-up (promises and disputes) for the drawer.
// Requests carry a counter so a slow answer for something the owner already left is dropped.
import { create } from 'zustand';
import type { DisputeItem, PauseItem, PlanItem, PromiseGroupsView } from '../../../../shared/followup';
import { call } from '../../lib/api';

interface PromisesState {
  groups: PromiseGroupsView | null;
  /** The company's payment plans, live ones first. */
  plans: PlanItem[];
  loading: boolean;
  error: string | null;
  /** The drawer's customer: their promises and disputes. */
  customer: { customerId: number; groups: PromiseGroupsView; disputes: DisputeItem[]; pauses: PauseItem[]; plans: PlanItem[] } | null;
  load(): Promise<void>;
  loadCustomer(customerId: number): Promise<void>;
}

let pageRequest = 0;
let customerRequest = 0;

export const usePromisesStore = create<PromisesState>((set) => ({
  groups: null,
  plans: [],
  loading: false,
  error: null,
  customer: null,

  async load() {
    const mine = ++pageRequest;
    set({ loading: true });
    try {
      const [groups, plans] = await Promise.all([call('promises.list'), call('plans.list')]);
      if (mine === pageRequest) set({ groups, plans, loading: false, error: null });
    } catch (err) {
      if (mine === pageRequest) set({ loading: false, error: (err as Error).message });
    }
  },

  async loadCustomer(customerId) {
    const mine = ++customerRequest;
    try {
      const [groups, disputes, pauses, plans] = await Promise.all([
        call('promises.list', { customerId }),
        call('disputes.list', { customerId }),
        call('pauses.list', { customerId }),
        call('plans.list', { customerId }),
      ]);
      if (mine === customerRequest) set({ customer: { customerId, groups, disputes, pauses, plans } });
    } catch {
      if (mine === customerRequest) set({ customer: null });
    }
  },
}));
