// The outbox as the renderer sees it: every reminder after approval, reloaded whenever the core
// says the outbox changed (a send, a retry, a block, a payment seen by sync). The sidebar's count
// is what needs the owner: manual sends to make, "may have been sent", failures and holds.
import { create } from 'zustand';
import type { DraftView } from '../../../../shared/model';
import type { OutboxItemView, OutboxState, OutboxView } from '../../../../shared/outbox';
import { call, on } from '../../lib/api';

export type OutboxGroup = 'open' | 'sent' | 'cancelled';

/** Which states each tab shows. */
export const GROUP_STATES: Record<OutboxGroup, readonly OutboxState[]> = {
  open: ['unconfirmed', 'failed', 'blocked', 'awaiting_owner', 'sending', 'queued'],
  sent: ['sent'],
  cancelled: ['cancelled'],
};

/** States that wait on the owner, counted on the sidebar. */
export const NEEDS_OWNER: readonly OutboxState[] = ['awaiting_owner', 'unconfirmed', 'failed', 'blocked'];

export type OutboxAction = 'cancel' | 'confirmSent' | 'requeue' | 'redraft' | 'process';

interface OutboxStore {
  view: OutboxView | null;
  error: string | null;
  notice: string | null;
  busy: { itemId: number | null; action: OutboxAction } | null;
  load(): Promise<void>;
  /** Runs one action; returns the new draft for a redraft. */
  act(action: Exclude<OutboxAction, 'process'>, itemId: number): Promise<DraftView | null>;
  processNow(): Promise<void>;
  clearNotice(): void;
}

let seq = 0;

export function needsOwner(view: OutboxView | null): number {
  return view ? NEEDS_OWNER.reduce((n, s) => n + (view.counts[s] ?? 0), 0) : 0;
}

export function itemsIn(view: OutboxView | null, group: OutboxGroup): OutboxItemView[] {
  if (!view) return [];
  const states = GROUP_STATES[group];
  const rank = (i: OutboxItemView): number => states.indexOf(i.state);
  // Open: what needs the owner first; within a state, the most recently changed first (core order).
  return view.items.filter((i) => states.includes(i.state)).sort((a, b) => rank(a) - rank(b));
}

const DONE: Record<Exclude<OutboxAction, 'process'>, string> = {
  cancel: 'Cancelled. Nothing was sent.',
  confirmSent: 'Marked as sent.',
  requeue: 'Queued again. It keeps its idempotency key, so the ledger will not send it twice.',
  redraft: 'A fresh draft from the current ledger is open.',
};

export const useOutboxStore = create<OutboxStore>((set, get) => {
  on('outbox.changed', () => void get().load());
  on('ledger.changed', (e) => {
    if (e.reason === 'connection' || e.reason === 'demo' || e.reason === 'remove' || e.reason === 'sync') void get().load();
  });

  return {
    view: null,
    error: null,
    notice: null,
    busy: null,

    async load() {
      const mine = ++seq;
      try {
        const view = await call('outbox.list', { limit: 500 });
        if (mine === seq) set({ view, error: null });
      } catch (err) {
        if (mine === seq) set({ error: (err as Error).message });
      }
    },

    async act(action, itemId) {
      set({ busy: { itemId, action }, error: null, notice: null });
      try {
        let draft: DraftView | null = null;
        if (action === 'redraft') draft = await call('outbox.redraft', { itemId });
        else if (action === 'cancel') await call('outbox.cancel', { itemId });
        else if (action === 'confirmSent') await call('outbox.confirmSent', { itemId });
        else await call('outbox.requeue', { itemId });
        set({ notice: DONE[action] });
        await get().load();
        return draft;
      } catch (err) {
        set({ error: (err as Error).message });
        return null;
      } finally {
        set({ busy: null });
      }
    },

    async processNow() {
      set({ busy: { itemId: null, action: 'process' }, error: null, notice: null });
      try {
        const r = await call('outbox.process', {});
        const parts = [
          r.sent && `${r.sent} sent`,
          r.awaitingOwner && `${r.awaitingOwner} waiting for you`,
          r.unconfirmed && `${r.unconfirmed} may have been sent — confirm`,
          r.retrying && `${r.retrying} will retry`,
          r.blocked && `${r.blocked} held`,
          r.failed && `${r.failed} failed`,
        ].filter(Boolean);
        set({ notice: parts.length ? `${parts.join(', ')}.` : 'Nothing was due.' });
        await get().load();
      } catch (err) {
        set({ error: (err as Error).message });
      } finally {
        set({ busy: null });
      }
    },

    clearNotice: () => set({ notice: null }),
  };
});
