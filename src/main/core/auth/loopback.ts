// The OAuth redirect target for a desktop app (RFC 8252 §7.3): a one-shot HTTP server on
// 127.0.0.1 that serves only the registered callback path, checks `state`, answers the browser
// with a calm "you can close this tab" page and shuts down. Both providers match redirect URIs
// exactly, so the port and path come from the configured redirect URI (a setting).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SettleError } from '../../../shared/errors';

/** The setting the owner changes when the port is taken (named in the error). */
export const REDIRECT_URI_SETTING = 'oauthRedirectUri';
export const DEFAULT_REDIRECT_URI = 'http://localhost:53682/callback';

export interface LoopbackOptions {
  /** e.g. http://localhost:53682/callback. Port 0 picks a free port (tests). */
  redirectUri: string;
  expectedState: string;
  timeoutMs: number;
  /** Opened once the server listens (the provider's authorize URL). */
  authorizeUrl?: string;
  /** The OpenExternal port: opens `authorizeUrl` in the system browser. */
  openExternal?: (url: string) => Promise<void>;
  /** The name of the setting to change when the port is taken (for the error). */
  settingName?: string;
}

export interface LoopbackHandle {
  /** The redirect URI actually served (the real port when 0 was asked for). */
  readonly redirectUri: string;
  readonly port: number;
  /** Resolves with the callback's query once; rejects with a LoopbackError. */
  readonly result: Promise<{ params: URLSearchParams }>;
  /** Stops listening; an unfinished flow rejects as cancelled. Idempotent. */
  close(): Promise<void>;
}

export type LoopbackFailure =
  | 'invalid_redirect'
  | 'port_in_use'
  | 'listen_failed'
  | 'missing_code'
  | 'access_denied'
  | 'provider_error'
  | 'timeout'
  | 'browser_failed'
  | 'cancelled';

export class LoopbackError extends SettleError {
  constructor(
    readonly reason: LoopbackFailure,
    message: string,
  ) {
    super(reason === 'port_in_use' || reason === 'timeout' || reason === 'browser_failed' || reason === 'listen_failed' ? 'unavailable' : 'conflict', message);
    this.name = 'LoopbackError';
  }
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'cache-control': 'no-store',
  // The URL carries the authorization code: never send it anywhere as a referrer.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Settle</title>
<style>
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; min-height: 100vh;
         display: flex; align-items: center; justify-content: center; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.25rem; font-weight: 600; margin: 0 0 .5rem; }
  p { margin: 0; opacity: .75; }
</style></head>
<body><main><h1>${title}</h1><p>${body}</p></main></body></html>
`;
}

const PAGES = {
  ok: page('Signed in', 'You can close this tab and return to Settle.'),
  declined: page('Access not given', 'Settle was not connected. You can close this tab and return to Settle.'),
  failed: page('Sign-in did not finish', 'You can close this tab and return to Settle to try again.'),
  badState: page('This sign-in link is not current', 'It does not match the sign-in Settle started. Close this tab and start again from Settle.'),
  gone: page('Already done', 'This sign-in was already used. You can close this tab and return to Settle.'),
  notFound: page('Not found', 'You can close this tab.'),
};

interface Target {
  host: string;
  port: number;
  path: string;
}

function parseRedirect(uri: string): Target {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new LoopbackError('invalid_redirect', `The redirect URI "${uri}" is not a URL`);
  }
  if (url.protocol !== 'http:') {
    throw new LoopbackError('invalid_redirect', `The loopback redirect URI must start with http:// (got ${url.protocol}//)`);
  }
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new LoopbackError('invalid_redirect', `The loopback redirect URI must point at localhost or 127.0.0.1 (got ${url.hostname})`);
  }
  if (url.port === '') {
    throw new LoopbackError('invalid_redirect', `The loopback redirect URI needs an explicit port, e.g. ${DEFAULT_REDIRECT_URI}`);
  }
  return { host: url.hostname, port: Number(url.port || 0), path: url.pathname || '/' };
}

/** Starts the server and, once it listens, opens the authorize URL. Rejects if it cannot listen. */
export async function startLoopback(opts: LoopbackOptions): Promise<LoopbackHandle> {
  const target = parseRedirect(opts.redirectUri);
  if (typeof opts.expectedState !== 'string' || opts.expectedState.length < 8) {
    throw new LoopbackError('invalid_redirect', 'The sign-in needs an unguessable state value');
  }
  const flow = new LoopbackFlow(target.path, opts.expectedState);
  await listen(flow.server, target.port, opts.settingName ?? REDIRECT_URI_SETTING);
  const port = (flow.server.address() as AddressInfo).port;
  const redirectUri = target.port === port ? opts.redirectUri : withPort(opts.redirectUri, port);
  flow.expireAfter(opts.timeoutMs);

  const handle: LoopbackHandle = { redirectUri, port, result: flow.result, close: () => flow.close() };
  if (opts.authorizeUrl && opts.openExternal) {
    try {
      await opts.openExternal(opts.authorizeUrl);
    } catch (err) {
      flow.finish(
        new LoopbackError(
          'browser_failed',
          `Settle could not open your browser to sign in (${err instanceof Error ? err.message : String(err)}).`,
        ),
      );
    }
  }
  return handle;
}

