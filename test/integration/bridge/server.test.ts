import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { startBridge, type Bridge } from '../../../src/main/core/bridge/server';
import { fixedClock } from '../../../src/main/core/ports';
import { tempDir } from '../../support/tmp';

interface Reply {
  status: number;
  body: string;
}

function raw(bridge: Bridge, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('loopback bridge', () => {
  const dir = tempDir();
  const staticDir = join(dir.path, 'renderer');
  let core: Core;
  let bridge: Bridge;
  const token = 'test-token-0123456789abcdef';
  const api = (method: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    raw(bridge, `/api/${method}`, {
      method: 'POST',
      headers: { host: `127.0.0.1:${bridge.port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Settle</title>');
    writeFileSync(join(dir.path, 'secret.txt'), 'outside the static root');
    core = createCore({ dataDir: join(dir.path, 'data'), clock: fixedClock('2026-11-21T15:00:00Z'), autoDemo: false });
    bridge = await startBridge({ core, staticDir, token });
  });
  afterAll(async () => {
    await bridge.close();
    core.close();
    dir.cleanup();
  });

  it('listens on loopback and prints a URL carrying the token in the fragment', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${token}`);
  });

  it('serves the contract to a caller with the token', async () => {
    const res = await api('settings.get', null);
    expect(res.status).toBe(200);
    const env = JSON.parse(res.body) as { ok: boolean; value: { theme: string } };
    expect(env.ok).toBe(true);
    expect(env.value.theme).toBe('system');
  });

  it('refuses a missing or wrong token', async () => {
    expect((await api('settings.get', null, { authorization: '' })).status).toBe(401);
    expect((await api('settings.get', null, { authorization: 'Bearer nope-nope-nope-nope' })).status).toBe(401);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding, cross-site pages)', async () => {
    expect((await api('settings.get', null, { host: 'evil.example:80' })).status).toBe(403);
    expect((await api('settings.get', null, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('settings.get', null, { origin: `http://localhost:${bridge.port}` })).status).toBe(200);
  });

  it('answers bad input with invalid_input and unknown methods with 404', async () => {
    const bad = JSON.parse((await api('board.get', { limit: 'lots' })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toMatch(/limit/);
    expect((await api('nope.nothing', null)).status).toBe(404);
    const notJson = await raw(bridge, '/api/settings.get', {
      method: 'POST',
      headers: { host: `127.0.0.1:${bridge.port}`, authorization: `Bearer ${token}` },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('serves the renderer but nothing outside it', async () => {
    const host = { host: `127.0.0.1:${bridge.port}` };
    const index = await raw(bridge, '/', { headers: host });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Settle</title>');
    expect((await raw(bridge, '/../secret.txt', { headers: host })).status).toBe(404);
    expect((await raw(bridge, '/%2e%2e/secret.txt', { headers: host })).status).toBe(404);
  });

  it('streams events over a WebSocket only to a holder of the token', async () => {
    const url = `ws://127.0.0.1:${bridge.port}/events`;
    const refused = new WebSocket(url, ['settle', 'token.wrong-token-wrong-token']);
    const refusal = await new Promise<string>((resolve) => {
      refused.onerror = () => resolve('error');
      refused.onopen = () => resolve('open');
    });
    expect(refusal).toBe('error');

    const ws = new WebSocket(url, ['settle', `token.${token}`]);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('socket failed'));
    });
    const got = new Promise<unknown>((resolve) => {
      ws.onmessage = (m) => resolve(JSON.parse(String(m.data)));
    });
    core.events.emit('ledger.changed', { connectionId: 'demo', reason: 'demo' });
    expect(await got).toEqual({ event: 'ledger.changed', payload: { connectionId: 'demo', reason: 'demo' } });
    ws.close();
  });
});
