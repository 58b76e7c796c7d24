// Syncing as a feature: the engine (one run at a time), the scheduler (on start, every N minutes,
// when the network returns), syncs started in the background (after a connect, a re-check) and
// the sync.* methods. After every run that wrote something the company is rescored and the
// afterSync hook runs, so pending texts about invoices that changed are dealt with.
import type { SyncRunOutcome } from '../../../shared/model';
import { SettleError } from '../../../shared/errors';
import { listConnections } from '../connectors';
import type { ProviderRegistry } from '../connectors';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Hooks } from '../hooks';
import type { Snapshots } from '../ledger';
import type { Clock, Logger, Network } from '../ports';
import { getSettings } from '../settings';
import { syncStatusExtras } from './crosscheck';
import { SyncEngine, type SyncOutcome } from './engine';
import { ReportedNetwork } from './reported-network';
import { SyncScheduler } from './scheduler';
import { closeInterruptedRuns, lastRun } from './sync-runs.repo';

export interface SyncDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: EventHub;
  hooks: Hooks;
  snapshots: Snapshots;
  providers: ProviderRegistry;
  /** The shell's network sensor; without one (browser mode, tests) the page reports it (sync.online). */
  network?: Network;
}

type Trigger = 'manual' | 'connect' | 'cli';

export class SyncService {
  readonly engine: SyncEngine;
  readonly scheduler: SyncScheduler;
  readonly handlers: readonly HandlerGroup[];
  private readonly reported: ReportedNetwork | null;
  /** Syncs started in the background (first sync after connecting, re-checks), awaited on shutdown. */
  private readonly background = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: SyncDeps) {
    const { db, clock, events, logger, hooks, snapshots, providers } = deps;
    this.engine = new SyncEngine({
      db,
      clock,
      events,
      logger,
      rescore: (connectionId) => {
        snapshots.recompute(connectionId);
        hooks.run('afterSync', { connectionId });
      },
      syncs: (conn) => providers.syncs(conn),
      sourceFor: (conn) => providers.for(conn).sourceFor(conn),
      afterRun: (outcome, signal) => this.afterRun(outcome, signal),
    });
    this.reported = deps.network ? null : new ReportedNetwork();
    this.scheduler = new SyncScheduler({
      run: (trigger, signal) => this.engine.runAll({ trigger, signal }),
      intervalMinutes: () => getSettings(db).syncIntervalMinutes,
      network: deps.network ?? this.reported ?? undefined,
      logger,
    });
    this.handlers = [
      defineHandlers('sync', {
        status: () => this.status(),
        run: (input = {}) => this.runMany(input),
        stop: () => {
          const stopped = this.engine.busy;
          if (stopped) this.engine.abortAll();
          return { stopped };
        },
        online: ({ online }) => {
          this.reported?.report(online);
          return null;
        },
      }),
    ];
  }

  /** One company's sync as plain data; a company that cannot sync at all comes back 'skipped' with why. */
  async run(connectionId: string, opts: { full?: boolean; trigger: Trigger }): Promise<SyncRunOutcome> {
    const started = Date.now();
    try {
      const run = this.engine.run(connectionId, opts);
      this.track(run); // so a disconnect or shutdown can wait for it
      return toOutcome(await run, started);
    } catch (err) {
      if (!(err instanceof SettleError)) throw err;
      const conn = listConnections(this.deps.db).find((c) => c.id === connectionId);
      return skipped(connectionId, err.message, conn?.status === 'needs_reconnect', started);
    }
  }

  /** Starts an incremental sync in the background (first sync after connecting); progress goes out as sync.progress. */
  startInBackground(connectionId: string, trigger: 'connect' | 'manual' = 'connect'): void {
    if (!this.closed) this.track(this.engine.run(connectionId, { full: false, trigger }));
  }

  /** "Re-check with the ledger": false when the company has no ledger to ask (demo, disconnected). */
  recheck(connectionId: string): boolean {
    const conn = listConnections(this.deps.db).find((c) => c.id === connectionId);
    if (this.closed || !conn || !this.deps.providers.syncs(conn) || conn.status === 'disconnected') return false;
    this.startInBackground(connectionId, 'manual');
    return true;
  }

  /** Before a disconnect: stops the company's sync if it is the one running, and waits for it. */
  async stopFor(connectionId: string): Promise<void> {
    if (this.engine.running !== connectionId) return;
    this.engine.abortAll();
    await this.settleAll();
  }

  /** Closes runs an earlier process left 'running', then starts the scheduler when asked. */
  start(opts: { timer: boolean }): void {
    const closed = closeInterruptedRuns(this.deps.db, this.deps.clock.now().toISOString());
    if (closed > 0) this.deps.logger.warn('sync runs left running by an earlier stop were closed as aborted', { runs: closed });
    if (opts.timer) this.scheduler.start();
  }

  /** Stops the scheduler, aborts runs and waits for them. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const stopping = this.scheduler.stop();
    this.engine.abortAll();
    await Promise.allSettled([stopping, this.settleAll()]);
  }

  /** The synchronous stop (close): nothing is awaited. */
  close(): void {
    this.closed = true;
    void this.scheduler.stop();
    this.engine.abortAll();
  }

  private status() {
    const { db, providers } = this.deps;
    return {
      online: (this.deps.network ?? this.reported)?.isOnline() ?? true,
      running: this.engine.busy,
      connections: listConnections(db),
      lastRun: lastRun(db),
      ...syncStatusExtras(db, providers),
      budgets: Object.assign({}, ...providers.all().map((p) => p.budgets?.() ?? {})),
    };
  }

  private async runMany(input: { connectionId?: string; full?: boolean }): Promise<{ runs: SyncRunOutcome[] }> {
    const all = listConnections(this.deps.db);
    if (input.connectionId && !all.some((c) => c.id === input.connectionId)) {
      throw new SettleError('not_found', `No company "${input.connectionId}"`);
    }
    const targets = input.connectionId
      ? [input.connectionId]
      : all.filter((c) => this.deps.providers.syncs(c) && c.status !== 'disconnected').map((c) => c.id);
    if (targets.length === 0) throw new SettleError('not_found', 'No QuickBooks or Xero company to sync. Connect one in Settings → Connections.');
    const runs: SyncRunOutcome[] = [];
    for (const id of targets) runs.push(await this.run(id, { full: input.full ?? false, trigger: 'manual' }));
    return { runs };
  }

  private afterRun(outcome: SyncOutcome, signal: AbortSignal): Promise<unknown> {
    const conn = listConnections(this.deps.db).find((c) => c.id === outcome.connectionId);
    return conn ? this.deps.providers.for(conn).afterSync(outcome, signal) : Promise.resolve(null);
  }

  private track(p: Promise<unknown>): void {
    const quiet = p.catch((err: unknown) => this.deps.logger.warn('background sync failed', { error: err instanceof Error ? err.message : String(err) }));
    this.background.add(quiet);
    void quiet.finally(() => this.background.delete(quiet));
  }

  private async settleAll(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }
}

function toOutcome(o: SyncOutcome, startedMs: number): SyncRunOutcome {
  return {
    connectionId: o.connectionId,
    status: o.status,
    kind: o.kind,
    records: o.records,
    requests: o.requests,
    warnings: o.warningCount,
    warningLines: [...o.warnings],
    error: o.error,
    needsReconnect: o.needsReconnect,
    retryAt: o.retryAt,
    durationMs: Date.now() - startedMs,
  };
}

function skipped(connectionId: string, error: string, needsReconnect: boolean, startedMs: number): SyncRunOutcome {
  return {
    connectionId,
    status: 'skipped',
    kind: null,
    records: 0,
    requests: 0,
    warnings: 0,
    warningLines: [],
    error,
    needsReconnect,
    retryAt: null,
    durationMs: Date.now() - startedMs,
  };
}
