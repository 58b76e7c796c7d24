// Raw-socket peers for the bridge's hardening tests: bytes straight onto a TCP connection
// (node:net), a hand-made WebSocket handshake and hand-built frames, so the tests can send what
// no well-behaved client would (bad escapes, resets, unmasked or oversized frames).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { startBridge, type Bridge } from '../../../src/main/core/bridge/server';
import { fixedClock } from '../../../src/main/core/ports';
import { tempDir } from '../../support/tmp';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A contract call over HTTP with the token; resolves with the parsed status and body. */
export function callContract(bridge: Bridge, method: string, input: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: `/api/${method}`,
        method: 'POST',
        headers: { host: `127.0.0.1:${bridge.port}`, authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

/** Opens a TCP connection to the bridge; client-side errors (resets, EPIPE) are swallowed. */
export function openSocket(bridge: Bridge): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: bridge.port }, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, or until `ms` passes (then the socket is destroyed). */
export function collect(socket: Socket, ms = 1000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', done);
  });
}

/**
 * Writes raw bytes and returns the server's answer (until it closes, or `ms`). With `halfClose`
 * the client also ends its side, so the server never waits for more input (fuzzing).
 */
export async function sendRaw(bridge: Bridge, bytes: string | Uint8Array, opts: { ms?: number; halfClose?: boolean } = {}): Promise<string> {
  const socket = await openSocket(bridge);
  const answer = collect(socket, opts.ms ?? 1000);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  if (opts.halfClose) socket.end(data);
  else socket.write(data);
  return answer;
}

/** A hand-made upgrade request to /events, with or without the token. */
export function upgradeRequest(bridge: Bridge, token: string | null): string {
  const protocols = token === null ? 'settle' : `settle, token.${token}`;
  return [
    'GET /events HTTP/1.1',
    `Host: 127.0.0.1:${bridge.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${protocols}`,
    '',
    '',
  ].join('\r\n');
}

/** Opens /events by hand; resolves with the socket and the status line the server answered. */
export async function openEvents(bridge: Bridge, token: string | null): Promise<{ socket: Socket; status: string }> {
  const socket = await openSocket(bridge);
  const status = await new Promise<string>((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve(seen.split('\r\n')[0] ?? ''), 1000);
    const onData = (c: Buffer): void => {
      seen += c.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(seen.split('\r\n')[0] ?? '');
    };
    socket.on('data', onData);
    socket.on('close', () => resolve(seen.split('\r\n')[0] ?? ''));
    socket.write(upgradeRequest(bridge, token));
  });
  return { socket, status };
}

export interface FrameSpec {
  fin?: boolean;
  /** RSV1-3 bits (0-7). */
  rsv?: number;
  opcode: number;
  masked?: boolean;
  payload: Uint8Array;
  /** Length to declare in the header instead of the payload's real length. */
  declaredLength?: number;
}

/** One WebSocket frame as bytes (RFC 6455 §5.2), masked unless told otherwise. */
export function frame(spec: FrameSpec): Buffer {
  const masked = spec.masked ?? true;
  const length = spec.declaredLength ?? spec.payload.length;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (masked) header[1] = (header[1] ?? 0) | 0x80;
  const key = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(spec.payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([header, key, body]);
}

/**
 * A bridge over a real core and a stub renderer, for attack tests: `alive()` checks that nothing
 * was thrown (in browser mode an uncaught error is fatal; in a test worker it is recorded here)
 * and that the contract still answers. Call `close()` when done.
 */
export async function bridgeUnderAttack(token: string): Promise<{ bridge: Bridge; core: Core; staticDir: string; alive(): Promise<void>; close(): Promise<void> }> {
  const dir = tempDir();
  const staticDir = join(dir.path, 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Settle</title>');
  writeFileSync(join(staticDir, 'app.js'), 'export {};');
  const uncaught: unknown[] = [];
  const record = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', record);
  const core = createCore({ dataDir: join(dir.path, 'data'), clock: fixedClock('2026-11-21T15:00:00Z'), autoDemo: false });
  const bridge = await startBridge({ core, staticDir, token });
  return {
    bridge,
    core,
    staticDir,
    async alive() {
      await new Promise((r) => setTimeout(r, 20));
      expect(uncaught).toEqual([]);
      const res = await callContract(bridge, 'board.get', null);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { ok: boolean }).ok).toBe(true);
    },
    async close() {
      process.off('uncaughtException', record);
      await bridge.close();
      core.close();
      dir.cleanup();
    },
  };
}
