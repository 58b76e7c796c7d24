// First start, reopening, removing and re-creating the demo company, against a real data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/main/core/ports';
import { events } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { count, openCore, TODAY, type Opened } from './helpers';

const OPEN_POSITIVE = `SELECT COUNT(*) FROM invoices i JOIN customers c ON c.id = i.customer_id
  WHERE i.connection_id = 'demo' AND i.deleted_at IS NULL AND c.deleted_at IS NULL
    AND i.status IN ('open', 'paid') AND i.balance_cents > 0 AND i.issue_date <= ?`;

describe('core lifecycle', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  /** A fresh data dir; cores opened through `open` are closed after the test. */
  const fresh = (): { path: string; open: typeof openCore } => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    return {
      path: dir.path,
      open: (path, deps) => {
        const o: Opened = openCore(path, deps);
        cleanups.push(() => o.core.close());
        return o;
      },
    };
  };

  it('creates, activates and scores the demo company on first start', async () => {
    const { path, open } = fresh();
    const { core, call } = open(path);
    expect(core.db.prepare('SELECT id, provider FROM connections').all()).toEqual([{ id: 'demo', provider: 'demo' }]);
    expect((await call('settings.get')).activeConnectionId).toBe('demo');

    const openInvoices = count(core.db, OPEN_POSITIVE, TODAY);
    expect(openInvoices).toBeGreaterThan(20);
    expect(count(core.db, 'SELECT COUNT(*) FROM scores')).toBe(openInvoices);
    expect(core.db.prepare('SELECT DISTINCT as_of FROM scores').pluck().all()).toEqual([TODAY]);

    const board = await call('board.get');
    expect(board.connection).toMatchObject({ id: 'demo', isDemo: true, provider: 'demo' });
    expect(board.summary.asOf).toBe(TODAY);
  });

  it('does not re-create the demo on a second start, and rescores when the day changed', async () => {
    const { path, open } = fresh();
    const first = open(path);
    const before = first.core.db.prepare("SELECT created_at AS createdAt, (SELECT MAX(id) FROM invoices) AS maxId FROM connections WHERE id = 'demo'").get();
    first.core.close();

    // A day later: a re-created demo would be generated as of the 22nd and stamped then.
    const second = open(path, { clock: fixedClock('2026-11-22T09:00:00Z') });
    const db = second.core.db;
    expect(db.prepare("SELECT created_at AS createdAt, (SELECT MAX(id) FROM invoices) AS maxId FROM connections WHERE id = 'demo'").get()).toEqual(before);
    expect(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'demo.create'")).toBe(1);
    expect(db.prepare('SELECT DISTINCT as_of FROM scores').pluck().all()).toEqual(['2026-11-22']);
    expect(count(db, 'SELECT COUNT(*) FROM scores')).toBe(count(db, OPEN_POSITIVE, '2026-11-22'));
  });

  it('does not bring a removed demo back on start; demo.create does', async () => {
    const { path, open } = fresh();
    const first = open(path);
    expect(await first.call('demo.remove')).toBeNull();
    expect(count(first.core.db, 'SELECT COUNT(*) FROM connections')).toBe(0);
    expect(count(first.core.db, 'SELECT COUNT(*) FROM invoices')).toBe(0);
    expect(count(first.core.db, 'SELECT COUNT(*) FROM scores')).toBe(0);
    first.core.close();

    const { core, call } = open(path);
    expect(count(core.db, 'SELECT COUNT(*) FROM connections')).toBe(0);
    const board = await call('board.get');
    expect(board.connection).toBeNull();
    expect(board.queue).toEqual({ total: 0, invoices: 0, offset: 0, rows: [] });
    expect(board.summary.currencies).toEqual([]);
    expect((await call('settings.get')).activeConnectionId).toBeNull();
    expect((await call('sync.status')).connections).toEqual([]);
    await expect(call('scores.recompute')).rejects.toMatchObject({ code: 'not_found' });

    const created = await call('demo.create', { invoices: 60, seed: 3 });
    expect(created).toMatchObject({ id: 'demo', isDemo: true });
    expect(count(core.db, "SELECT COUNT(*) FROM invoices WHERE connection_id = 'demo'")).toBe(60);
    expect((await call('settings.get')).activeConnectionId).toBe('demo');
    expect((await call('board.get')).connection?.id).toBe('demo');
    core.close();

    // Created again by hand, so no longer dismissed: a restart keeps it and does not replace it.
    const again = open(path);
    expect(count(again.core.db, "SELECT COUNT(*) FROM invoices WHERE connection_id = 'demo'")).toBe(60);
  });

  it('creates nothing before start(), nor on start() with autoDemo off', async () => {
    const { path, open } = fresh();
    const unstarted = open(path, { start: false });
    expect(count(unstarted.core.db, 'SELECT COUNT(*) FROM connections')).toBe(0);
    unstarted.core.close();
    const { core, call } = open(path, { autoDemo: false });
    expect(count(core.db, 'SELECT COUNT(*) FROM connections')).toBe(0);
    expect((await call('board.get')).connection).toBeNull();
  });

  it('demo.reset regenerates the same company with its seed and reports progress, then a ledger change', async () => {
    const { path, open } = fresh();
    const { core, call } = open(path, { autoDemo: false });
    await call('demo.create', { invoices: 40, seed: 11 });
    const numbers = (): unknown[] => core.db.prepare("SELECT number || ' ' || total_cents FROM invoices ORDER BY number").pluck().all();
    const before = numbers();
    const log = events(core);

    const conn = await call('demo.reset');
    expect(conn.id).toBe('demo');
    expect(numbers()).toEqual(before);

    const progress = log.of('sync.progress');
    expect(progress.map((p) => p.phase)).toEqual(['start', 'score', 'done']);
    expect(progress.every((p) => p.connectionId === 'demo')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 1, total: 1 });
    expect(log.all.map((e) => e.event)).toEqual(['sync.progress', 'sync.progress', 'sync.progress', 'ledger.changed']);
    expect(log.of('ledger.changed')).toEqual([{ connectionId: 'demo', reason: 'demo' }]);

    log.clear();
    await call('demo.remove');
    expect(log.all).toEqual([{ event: 'ledger.changed', payload: { connectionId: null, reason: 'remove' } }]);
    log.stop();
  });
});
