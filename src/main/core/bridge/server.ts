// Browser mode's transport: serves the built renderer and the contract over loopback HTTP,
// with events on one WebSocket. Only this machine can reach it, and only with the random
// token; foreign Host/Origin headers are refused so a web page cannot DNS-rebind onto it.
// Nothing a peer sends may take the process down: malformed paths answer 400, duplicated
// security headers are refused, and every socket and WebSocket has an error handler and limits.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMethod, type Envelope } from '../../../shared/contract';
import { RENDERER_CSP } from '../../../shared/csp';
import type { Core } from '../app';

export interface BridgeOptions {
  core: Pick<Core, 'dispatch' | 'events'>;
  /** Built renderer (out/renderer); omit to serve the API only. */
  staticDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token (tests); otherwise 32 random bytes. */
  token?: string;
  /**
   * Test-only routes served as /api/test.<name> beside the contract (browser mode's --test-hooks).
   * They are not contract methods, so the preload and Electron never have them.
   */
  testHooks?: Record<`test.${string}`, (input: unknown) => unknown>;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** Largest WebSocket frame/message accepted; /events takes nothing in, so this is only a guard. */
export const MAX_WS_PAYLOAD = 16 * 1024;
/** Headers the checks read; a request repeating one is ambiguous (which one did a proxy see?). */
const SINGLE_HEADERS = new Set(['host', 'origin', 'authorization', 'sec-websocket-protocol']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What the request handlers share: the options, the token and the port once it is known. */
interface BridgeContext {
  opts: BridgeOptions;
  token: string;
  /** 0 until the server listens, then the port it got. */
  port: number;
}

/** True when a header the checks rely on appears more than once (Node keeps only the first Host). */
function repeatsSingleHeader(req: IncomingMessage): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

/** The request's path, or null when the target is not a usable origin-form path. */
function requestPath(req: IncomingMessage): string | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

/** The percent-decoded path, or null when it is malformed (bad escapes, invalid UTF-8, NUL). */
function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** Host must name us (DNS rebinding); Origin, when sent, must be our own page. */
function trustedRequest(ctx: BridgeContext, req: IncomingMessage): boolean {
  const allowedHosts = [`127.0.0.1:${ctx.port}`, `localhost:${ctx.port}`];
  const host = req.headers.host ?? '';
  if (!allowedHosts.includes(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowedHosts.map((h) => `http://${h}`).includes(origin);
}

function send(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

const NO_BODY = Symbol('no-body');

/** The request's JSON body (undefined when empty); NO_BODY once a refusal has been sent. */
async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      send(res, 413, { ok: false, error: { code: 'invalid_input', message: 'Request body too large' } });
      return NO_BODY;
    }
    chunks.push(chunk);
  }
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    return text.length === 0 ? undefined : (JSON.parse(text) as unknown);
  } catch {
    send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'Body is not valid JSON' } });
    return NO_BODY;
  }
}

async function handleApi(ctx: BridgeContext, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!sameToken(given, ctx.token)) {
    send(res, 401, { ok: false, error: { code: 'invalid_input', message: 'Missing or wrong bridge token' } });
    return;
  }
  const hook = method.startsWith('test.') ? ctx.opts.testHooks?.[method as `test.${string}`] : undefined;
  if (!hook && !isMethod(method)) {
    send(res, 404, { ok: false, error: { code: 'not_found', message: `Unknown method: ${method}` } });
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST', ...SECURITY_HEADERS }).end();
    return;
  }
  const input = await readJsonBody(req, res);
  if (input === NO_BODY) return;
  // JSON null means "no input" (the client sends null for optional inputs).
  if (hook) {
    try {
      send(res, 200, { ok: true, value: (await hook(input)) ?? null });
    } catch (err) {
      send(res, 200, { ok: false, error: { code: 'invalid_input', message: err instanceof Error ? err.message : String(err) } });
    }
    return;
  }
  send(res, 200, await ctx.opts.core.dispatch(method, input === null ? undefined : input));
}

function handleStatic(staticDir: string | undefined, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, SECURITY_HEADERS).end();
    return;
  }
  const root = normalize(staticDir + sep);
  const rel = decodePath(pathname === '/' ? '/index.html' : pathname);
  if (rel === null) {
    res.writeHead(400, SECURITY_HEADERS).end('Bad request');
    return;
  }
  const file = normalize(join(root, rel));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, SECURITY_HEADERS).end('Not found');
    return;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const html = type.startsWith('text/html');
  res.writeHead(200, {
    'content-type': type,
    'cache-control': html ? 'no-store' : 'public, max-age=3600',
    ...SECURITY_HEADERS,
    // The same policy as the page's meta tag (one source: shared/csp.ts).
    ...(html ? { 'content-security-policy': RENDERER_CSP } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
}

/** Core events out on /events (WebSocket, protocol `settle` plus `token.<token>`); nothing comes in. Returns the closer. */
function serveEvents(ctx: BridgeContext, server: Server): () => void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_PAYLOAD,
    handleProtocols: (protocols) => (protocols.has('settle') ? 'settle' : false),
  });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    // A peer may reset at any point (even mid-refusal); that must not be an uncaught error.
    socket.on('error', () => socket.destroy());
    const pathname = requestPath(req);
    if (pathname === null || repeatsSingleHeader(req)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const offered = protocols.find((p) => p.startsWith('token.'))?.slice(6) ?? '';
    if (pathname !== '/events' || !trustedRequest(ctx, req) || !sameToken(offered, ctx.token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // Oversized, unmasked, bad-opcode or invalid-UTF-8 frames surface here: drop that client.
      ws.on('error', () => ws.terminate());
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1003, 'Events only'));
    });
  });
  const offEvents = ctx.opts.core.events.onAny((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  return () => {
    offEvents();
    for (const ws of sockets) ws.terminate();
    wss.close();
  };
}

/** One request: malformed target or repeated header 400, foreign Host/Origin 403, /api/ the contract, else the renderer. */
function handleRequest(ctx: BridgeContext, req: IncomingMessage, res: ServerResponse): void {
  const pathname = requestPath(req);
  if (pathname === null || repeatsSingleHeader(req)) {
    res.writeHead(400, SECURITY_HEADERS).end('Bad request');
    return;
  }
  if (!trustedRequest(ctx, req)) {
    res.writeHead(403, SECURITY_HEADERS).end('Forbidden');
    return;
  }
  if (pathname.startsWith('/api/')) {
    handleApi(ctx, req, res, pathname.slice(5)).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS).end();
      else res.destroy();
    });
    return;
  }
  handleStatic(ctx.opts.staticDir, req, res, pathname);
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('Bridge token must be 16+ URL-safe characters');
  const ctx: BridgeContext = { opts, token, port: opts.port ?? 0 };

  const server = createServer((req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS).end();
      else res.destroy();
    }
  });
  // Unparseable HTTP or a reset before a response: answer 400 when still possible, never throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  // Every TCP connection, upgraded or not, so close() can end them all (server.close() alone
  // waits for half-open and upgraded sockets), each with an error handler before anything else.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  const closeEvents = serveEvents(ctx, server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.port, '127.0.0.1', () => resolve());
  });
  ctx.port = (server.address() as AddressInfo).port;
  const { port } = ctx;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        closeEvents();
        server.closeAllConnections();
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
