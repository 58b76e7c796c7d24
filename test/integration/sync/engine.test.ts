// The sync engine against a real SQLite file and a scripted SyncSource: pages commit with
// their cursor, a failure mid-page leaves the earlier pages and cursor, a new run resumes
// there, and nothing is doubled.
import { describe, expect, it, vi } from 'vitest';
import { NeedsReconnectError } from '../../../src/main/core/auth/tokens';
import { createConnection, getConnection } from '../../../src/main/core/connectors/connections.repo';
import { getCursor, lastRun } from '../../../src/main/core/sync/sync-runs.repo';
import type { Db } from '../../../src/main/core/db/open';
import { EventHub } from '../../../src/main/core/events';
import type { InvoiceRecord, LedgerBatch } from '../../../src/main/core/ledger/types';
import { fixedClock } from '../../../src/main/core/ports';
import { SyncEngine, type SyncContext, type SyncPage, type SyncSource } from '../../../src/main/core/sync/engine';
import { DailyLimitError } from '../../../src/main/core/sync/limiter';
import type { SyncProgress } from '../../../src/shared/model';
import { countRows, customer, invoice, NOW, payment, useTempDb } from '../db/helpers';

const temp = useTempDb();
const clock = fixedClock(NOW);

interface ScriptPage {
  entity: 'customers' | 'invoices' | 'payments';
  batch: LedgerBatch;
  records: number;
  warnings?: string[];
}

/** Six pages: customers ×2, invoices ×2, payments ×2. The cursor of page n is "n". */
function script(): ScriptPage[] {
  return [
    { entity: 'customers', batch: { customers: [customer('c1'), customer('c2'), customer('c3')] }, records: 3 },
    { entity: 'customers', batch: { customers: [customer('c4'), customer('c5', { parentExternalId: 'c1' })] }, records: 2 },
    { entity: 'invoices', batch: { invoices: [invoice('i1', 'c1'), invoice('i2', 'c2'), invoice('i3', 'c3')] }, records: 3 },
    { entity: 'invoices', batch: { invoices: [invoice('i4', 'c4'), invoice('i5', 'c5')] }, records: 2 },
    { entity: 'payments', batch: { payments: [payment('p1', 'c1', '2025-02-01', [{ invoiceExternalId: 'i1', amountCents: 4000 }])] }, records: 1 },
    { entity: 'payments', batch: { payments: [payment('p2', 'c2', '2025-02-02', [{ invoiceExternalId: 'i2', amountCents: 10_000 }])] }, records: 1 },
  ];
}

interface Scripted extends SyncSource {
  yielded: number[];
  seenCursors: Record<string, string | null>[];
  requestCount: number;
  closed: boolean;
}

/**
 * A source that resumes from the cursors it is given (skipping pages at or before each
 * entity's cursor), makes one "request" per page, and can fail on the way.
 */
function scriptedSource(
  pages: ScriptPage[],
  opts: { failBefore?: number; error?: () => unknown; gate?: (n: number, ctx: SyncContext) => Promise<void> } = {},
): Scripted {
  const src: Scripted = {
    entities: ['customers', 'invoices', 'payments'],
    yielded: [],
    seenCursors: [],
    requestCount: 0,
    closed: false,
    requests: () => src.requestCount,
    async *pages(ctx) {
      src.seenCursors.push({ ...ctx.cursors });
      try {
        for (const [i, p] of pages.entries()) {
          const n = i + 1;
          const at = ctx.cursors[p.entity];
          if (at !== null && at !== undefined && n <= Number(at)) continue;
          ctx.progress(`Fetching ${p.entity} (page ${n})…`);
          src.requestCount++;
          await opts.gate?.(n, ctx);
          if (opts.failBefore === n) throw opts.error ? opts.error() : new Error('socket hang up');
          src.yielded.push(n);
          const page: SyncPage = { entity: p.entity, batch: p.batch, cursor: String(n), warnings: p.warnings ?? [], records: p.records };
          if (p.entity === 'invoices') page.total = 5;
          yield page;
        }
      } finally {
        src.closed = true;
      }
    },
  };
  return src;
}

function setup(sources: SyncSource[] | ((connId: string) => SyncSource | null)) {
  const { db } = temp.open();
  createConnection(db, { id: 'q1', provider: 'qbo', name: 'Harbor Print Co', homeCurrency: 'USD' }, NOW);
  const events = new EventHub();
  const progress: SyncProgress[] = [];
  const changed: string[] = [];
  events.on('sync.progress', (p) => progress.push(p));
  events.on('ledger.changed', (p) => changed.push(`${p.connectionId}:${p.reason}`));
  const rescore = vi.fn();
  const queue = Array.isArray(sources) ? [...sources] : null;
  const sourceFor = vi.fn((conn: { id: string }) => (queue ? (queue.shift() ?? null) : (sources as (id: string) => SyncSource | null)(conn.id)));
  const engine = new SyncEngine({ db, clock, events, rescore, sourceFor, syncs: (c) => c.provider !== 'demo' });
  return { db, engine, progress, changed, rescore, sourceFor };
}

