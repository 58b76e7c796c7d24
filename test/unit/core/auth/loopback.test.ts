// The test plays the browser: real HTTP round trips against the one-shot loopback server.
import { freePort } from '../../../support/ports';
import { request as httpRequest } from 'node:http';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackError, startLoopback, type LoopbackHandle } from '../../../../src/main/core/auth/loopback';

const STATE = 'state-abcdef-123456';
const handles: LoopbackHandle[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const s of blockers.splice(0)) await new Promise((r) => s.close(r));
});

async function start(opts: Partial<Parameters<typeof startLoopback>[0]> = {}): Promise<LoopbackHandle> {
  const h = await startLoopback({ redirectUri: 'http://localhost:0/callback', expectedState: STATE, timeoutMs: 5000, ...opts });
  handles.push(h);
  return h;
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, host = '127.0.0.1'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Two requests pipelined on one socket: the second arrives while the first is being answered. */
function pipelined(port: number, paths: [string, string]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let raw = '';
    sock.setEncoding('utf8');
    sock.on('data', (c: string) => {
      raw += c;
      if ((raw.match(/^HTTP\/1\.1 /gm) ?? []).length >= 2 && raw.trimEnd().endsWith('</html>')) sock.end();
    });
    sock.on('error', reject);
    sock.on('close', () => resolve([...raw.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]))));
    sock.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`).join(''));
    setTimeout(() => sock.end(), 2000);
  });
}

describe('auth/loopback: RFC 8252 one-shot redirect server', () => {
  it('resolves with the callback query, answers a calm page with a strict CSP, then closes', async () => {
    const h = await start();
    expect(h.redirectUri).toBe(`http://localhost:${h.port}/callback`);
    const res = await get(h.port, `/callback?code=the-code&state=${STATE}&realmId=9130`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('You can close this tab and return to Settle');
    expect(res.body).not.toMatch(/<script|https?:\/\//i);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const { params } = await h.result;
    expect(params.get('code')).toBe('the-code');
    expect(params.get('realmId')).toBe('9130');
    // Closed: a new connection is refused.
    await new Promise((r) => setTimeout(r, 20));
    await expect(get(h.port, `/callback?code=x&state=${STATE}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('opens the authorize URL once it listens', async () => {
    const opened: string[] = [];
    const h = await start({ authorizeUrl: 'https://login.example/authorize?x=1', openExternal: (u) => Promise.resolve(void opened.push(u)) });
    expect(opened).toEqual(['https://login.example/authorize?x=1']);
    await get(h.port, `/callback?code=c&state=${STATE}`);
    await h.result;
  });

  it('fails the flow when the browser cannot be opened', async () => {
    const h = await start({ authorizeUrl: 'https://login.example/a', openExternal: () => Promise.reject(new Error('no display')) });
    await expect(h.result).rejects.toMatchObject({ reason: 'browser_failed', message: expect.stringContaining('no display') });
  });

  it('refuses a wrong or missing state with 400 and keeps waiting for the real callback', async () => {
    const h = await start();
    let settled = false;
    void h.result.then(
      () => (settled = true),
      () => (settled = true),
    );
    const res = await get(h.port, '/callback?code=c&state=forged-state-value');
    expect(res.status).toBe(400);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect((await get(h.port, '/callback?code=c')).status).toBe(400);
    // A page that fakes an error or a refusal without the state cannot end the sign-in either.
    expect((await get(h.port, '/callback?error=access_denied&state=nope')).status).toBe(400);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    await get(h.port, `/callback?code=real-code&state=${STATE}`);
    await expect(h.result).resolves.toMatchObject({ params: expect.any(URLSearchParams) });
    expect((await h.result).params.get('code')).toBe('real-code');
  });

  it('reports declined consent clearly', async () => {
    const h = await start();
    const res = await get(h.port, `/callback?error=access_denied&state=${STATE}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('You can close this tab');
    await expect(h.result).rejects.toMatchObject({ reason: 'access_denied', message: expect.stringContaining('Consent was declined') });
  });

  it('fails on a callback without a code', async () => {
    const h = await start();
    expect((await get(h.port, `/callback?state=${STATE}`)).status).toBe(400);
    await expect(h.result).rejects.toMatchObject({ reason: 'missing_code' });
  });

  it('serves only the callback path: anything else is 404 and does not end the flow', async () => {
    const h = await start();
    expect((await get(h.port, '/favicon.ico')).status).toBe(404);
    expect((await get(h.port, `/other?code=c&state=${STATE}`)).status).toBe(404);
    expect((await get(h.port, `/callback/extra?code=c&state=${STATE}`)).status).toBe(404);
    expect((await get(h.port, `/callback?code=c&state=${STATE}`)).status).toBe(200);
    await expect(h.result).resolves.toBeTruthy();
  });

  it('is one-shot: a replay after success gets 410 and does not change the result', async () => {
    const h = await start();
    const statuses = await pipelined(h.port, [`/callback?code=first&state=${STATE}`, `/callback?code=second&state=${STATE}`]);
    expect(statuses).toEqual([200, 410]);
    expect((await h.result).params.get('code')).toBe('first');
  });

  it('times out, rejecting and closing the server', async () => {
    const h = await start({ timeoutMs: 50 });
    await expect(h.result).rejects.toMatchObject({ reason: 'timeout', message: expect.stringContaining('in time') });
    await new Promise((r) => setTimeout(r, 20));
    await expect(get(h.port, `/callback?code=x&state=${STATE}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('close() cancels an unfinished flow', async () => {
    const h = await start();
    await h.close();
    await expect(h.result).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('listens on 127.0.0.1 only, even when the URI says localhost', async () => {
    const h = await start();
    const server = (await get(h.port, '/nope')).status;
    expect(server).toBe(404);
    // Not on another interface address of this machine: ::1 (IPv6 loopback) is not bound.
    const v6 = await get(h.port, '/nope', '::1').then(
      (r) => r.status,
      (e: NodeJS.ErrnoException) => e.code,
    );
    expect(v6).not.toBe(404);
    // Nor on this machine's LAN addresses, when it has any.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (lan) await expect(get(h.port, '/nope', lan.address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('names the setting to change when the port is taken', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const err = await startLoopback({ redirectUri: `http://localhost:${port}/callback`, expectedState: STATE, timeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LoopbackError);
    expect(err).toMatchObject({ reason: 'port_in_use', code: 'unavailable' });
    expect((err as Error).message).toContain(`Port ${port}`);
    expect((err as Error).message).toContain('"oauthRedirectUri" setting');
  });

  it('refuses redirect URIs that are not plain-http loopback with a port', async () => {
    const port = await freePort();
    for (const uri of [`https://localhost:${port}/callback`, `http://example.com:${port}/callback`, 'http://localhost/callback', 'not a url']) {
      await expect(startLoopback({ redirectUri: uri, expectedState: STATE, timeoutMs: 1000 })).rejects.toMatchObject({ reason: 'invalid_redirect' });
    }
  });
});
