// `settle connect qbo --token-file` and `settle sync` against the QBO emulator, with the file
// SecretStore (the headless choice) and the endpoints from the environment.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/main/cli/run';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { tempDir } from '../../support/tmp';
import { headlessTokens } from '../qbo/helpers';

let qbo: QboServer;
const dir = tempDir();
const data = ['--data-dir', dir.path];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  qbo = await startQboServer({ today: '2025-06-15', invoices: 200, rateLimit: false });
  env = { SETTLE_QBO_API_BASE: qbo.apiBase, SETTLE_QBO_OAUTH_BASE: qbo.oauthBase, SETTLE_SECRET_STORE: 'file' };
});
afterAll(async () => {
  await qbo.close();
  dir.cleanup();
});

async function run(args: string[], withEnv: NodeJS.ProcessEnv = env): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env: withEnv };
  const code = await runCli(args, io);
  return { code, out, err };
}

function tokenFile(name: string, body: unknown): string {
  const path = join(dir.path, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

describe('settle connect qbo / settle sync', () => {
  it('connects from a token file, keeps the secrets in the 0600 file store, and syncs with a summary', async () => {
    const tokens = headlessTokens(qbo);
    const file = tokenFile('tokens.json', tokens);
    const now = ['--now', qbo.now().toISOString()];
    const connected = await run(['connect', 'qbo', '--token-file', file, ...data, ...now]);
    expect(connected.err).toMatch(/warning: .*keychain/i);
    expect(connected.code).toBe(0);
    const id = connected.out.trim();
    expect(id).toBe(`qbo-${qbo.realmId}`);

    const secretsFile = join(dir.path, 'secrets.json');
    expect(existsSync(secretsFile)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const secrets = readFileSync(secretsFile, 'utf8');
    expect(secrets).toContain(tokens.refreshToken);
    expect(secrets).toContain(qbo.clientSecret);

    const synced = await run(['sync', ...data, ...now]);
    expect(synced.err).toMatch(/keychain/i);
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(/Syncing .*…/);
    expect(synced.out).toMatch(new RegExp(`Synced ${id} \\(full\\): [\\d,]+ records, \\d+ requests, [\\d.]+ s, 0 warning\\(s\\)`));

    for (const f of ['settle.db', 'settle.db-wal'].map((n) => join(dir.path, n)).filter((p) => existsSync(p))) {
      const bytes = readFileSync(f);
      for (const secret of [tokens.accessToken, tokens.refreshToken, qbo.clientSecret]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }

    // An increment: JSON summary, one request.
    qbo.advanceClock(600_000);
    const open = qbo.snapshot().invoices.find((i) => i.Balance > 0);
    if (!open) throw new Error('nothing open in the emulator');
    qbo.payInvoice(open.Id);
    const later = ['--now', qbo.now().toISOString()];
    const inc = await run(['sync', '--connection', id, '--json', ...data, ...later]);
    expect(inc.code).toBe(0);
    const json = JSON.parse(inc.out) as { runs: { status: string; kind: string; requests: number; records: number }[] };
    expect(json.runs).toEqual([expect.objectContaining({ status: 'ok', kind: 'incremental', requests: 1 })]);

    // The same company again is refused.
    const twice = await run(['connect', 'qbo', '--token-file', file, ...data, ...now]);
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/already connected/);
  });

  it('explains a bad token file and refuses bad arguments with usage (exit 2)', async () => {
    const bad = tokenFile('bad.json', { accessToken: 'x', refreshToken: '', expiresAt: 'tomorrow', realmId: 'abc', clientId: 'c' });
    const r = await run(['connect', 'qbo', '--token-file', bad, ...data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refreshToken/);
    expect(r.err).toMatch(/expiresAt must be an ISO instant/);
    expect(r.err).toMatch(/clientSecret/);
    expect(r.err).not.toContain('\n    at ');
    const notJson = await run(['connect', 'qbo', '--token-file', tokenFile('garbage.json', '{nope'), ...data]);
    expect(notJson).toMatchObject({ code: 1, err: expect.stringMatching(/not JSON/) as unknown });
    const missing = await run(['connect', 'qbo', '--token-file', join(dir.path, 'absent.json'), ...data]);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/Cannot read the token file/) as unknown });

    for (const args of [['connect'], ['connect', 'qbo'], ['connect', 'qbo', '--token-file'], ['sync', '--bogus'], ['sync', '--connection', '']]) {
      const u = await run([...args, ...data]);
      expect(u.code, args.join(' ')).toBe(2);
      expect(u.err).toContain('Usage: settle');
    }
    const weird = await run(['sync', ...data], { ...env, SETTLE_SECRET_STORE: 'papyrus' });
    expect(weird.code).toBe(1);
    expect(weird.err).toMatch(/SETTLE_SECRET_STORE must be/);
  });
});
