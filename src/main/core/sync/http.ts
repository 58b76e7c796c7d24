// The one way connectors call a provider: every request goes through the tenant's Limiter,
// gets a per-request timeout, honours Retry-After, backs off with full jitter on 5xx, network
// errors and timeouts (bounded attempts), refreshes the token once after a 401, and is counted
// (the bench reports requests per 1,000 records). Requests that might not be safe to repeat
// (a POST without an idempotency key) are retried only when the provider certainly did not
// process them (429, or 503 with Retry-After).
import { SettleError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../ports';
import { Limiter, parseRetryAfter, type LimitPolicy, type LimiterDeps } from './limiter';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Bearer tokens for one connection (TokenManager.authFor gives one). */
export interface HttpAuth {
  token(): Promise<string>;
  /** Called after a 401 with the token that was refused; returns a fresh one. */
  refresh(rejected: string): Promise<string>;
  /** Called after a second 401: marks the connection and returns the error to throw. */
  rejected(detail: string): Promise<Error>;
}

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  /** Keep the body's bytes too (a PDF); `text` is then its UTF-8 reading, for error bodies. */
  binary?: boolean;
  /** Safe to send twice? Defaults: GET/HEAD/PUT/DELETE/OPTIONS, or an Idempotency-Key header, or a `requestid` query parameter. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body's bytes, when the request asked for `binary`. */
  bytes?: Uint8Array;
  /** Parses the body; throws a SettleError naming the provider when it is not JSON. */
  json<T = unknown>(): T;
  /** Network attempts this response took (1 = first try). */
  attempts: number;
}

export interface HttpClientOptions {
  limiter: Limiter;
  auth?: HttpAuth;
  fetch?: FetchLike;
  logger?: Logger;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number;
  /** Backoff base and cap for full jitter (defaults 500 ms and 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not slept through: RateLimitedError instead (default 10 min). */
  maxRetryAfterMs?: number;
  /** Random source for the jitter (tests pin it). */
  random?: () => number;
  userAgent?: string;
}

