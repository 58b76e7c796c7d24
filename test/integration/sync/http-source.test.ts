// The pieces together, as a connector will use them: a SyncSource pages through a real
// 127.0.0.1 HTTP server via HttpClient (Limiter + TokenManager), the server expires the token
// once and throttles once, and the engine commits each page with its cursor.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { refreshFailure, TokenManager, tokensFromResponse } from '../../../src/main/core/auth/tokens';
import { createConnection, getConnection, setConnectionStatus } from '../../../src/main/core/connectors/connections.repo';
import { getCursor, lastRun } from '../../../src/main/core/sync/sync-runs.repo';
import { EventHub } from '../../../src/main/core/events';
import { systemClock } from '../../../src/main/core/ports';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import { SyncEngine, type SyncSource } from '../../../src/main/core/sync/engine';
import { HttpClient } from '../../../src/main/core/sync/http';
import { Limiter, XERO_LIMITS } from '../../../src/main/core/sync/limiter';
import { countRows, NOW, useTempDb } from '../db/helpers';

const temp = useTempDb();
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const PAGES = 3;
const PAGE_SIZE = 4;

/** A tiny provider: /token rotates refresh tokens; /Contacts?page=n needs the current access token. */
async function provider(opts: { revoke?: boolean } = {}) {
  let access = 'AT-old';
  let refresh = 'RT1';
  const log: string[] = [];
  let throttled = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        log.push(`token:${form.get('refresh_token')}`);
        if (opts.revoke || form.get('refresh_token') !== refresh) return json(400, { error: 'invalid_grant' });
        const n = Number(refresh.slice(2)) + 1;
        refresh = `RT${n}`;
        access = `AT${n}`;
        json(200, { access_token: access, refresh_token: refresh, expires_in: 1800, token_type: 'Bearer' });
      });
      return;
    }
    const page = Number(url.searchParams.get('page'));
    log.push(`page:${page}`);
    if (req.headers.authorization !== `Bearer ${access}`) return json(401, { Title: 'Unauthorized', Detail: 'TokenExpired' });
    if (page === 2 && !throttled) {
      throttled = true;
      return json(429, {}, { 'retry-after': '0', 'x-rate-limit-problem': 'minute' });
    }
    const contacts = Array.from({ length: page <= PAGES ? PAGE_SIZE : 0 }, (_, i) => ({ ContactID: `k${(page - 1) * PAGE_SIZE + i + 1}` }));
    json(200, { Contacts: contacts }, { 'x-minlimit-remaining': '55', 'x-daylimit-remaining': '4900' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
}

function contactsSource(http: HttpClient, base: string): SyncSource {
  return {
    entities: ['contacts'],
    requests: () => http.requests,
    async *pages(ctx) {
      let page = Number(ctx.cursors.contacts ?? '0') + 1;
      for (;;) {
        const res = await http.request({ url: `${base}/Contacts?page=${page}`, signal: ctx.signal });
        const { Contacts } = res.json<{ Contacts: { ContactID: string }[] }>();
        if (Contacts.length === 0) return;
        yield {
          entity: 'contacts',
          batch: { customers: Contacts.map((c) => ({ externalId: c.ContactID, name: c.ContactID, currency: 'NZD', updatedAt: NOW })) },
          cursor: String(page),
          warnings: [],
          records: Contacts.length,
        };
        page++;
      }
    },
  };
}

async function setup(opts: { revoke?: boolean } = {}) {
  const p = await provider(opts);
  const { db } = temp.open();
  createConnection(db, { id: 'x1', provider: 'xero', name: 'Kea Studio', homeCurrency: 'NZD' }, NOW);
  const secrets = memorySecretStore();
  const onNeedsReconnect = vi.fn((id: string) => setConnectionStatus(db, id, 'needs_reconnect', new Date().toISOString()));
  const tokens = new TokenManager({
    provider: 'xero',
    secrets,
    clock: systemClock,
    onNeedsReconnect,
    async refresh(refreshToken) {
      const res = await fetch(`${p.base}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'cid', refresh_token: refreshToken }).toString(),
      });
      const body: unknown = await res.json();
      if (!res.ok) throw refreshFailure(res.status, body);
      return tokensFromResponse(body, new Date());
    },
  });
  // The access token still looks valid locally; the server has already expired it.
  await tokens.save('x1', { accessToken: 'AT-stale', refreshToken: 'RT1', expiresAt: new Date(Date.now() + 600_000).toISOString() });
  const limiter = new Limiter(XERO_LIMITS);
  const http = new HttpClient({ limiter, auth: tokens.authFor('x1'), random: () => 0 });
  const engine = new SyncEngine({ db, clock: systemClock, events: new EventHub(), rescore: () => undefined, sourceFor: () => contactsSource(http, p.base) });
  return { db, engine, secrets, log: p.log, onNeedsReconnect, limiter };
}

describe('sync over HTTP: HttpClient + Limiter + TokenManager + engine', () => {
  it('refreshes after a 401, waits out a 429, commits each page, and counts every request', async () => {
    const { db, engine, secrets, log, limiter } = await setup();
    const out = await engine.run('x1');
    expect(out).toMatchObject({ status: 'ok', pages: 3, records: 12 });
    expect(log).toEqual(['page:1', 'token:RT1', 'page:1', 'page:2', 'page:2', 'page:3', 'page:4']);
    expect(out.requests).toBe(6); // 401 + retry, 429 + retry, page 3, the empty page 4 (the token call is not an API request)
    expect(lastRun(db, 'x1')).toMatchObject({ status: 'ok', requests: 6, records: 12 });
    expect(countRows(db, 'customers')).toBe(12);
    expect(getCursor(db, 'x1', 'contacts')).toBe('3');
    expect(JSON.parse((await secrets.get('xero:x1')) ?? '{}')).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT2' });
    expect(limiter.stats().dayRemaining).toBe(4900);
  });

  it('a revoked grant marks the connection once and fails the run without retrying', async () => {
    const { db, engine, log, onNeedsReconnect } = await setup({ revoke: true });
    const out = await engine.run('x1');
    expect(out).toMatchObject({ status: 'failed', needsReconnect: true, pages: 0 });
    expect(out.error).toContain('Xero needs you to reconnect');
    expect(log).toEqual(['page:1', 'token:RT1']);
    expect(onNeedsReconnect).toHaveBeenCalledTimes(1);
    expect(getConnection(db, 'x1')?.status).toBe('needs_reconnect');
  });
});
