// A Xero organisation over its life in the core, against the emulator and a real settle.db:
// the cross-check after a backfill and then at most daily, the day's call count across a
// restart, a tier change that applies at once, and a reconnect after "needs reconnect" that
// refuses a sign-in without the organisation, then keeps the data and resumes from the cursor.
import { afterEach, describe, expect, it } from 'vitest';
import { XERO_STARTER_LIMITS } from '../../../src/main/core/sync/limiter';
import { xeroCallsKey } from '../../../src/main/core/connectors/xero/day-budget';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import { connectWorld, type Cleanups, type ConnectWorld } from '../sync/connect-world';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type World = ConnectWorld<MemorySecretStore> & { x: XeroServer };

async function emulator(opts: Parameters<typeof startXeroServer>[0] = {}): Promise<XeroServer> {
  const x = await startXeroServer({ today: '2025-06-15', tenants: 2, invoices: 150, rateLimit: false, ...opts });
  cleanups.push(() => x.close());
  return x;
}

async function world(x: XeroServer, more: { dataDir?: string; secrets?: MemorySecretStore } = {}): Promise<World> {
  const w = await connectWorld<MemorySecretStore>(cleanups, { clock: { now: () => x.now(), timeZone: () => 'UTC' }, xero: x, secrets: more.secrets ?? memorySecretStore(), ...more });
  return { ...w, x };
}

/** Signs in (optionally as a reconnect) and adds the given organisation. */
async function connectOne(w: World, tenantId: string, connectionId?: string) {
  const pending = await w.call('connections.connectXero', { clientId: w.x.clientId, ...(connectionId ? { connectionId } : {}) });
  const [conn] = await w.call('connections.addXeroTenants', { pendingId: pending.pendingId, tenantIds: [tenantId] });
  if (!conn) throw new Error('no connection added');
  return conn;
}

const apiCalls = (x: XeroServer): number => x.requests.log.filter((r) => r.path.includes('/api.xro/')).length;