const cursors = (db: Db) => ({
  customers: getCursor(db, 'q1', 'customers'),
  invoices: getCursor(db, 'q1', 'invoices'),
  payments: getCursor(db, 'q1', 'payments'),
});

function runs(db: Db) {
  return db.prepare('SELECT kind, status, requests, records, error FROM sync_runs ORDER BY id').all();
}

describe('sync/engine against a real SQLite file', () => {
  it('commits every page with its cursor and records the run', async () => {
    const src = scriptedSource(script());
    const { db, engine, rescore, changed } = setup([src]);
    const out = await engine.run('q1');
    expect(out).toMatchObject({ status: 'ok', kind: 'full', pages: 6, records: 12, requests: 6, warnings: [], error: null, needsReconnect: false });
    expect([countRows(db, 'customers'), countRows(db, 'invoices'), countRows(db, 'payments'), countRows(db, 'payment_applications')]).toEqual([5, 5, 2, 2]);
    expect(cursors(db)).toEqual({ customers: '2', invoices: '4', payments: '6' });
    expect(runs(db)).toEqual([{ kind: 'full', status: 'ok', requests: 6, records: 12, error: null }]);
    expect(getConnection(db, 'q1')?.lastSyncedAt).toBe(NOW);
    expect(rescore).toHaveBeenCalledExactlyOnceWith('q1');
    expect(changed).toEqual(['q1:sync']);
    expect(src.closed).toBe(true);
  });

  it('emits progress in order: start, fetch/write per page, score, done', async () => {
    const { engine, progress } = setup([scriptedSource(script())]);
    await engine.run('q1');
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('start');
    expect(phases.slice(-2)).toEqual(['score', 'done']);
    const middle = phases.slice(1, -2).join(',');
    // Before each page: our "fetch" and the source's own progress line; then the write.
    expect(middle).toBe(Array(6).fill('fetch,fetch,write').join(',') + ',fetch');
    const writes = progress.filter((p) => p.phase === 'write');
    expect(writes.map((p) => p.done)).toEqual([3, 5, 8, 10, 11, 12]);
    expect(writes.map((p) => p.message)).toContain('Saved 3 invoices');
    // Totals are known once the invoice pages say so, and never fall below what is done.
    expect(writes.map((p) => p.total)).toEqual([null, null, 8, 10, 11, 12]);
    expect(progress.every((p) => p.connectionId === 'q1')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', done: 12, message: 'Synced Harbor Print Co' });
    expect(progress.find((p) => p.message === 'Fetching invoices (page 3)…')?.phase).toBe('fetch');
  });

  it('a failure in the middle of page 3 keeps pages 1-2 and their cursor; the next run resumes there with nothing doubled', async () => {
    const broken = scriptedSource(script(), { failBefore: 3 });
    const healthy = scriptedSource(script());
    const { db, engine, rescore, progress } = setup([broken, healthy]);

    const first = await engine.run('q1');
    expect(first).toMatchObject({ status: 'failed', pages: 2, records: 5 });
    expect(first.error).toContain('unexpected error'); // a raw Error stays in the log
    expect([countRows(db, 'customers'), countRows(db, 'invoices')]).toEqual([5, 0]);
    expect(cursors(db)).toEqual({ customers: '2', invoices: null, payments: null });
    expect(progress.at(-1)?.phase).toBe('error');
    expect(rescore).toHaveBeenCalledTimes(1); // two pages landed, so scores are refreshed
    expect(getConnection(db, 'q1')?.lastSyncedAt).toBeNull();

    const second = await engine.run('q1');
    expect(second).toMatchObject({ status: 'ok', kind: 'incremental', pages: 4, records: 7 });
    expect(healthy.seenCursors[0]).toEqual({ customers: '2', invoices: null, payments: null });
    expect(healthy.yielded).toEqual([3, 4, 5, 6]);
    expect([countRows(db, 'customers'), countRows(db, 'invoices'), countRows(db, 'payments'), countRows(db, 'payment_applications')]).toEqual([5, 5, 2, 2]);
    expect(db.prepare('SELECT SUM(amount_cents) FROM payment_applications').pluck().get()).toBe(14_000);
    expect(runs(db)).toEqual([
      { kind: 'full', status: 'failed', requests: 3, records: 5, error: first.error },
      { kind: 'incremental', status: 'ok', requests: 4, records: 7, error: null },
    ]);

    // Replaying everything (a full sync) changes nothing either.
    const again = scriptedSource(script());
    const replay = new SyncEngine({ db, clock, events: new EventHub(), rescore: () => undefined, sourceFor: () => again });
    await expect(replay.run('q1', { full: true })).resolves.toMatchObject({ status: 'ok', kind: 'full', pages: 6 });
    expect([countRows(db, 'customers'), countRows(db, 'invoices'), countRows(db, 'payments'), countRows(db, 'payment_applications')]).toEqual([5, 5, 2, 2]);
  });

  it('a write that fails mid-page rolls back the whole page and its cursor', async () => {
    const pages = script();
    const poisoned: InvoiceRecord = invoice('i2', 'c2');
    Object.defineProperty(poisoned, 'externalId', {
      get() {
        throw new Error('disk I/O error');
      },
    });
    (pages[2] as ScriptPage).batch = { invoices: [invoice('i1', 'c1'), poisoned, invoice('i3', 'c3')] };
    const { db, engine } = setup([scriptedSource(pages)]);
    const out = await engine.run('q1');
    expect(out).toMatchObject({ status: 'failed', pages: 2 });
    expect(countRows(db, 'invoices')).toBe(0); // i1 came before the failure and was rolled back
    expect(cursors(db)).toEqual({ customers: '2', invoices: null, payments: null });
  });

  it('skips bad records with a warning instead of blocking the page, and the cursor still advances', async () => {
    const pages = script();
    (pages[2] as ScriptPage).batch = {
      invoices: [invoice('i1', 'c1'), invoice('i2', 'ghost'), invoice('i3', 'c3', { dueDate: '2025-02-30' })],
    };
    (pages[2] as ScriptPage).warnings = ['Invoice 1099: no customer reference (skipped)'];
    (pages[4] as ScriptPage).batch = {
      payments: [payment('p1', 'c1', '2025-02-01', [{ invoiceExternalId: 'i2', amountCents: 1 }])],
    };
    (pages[5] as ScriptPage).batch = {
      payments: [payment('p2', 'c4', '2025-02-02', [{ invoiceExternalId: 'i4', amountCents: 500 }])],
    };
    const { db, engine } = setup([scriptedSource(pages)]);
    const out = await engine.run('q1');
    expect(out.status).toBe('ok');
    expect(out.warningCount).toBe(4);
    expect(out.warnings).toEqual([
      'Invoice 1099: no customer reference (skipped)',
      'Invoice "i2": refers to unknown customer "ghost" (skipped)',
      'Invoice "i3": dueDate must be a date as YYYY-MM-DD, got 2025-02-30 (skipped)',
      'Payment "p1": refers to unknown invoice "i2" (skipped)',
    ]);
    expect(db.prepare('SELECT external_id FROM invoices ORDER BY external_id').pluck().all()).toEqual(['i1', 'i4', 'i5']);
    expect(db.prepare('SELECT external_id FROM payments').pluck().all()).toEqual(['p2']);
    expect(cursors(db)).toEqual({ customers: '2', invoices: '4', payments: '6' });
    expect(lastRun(db, 'q1')).toMatchObject({
      status: 'ok',
      error: '4 record(s) skipped: Invoice 1099: no customer reference (skipped) (and 3 more)',
    });
  });

  it('links parents that come later in the same page when a page is applied record by record', async () => {
    const pages: ScriptPage[] = [
      {
        entity: 'customers',
        batch: { customers: [customer('child', { parentExternalId: 'parent' }), customer('bad', { currency: 'dollars' }), customer('parent')] },
        records: 3,
      },
    ];
    const { db, engine } = setup([scriptedSource(pages)]);
    const out = await engine.run('q1');
    expect(out.warnings).toEqual(['Customer "bad": currency must be an ISO 4217 code, got dollars (skipped)']);
    const parentOf = db
      .prepare("SELECT p.external_id FROM customers c JOIN customers p ON p.id = c.parent_id WHERE c.external_id = 'child'")
      .pluck()
      .get();
    expect(parentOf).toBe('parent');
  });

  it('on NeedsReconnectError: fails the run with a clear message, marks the connection, and does not retry', async () => {
    const src = scriptedSource(script(), { failBefore: 2, error: () => new NeedsReconnectError('qbo', 'q1') });
    const { db, engine, sourceFor, progress } = setup([src]);
    const out = await engine.run('q1');
    expect(out).toMatchObject({ status: 'failed', needsReconnect: true, pages: 1 });
    expect(out.error).toContain('QuickBooks needs you to reconnect');
    expect(getConnection(db, 'q1')?.status).toBe('needs_reconnect');
    expect(lastRun(db, 'q1')).toMatchObject({ status: 'failed', error: out.error });
    expect(progress.at(-1)).toMatchObject({ phase: 'error', message: out.error });
    await expect(engine.run('q1')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('needs to be reconnected') });
    expect(sourceFor).toHaveBeenCalledTimes(1);
    await expect(engine.runAll()).resolves.toEqual([]);
  });

  it('reports when a provider limit lifts', async () => {
    const reset = '2025-06-16T08:00:00.000Z';
    const src = scriptedSource(script(), { failBefore: 4, error: () => new DailyLimitError('Xero', reset) });
    const { engine } = setup([src]);
    const out = await engine.run('q1');
    expect(out).toMatchObject({ status: 'failed', retryAt: reset, pages: 3 });
    expect(out.error).toContain('daily API limit');
  });

  it('stops cleanly on abort: nothing after the stop is written, the source is closed, the run says so', async () => {
    const ctl = new AbortController();
    const src = scriptedSource(script(), {
      gate: async (n) => {
        if (n === 3) ctl.abort();
      },
    });
    const { db, engine, progress } = setup([src]);
    const out = await engine.run('q1', { signal: ctl.signal });
    expect(out).toMatchObject({ status: 'aborted', pages: 2 });
    expect(out.error).toContain('continues from the last saved page');
    expect(src.closed).toBe(true);
    expect(countRows(db, 'invoices')).toBe(0);
    expect(cursors(db).customers).toBe('2');
    expect(lastRun(db, 'q1')).toMatchObject({ status: 'aborted' });
    expect(progress.at(-1)?.phase).toBe('error');
  });

  it('abortAll stops the running sync and the queued ones', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = scriptedSource(script(), {
      gate: async (n, ctx) => {
        if (n === 2) {
          await Promise.race([held, new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))]);
        }
      },
    });
    const { db, engine } = setup((id) => (id === 'q1' ? first : scriptedSource(script())));
    createConnection(db, { id: 'x1', provider: 'xero', name: 'Kea Studio', homeCurrency: 'NZD' }, NOW);
    const a = engine.run('q1');
    const b = engine.run('x1');
    await vi.waitFor(() => expect(first.requestCount).toBe(2));
    engine.abortAll();
    release();
    await expect(a).resolves.toMatchObject({ status: 'aborted', pages: 1 });
    await expect(b).resolves.toMatchObject({ status: 'aborted', pages: 0, runId: null });
    expect(db.prepare('SELECT connection_id FROM sync_runs').pluck().all()).toEqual(['q1']);
    // Later runs are not affected by the earlier stop.
    await expect(engine.run('x1')).resolves.toMatchObject({ status: 'ok' });
  });

  it('never runs two syncs at once: the same connection joins, another one waits', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let active = 0;
    let peak = 0;
    const make = (): SyncSource => {
      const inner = scriptedSource(script().slice(0, 2), { gate: () => held });
      return {
        entities: inner.entities,
        async *pages(ctx) {
          active++;
          peak = Math.max(peak, active);
          try {
            yield* inner.pages(ctx);
          } finally {
            active--;
          }
        },
      };
    };
    const { db, engine, sourceFor } = setup(() => make());
    createConnection(db, { id: 'x1', provider: 'xero', name: 'Kea Studio', homeCurrency: 'NZD' }, NOW);
    const a1 = engine.run('q1');
    const a2 = engine.run('q1');
    const b = engine.run('x1');
    expect(a2).toBe(a1);
    await vi.waitFor(() => expect(engine.running).toBe('q1'));
    expect(engine.busy).toBe(true);
    release();
    const [r1, r2, rb] = await Promise.all([a1, a2, b]);
    expect(r1).toBe(r2);
    expect(rb.status).toBe('ok');
    expect(peak).toBe(1);
    expect(sourceFor).toHaveBeenCalledTimes(2);
    expect(engine.running).toBeNull();
    expect(engine.busy).toBe(false);
  });

  it('refuses connections with nothing to sync, and runAll skips them', async () => {
    const { db, engine } = setup(() => null);
    await expect(engine.run('q1')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(engine.run('nope')).rejects.toMatchObject({ code: 'not_found' });
    createConnection(db, { id: 'demo', provider: 'demo', name: 'Demo', homeCurrency: 'USD' }, NOW);
    await expect(engine.runAll()).resolves.toEqual([]);
    expect(countRows(db, 'sync_runs')).toBe(0);
  });
});
