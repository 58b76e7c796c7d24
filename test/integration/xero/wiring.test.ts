// Xero wired into the core: connectXero through the real loopback server (the test plays the
// browser), the organisation picker data, addXeroTenants, first syncs, an increment, a
// daily-limit pause, the budget meter, reminders and disconnect — against the emulator and a
// real settle.db, with the tokens only in the SecretStore.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../src/main/core/app';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import type { InProcess } from '../../support/in-process';
import { connectWorld, type Cleanups, type ConnectWorld } from '../sync/connect-world';

type World = ConnectWorld<MemorySecretStore> & { x: XeroServer; browserVisits: string[] };

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(opts: Parameters<typeof startXeroServer>[0] = {}): Promise<World> {
  const x = await startXeroServer({ today: '2025-06-15', tenants: 2, invoices: 200, rateLimit: false, ...opts });
  cleanups.push(() => x.close());
  const w = await connectWorld<MemorySecretStore>(cleanups, { clock: { now: () => x.now(), timeZone: () => 'UTC' }, xero: x, secrets: memorySecretStore() });
  return { ...w, x, browserVisits: w.browser.visits };
}

const cents = (n: number): number => Math.round(n * 100);

/** What the board's "open" scope should show for one organisation: USD, issued by today, still owed. */
function usdOutstanding(x: XeroServer, tenantId: string): number {
  const today = x.today();
  return x
    .org(tenantId)
    .snapshot()
    .invoices.filter(
      (i) =>
        i.Type === 'ACCREC' &&
        (i.Status === 'AUTHORISED' || i.Status === 'SUBMITTED') &&
        ((i as { CurrencyCode?: string }).CurrencyCode ?? 'USD') === 'USD' &&
        i.DateString.slice(0, 10) <= today &&
        i.AmountDue > 0,
    )
    .reduce((s, i) => s + cents(i.AmountDue), 0);
}

async function boardUsd(call: InProcess): Promise<number> {
  const board = await call('board.get', { scope: 'open' });
  return board.summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents ?? 0;
}

const apiCalls = (x: XeroServer): number => x.requests.log.filter((r) => r.path.includes('/api.xro/')).length;

async function connectBoth(w: World) {
  const { x, call } = w;
  const pending = await call('connections.connectXero', { clientId: x.clientId });
  expect(pending.tenants).toHaveLength(2);
  expect(pending.tenants.map((t) => t.tenantId).sort()).toEqual([...x.tenantIds].sort());
  expect(pending.tenants.every((t) => t.name.length > 0 && !t.connected)).toBe(true);
  const conns = await call('connections.addXeroTenants', { pendingId: pending.pendingId, tenantIds: pending.tenants.map((t) => t.tenantId) });
  return { pending, conns };
}

