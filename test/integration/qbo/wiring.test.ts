// QuickBooks wired into the core: connectQbo through the real loopback server (the test plays
// the browser), the first sync, increments, token renewal, invalid_grant, disconnect — against
// the emulator and a real settle.db, with the tokens only in the SecretStore.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../src/main/core/app';
import { QboOAuth } from '../../../src/main/core/connectors/qbo/oauth';
import { QBO_CLIENT_SECRET_ACCOUNT } from '../../../src/main/core/connectors/qbo/qbo.service';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import type { SyncRunResult } from '../../../src/shared/model';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import type { InProcess } from '../../support/in-process';
import { connectWorld, type Cleanups, type ConnectWorld } from '../sync/connect-world';
import { emulatorClock } from './helpers';

type World = ConnectWorld<MemorySecretStore> & { qbo: QboServer; browserVisits: string[] };

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(): Promise<World> {
  const qbo = await startQboServer({ today: '2025-06-15', invoices: 300, rateLimit: false });
  cleanups.push(() => qbo.close());
  const w = await connectWorld<MemorySecretStore>(cleanups, { clock: emulatorClock(qbo), qbo, secrets: memorySecretStore() });
  return { ...w, qbo, browserVisits: w.browser.visits };
}

const cents = (n: number): number => Math.round(n * 100);

