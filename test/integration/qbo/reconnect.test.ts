// Reconnecting a QuickBooks company after "needs reconnect", in the core against the emulator and
// a real settle.db: a sign-in that comes back with another company (realmId) is refused before
// any token exists, with nothing written; the right company keeps its data and the next sync is
// an increment from the stored cursor.
import { afterEach, describe, expect, it } from 'vitest';
import { QboOAuth } from '../../../src/main/core/connectors/qbo/oauth';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import { startQboServer } from '../../fakes/qbo-server';
import { connectWorld, type Cleanups } from '../sync/connect-world';
import { emulatorClock } from './helpers';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('QuickBooks reconnect', () => {
  it('refuses a sign-in that chose another company, then reconnects the same one with its data and cursor', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 200, rateLimit: false });
    cleanups.push(() => qbo.close());
    const w = await connectWorld<MemorySecretStore>(cleanups, { clock: emulatorClock(qbo), qbo, secrets: memorySecretStore() });
    const { call } = w;
    const conn = await call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret });
    expect((await call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    const invoices = (): number => w.core.db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(conn.id) as number;
    const synced = invoices();
    expect(synced).toBeGreaterThan(50);

    // The owner disconnects Settle at Intuit; the next sync finds out.
    const stored = JSON.parse(w.secrets.entries.get(`qbo:${conn.id}`) ?? '{}') as { refreshToken: string };
    const oauth = new QboOAuth({ clientId: qbo.clientId, clientSecret: qbo.clientSecret, redirectUri: 'http://localhost:1/callback', environment: 'sandbox', oauthBase: qbo.oauthBase, apiBase: qbo.apiBase });
    await oauth.revoke(stored.refreshToken);
    qbo.advanceClock(2 * 3_600_000);
    qbo.expireAccessTokens();
    expect((await call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'failed', needsReconnect: true });
    expect((await call('connections.list'))[0]?.status).toBe('needs_reconnect');

    // Reconnect, but in the browser the owner picks another company.
    const before = {
      secrets: [...w.secrets.entries],
      audit: w.core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get(),
      connections: w.core.db.prepare('SELECT * FROM connections').all(),
    };
    const tokenCalls = (): number => qbo.requests.log.filter((e) => e.path.endsWith('/tokens/bearer')).length;
    const exchanges = tokenCalls();
    w.browser.redirect = (loc) => {
      loc.searchParams.set('realmId', '4620816365031234567');
      return loc;
    };
    await expect(call('connections.connectQbo', { connectionId: conn.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`not “${conn.name}”`) as unknown,
    });
    expect(tokenCalls()).toBe(exchanges); // the code was never exchanged: no tokens exist
    expect([...w.secrets.entries]).toEqual(before.secrets);
    expect(w.core.db.prepare('SELECT * FROM connections').all()).toEqual(before.connections);
    expect(w.core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()).toBe(before.audit);

    // A reconnect of something that is not a QuickBooks company is refused before the browser opens.
    const visits = w.browser.visits.length;
    await expect(call('connections.connectQbo', { connectionId: 'xero-nope' })).rejects.toMatchObject({ code: 'not_found' });
    expect(w.browser.visits).toHaveLength(visits);

    // The right company: same id, data kept, and the next sync continues from the cursor.
    w.browser.redirect = null;
    const back = await call('connections.connectQbo', { connectionId: conn.id });
    expect(back).toMatchObject({ id: conn.id, status: 'active' });
    expect(invoices()).toBe(synced);
    const open = qbo.snapshot().invoices.find((i) => i.Balance > 0 && i.TxnDate <= qbo.today());
    if (!open) throw new Error('no open invoice in the emulator');
    qbo.advanceClock(60_000);
    qbo.payInvoice(open.Id);
    const resumed = await call('sync.run', { connectionId: conn.id });
    const last = await call('sync.run', { connectionId: conn.id });
    for (const r of [resumed.runs[0], last.runs[0]]) expect(r).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(last.runs[0]!.requests).toBe(1);
    const balance = w.core.db.prepare('SELECT balance_cents FROM invoices WHERE connection_id = ? AND external_id = ?').pluck().get(conn.id, open.Id);
    expect(balance).toBe(0);
    expect(invoices()).toBe(synced);
  });
});