/** The provider stayed unreachable or kept failing through every attempt. */
export class ProviderUnavailableError extends SettleError {
  constructor(
    readonly provider: string,
    readonly status: number | null,
    why: string,
  ) {
    super('unavailable', `${provider} is not answering right now (${why}). Settle will try again later; everything already synced is still here.`);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider asked us to wait longer than we are willing to hold a sync open. */
export class RateLimitedError extends SettleError {
  constructor(
    readonly provider: string,
    readonly retryAt: string,
  ) {
    super('unavailable', `${provider} asked Settle to slow down; syncing resumes after ${retryAt}.`);
    this.name = 'RateLimitedError';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

type Outcome =
  | { kind: 'response'; res: HttpResponse }
  /** pausedMs: the provider set the wait (Retry-After, already on the limiter); null: back off. */
  | { kind: 'retry'; pausedMs: number | null; why: string; status: number | null };

export class HttpClient {
  private sent = 0;
  private retried = 0;
  private readonly fetchFn: FetchLike;
  private readonly logger: Logger;

  constructor(private readonly opts: HttpClientOptions) {
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.logger = opts.logger ?? silentLogger;
  }

  /** Network requests sent so far (every attempt counts). */
  get requests(): number {
    return this.sent;
  }

  /** Attempts that were retries of an earlier one. */
  get retries(): number {
    return this.retried;
  }

  get limiter(): Limiter {
    return this.opts.limiter;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const limiter = this.opts.limiter;
    const provider = limiter.policy.provider;
    const method = (req.method ?? 'GET').toUpperCase();
    const maxAttempts = Math.max(1, this.opts.maxAttempts ?? 6);
    const idempotent = req.idempotent ?? isIdempotent(method, req);
    let token = this.opts.auth ? await this.opts.auth.token() : null;
    let refreshed = false;
    let last: Outcome | null = null;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      req.signal?.throwIfAborted();
      if (attempt > 1) this.retried++;
      const outcome = await this.attempt(req, method, token, attempt, idempotent);
      if (outcome.kind === 'response') {
        const { res } = outcome;
        if (res.status === 401 && this.opts.auth && token !== null) {
          if (refreshed) throw await this.opts.auth.rejected(`${provider} refused the renewed sign-in`);
          refreshed = true;
          token = await this.opts.auth.refresh(token);
          attempt--; // a token refresh is not a failed attempt
          continue;
        }
        return res;
      }
      last = outcome;
      if (attempt === maxAttempts) break;
      const waitMs = outcome.pausedMs ?? this.backoff(attempt);
      this.logger.warn('provider request will be retried', {
        provider,
        status: outcome.status,
        why: outcome.why,
        attempt,
        waitMs: Math.round(waitMs),
      });
      // A Retry-After pause is already on the limiter (every caller waits); a backoff is ours.
      if (outcome.pausedMs === null) await limiter.sleep(waitMs, req.signal);
    }
    if (last?.kind === 'retry' && last.status === 429) {
      throw new RateLimitedError(provider, new Date(limiter.now() + this.backoff(maxAttempts)).toISOString());
    }
    throw new ProviderUnavailableError(provider, last?.kind === 'retry' ? last.status : null, last?.kind === 'retry' ? last.why : 'no answer');
  }

  /** One attempt: a limiter slot, the fetch with its timeout, and the verdict. */
  private async attempt(req: HttpRequest, method: string, token: string | null, attempt: number, idempotent: boolean): Promise<Outcome> {
    const limiter = this.opts.limiter;
    const provider = limiter.policy.provider;
    const release = await limiter.acquire(req.signal);
    const timeout = new AbortController();
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs ?? 60_000;
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    try {
      this.sent++;
      let res: Response;
      let text: string;
      let bytes: Uint8Array | undefined;
      try {
        res = await this.fetchFn(req.url, { method, headers, body: req.body ?? undefined, signal, redirect: 'error' });
        if (req.binary) {
          bytes = new Uint8Array(await res.arrayBuffer());
          text = new TextDecoder().decode(bytes);
        } else {
          text = await res.text();
        }
      } catch {
        if (req.signal?.aborted) throw req.signal.reason;
        const why = timeout.signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'network error';
        if (!idempotent) throw new ProviderUnavailableError(provider, null, `${why}; not retried because the request may have been processed`);
        return { kind: 'retry', pausedMs: null, why, status: null };
      }
      limiter.observe(res.headers);
      const status = res.status;
      if (status === 429 || status === 503) {
        const problem = (res.headers.get('x-rate-limit-problem') ?? '').toLowerCase();
        const after = parseRetryAfter(res.headers.get('retry-after'), limiter.now());
        if (status === 429 && problem.startsWith('day')) {
          throw limiter.blockDay(after === null ? null : limiter.now() + after, true);
        }
        if (after !== null) {
          const until = limiter.now() + after;
          limiter.pauseUntil(until);
          if (after > (this.opts.maxRetryAfterMs ?? 10 * 60_000)) throw new RateLimitedError(provider, new Date(until).toISOString());
          return { kind: 'retry', pausedMs: after, why: `HTTP ${status}, Retry-After ${Math.round(after / 1000)} s`, status };
        }
        if (status === 429 || idempotent) return { kind: 'retry', pausedMs: null, why: `HTTP ${status}`, status };
      } else if (status >= 500 && idempotent) {
        return { kind: 'retry', pausedMs: null, why: `HTTP ${status}`, status };
      }
      if (status >= 500) {
        throw new ProviderUnavailableError(provider, status, `HTTP ${status}; not retried because the request may have been processed`);
      }
      const tid = res.headers.get('intuit_tid');
      if (status >= 400) this.logger.info('provider answered with an error', { provider, status, attempt, intuit_tid: tid });
      return { kind: 'response', res: toResponse(provider, status, res.headers, text, attempt, bytes) };
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^(attempt-1))]. */
  private backoff(attempt: number): number {
    const base = this.opts.baseDelayMs ?? 500;
    const cap = this.opts.maxDelayMs ?? 30_000;
    return (this.opts.random ?? Math.random)() * Math.min(cap, base * 2 ** (attempt - 1));
  }
}

function isIdempotent(method: string, req: HttpRequest): boolean {
  if (SAFE_METHODS.has(method)) return true;
  if (Object.keys(req.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key')) return true;
  try {
    return new URL(req.url).searchParams.has('requestid');
  } catch {
    return false;
  }
}

function toResponse(provider: string, status: number, headers: Headers, text: string, attempts: number, bytes?: Uint8Array): HttpResponse {
  return {
    status,
    headers,
    text,
    attempts,
    ...(bytes ? { bytes } : {}),
    json<T>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new SettleError('unavailable', `${provider} sent a response Settle could not read (HTTP ${status}, not JSON).`);
      }
    },
  };
}

/** The plain request a connector client builds; connectors take a `ConnectorHttp` so tests can
 * run them on bare fetch and the app on the limiter's HttpClient. */
export interface ConnectorRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Keep the body's bytes (a PDF). */
  binary?: boolean;
}

export interface ConnectorResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The body's bytes, when the request asked for `binary`. */
  bytes?: Uint8Array;
}

export type ConnectorHttp = (req: ConnectorRequest) => Promise<ConnectorResponse>;

/** Bare fetch, no limits or retries (tests, one-off calls). Redirects are refused. */
export const fetchConnectorHttp: ConnectorHttp = async (req) => {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    redirect: 'error',
  });
  if (req.binary) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body: new TextDecoder().decode(bytes), bytes };
  }
  return { status: res.status, headers: res.headers, body: await res.text() };
};

/**
 * Routes a connector through the limiter's HttpClient. Build that client WITHOUT `auth`: the
 * connector clients send the bearer token and do the one refresh after a 401 themselves.
 */
export function connectorHttpVia(client: { request(req: HttpRequest): Promise<HttpResponse> }): ConnectorHttp {
  return async (req) => {
    const res = await client.request({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: req.body ?? null,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.binary ? { binary: true } : {}),
    });
    return { status: res.status, headers: res.headers, body: res.text, ...(res.bytes ? { bytes: res.bytes } : {}) };
  };
}

/** One connection's metered transport: its Limiter, the HttpClient over it, and that client as a ConnectorHttp. */
export interface LimitedTransport {
  limiter: Limiter;
  http: HttpClient;
  connectorHttp: ConnectorHttp;
}

/**
 * What each QBO and Xero connection gets: a Limiter for `policy` and an HttpClient built without
 * `auth` (the connector clients send the bearer token and refresh once after a 401 themselves).
 */
export function limitedTransport(policy: LimitPolicy | (() => LimitPolicy), deps: Pick<LimiterDeps, 'logger' | 'onCall'> = {}): LimitedTransport {
  const limiter = new Limiter(policy, deps);
  const http = new HttpClient({ limiter, ...(deps.logger ? { logger: deps.logger } : {}) });
  return { limiter, http, connectorHttp: connectorHttpVia(http) };
}