describe('Xero in the core', () => {
  it('connects two organisations through the picker, syncs both, keeps tokens out of SQLite, and follows a payment in ≤ 3 requests', async () => {
    const w = await world();
    const { x, call, secrets } = w;
    const { pending, conns } = await connectBoth(w);
    // The sign-in: PKCE S256 with a state, through the browser once; nothing secret came back.
    expect(w.browserVisits).toHaveLength(1);
    const authorize = new URL(w.browserVisits[0]!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThan(16);
    expect(JSON.stringify(pending)).not.toMatch(/eyJ|refresh/i);
    expect((await call('settings.get')).xeroClientId).toBe(x.clientId);

    expect(conns).toHaveLength(2);
    for (const c of conns) expect(c).toMatchObject({ provider: 'xero', status: 'active', homeCurrency: 'USD', isDemo: false });
    expect(conns.map((c) => c.name).sort()).toEqual(pending.tenants.map((t) => t.name).sort());
    expect((await call('settings.get')).activeConnectionId).toBe(conns[0]!.id);
    const rows = w.core.db.prepare("SELECT id, external_tenant_id, options_json FROM connections WHERE provider = 'xero' ORDER BY id").all() as { id: string; external_tenant_id: string; options_json: string }[];
    expect(rows.map((r) => r.external_tenant_id).sort()).toEqual([...x.tenantIds].sort());
    for (const r of rows) expect(JSON.parse(r.options_json)).toMatchObject({ clientId: x.clientId, tier: 'standard', xeroConnectionId: expect.any(String) as unknown });

    // The same organisation again is marked and refused.
    const again = await call('connections.connectXero');
    expect(again.tenants.every((t) => t.connected)).toBe(true);
    await expect(call('connections.addXeroTenants', { pendingId: again.pendingId, tenantIds: [x.tenantIds[0]!] })).rejects.toMatchObject({ code: 'conflict' });
    await call('connections.cancelXero', { pendingId: again.pendingId });
    await expect(call('connections.addXeroTenants', { pendingId: again.pendingId, tenantIds: [x.tenantIds[0]!] })).rejects.toMatchObject({ code: 'not_found' });
    expect(await call('connections.list')).toHaveLength(2);

    // First syncs (started in the background) land the emulator's open balances on the board.
    const first = await call('sync.run', {});
    expect(structuredClone(first)).toStrictEqual(first);
    expect(first.runs).toHaveLength(2);
    for (const r of first.runs) expect(r).toMatchObject({ status: 'ok', error: null, warnings: 0 });
    const active = conns[0]!;
    const activeTenant = rows.find((r) => r.id === active.id)!.external_tenant_id;
    const expected = usdOutstanding(x, activeTenant);
    expect(expected).toBeGreaterThan(0);
    expect(await boardUsd(call)).toBe(expected);
    const otherConn = conns[1]!;
    await call('settings.set', { activeConnectionId: otherConn.id });
    expect(await boardUsd(call)).toBe(usdOutstanding(x, rows.find((r) => r.id === otherConn.id)!.external_tenant_id));
    await call('settings.set', { activeConnectionId: active.id });

    // The budget meter moved by the calls made.
    const status = await call('sync.status');
    expect(structuredClone(status)).toStrictEqual(status);
    const budget = status.budgets?.[active.id];
    expect(budget).toMatchObject({ limit: 5000, tier: 'standard', resetsAt: null });
    expect(budget!.usedToday).toBeGreaterThan(0);

    // One grant, one secret; none of it in the data file.
    const accounts = [...secrets.entries.keys()].filter((k) => k.startsWith('xero:'));
    expect(accounts).toHaveLength(1);
    const stored = JSON.parse(secrets.entries.get(accounts[0]!) ?? '{}') as { accessToken: string; refreshToken: string };
    expect(stored.accessToken.length).toBeGreaterThan(10);
    const files = [DB_FILE, `${DB_FILE}-wal`].map((f) => join(w.dataDir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const secret of [stored.accessToken, stored.refreshToken]) expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 6)}… in ${f}`).toBe(false);
    }

    // A payment in Xero: at most three requests bring it in.
    const open = x
      .org(activeTenant)
      .snapshot()
      .invoices.find((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.AmountDue > 0 && i.DateString.slice(0, 10) <= x.today() && ((i as { CurrencyCode?: string }).CurrencyCode ?? 'USD') === 'USD');
    if (!open) throw new Error('no open USD invoice in the emulator');
    x.advanceClock(3_600_000);
    x.org(activeTenant).payInvoice(open.InvoiceID);
    x.requests.reset();
    const inc = await call('sync.run', { connectionId: active.id });
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(inc.runs[0]!.requests).toBeLessThanOrEqual(3);
    expect(apiCalls(x)).toBeLessThanOrEqual(3);
    expect(await boardUsd(call)).toBe(expected - cents(open.AmountDue));
    const after = (await call('sync.status')).budgets?.[active.id];
    expect(after!.usedToday).toBe(budget!.usedToday + inc.runs[0]!.requests);

    // Xero's own reminders, for the warning before sends.
    expect(await call('connections.xeroReminders', { connectionId: active.id })).toMatchObject({ connectionId: active.id, enabled: false });
    x.org(activeTenant).setInvoiceReminders(true);
    expect(await call('connections.xeroReminders', { connectionId: active.id })).toMatchObject({ enabled: true });
  });

  it('a daily-limit 429 pauses the organisation until the reset, without looping', async () => {
    const w = await world({ tenants: 1 });
    const { x, call } = w;
    const pending = await call('connections.connectXero', { clientId: x.clientId });
    expect(pending.tenants).toHaveLength(1);
    const [conn] = await call('connections.addXeroTenants', { pendingId: pending.pendingId, tenantIds: [pending.tenants[0]!.tenantId] });
    expect((await call('sync.run', { connectionId: conn!.id })).runs[0]?.status).toBe('ok');

    x.advanceClock(60_000);
    x.org(x.tenantId).payInvoice(x.snapshot().invoices.find((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.AmountDue > 0)!.InvoiceID);
    x.faults.queue = ['429-day'];
    x.requests.reset();
    const limited = await call('sync.run', { connectionId: conn!.id });
    expect(limited.runs[0]).toMatchObject({ status: 'failed', needsReconnect: false });
    expect(limited.runs[0]?.error).toMatch(/daily API limit/);
    const retryAt = limited.runs[0]?.retryAt;
    expect(retryAt).toBeTruthy();
    expect(Date.parse(retryAt!)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(apiCalls(x)).toBe(1);

    // Paused: the next run sends nothing and says when it resumes; the connection stays active.
    const again = await call('sync.run', { connectionId: conn!.id });
    expect(again.runs[0]).toMatchObject({ status: 'failed', requests: 0, retryAt });
    expect(apiCalls(x)).toBe(1);
    expect((await call('connections.list'))[0]?.status).toBe('active');
    const budget = (await call('sync.status')).budgets?.[conn!.id];
    expect(budget).toMatchObject({ usedToday: 5000, limit: 5000, resetsAt: retryAt });
  });

  it('the starter tier meters 1,000 a day; disconnect removes the organisation at Xero, revokes the last one and keeps the data', async () => {
    const w = await world();
    const { x, call, secrets } = w;
    await call('settings.set', { xeroTier: 'starter' });
    const { conns } = await connectBoth(w);
    const runs = await call('sync.run', {});
    expect(runs.runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect((await call('sync.status')).budgets?.[conns[0]!.id]).toMatchObject({ limit: 1000, tier: 'starter' });
    const invoices = (id: string): number => w.core.db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(id) as number;
    const synced = invoices(conns[0]!.id);
    expect(synced).toBeGreaterThan(50);

    // The first: gone from Xero's /connections; the grant still serves the second.
    const gone = await call('connections.disconnect', { connectionId: conns[0]!.id });
    expect(gone).toMatchObject({ id: conns[0]!.id, status: 'disconnected' });
    expect(invoices(conns[0]!.id)).toBe(synced);
    expect(x.connections()).toHaveLength(1);
    expect([...secrets.entries.keys()].filter((k) => k.startsWith('xero:'))).toHaveLength(1);
    expect((await call('sync.run', { connectionId: conns[1]!.id })).runs[0]?.status).toBe('ok');
    expect((await call('sync.run', { connectionId: conns[0]!.id })).runs[0]).toMatchObject({ status: 'skipped', error: expect.stringMatching(/disconnected/) as unknown });

    // The last: revoked and forgotten.
    await call('connections.disconnect', { connectionId: conns[1]!.id });
    expect(x.connections()).toHaveLength(0);
    expect([...secrets.entries.keys()].filter((k) => k.startsWith('xero:'))).toHaveLength(0);
    expect(x.requests.log.some((e) => e.path.endsWith('/connect/revocation'))).toBe(true);
    await expect(call('sync.run', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});
