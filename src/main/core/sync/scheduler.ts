// When syncs happen (DESIGN §6): shortly after start, every N minutes (a setting, read each
// time), on "Sync now", and when the network comes back. Never two at once: a trigger that
// arrives during a run joins it. The next interval is counted from the end of the last run,
// so a slow sync cannot pile up behind itself. Timers are injected so tests drive time.
import { silentLogger, type Logger, type Network } from '../ports';
import type { SyncTrigger } from './engine';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // a pending sync must not keep a CLI process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The Network port, plus change notifications when the host has them (Electron's online events). */
export interface OnlineSource extends Network {
  onChange?(listener: (online: boolean) => void): () => void;
}

export interface SchedulerOptions<T> {
  /** Runs the sync (e.g. engine.runAll); the signal aborts it on stop(). */
  run(trigger: SyncTrigger, signal: AbortSignal): Promise<T>;
  /** Minutes between syncs (the syncIntervalMinutes setting); 0 or less turns the timer off. */
  intervalMinutes(): number;
  network?: OnlineSource;
  timers?: Timers;
  logger?: Logger;
  /** Delay before the sync on start, so it does not compete with the first paint (default 3 s). */
  startDelayMs?: number;
  /** Without network.onChange, how often to poll isOnline() (default 30 s). */
  onlinePollMs?: number;
}

export type TriggerResult<T> =
  | { ran: true; trigger: SyncTrigger; value: T }
  | { ran: false; trigger: SyncTrigger; reason: 'offline' | 'stopped' | 'failed'; error?: unknown };

export class SyncScheduler<T = unknown> {
  private readonly timers: Timers;
  private readonly logger: Logger;
  private next: unknown = null;
  private poll: unknown = null;
  private unsubscribe: (() => void) | null = null;
  private current: Promise<TriggerResult<T>> | null = null;
  private controller = new AbortController();
  private started = false;
  private stopped = false;
  private lastOnline = true;

  constructor(private readonly opts: SchedulerOptions<T>) {
    this.timers = opts.timers ?? realTimers;
    this.logger = opts.logger ?? silentLogger;
  }

  get running(): boolean {
    return this.current !== null;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const net = this.opts.network;
    this.lastOnline = net?.isOnline() ?? true;
    if (net?.onChange) {
      this.unsubscribe = net.onChange((online) => this.networkChanged(online));
    } else if (net) {
      this.pollOnline();
    }
    this.schedule('start', this.opts.startDelayMs ?? 3000);
  }

  /** "Sync now". Joins a run already going. */
  syncNow(): Promise<TriggerResult<T>> {
    return this.trigger('manual');
  }

  /** Call after the interval setting changes: the next tick is re-timed from now. */
  reschedule(): void {
    if (!this.started || this.stopped || this.current) return;
    this.scheduleInterval();
  }

  /** Clears every timer and subscription, aborts a running sync and waits for it to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearNext();
    if (this.poll !== null) this.timers.clearTimeout(this.poll);
    this.poll = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.controller.abort();
    await this.current?.catch(() => undefined);
  }

  // ---- internals ----

  private trigger(trigger: SyncTrigger): Promise<TriggerResult<T>> {
    if (this.stopped) return Promise.resolve({ ran: false, trigger, reason: 'stopped' });
    if (this.current) return this.current;
    if (this.opts.network && !this.opts.network.isOnline()) {
      // Nothing to do until the network is back (the online event triggers the next sync).
      this.lastOnline = false;
      if (trigger !== 'manual') this.scheduleInterval();
      return Promise.resolve({ ran: false, trigger, reason: 'offline' });
    }
    this.clearNext();
    const signal = this.controller.signal;
    const run = (async (): Promise<TriggerResult<T>> => {
      try {
        const value = await this.opts.run(trigger, signal);
        return { ran: true, trigger, value };
      } catch (error) {
        this.logger.warn('scheduled sync failed', { trigger, error: error instanceof Error ? error.message : String(error) });
        return { ran: false, trigger, reason: 'failed', error };
      }
    })();
    this.current = run;
    void run.then(() => {
      this.current = null;
      if (!this.stopped) this.scheduleInterval();
    });
    return run;
  }

  private networkChanged(online: boolean): void {
    const cameBack = online && !this.lastOnline;
    this.lastOnline = online;
    if (cameBack && !this.stopped) void this.trigger('online');
  }

  private pollOnline(): void {
    const every = this.opts.onlinePollMs ?? 30_000;
    this.poll = this.timers.setTimeout(() => {
      this.poll = null;
      if (this.stopped) return;
      this.networkChanged(this.opts.network?.isOnline() ?? true);
      this.pollOnline();
    }, every);
  }

  private scheduleInterval(): void {
    const minutes = this.opts.intervalMinutes();
    if (!(minutes > 0)) {
      this.clearNext();
      return;
    }
    this.schedule('interval', minutes * 60_000);
  }

  private schedule(trigger: SyncTrigger, ms: number): void {
    this.clearNext();
    if (this.stopped) return;
    this.next = this.timers.setTimeout(() => {
      this.next = null;
      void this.trigger(trigger);
    }, ms);
  }

  private clearNext(): void {
    if (this.next !== null) this.timers.clearTimeout(this.next);
    this.next = null;
  }
}
