// Runs one connection's sync through a connector's SyncSource (DESIGN §6). The rules that make
// a sync safe to interrupt at any point:
//  - each page is written in ONE transaction together with its entity's cursor, so a crash
//    or abort between pages resumes from the last committed page, with nothing lost or doubled
//    (upserts are keyed on (connection_id, external_id));
//  - a page with a bad record does not block the sync forever: the page is re-applied record
//    by record (each in a savepoint of the same transaction), the bad ones are skipped and
//    reported as warnings, and the cursor still advances;
//  - one sync at a time overall; asking again for a connection that is queued or running joins
//    that run;
//  - NeedsReconnectError fails the run with its message and is not retried; a provider limit
//    (daily budget, long Retry-After) fails it with the time it lifts.
import { SettleError } from '../../../shared/errors';
import type { ConnectionSummary, SyncProgress } from '../../../shared/model';
import { NeedsReconnectError } from '../auth/tokens';
import {
  getConnectionRecord,
  listConnections,
  markSynced,
  type ConnectionRecord,
} from '../connectors';
import { upsertBatch } from '../ledger';
import { clearCursors, finishRun, getCursor, setCursor, startRun } from './sync-runs.repo';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { flagNeedsReconnect } from './reconnect';
import type { LedgerBatch } from '../ledger';
import { silentLogger, type Clock, type Logger } from '../ports';
import { RateLimitedError } from './http';
import { DailyLimitError } from './limiter';

export interface SyncContext {
  /** Each entity's committed cursor (null: never synced, do a backfill). */
  cursors: Record<string, string | null>;
  /** Aborted when the owner stops the sync or the app quits; pass it to every request. */
  signal: AbortSignal;
  /** A line for the progress bar ("Fetching invoices 3,000–4,000…"). */
  progress(message: string): void;
}

export interface SyncPage {
  /** One of the source's `entities`. */
  entity: string;
  batch: LedgerBatch;
  /** This entity's cursor once this page is committed; null leaves the stored cursor as it is. */
  cursor: string | null;
  /** Records the connector could not map (skipped), one line each. */
  warnings: string[];
  /** Provider records this page covers (for progress and the run row). */
  records: number;
  /** Records expected for this entity in this run, when the connector knows. */
  total?: number | null;
}

/** What a connector implements to be synced. */
export interface SyncSource {
  entities: string[];
  pages(ctx: SyncContext): AsyncIterable<SyncPage>;
  /** Provider requests made so far (HttpClient.requests); the run records the difference. */
  requests?(): number;
}

export type SyncTrigger = 'start' | 'interval' | 'manual' | 'online' | 'connect' | 'cli';

export interface SyncOutcome {
  connectionId: string;
  /** The sync_runs row; null when the run was stopped before it started. */
  runId: number | null;
  status: 'ok' | 'failed' | 'aborted';
  kind: 'full' | 'incremental';
  pages: number;
  records: number;
  requests: number;
  /** Skipped records and mapping problems (at most MAX_WARNINGS lines; `warningCount` has them all). */
  warnings: string[];
  warningCount: number;
  error: string | null;
  needsReconnect: boolean;
  /** When a provider limit stopped the run: the instant it lifts. */
  retryAt: string | null;
}

export interface SyncEngineOptions {
  db: Db;
  clock: Clock;
  events: Pick<EventHub, 'emit'>;
  logger?: Logger;
  /**
   * Whether a company syncs from a remote ledger (the provider registry's word); runAll skips the
   * others. Default: every company (runAll then skips, with a warning, one with nothing to sync).
   */
  syncs?(connection: ConnectionSummary): boolean;
  /** The connector for a connection; null when it has nothing to sync (demo, CSV). */
  sourceFor(connection: ConnectionRecord): SyncSource | null | Promise<SyncSource | null>;
  /** Rescores the connection (the core's recompute); runs after every run that wrote something. */
  rescore(connectionId: string): void;
  /** Runs after a run (still inside it, so `busy` stays true), e.g. the QBO cross-check; errors are logged, never fail the run. */
  afterRun?(outcome: SyncOutcome, signal: AbortSignal): Promise<unknown> | unknown;
}

export interface RunOptions {
  /** Forget the cursors first: a full backfill. */
  full?: boolean;
  trigger?: SyncTrigger;
  signal?: AbortSignal;
}

export const MAX_WARNINGS = 100;
const EMPTY = { runId: null, pages: 0, records: 0, requests: 0, warnings: [], warningCount: 0, needsReconnect: false, retryAt: null };

/** One run once its sync_runs row exists. */
interface OneRun {
  conn: ConnectionRecord;
  source: SyncSource;
  runId: number;
  kind: SyncOutcome['kind'];
  /** The source's request count when the run started. */
  requestsAtStart: number;
  cursors: Record<string, string | null>;
  signal: AbortSignal;
  trigger: SyncTrigger;
}

