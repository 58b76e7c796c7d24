// `settle connect xero --token-file` and `settle sync` against the Xero emulator, with the file
// SecretStore (the headless choice) and the endpoints from the environment.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/main/cli/run';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import { tempDir } from '../../support/tmp';

let x: XeroServer;
const dir = tempDir();
const data = ['--data-dir', dir.path];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  x = await startXeroServer({ today: '2025-06-15', invoices: 150, rateLimit: false });
  env = { SETTLE_XERO_API_BASE: x.apiBase, SETTLE_XERO_IDENTITY_BASE: x.identityBase, SETTLE_SECRET_STORE: 'file' };
});
afterAll(async () => {
  await x.close();
  dir.cleanup();
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env };
  const code = await runCli(args, io);
  return { code, out, err };
}

function tokenFile(name: string, body: unknown): string {
  const path = join(dir.path, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('settle connect xero / settle sync', () => {
  it('connects one organisation from a token file and syncs it, increments in ≤ 3 requests', async () => {
    const issued = x.issueTokens();
    const file = tokenFile('xero-tokens.json', {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: new Date(x.now().getTime() + issued.expires_in * 1000).toISOString(),
      tenantId: x.tenantId,
      clientId: x.clientId,
    });
    const now = ['--now', x.now().toISOString()];
    const connected = await run(['connect', 'xero', '--token-file', file, ...data, ...now]);
    expect(connected.err).not.toContain('\n    at ');
    expect(connected.code).toBe(0);
    const id = connected.out.trim();
    expect(id).toBe(`xero-${x.tenantId}`);
    expect(connected.err).toContain(x.tenantName);
    expect(readFileSync(join(dir.path, 'secrets.json'), 'utf8')).toContain(issued.refresh_token as string);

    const synced = await run(['sync', ...data, ...now]);
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(new RegExp(`Synced ${id} \\(full\\): [\\d,]+ records, \\d+ requests, [\\d.]+ s, 0 warning\\(s\\)`));
    for (const f of ['settle.db', 'settle.db-wal'].map((n) => join(dir.path, n)).filter((p) => existsSync(p))) {
      const bytes = readFileSync(f);
      for (const secret of [issued.access_token, issued.refresh_token as string]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }

    x.advanceClock(600_000);
    const open = x.snapshot().invoices.find((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.AmountDue > 0);
    if (!open) throw new Error('nothing open in the emulator');
    x.payInvoice(open.InvoiceID);
    const inc = await run(['sync', '--connection', id, '--json', ...data, '--now', x.now().toISOString()]);
    expect(inc.code).toBe(0);
    const json = JSON.parse(inc.out) as { runs: { status: string; kind: string; requests: number }[] };
    expect(json.runs).toEqual([expect.objectContaining({ status: 'ok', kind: 'incremental' })]);
    expect(json.runs[0]!.requests).toBeLessThanOrEqual(3);

    const twice = await run(['connect', 'xero', '--token-file', file, ...data, ...now]);
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/already connected/);
  });

  it('explains a bad token file', async () => {
    const bad = tokenFile('xero-bad.json', { accessToken: 'x', refreshToken: '', expiresAt: 'tomorrow', tenantId: '123', clientId: 'c' });
    const r = await run(['connect', 'xero', '--token-file', bad, ...data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refreshToken/);
    expect(r.err).toMatch(/expiresAt must be an ISO instant/);
    expect(r.err).toMatch(/tenantId must be the Xero organisation id/);
    const u = await run(['connect', 'xero', ...data]);
    expect(u.code).toBe(2);
  });
});
