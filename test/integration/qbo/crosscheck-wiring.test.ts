// The cross-check wired into the core: after a backfill, and then at most daily, QuickBooks'
// AgedReceivables report is compared per customer with the local ledger; the result is kept in
// settings and shown through sync.status.
import { afterEach, describe, expect, it } from 'vitest';
import { crossCheckKey } from '../../../src/main/core/sync/crosscheck';
import { startQboServer } from '../../fakes/qbo-server';
import { coreWorld } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the QuickBooks cross-check', () => {
  it('agrees after a clean backfill, runs at most daily, and names a customer whose local balance differs', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 600, rateLimit: false });
    cleanups.push(() => qbo.close());
    const w = await coreWorld(qbo);
    cleanups.push(() => w.close());
    const reportCalls = (): number => qbo.requests.log.filter((e) => e.path.endsWith('/reports/AgedReceivables')).length;

    expect((await w.call('sync.status')).crossChecks?.[w.connectionId]).toBeUndefined();
    const first = await w.call('sync.run', { connectionId: w.connectionId });
    expect(first.runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    expect(reportCalls()).toBe(1);
    const report = qbo.requests.log.find((e) => e.path.endsWith('/reports/AgedReceivables'));
    expect(report?.query.report_date).toBe(qbo.today());

    const status = await w.call('sync.status');
    expect(structuredClone(status)).toStrictEqual(status);
    const clean = status.crossChecks?.[w.connectionId];
    expect(clean).toMatchObject({ asOf: qbo.today(), currency: 'USD', mismatches: [] });
    expect(clean?.checked).toBeGreaterThan(10);
    expect(clean?.checkedAt).toBe(qbo.now().toISOString());
    expect(w.core.db.prepare('SELECT COUNT(*) FROM settings WHERE key = ?').pluck().get(crossCheckKey('qbo', w.connectionId))).toBe(1);

    // An increment an hour later: not due again, and the increment stays one request.
    qbo.advanceClock(3_600_000);
    qbo.requests.reset();
    const inc = await w.call('sync.run', { connectionId: w.connectionId });
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental', requests: 1 });
    expect(reportCalls()).toBe(0);

    // Plant a difference locally: one USD customer's open invoice owes $1.00 more in Settle.
    const row = w.core.db
      .prepare(
        `SELECT i.id, c.name FROM invoices i JOIN customers c ON c.id = i.customer_id
         WHERE i.connection_id = ? AND i.currency = 'USD' AND i.balance_cents > 0 AND i.status = 'open' ORDER BY i.id LIMIT 1`,
      )
      .get(w.connectionId) as { id: number; name: string };
    w.core.db.prepare('UPDATE invoices SET balance_cents = balance_cents + 100 WHERE id = ?').run(row.id);

    // A day later the next sync checks again and names that customer, with both figures.
    qbo.advanceClock(24 * 3_600_000);
    const later = await w.call('sync.run', { connectionId: w.connectionId });
    expect(later.runs[0]?.status).toBe('ok');
    expect(reportCalls()).toBe(1);
    const found = (await w.call('sync.status')).crossChecks?.[w.connectionId];
    expect(found?.mismatches).toHaveLength(1);
    const m = found?.mismatches[0];
    expect(m?.name).toBe(row.name);
    expect((m?.localCents ?? 0) - (m?.qboCents ?? 0)).toBe(100);
    expect(found?.checkedAt).toBe(qbo.now().toISOString());
  }, 30_000);
});