describe('Xero over its life in the core', () => {
  it('cross-checks balances after the backfill for free, then at most daily, and names the contact that differs', async () => {
    const x = await emulator({ tenants: 1 });
    const w = await world(x);
    const conn = await connectOne(w, x.tenantId);
    const first = await w.call('sync.run', { connectionId: conn.id });
    expect(first.runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    const after = (await w.call('sync.status')).crossChecks?.[conn.id];
    expect(after).toMatchObject({ asOf: x.today(), currency: 'USD', mismatches: [] });
    expect(after!.checked).toBeGreaterThan(5);
    // The backfill's own Contacts pages served it: no call beyond the sync's.
    expect(apiCalls(x)).toBe(first.runs[0]!.requests + 1); // + the Organisation probe at connect

    // Settle's copy drifts from Xero for one contact (an invoice's balance changed behind its back).
    const row = w.core.db
      .prepare("SELECT i.id, c.name FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.connection_id = ? AND i.status = 'open' AND i.balance_cents > 0 AND i.currency = 'USD' ORDER BY i.id LIMIT 1")
      .get(conn.id) as { id: number; name: string };
    w.core.db.prepare('UPDATE invoices SET balance_cents = balance_cents - 1 WHERE id = ?').run(row.id);

    // Within the day, an increment does not check again.
    x.advanceClock(3_600_000);
    x.requests.reset();
    const inc = await w.call('sync.run', { connectionId: conn.id });
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect((await w.call('sync.status')).crossChecks?.[conn.id]?.checkedAt).toBe(after!.checkedAt);
    expect(apiCalls(x)).toBe(inc.runs[0]!.requests);

    // A day later it does: it lists the contacts (one page) and names the one that differs.
    x.advanceClock(24 * 3_600_000);
    x.requests.reset();
    const daily = await w.call('sync.run', { connectionId: conn.id });
    expect(daily.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    const check = (await w.call('sync.status')).crossChecks?.[conn.id];
    expect(Date.parse(check!.checkedAt)).toBeGreaterThan(Date.parse(after!.checkedAt));
    expect(check!.mismatches).toEqual([{ name: row.name, qboCents: expect.any(Number) as unknown, localCents: expect.any(Number) as unknown }]);
    expect(check!.mismatches[0]!.qboCents - check!.mismatches[0]!.localCents).toBe(1);
    expect(apiCalls(x)).toBe(daily.runs[0]!.requests + 1);
    expect(x.requests.log.filter((r) => r.path.endsWith('/Contacts')).length).toBe(2);
  });

  it("keeps the day's call count across a restart, and a tier change applies to the limit at once", async () => {
    const x = await emulator({ tenants: 1 });
    const secrets = memorySecretStore();
    const w = await world(x, { secrets });
    const conn = await connectOne(w, x.tenantId);
    expect((await w.call('sync.run', { connectionId: conn.id })).runs[0]?.status).toBe('ok');
    const used = (await w.call('sync.status')).budgets?.[conn.id]?.usedToday ?? 0;
    expect(used).toBeGreaterThan(0);
    expect(used).toBe(apiCalls(x) - 1); // every metered call (not the connect-time probe)
    await w.shutdown();

    // A new process on the same data: the meter still shows the calls, before any new one.
    const again = await world(x, { dataDir: w.dataDir, secrets });
    expect((await again.call('sync.status')).budgets?.[conn.id]).toMatchObject({ usedToday: used, limit: 5000, tier: 'standard' });

    // Near the Starter limit: still fine on Standard…
    const starter = XERO_STARTER_LIMITS.perDay ?? 0;
    const day = new Date().toISOString().slice(0, 10);
    again.core.db.prepare('UPDATE settings SET value_json = ? WHERE key = ?').run(JSON.stringify({ day, count: starter - 1 }), xeroCallsKey(x.tenantId));
    x.advanceClock(60_000);
    x.requests.reset();
    const ok = await again.call('sync.run', { connectionId: conn.id });
    expect(ok.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect((await again.call('sync.status')).budgets?.[conn.id]?.usedToday).toBe(starter - 1 + ok.runs[0]!.requests);

    // …and the move to Starter shows and bites at once: no call goes out.
    await again.call('settings.set', { xeroTier: 'starter' });
    expect((await again.call('sync.status')).budgets?.[conn.id]).toMatchObject({ limit: starter, tier: 'starter', usedToday: starter });
    x.requests.reset();
    const stopped = await again.call('sync.run', { connectionId: conn.id });
    expect(stopped.runs[0]).toMatchObject({ status: 'failed', requests: 0 });
    expect(stopped.runs[0]?.error).toMatch(/daily API limit/);
    expect(apiCalls(x)).toBe(0);

    // Back to Standard: syncing resumes without a restart.
    await again.call('settings.set', { xeroTier: 'standard' });
    expect((await again.call('sync.run', { connectionId: conn.id })).runs[0]?.status).toBe('ok');
  });

  it('reconnects after "needs reconnect": refuses a sign-in without the organisation, then keeps the data and resumes from the cursor', async () => {
    const x = await emulator({ tenants: 2 });
    const w = await world(x);
    const [mine, other] = x.tenantIds as [string, string];
    const conn = await connectOne(w, mine);
    expect((await w.call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    const invoices = (): number => w.core.db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(conn.id) as number;
    const cursors = (): unknown[] => w.core.db.prepare('SELECT entity, cursor FROM sync_cursors WHERE connection_id = ? ORDER BY entity').all(conn.id);
    const synced = invoices();
    expect(synced).toBeGreaterThan(50);

    // The owner revokes Settle in Xero; the next sync finds out.
    const [account] = [...w.secrets.entries.keys()].filter((k) => k.startsWith('xero:'));
    const stored = JSON.parse(w.secrets.entries.get(account!) ?? '{}') as { refreshToken: string };
    await fetch(x.endpoints.revocation, { method: 'POST', body: new URLSearchParams({ token: stored.refreshToken, client_id: x.clientId }) });
    x.expireAccessTokens();
    expect((await w.call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'failed', needsReconnect: true });
    expect((await w.call('connections.list'))[0]?.status).toBe('needs_reconnect');
    const before = { cursors: cursors(), secrets: [...w.secrets.entries], audit: w.core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() };
    expect(before.cursors.length).toBeGreaterThan(0);

    // The sign-in ticks only the other organisation: refused, nothing written, that grant revoked.
    x.faults.consentTenants = [other];
    await expect(w.call('connections.connectXero', { connectionId: conn.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(conn.name) as unknown,
    });
    expect(await w.call('connections.list')).toMatchObject([{ id: conn.id, status: 'needs_reconnect' }]);
    expect([...w.secrets.entries]).toEqual(before.secrets);
    expect(w.core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()).toBe(before.audit);
    expect(x.connections().some((c) => c.tenantId === other)).toBe(false);

    // The right one: same company, data kept, and the next sync is an increment from the cursor.
    x.faults.consentTenants = null;
    const back = await connectOne(w, mine, conn.id);
    expect(back).toMatchObject({ id: conn.id, status: 'active' });
    expect(invoices()).toBe(synced);
    x.requests.reset();
    const resumed = await w.call('sync.run', { connectionId: conn.id });
    expect(resumed.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(resumed.runs[0]!.requests).toBeLessThanOrEqual(3);
    expect(invoices()).toBe(synced);
  });
});