/** How the paging ended. */
type Ending = Pick<SyncOutcome, 'status' | 'error' | 'needsReconnect' | 'retryAt'>;
const OK: Ending = { status: 'ok', error: null, needsReconnect: false, retryAt: null };

/** What one run has counted so far (pages, records, warnings, totals), and its progress events. */
class RunTally {
  readonly totals = new Map<string, number>();
  records = 0;
  pages = 0;
  /** The first MAX_WARNINGS lines; warningCount counts them all. */
  readonly warnings: string[] = [];
  warningCount = 0;

  constructor(
    private readonly events: Pick<EventHub, 'emit'>,
    private readonly connectionId: string,
  ) {}

  warn(lines: string[]): void {
    this.warningCount += lines.length;
    for (const l of lines) if (this.warnings.length < MAX_WARNINGS) this.warnings.push(l);
  }

  /** A committed page, with the records the ledger refused. */
  saved(page: SyncPage, skipped: string[]): void {
    this.pages++;
    this.records += page.records;
    this.warn(page.warnings);
    this.warn(skipped);
    this.emit('write', `Saved ${page.records.toLocaleString('en-US')} ${page.entity}`);
  }

  /** Records expected in the run, when the source said (never less than those seen). */
  total(): number | null {
    if (this.totals.size === 0) return null;
    let sum = 0;
    for (const t of this.totals.values()) sum += t;
    return Math.max(sum, this.records);
  }

  emit(phase: SyncProgress['phase'], message: string, done = this.records): void {
    this.events.emit('sync.progress', { connectionId: this.connectionId, phase, done, total: this.total(), message });
  }
}

export class SyncEngine {
  private readonly logger: Logger;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<SyncOutcome>>();
  private stopper = new AbortController();
  private current: string | null = null;

