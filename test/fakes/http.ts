// HTTP plumbing the provider emulators share (qbo-server.ts, xero-server.ts): a loopback listener
// that can be closed with requests still hanging, body reading with a size cap, the request log,
// seeded fault draws, and writing a reply. The providers' own wire formats stay in their files.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Rng } from '../../src/main/core/connectors/demo/prng';

/** One answer, built by a route and written by `writeReply`. */
export interface Reply {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The request body as text; over `limit` bytes the request is destroyed and `tooLarge()` rejected. */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(tooLarge());
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The test-facing view of an emulator's request log. */
export interface RequestLog<E> {
  readonly count: number;
  readonly log: E[];
  reset(): void;
}

export function requestLog<E>(log: E[]): RequestLog<E> {
  return {
    get count() {
      return log.length;
    },
    get log() {
      return log;
    },
    reset() {
      log.length = 0;
    },
  };
}

/** The fault knobs both emulators draw from: a queue taken first, then probabilities per request. */
export interface FaultDraws<K extends string> {
  throttleRate: number;
  serverErrorRate: number;
  timeoutRate: number;
  dropRate: number;
  queue: K[];
}

/** The next injected fault. One draw per request even when the queue answers, so a seed replays
 * the same sequence whatever the queue held. */
export function pickFault<K extends string>(knobs: FaultDraws<K>, rng: Rng): K | '429' | '500' | 'timeout' | 'drop' | null {
  const queued = knobs.queue.shift();
  const r = rng.next();
  if (queued) return queued;
  let acc = 0;
  for (const [rate, kind] of [
    [knobs.throttleRate, '429'],
    [knobs.serverErrorRate, '500'],
    [knobs.timeoutRate, 'timeout'],
    [knobs.dropRate, 'drop'],
  ] as const) {
    acc += rate;
    if (r < acc) return kind;
  }
  return null;
}

/** Carries out the transport-level faults (a request that never answers, a dropped socket).
 * Resolves true when the request was consumed by one. */
export async function transportFault(kind: string | null, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (kind === 'timeout') {
    // Never answer; the client's abort (or close()) ends it.
    await new Promise<void>((resolve) => res.on('close', () => resolve()));
    return true;
  }
  if (kind === 'drop') {
    req.socket.destroy();
    return true;
  }
  return false;
}

/** Writes `reply` (unless the socket is gone) and records its status in the log entry. */
export function writeReply(res: ServerResponse, entry: { status?: number }, reply: Reply, extraHeaders: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  entry.status = reply.status;
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers };
  if (reply.contentType) headers['Content-Type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

/** The authorize endpoint's 302 back to the app's redirect URI, with `extra` and the request's `state`. */
export function redirectReply(redirectUri: string, state: string | null, extra: Record<string, string>): Reply {
  const loc = new URL(redirectUri);
  for (const [k, v] of Object.entries(extra)) loc.searchParams.set(k, v);
  if (state !== null) loc.searchParams.set('state', state);
  return { status: 302, body: '', headers: { Location: loc.toString() } };
}

/** A small HTML page (consent errors, hosted invoices), with the text escaped. */
export function htmlReply(status: number, title: string, text: string, contentType: string): Reply {
  return { status, body: `<!doctype html><title>${title}</title><p>${text.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</p>`, contentType };
}

export interface Listening {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Stops listening and destroys every open socket, hanging requests included. */
  close(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1 (port 0: any free one). */
export async function listenLoopback(port: number, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}

/** A test-only route of an emulator process's side door: returns the JSON to answer with. */
export type SideDoorRoutes = Record<string, () => unknown>;

/**
 * Runs an emulator as a process (run-qbo.ts, run-xero.ts): a side door on `port` (127.0.0.1)
 * answering `'METHOD /path'` routes with JSON, for what the e2e suite must check or change, and
 * a clean stop on SIGINT/SIGTERM. Prints `ready` once listening.
 */
export async function runEmulatorProcess(opts: { port: number; routes: SideDoorRoutes; ready: string; close(): Promise<void> }): Promise<void> {
  const side = await listenLoopback(opts.port, (req, res) => {
    const route = opts.routes[`${req.method ?? 'GET'} ${req.url ?? '/'}`];
    if (!route) {
      res.writeHead(404).end();
      return Promise.resolve();
    }
    try {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route() ?? null));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
    }
    return Promise.resolve();
  });
  process.stdout.write(`${opts.ready}\n`);
  const stop = (): void => {
    void Promise.all([side.close(), opts.close()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
