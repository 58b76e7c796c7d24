// Which payment applied which credit memo to which invoice. QBO applies credit memos only through
// Payment lines (a Payment whose lines link the invoice and the credit memo, usually with a zero
// total), so a credit memo's allocations are known only by reading the payments. The ledger
// stores them on the credit note, and a credit note record replaces ALL of its allocations
// when it is written, so re-writing a credit memo (it changed, or one more payment used it)
// needs every payment's share, including payments synced in earlier runs. This keeps that
// map, small (only payments that apply credit), in a store the connection provides.
import { getSetting, setSetting } from '../../settings';
import type { Db } from '../../db/open';
import type { ApplicationRecord } from '../../ledger';
import type { Clock } from '../../ports';
import type { CreditApplication } from './map';

export interface CreditLinkState {
  v: 1;
  /** paymentId → creditMemoId → the applications that payment made from that credit memo. */
  byPayment: Record<string, Record<string, ApplicationRecord[]>>;
}

export interface CreditLinkStore {
  load(): Promise<CreditLinkState | null> | CreditLinkState | null;
  save(state: CreditLinkState): Promise<void> | void;
}

/** Keeps the links for the life of the object (tests, or a source used once). */
export function memoryCreditLinkStore(initial: CreditLinkState | null = null): CreditLinkStore & { state: CreditLinkState | null } {
  const store = {
    state: initial ? structuredClone(initial) : null,
    load: () => (store.state ? structuredClone(store.state) : null),
    save: (s: CreditLinkState) => {
      store.state = structuredClone(s);
    },
  };
  return store;
}

/** Keeps the links in the settings table under `qbo.creditLinks.<connectionId>` (no secrets in it). */
export function settingsCreditLinkStore(db: Db, connectionId: string, clock: Clock): CreditLinkStore {
  const key = `qbo.creditLinks.${connectionId}`;
  return {
    load: () => {
      const v = getSetting<CreditLinkState>(db, key);
      return v && v.v === 1 && typeof v.byPayment === 'object' && v.byPayment !== null ? v : null;
    },
    save: (state) => setSetting(db, key, state, clock.now().toISOString()),
  };
}

export class CreditLinks {
  private byPayment: Record<string, Record<string, ApplicationRecord[]>>;
  /** creditMemoId → payments that applied it. */
  private readonly byMemo = new Map<string, Set<string>>();
  private dirty = false;

  private constructor(
    private readonly store: CreditLinkStore,
    state: CreditLinkState | null,
  ) {
    this.byPayment = state?.byPayment ?? {};
    for (const [paymentId, memos] of Object.entries(this.byPayment)) {
      for (const memoId of Object.keys(memos)) this.index(memoId, paymentId);
    }
  }

  static async open(store: CreditLinkStore): Promise<CreditLinks> {
    return new CreditLinks(store, await store.load());
  }

  /** Forgets every payment (a payment backfill starting from the top rebuilds the map). */
  reset(): void {
    if (Object.keys(this.byPayment).length === 0) return;
    this.byPayment = {};
    this.byMemo.clear();
    this.dirty = true;
  }

  /** Records a payment's current credit applications; returns the credit memos whose allocations changed. */
  setPayment(paymentId: string, credits: readonly CreditApplication[]): Set<string> {
    const next: Record<string, ApplicationRecord[]> = {};
    for (const c of credits) {
      (next[c.creditMemoId] ??= []).push({ invoiceExternalId: c.invoiceExternalId, amountCents: c.amountCents, appliedOn: c.appliedOn });
    }
    const prev = this.byPayment[paymentId] ?? {};
    const touched = new Set<string>();
    for (const memoId of new Set([...Object.keys(prev), ...Object.keys(next)])) {
      if (JSON.stringify(prev[memoId] ?? null) !== JSON.stringify(next[memoId] ?? null)) touched.add(memoId);
    }
    for (const memoId of Object.keys(prev)) this.byMemo.get(memoId)?.delete(paymentId);
    if (Object.keys(next).length === 0) {
      if (paymentId in this.byPayment) {
        delete this.byPayment[paymentId];
        this.dirty = true;
      }
    } else {
      this.byPayment[paymentId] = next;
      for (const memoId of Object.keys(next)) this.index(memoId, paymentId);
      if (touched.size > 0) this.dirty = true;
    }
    return touched;
  }

  /** A deleted payment: its credit goes back to the credit memos it used. */
  removePayment(paymentId: string): Set<string> {
    return this.setPayment(paymentId, []);
  }

  /** Every allocation of a credit memo, over all payments, oldest payment first. */
  applicationsFor(creditMemoId: string): ApplicationRecord[] {
    const payments = [...(this.byMemo.get(creditMemoId) ?? [])].sort(byNumericId);
    const out: ApplicationRecord[] = [];
    for (const p of payments) out.push(...(this.byPayment[p]?.[creditMemoId] ?? []).map((a) => ({ ...a })));
    return out;
  }

  /** Persists the map when it changed. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await this.store.save({ v: 1, byPayment: this.byPayment });
    this.dirty = false;
  }

  private index(memoId: string, paymentId: string): void {
    let set = this.byMemo.get(memoId);
    if (!set) this.byMemo.set(memoId, (set = new Set()));
    set.add(paymentId);
  }
}

function byNumericId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
