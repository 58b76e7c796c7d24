// The customer drawer: which customer is open and their detail. Requests carry a counter so a
// slow answer for a customer the owner already left is dropped.
import { create } from 'zustand';
import type { CustomerDetail, Tier } from '../../../shared/model';
import { call } from '../lib/api';

interface CustomerState {
  customerId: number | null;
  /** The name the board already knows, shown while the detail loads. */
  name: string | null;
  detail: CustomerDetail | null;
  loading: boolean;
  error: string | null;
  open(customerId: number, name?: string): void;
  close(): void;
  reload(): Promise<void>;
  /** Sets (tier) or clears (null) the owner's tier; throws ApiError so the form can show it. */
  override(tier: Tier | null, reason: string): Promise<void>;
}

let request = 0;

export const useCustomerStore = create<CustomerState>((set, get) => ({
  customerId: null,
  name: null,
  detail: null,
  loading: false,
  error: null,

  open(customerId, name) {
    const same = get().customerId === customerId;
    set({ customerId, name: name ?? null, ...(same ? {} : { detail: null }), error: null });
    void get().reload();
  },

  close() {
    request++;
    set({ customerId: null, loading: false, error: null });
  },

  async reload() {
    const id = get().customerId;
    if (id === null) return;
    const mine = ++request;
    set({ loading: true });
    try {
      const detail = await call('customers.get', { customerId: id });
      if (mine !== request) return;
      set({ detail, loading: false, error: null });
    } catch (err) {
      if (mine !== request) return;
      set({ loading: false, error: (err as Error).message });
    }
  },

  async override(tier, reason) {
    const id = get().customerId;
    if (id === null) return;
    const score = await call('scores.override', { customerId: id, tier, reason });
    const detail = get().detail;
    if (detail && detail.customer.id === id) set({ detail: { ...detail, score } });
    void get().reload();
  },
}));