  constructor(private readonly opts: SyncEngineOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** The connection syncing right now, if any. */
  get running(): string | null {
    return this.current;
  }

  /** True while a run is going or queued. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Syncs one connection after any run already going. A second request for a connection that
   * is queued or running joins that run. Throws (SettleError) only when the connection cannot
   * be synced at all; a sync that starts and fails resolves with status 'failed'.
   */
  run(connectionId: string, opts: RunOptions = {}): Promise<SyncOutcome> {
    const joined = this.pending.get(connectionId);
    if (joined) return joined;
    const stop = this.stopper.signal;
    const run = this.tail.then(() => this.execute(connectionId, opts, stop));
    this.tail = run.catch(() => undefined);
    this.pending.set(connectionId, run);
    void run.then(
      () => this.pending.delete(connectionId),
      () => this.pending.delete(connectionId),
    );
    return run;
  }

  /** Syncs every active company that syncs from a remote ledger (QuickBooks, Xero), one after another. */
  async runAll(opts: Omit<RunOptions, 'full'> = {}): Promise<SyncOutcome[]> {
    const outcomes: SyncOutcome[] = [];
    for (const conn of listConnections(this.opts.db)) {
      if (!(this.opts.syncs?.(conn) ?? true) || conn.status !== 'active') continue;
      if (opts.signal?.aborted) break;
      try {
        const outcome = await this.run(conn.id, opts);
        outcomes.push(outcome);
        if (outcome.status === 'aborted') break;
      } catch (err) {
        this.logger.warn('connection skipped by sync', { connectionId: conn.id, error: errorText(err) });
      }
    }
    return outcomes;
  }

  /** Stops the running sync and everything queued (they resolve as 'aborted'). */
  abortAll(): void {
    this.stopper.abort(new SettleError('unavailable', 'Sync stopped'));
    this.stopper = new AbortController();
  }

  // ---- one run ----

  private async execute(connectionId: string, opts: RunOptions, stop: AbortSignal): Promise<SyncOutcome> {
    const { db, clock } = this.opts;
    const conn = getConnectionRecord(db, connectionId);
    if (!conn) throw new SettleError('not_found', `No connection "${connectionId}"`);
    if (conn.status === 'needs_reconnect') {
      throw new SettleError('conflict', `${conn.name} needs to be reconnected before it can sync. Open Settings → Connections and choose Reconnect.`);
    }
    if (conn.status === 'disconnected') throw new SettleError('conflict', `${conn.name} is disconnected, so it does not sync.`);
    const source = await this.opts.sourceFor(conn);
    if (!source) throw new SettleError('invalid_input', `${conn.name} has nothing to sync from (it is not a QuickBooks or Xero company).`);

    const signal = opts.signal ? AbortSignal.any([stop, opts.signal]) : stop;
    if (signal.aborted) {
      // Stopped while waiting its turn: nothing ran, so nothing is recorded.
      return { ...EMPTY, connectionId, status: 'aborted', kind: 'incremental', error: 'The sync was stopped before it started.' };
    }
    const nowIso = (): string => clock.now().toISOString();
    if (opts.full) clearCursors(db, connectionId);
    const cursors: Record<string, string | null> = {};
    for (const e of source.entities) cursors[e] = getCursor(db, connectionId, e);
    const kind = Object.values(cursors).every((c) => c === null) ? 'full' : 'incremental';
    const trigger = opts.trigger ?? 'manual';
    const runId = startRun(db, connectionId, kind, nowIso(), trigger);
    const requestsAtStart = source.requests?.() ?? 0;
    this.current = connectionId;
    try {
      return await this.pull({ conn, source, runId, kind, requestsAtStart, cursors, signal, trigger });
    } finally {
      this.current = null;
    }
  }

  /** One started run: pages until the source is done or the run stops, then the bookkeeping. */
  private async pull(run: OneRun): Promise<SyncOutcome> {
    const { conn, kind, trigger, runId } = run;
    const tally = new RunTally(this.opts.events, conn.id);
    this.logger.info('sync started', { connectionId: conn.id, provider: conn.provider, kind, trigger, runId });
    tally.emit('start', `Syncing ${conn.name}…`);
    const ending = await this.drain(run, tally);
    return this.finish(run, tally, ending);
  }

  /** Commits the source's pages one by one; how the run ended (an error never escapes). */
  private async drain(run: OneRun, tally: RunTally): Promise<Ending> {
    const { conn, source, signal } = run;
    let iterator: AsyncIterator<SyncPage> | undefined;
    let finished = false;
    try {
      iterator = source.pages({ cursors: { ...run.cursors }, signal, progress: (message) => tally.emit('fetch', message) })[Symbol.asyncIterator]();
      for (;;) {
        signal.throwIfAborted();
        tally.emit('fetch', tally.pages === 0 ? `Contacting ${providerName(conn.provider)}…` : `Fetching from ${providerName(conn.provider)}…`);
        const step = await iterator.next();
        if (step.done) {
          finished = true;
          break;
        }
        const page = step.value;
        // Nothing is written after a stop, so "stopped" means stopped.
        signal.throwIfAborted();
        if (!source.entities.includes(page.entity)) {
          throw new SettleError('internal', `The ${conn.provider} connector sent a page of "${page.entity}", which it did not declare`);
        }
        if (page.total !== undefined && page.total !== null) tally.totals.set(page.entity, page.total);
        tally.saved(page, this.commit(conn.id, page, this.nowIso()));
      }
      return OK;
    } catch (err) {
      return this.ending(run, err);
    } finally {
      // Let the connector release what it holds (open requests, timers) when we stop early.
      if (!finished) await Promise.resolve(iterator?.return?.()).catch(() => undefined);
    }
  }

  /** What an error means for the run: stopped, or failed (with a reconnect or the time a limit lifts). */
  private ending(run: OneRun, err: unknown): Ending {
    if (run.signal.aborted) {
      return { status: 'aborted', error: 'The sync was stopped before it finished; the next sync continues from the last saved page.', needsReconnect: false, retryAt: null };
    }
    const connectionId = run.conn.id;
    const ending: Ending = { status: 'failed', error: errorText(err), needsReconnect: false, retryAt: null };
    if (err instanceof NeedsReconnectError) {
      ending.needsReconnect = true;
      this.markNeedsReconnect(connectionId);
    } else if (err instanceof DailyLimitError) {
      ending.retryAt = err.resetAt;
    } else if (err instanceof RateLimitedError) {
      ending.retryAt = err.retryAt;
    }
    if (!(err instanceof SettleError)) {
      this.logger.error('sync failed', { connectionId, runId: run.runId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return ending;
  }

  /** Records the run, rescores what it wrote, runs the after-sync step and says how it went. */
  private async finish(run: OneRun, tally: RunTally, end: Ending): Promise<SyncOutcome> {
    const { db } = this.opts;
    const { conn, source, runId, kind, requestsAtStart, signal } = run;
    const connectionId = conn.id;
    const { status, error, needsReconnect, retryAt } = end;
    const requests = Math.max(0, (source.requests?.() ?? requestsAtStart) - requestsAtStart);
    const at = this.nowIso();
    const { pages, records, warnings } = tally;
    finishRun(db, runId, {
      status,
      requests,
      records,
      error: status === 'ok' ? warningSummary(warnings, tally.warningCount) : error,
      warnings,
      warningCount: tally.warningCount,
      retryAt,
      atIso: at,
    });
    if (status === 'ok') markSynced(db, connectionId, at);
    if (status === 'ok' || pages > 0) this.rescore(connectionId, tally);
    const outcome: SyncOutcome = { connectionId, runId, status, kind, pages, records, requests, warnings, warningCount: tally.warningCount, error, needsReconnect, retryAt };
    if (status === 'ok' && this.opts.afterRun) {
      tally.emit('score', 'Checking against the books…');
      try {
        await this.opts.afterRun(outcome, signal);
      } catch (err) {
        this.logger.warn('after-sync step failed', { connectionId, error: errorText(err) });
      }
    }
    this.logger.info('sync finished', { connectionId, runId, status, pages, records, requests, warnings: tally.warningCount });
    if (status === 'ok') {
      tally.emit('done', tally.warningCount > 0 ? `Synced ${conn.name} (${tally.warningCount} record(s) skipped)` : `Synced ${conn.name}`);
    } else {
      tally.emit('error', error ?? 'The sync did not finish.');
    }
    return outcome;
  }

  /** After a run that wrote something: rescores the company (a failure is a warning) and tells the views. */
  private rescore(connectionId: string, tally: RunTally): void {
    tally.emit('score', 'Scoring invoices…');
    try {
      this.opts.rescore(connectionId);
    } catch (err) {
      this.logger.error('rescore after sync failed', { connectionId, error: errorText(err) });
      tally.warn([`Scores were not updated: ${errorText(err)}`]);
    }
    this.opts.events.emit('ledger.changed', { connectionId, reason: 'sync' });
  }

  private nowIso(): string {
    return this.opts.clock.now().toISOString();
  }

  /** Writes one page and its cursor atomically; returns the records it had to skip. */
  private commit(connectionId: string, page: SyncPage, at: string): string[] {
    const { db } = this.opts;
    const saveCursor = (): void => {
      if (page.cursor !== null) setCursor(db, connectionId, page.entity, page.cursor, at);
    };
    try {
      db.transaction(() => {
        upsertBatch(db, connectionId, page.batch, { nowIso: at });
        saveCursor();
      })();
      return [];
    } catch (err) {
      if (!(err instanceof SettleError && err.code === 'invalid_input')) throw err;
    }
    // A bad record: apply the page one record at a time so only the bad ones are left out.
    return db.transaction(() => {
      const skipped = upsertEach(db, connectionId, page.batch, at);
      saveCursor();
      return skipped;
    })();
  }

  private markNeedsReconnect(connectionId: string): void {
    try {
      flagNeedsReconnect(this.opts, connectionId);
    } catch (err) {
      this.logger.error('could not mark the connection as needing reconnect', { connectionId, error: errorText(err) });
    }
  }
}

/**
 * Upserts a batch record by record, in dependency order, each in its own savepoint (the
 * caller holds the transaction). Records the ledger refuses are skipped with one line each.
 */
function upsertEach(db: Db, connectionId: string, batch: LedgerBatch, at: string): string[] {
  const skipped: string[] = [];
  const tryOne = (one: LedgerBatch): boolean => {
    try {
      upsertBatch(db, connectionId, one, { nowIso: at });
      return true;
    } catch (err) {
      if (!(err instanceof SettleError && err.code === 'invalid_input')) throw err;
      skipped.push(`${err.message} (skipped)`);
      return false;
    }
  };
  const customers = batch.customers ?? [];
  const bad = new Set<string>();
  // Parents may come later in the page: rows first, then the parent links.
  for (const c of customers) if (!tryOne({ customers: [{ ...c, parentExternalId: undefined }] })) bad.add(c.externalId);
  for (const c of customers) if (c.parentExternalId !== undefined && !bad.has(c.externalId)) tryOne({ customers: [c] });
  for (const inv of batch.invoices ?? []) tryOne({ invoices: [inv] });
  for (const cn of batch.creditNotes ?? []) tryOne({ creditNotes: [cn] });
  for (const p of batch.payments ?? []) tryOne({ payments: [p] });
  for (const n of batch.notes ?? []) tryOne({ notes: [n] });
  return skipped;
}

function warningSummary(warnings: string[], count: number): string | null {
  if (count === 0) return null;
  const first = warnings[0] ?? '';
  return `${count} record(s) skipped: ${first}${count > 1 ? ` (and ${count - 1} more)` : ''}`;
}

function providerName(provider: string): string {
  return provider === 'qbo' ? 'QuickBooks' : provider === 'xero' ? 'Xero' : provider;
}

/** SettleError messages are written for the owner; anything else stays in the log. */
function errorText(err: unknown): string {
  if (err instanceof SettleError) return err.message;
  return 'The sync stopped because of an unexpected error; the details are in the log.';
}
