// Named, ordered, synchronous hooks: how a feature reacts to something another feature does
// without either importing the other's handlers. A feature that owns the moment calls run();
// features that care register with on(). The composition root (app.ts) registers every
// listener, in one commented place, so the order in which they run is read there.

export interface HookPayloads {
  /**
   * Before today's scores for a company are taken (after a sync, an override, a new day):
   * follow-up settles promise statuses from synced payments, and reminders not yet sent about
   * invoices that changed are cancelled or held, so the facts read next are current.
   */
  beforeSnapshot: { connectionId: string };
  /** A sync finished and its company was rescored: the ledger may have changed under pending texts. */
  afterSync: { connectionId: string };
  /** The owner submitted a draft for approval (drafts.submit); a rule may approve it at once. */
  draftSubmitted: { draftId: number };
}

export type HookName = keyof HookPayloads;
type Listener<H extends HookName> = (payload: HookPayloads[H]) => void;

export class Hooks {
  private readonly listeners = new Map<HookName, { owner: string; fn: Listener<HookName> }[]>();

  /** Adds a listener; listeners run in the order they were added. `owner` names it in errors. */
  on<H extends HookName>(hook: H, owner: string, fn: Listener<H>): void {
    const list = this.listeners.get(hook) ?? [];
    if (list.some((l) => l.owner === owner)) throw new Error(`hooks: ${owner} already listens to ${hook}`);
    list.push({ owner, fn: fn as Listener<HookName> });
    this.listeners.set(hook, list);
  }

  /** Runs every listener in order. A listener's error propagates: the caller decides what it means. */
  run<H extends HookName>(hook: H, payload: HookPayloads[H]): void {
    for (const { fn } of this.listeners.get(hook) ?? []) fn(payload);
  }

  /** Who listens to a hook, in order (for the architecture test and debugging). */
  owners(hook: HookName): string[] {
    return (this.listeners.get(hook) ?? []).map((l) => l.owner);
  }
}