function usdOutstanding(qbo: QboServer): number {
  const today = qbo.today();
  return qbo
    .snapshot()
    .invoices.filter((i) => (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.TxnDate <= today && i.Balance > 0)
    .reduce((s, i) => s + cents(i.Balance), 0);
}

async function boardUsd(call: InProcess): Promise<number> {
  const board = await call('board.get', { scope: 'open' });
  return board.summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents ?? 0;
}

const tokenCalls = (qbo: QboServer): number => qbo.requests.log.filter((e) => e.path.endsWith('/tokens/bearer')).length;

describe('QuickBooks in the core', () => {
  it('connects through the loopback sign-in, syncs, keeps secrets out of SQLite, and follows changes with one request', async () => {
    const w = await world();
    const { qbo, call, secrets } = w;
    const conn = await call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret });
    expect(structuredClone(conn)).toStrictEqual(conn);
    expect(conn).toMatchObject({ provider: 'qbo', status: 'active', homeCurrency: 'USD', isDemo: false });
    expect(conn.name.length).toBeGreaterThan(0);
    expect(w.browserVisits).toHaveLength(1);
    expect(new URL(w.browserVisits[0]!).searchParams.get('state')?.length).toBeGreaterThan(16);
    expect((await call('settings.get')).activeConnectionId).toBe(conn.id);
    expect(await call('connections.list')).toEqual([conn]);

    // The first sync started by itself; sync.run joins it (or follows it).
    const first: SyncRunResult = await call('sync.run', { connectionId: conn.id });
    expect(structuredClone(first)).toStrictEqual(first);
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0]).toMatchObject({ connectionId: conn.id, status: 'ok', error: null, warnings: 0 });
    const status = await call('sync.status');
    expect(status.running).toBe(false);
    expect(status.lastRun).toMatchObject({ connectionId: conn.id, status: 'ok', warnings: 0 });
    const runs = w.core.db.prepare('SELECT kind, status, trigger FROM sync_runs ORDER BY id').all() as { kind: string; trigger: string }[];
    expect(runs[0]).toEqual({ kind: 'full', status: 'ok', trigger: 'connect' });

    // The board shows the emulator's open balances, to the cent, and agrees with its aging report.
    const expected = usdOutstanding(qbo);
    expect(expected).toBeGreaterThan(0);
    expect(await boardUsd(call)).toBe(expected);
    const usdCustomers = new Set(qbo.snapshot().customers.filter((c) => (c.CurrencyRef?.value ?? 'USD') === 'USD').map((c) => c.Id));
    const agingUsd = qbo.aging().filter((r) => usdCustomers.has(r.customerId)).reduce((s, r) => s + r.total, 0);
    // The report nets unapplied credit memos and payments against what invoices still owe.
    const snap = qbo.snapshot();
    const unapplied =
      snap.creditMemos.filter((m) => usdCustomers.has(m.CustomerRef.value) && m.TxnDate <= qbo.today()).reduce((s, m) => s + cents(m.RemainingCredit), 0) +
      snap.payments.filter((p) => usdCustomers.has(p.CustomerRef.value) && p.TxnDate <= qbo.today()).reduce((s, p) => s + cents(p.UnappliedAmt ?? 0), 0);
    expect(agingUsd + unapplied).toBe(expected);

    // Tokens and the client secret are in the SecretStore and nowhere in the data file.
    const stored = JSON.parse(secrets.entries.get(`qbo:${conn.id}`) ?? '{}') as { accessToken: string; refreshToken: string };
    expect(stored.accessToken.length).toBeGreaterThan(10);
    expect(stored.refreshToken.length).toBeGreaterThan(10);
    expect(secrets.entries.get(QBO_CLIENT_SECRET_ACCOUNT)).toBe(qbo.clientSecret);
    const files = [DB_FILE, `${DB_FILE}-wal`].map((f) => join(w.dataDir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const secret of [stored.accessToken, stored.refreshToken, qbo.clientSecret]) {
        expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 6)}… in ${f}`).toBe(false);
      }
    }

    // The same company twice is refused, clearly.
    await expect(call('connections.connectQbo')).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already connected/) as unknown });
    expect(await call('connections.list')).toHaveLength(1);

    // A payment in QuickBooks: one request brings it in.
    const open = qbo.snapshot().invoices.find((i) => (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.Balance > 0 && i.TxnDate <= qbo.today());
    if (!open) throw new Error('no open USD invoice in the emulator');
    qbo.advanceClock(3_600_000);
    qbo.payInvoice(open.Id);
    qbo.requests.reset();
    const inc = await call('sync.run', {});
    expect(inc.runs).toHaveLength(1);
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental', requests: 1 });
    expect(qbo.requests.log.filter((e) => e.path.startsWith('/v3/'))).toHaveLength(1);
    expect(await boardUsd(call)).toBe(expected - cents(open.Balance));
    expect(await boardUsd(call)).toBe(usdOutstanding(qbo));

    // The access token expires mid-way: renewed once, and the sync carries on.
    qbo.advanceClock(60_000);
    const other = qbo.snapshot().invoices.find((i) => i.Id !== open.Id && (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.Balance > 0 && i.TxnDate <= qbo.today());
    if (!other) throw new Error('no second open USD invoice');
    qbo.payInvoice(other.Id, { amount: 1.25 });
    qbo.expireAccessTokens();
    const before = tokenCalls(qbo);
    const renewed = await call('sync.run', {});
    expect(renewed.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(tokenCalls(qbo) - before).toBe(1);
    expect(await boardUsd(call)).toBe(usdOutstanding(qbo));
    const rotated = JSON.parse(secrets.entries.get(`qbo:${conn.id}`) ?? '{}') as { refreshToken: string };
    expect(rotated.refreshToken).not.toBe(stored.refreshToken);
  });

  it('turns invalid_grant into "needs reconnect" without looping, reconnects, and disconnects keeping the data', async () => {
    const w = await world();
    const { qbo, call, secrets } = w;
    const conn = await call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret });
    expect((await call('sync.run', { connectionId: conn.id })).runs[0]?.status).toBe('ok');
    const invoices = (): number => w.core.db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(conn.id) as number;
    const synced = invoices();
    expect(synced).toBeGreaterThan(100);

    // The grant is revoked at Intuit, then the access token expires.
    const stored = JSON.parse(secrets.entries.get(`qbo:${conn.id}`) ?? '{}') as { refreshToken: string };
    const oauth = new QboOAuth({ clientId: qbo.clientId, clientSecret: qbo.clientSecret, redirectUri: 'http://localhost:1/callback', environment: 'sandbox', oauthBase: qbo.oauthBase, apiBase: qbo.apiBase });
    await oauth.revoke(stored.refreshToken);
    // (The emulator answers a revoked but unexpired access token with 403, so let it expire for real.)
    qbo.advanceClock(2 * 3_600_000);
    qbo.expireAccessTokens();
    const before = tokenCalls(qbo);
    const failed = await call('sync.run', {});
    expect(failed.runs[0]).toMatchObject({ status: 'failed', needsReconnect: true });
    expect(failed.runs[0]?.error).toMatch(/reconnect/i);
    expect((await call('connections.list'))[0]?.status).toBe('needs_reconnect');
    const again = await call('sync.run', { connectionId: conn.id });
    expect(again.runs[0]).toMatchObject({ status: 'skipped', needsReconnect: true, requests: 0 });
    expect(again.runs[0]?.error).toMatch(/reconnect/i);
    expect(tokenCalls(qbo) - before).toBe(1);
    const audit = w.core.db.prepare("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id").pluck().all(conn.id);
    expect(audit).toContain('connection.needs_reconnect');

    // Reconnect: the same company comes back with the keys already kept.
    const back = await call('connections.connectQbo');
    expect(back).toMatchObject({ id: conn.id, status: 'active' });
    expect((await call('sync.run', { connectionId: conn.id })).runs[0]?.status).toBe('ok');

    // Disconnect: revoked, forgotten, data kept, marked.
    const gone = await call('connections.disconnect', { connectionId: conn.id });
    expect(gone).toMatchObject({ id: conn.id, status: 'disconnected' });
    expect(secrets.entries.has(`qbo:${conn.id}`)).toBe(false);
    expect(invoices()).toBe(synced);
    expect((await call('board.get', { scope: 'open' })).connection?.status).toBe('disconnected');
    expect(qbo.requests.log.some((e) => e.path.endsWith('/tokens/revoke'))).toBe(true);
    const skipped = await call('sync.run', { connectionId: conn.id });
    expect(skipped.runs[0]).toMatchObject({ status: 'skipped', error: expect.stringMatching(/disconnected/) as unknown });
    await expect(call('sync.run', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});
