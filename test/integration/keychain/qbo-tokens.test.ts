// QuickBooks tokens in the real OS keychain (keytar): connect through the loopback sign-in
// against the emulator, sync, and show that the keychain holds the tokens and the client secret
// while the bytes of settle.db (and its WAL) and of the log hold none of them; a rotated
// refresh token is in the keychain before any request uses the new access token, and a new
// process signs in with it. Uses its own keychain service name and deletes what it wrote.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../src/main/core/app';
import type { SecretStore } from '../../../src/main/core/ports';
import { QBO_CLIENT_SECRET_ACCOUNT } from '../../../src/main/core/connectors/qbo/qbo.service';
import { createKeychainStore } from '../../../src/main/shell/keychain';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { emulatorClock } from '../qbo/helpers';
import { connectWorld, type Cleanups } from '../sync/connect-world';

const keychain = createKeychainStore({ service: `Settle-test-${process.pid}-${randomUUID().slice(0, 8)}` });
const written = new Set<string>();
/** The keychain, noting each account written (to clean up) and what the emulator had seen at that moment. */
function recording(qbo: QboServer, sets: { account: string; secret: string; requestsSeen: number }[]): SecretStore {
  return {
    get: (account) => keychain.get(account),
    set: async (account, secret) => {
      written.add(account);
      sets.push({ account, secret, requestsSeen: qbo.requests.log.length });
      await keychain.set(account, secret);
    },
    delete: (account) => keychain.delete(account),
  };
}

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  for (const account of written) await keychain.delete(account).catch(() => false);
});

interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

describe('QuickBooks tokens in the real keychain', () => {
  it('keeps tokens and the client secret in the keychain only, and persists a rotated refresh token before using it', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 120, rateLimit: false });
    cleanups.push(() => qbo.close());
    const sets: { account: string; secret: string; requestsSeen: number }[] = [];
    const secrets = recording(qbo, sets);
    const w = await connectWorld(cleanups, { clock: emulatorClock(qbo), qbo, secrets });
    const conn = await w.call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret });
    expect((await w.call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'ok', kind: 'full' });

    // The keychain holds them.
    const account = `qbo:${conn.id}`;
    const first = JSON.parse((await keychain.get(account)) ?? '{}') as StoredTokens;
    expect(first.accessToken.length).toBeGreaterThan(10);
    expect(first.refreshToken.length).toBeGreaterThan(10);
    expect(await keychain.get(QBO_CLIENT_SECRET_ACCOUNT)).toBe(qbo.clientSecret);

    // The token expires: one refresh during the next sync, and the keychain has the new pair
    // before the emulator sees any request after that refresh.
    qbo.advanceClock(60_000);
    const open = qbo.snapshot().invoices.find((i) => i.Balance > 0 && i.TxnDate <= qbo.today());
    if (!open) throw new Error('no open invoice in the emulator');
    qbo.payInvoice(open.Id, { amount: 1 });
    qbo.expireAccessTokens();
    const setsBefore = sets.length;
    expect((await w.call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    const rotated = JSON.parse((await keychain.get(account)) ?? '{}') as StoredTokens;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const save = sets.slice(setsBefore).find((s) => s.account === account && (JSON.parse(s.secret) as StoredTokens).refreshToken === rotated.refreshToken);
    expect(save).toBeDefined();
    const log = qbo.requests.log;
    const refreshAt = log.findLastIndex((e, i) => i < save!.requestsSeen && e.path.endsWith('/tokens/bearer'));
    expect(refreshAt).toBeGreaterThanOrEqual(0);
    expect(log.slice(refreshAt + 1, save!.requestsSeen)).toEqual([]); // nothing between the refresh and its save
    expect(log.slice(save!.requestsSeen).some((e) => e.path.startsWith('/v3/'))).toBe(true);

    // Neither the data file nor the log holds any of them.
    await w.shutdown();
    const secretsSeen = [first.accessToken, first.refreshToken, rotated.accessToken, rotated.refreshToken, qbo.clientSecret];
    const files = [DB_FILE, `${DB_FILE}-wal`].map((f) => join(w.dataDir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const logText = w.logText();
    expect(logText.length).toBeGreaterThan(0);
    for (const secret of secretsSeen) {
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(secret)), `${secret.slice(0, 6)}… in ${f}`).toBe(false);
      expect(logText.includes(secret), `${secret.slice(0, 6)}… in the log`).toBe(false);
    }

    // A new process reads the rotated tokens from the keychain and syncs.
    const again = await connectWorld(cleanups, { clock: emulatorClock(qbo), qbo, secrets, dataDir: w.dataDir });
    expect((await again.call('sync.run', { connectionId: conn.id })).runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
  });
});