/** RFC 8252 §8.3: listens on the loopback address only, whatever name the URI uses. */
function listen(server: Server, port: number, settingName: string): Promise<void> {
  return new Promise<void>((res, rej) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        rej(
          new LoopbackError(
            'port_in_use',
            `Port ${port} on this computer is already in use, so Settle cannot receive the sign-in. ` +
              `Quit the program using it, or change the "${settingName}" setting to another port ` +
              `(and register that redirect URI with the provider).`,
          ),
        );
      } else {
        rej(new LoopbackError('listen_failed', `Settle could not listen for the sign-in on port ${port} (${err.code ?? err.message}).`));
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      res();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: '127.0.0.1', port, exclusive: true });
  });
}

function reply(res: ServerResponse, status: number, html: string, after?: () => void): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html) });
  res.end(html, after);
}

/** One sign-in's server: it answers the registered path once (checking state), then shuts down. */
class LoopbackFlow {
  readonly server: Server;
  /** Resolves with the callback's query once; rejects with a LoopbackError. */
  readonly result: Promise<{ params: URLSearchParams }>;
  private settled = false;
  private resolveResult!: (v: { params: URLSearchParams }) => void;
  private rejectResult!: (e: LoopbackError) => void;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly expectedState: string,
  ) {
    this.result = new Promise<{ params: URLSearchParams }>((res, rej) => {
      this.resolveResult = res;
      this.rejectResult = rej;
    });
    // The caller may attach its handler late; a rejection before then is still reported to it.
    this.result.catch(() => undefined);
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  /** Gives up waiting for the browser after `ms`. */
  expireAfter(ms: number): void {
    this.timer = setTimeout(() => {
      this.finish(
        new LoopbackError(
          'timeout',
          'The sign-in was not finished in the browser in time, so Settle stopped waiting. Connect again when you are ready.',
        ),
      );
    }, ms);
    this.timer.unref?.();
  }

  /** Settles the result once and stops listening. */
  finish(outcome: { params: URLSearchParams } | LoopbackError): void {
    if (this.settled) return;
    this.settled = true;
    if (outcome instanceof LoopbackError) this.rejectResult(outcome);
    else this.resolveResult(outcome);
    void this.shutdown();
  }

  /** LoopbackHandle.close: an unfinished flow rejects as cancelled. Idempotent. */
  close(): Promise<void> {
    this.finish(new LoopbackError('cancelled', 'The sign-in was cancelled.'));
    this.server.closeAllConnections();
    return this.shutdown();
  }

  private shutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.closing ??= new Promise<void>((res) => {
      this.server.close(() => res());
      this.server.closeIdleConnections();
    });
    return this.closing;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      reply(res, 400, PAGES.notFound);
      return;
    }
    // Only the registered path exists here (a browser also asks for /favicon.ico).
    if (url.pathname !== this.path) {
      reply(res, 404, PAGES.notFound);
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      reply(res, 405, PAGES.notFound);
      return;
    }
    // One-shot: whatever arrives after the flow finished is refused.
    if (this.settled) {
      reply(res, 410, PAGES.gone);
      return;
    }
    this.callback(res, url.searchParams);
  }

  /** The provider's redirect: state first, then a refusal or error, then the code. */
  private callback(res: ServerResponse, params: URLSearchParams): void {
    // A wrong or missing state is refused, and the sign-in keeps waiting: any web page can send
    // the browser here (an <img> to the callback), and must not be able to cancel a Connect.
    if (params.get('state') !== this.expectedState) {
      reply(res, 400, PAGES.badState);
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      if (error === 'access_denied') {
        reply(res, 200, PAGES.declined);
        this.finish(new LoopbackError('access_denied', 'Consent was declined in the browser, so Settle was not connected. Connect again when you are ready.'));
      } else {
        reply(res, 200, PAGES.failed);
        const description = (params.get('error_description') ?? '').slice(0, 200);
        this.finish(new LoopbackError('provider_error', `The sign-in failed: ${error.slice(0, 100)}${description ? ` (${description})` : ''}.`));
      }
      return;
    }
    if (!params.get('code')) {
      reply(res, 400, PAGES.failed);
      this.finish(new LoopbackError('missing_code', 'The sign-in came back without an authorization code. Please connect again.'));
      return;
    }
    reply(res, 200, PAGES.ok);
    this.finish({ params: new URLSearchParams(params) });
  }
}

function withPort(uri: string, port: number): string {
  const url = new URL(uri);
  url.port = String(port);
  return url.toString();
}
