// The QuickBooks sync through the full stack (createCore, a real settle.db) when things go
// wrong: a revoked grant (403 / 3100), 429 storms, 5xx and dropped connections, a process
// killed between pages, and the secrets kept out of the data file and the log.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../src/main/core/app';
import { runCli, type CliIo } from '../../../src/main/cli/run';
import { QboOAuth } from '../../../src/main/core/connectors/qbo/oauth';
import { openDatabase } from '../../../src/main/core/db/open';
import { QBO_CLIENT_SECRET_ACCOUNT } from '../../../src/main/core/connectors/qbo/qbo.service';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { tempDir } from '../../support/tmp';
import { type CoreWorld, coreWorld, headlessTokens, ledgerDiff } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(invoices: number): Promise<QboServer> {
  const qbo = await startQboServer({ today: '2025-06-15', invoices, rateLimit: false });
  cleanups.push(() => qbo.close());
  return qbo;
}

async function connected(qbo: QboServer): Promise<CoreWorld> {
  const w = await coreWorld(qbo);
  cleanups.push(() => w.close());
  return w;
}

describe('QuickBooks sync robustness', () => {
  it('treats 403 / 3100 (app disconnected at Intuit) as "needs reconnect" at once, without retrying', async () => {
    const qbo = await emulator(200);
    const w = await connected(qbo);
    const first = await w.call('sync.run', { connectionId: w.connectionId });
    expect(first.runs[0]?.status).toBe('ok');

    // The owner disconnects Settle inside QuickBooks: the grant is revoked, the access token is still unexpired.
    const oauth = new QboOAuth({ clientId: qbo.clientId, clientSecret: qbo.clientSecret, redirectUri: 'http://localhost:1/callback', environment: 'sandbox', oauthBase: qbo.oauthBase, apiBase: qbo.apiBase });
    const stored = JSON.parse(w.secrets.entries.get(`qbo:${w.connectionId}`) ?? '{}') as { refreshToken: string };
    await oauth.revoke(stored.refreshToken);
    qbo.advanceClock(60_000);
    qbo.requests.reset();

    const failed = await w.call('sync.run', { connectionId: w.connectionId });
    expect(failed.runs[0]).toMatchObject({ status: 'failed', needsReconnect: true });
    expect(failed.runs[0]?.error).toMatch(/reconnect/i);
    expect(failed.runs[0]?.error).toMatch(/disconnected/i);
    // One API call answered 403 and nothing else was tried: no refresh, no retry.
    const log = qbo.requests.log;
    expect(log.filter((e) => e.path.startsWith('/v3/'))).toHaveLength(1);
    expect(log[0]?.status).toBe(403);
    expect(log.some((e) => e.path.endsWith('/tokens/bearer'))).toBe(false);
    expect((await w.call('connections.list'))[0]?.status).toBe('needs_reconnect');
    const again = await w.call('sync.run', { connectionId: w.connectionId });
    expect(again.runs[0]).toMatchObject({ status: 'skipped', needsReconnect: true, requests: 0 });
    const audit = w.core.db.prepare('SELECT action FROM audit_log WHERE entity_id = ?').pluck().all(w.connectionId);
    expect(audit).toContain('connection.needs_reconnect');
  });

  it('completes a 429 storm with a correct ledger', async () => {
    const qbo = await emulator(2500);
    const w = await connected(qbo);
    qbo.faults.throttleRate = 0.3;
    qbo.faults.retryAfterSeconds = null;
    const out = await w.call('sync.run', { connectionId: w.connectionId });
    expect(out.runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    expect(qbo.requests.log.some((e) => e.fault === 'throttled' || e.status === 429)).toBe(true);
    expect(ledgerDiff(qbo, w.core.db, w.connectionId)).toEqual([]);
  }, 60_000);

  it('completes through 5xx answers and dropped connections with a correct ledger, then follows changes', async () => {
    const qbo = await emulator(2500);
    const w = await connected(qbo);
    qbo.faults.queue = ['500', 'drop', '503', 'drop', '500'];
    qbo.faults.serverErrorRate = 0.1;
    qbo.faults.dropRate = 0.05;
    const out = await w.call('sync.run', { connectionId: w.connectionId });
    expect(out.runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    const faults = qbo.requests.log.filter((e) => e.fault !== undefined).map((e) => e.fault);
    expect(faults).toEqual(expect.arrayContaining(['500', 'drop', '503']));
    expect(ledgerDiff(qbo, w.core.db, w.connectionId)).toEqual([]);

    const open = qbo.snapshot().invoices.find((i) => i.Balance > 0 && i.TxnDate <= qbo.today());
    if (!open) throw new Error('no open invoice');
    qbo.advanceClock(3_600_000);
    qbo.payInvoice(open.Id);
    qbo.faults.queue = ['503', 'drop'];
    const inc = await w.call('sync.run', { connectionId: w.connectionId });
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(ledgerDiff(qbo, w.core.db, w.connectionId)).toEqual([]);
  }, 60_000);

  it('keeps the access token, refresh token and client secret out of settle.db, its WAL and the log', async () => {
    const qbo = await emulator(300);
    const w = await connected(qbo);
    expect((await w.call('sync.run', { connectionId: w.connectionId })).runs[0]?.status).toBe('ok');
    // A renewal too, so the rotated pair is looked for as well.
    qbo.advanceClock(3_600_000);
    qbo.expireAccessTokens();
    expect((await w.call('sync.run', { connectionId: w.connectionId })).runs[0]?.status).toBe('ok');
    const rotated = JSON.parse(w.secrets.entries.get(`qbo:${w.connectionId}`) ?? '{}') as { accessToken: string; refreshToken: string };
    expect(rotated.refreshToken).not.toBe(w.issued.refresh);
    expect(w.secrets.entries.get(QBO_CLIENT_SECRET_ACCOUNT)).toBe(qbo.clientSecret);
    const secrets = [w.issued.access, w.issued.refresh, rotated.accessToken, rotated.refreshToken, qbo.clientSecret];
    const log = w.logText();
    expect(log).toMatch(/sync finished/);
    for (const s of secrets) expect(log.includes(s), `${s.slice(0, 6)}… in the log`).toBe(false);
    const files = [DB_FILE, `${DB_FILE}-wal`].map((f) => join(w.dataDir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const s of secrets) expect(bytes.includes(Buffer.from(s)), `${s.slice(0, 6)}… in ${f}`).toBe(false);
    }
  });
});

describe('a `settle sync` killed between pages', () => {
  const cli = resolve('out/main/cli.js');

  it('resumes from the last committed page with nothing lost or doubled (SIGKILL, file SecretStore)', async () => {
    expect(existsSync(cli), 'run `npx electron-vite build` first').toBe(true);
    const qbo = await emulator(3500);
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const env = { ...process.env, SETTLE_QBO_API_BASE: qbo.apiBase, SETTLE_QBO_OAUTH_BASE: qbo.oauthBase, SETTLE_SECRET_STORE: 'file' };
    const now = ['--now', qbo.now().toISOString()];
    const data = ['--data-dir', dir.path];
    const tokenFile = join(dir.path, 'tokens.json');
    writeFileSync(tokenFile, JSON.stringify(headlessTokens(qbo)));
    let out = '';
    const io: CliIo = { out: (t) => (out += t), err: () => undefined, env };
    expect(await runCli(['connect', 'qbo', '--token-file', tokenFile, ...data, ...now], io)).toBe(0);
    const id = out.trim();

    // Slow the emulator down so the kill lands mid-way, right after the first invoice page is saved.
    qbo.faults.latencyMs = 150;
    const child = spawn(process.execPath, [cli, 'sync', ...data, ...now], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let progress = '';
    const killed = await new Promise<boolean>((res, rej) => {
      child.stdout.on('data', (b: Buffer) => {
        progress += b.toString();
        if (/Saved [\d,]+ Invoice/.test(progress) && child.exitCode === null) {
          child.kill('SIGKILL');
          res(true);
        }
      });
      child.on('error', rej);
      child.on('exit', () => res(false));
    });
    expect(killed, `the sync ended before an invoice page was saved:\n${progress}`).toBe(true);
    await new Promise<void>((res) => (child.exitCode !== null || child.signalCode !== null ? res() : child.on('exit', () => res())));
    expect(child.signalCode).toBe('SIGKILL');

    // What the killed run left: some invoices, a cursor, a run that never finished.
    const db = openDatabase(join(dir.path, DB_FILE));
    try {
      const partial = db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(id) as number;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(qbo.snapshot().invoices.length);
      expect(db.prepare('SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1').pluck().get()).toBe('running');
    } finally {
      db.close();
    }

    qbo.faults.latencyMs = 0;
    qbo.requests.reset();
    out = '';
    expect(await runCli(['sync', ...data, ...now], io)).toBe(0);
    expect(out).toMatch(/Synced .*: [\d,]+ records/);
    // It continued: the invoices already saved were not fetched again from the start.
    const starts = qbo.requests.log.filter((e) => e.path.endsWith('/query')).map((e) => e.query.query ?? '').filter((q) => /^SELECT \* FROM Invoice/i.test(q));
    expect(starts.some((q) => /STARTPOSITION 1 /i.test(q) || !/STARTPOSITION/i.test(q))).toBe(false);

    const after = openDatabase(join(dir.path, DB_FILE));
    try {
      expect(ledgerDiff(qbo, after, id)).toEqual([]);
      const dupes = after.prepare('SELECT COUNT(*) FROM (SELECT external_id FROM invoices WHERE connection_id = ? GROUP BY external_id HAVING COUNT(*) > 1)').pluck().get(id);
      expect(dupes).toBe(0);
    } finally {
      after.close();
    }
  }, 90_000);
});
