// The limiter and HTTP client on a fake clock: every wait is recorded and advances time
// instantly, so Retry-After, backoff and the rolling windows are checked without sleeping.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { NeedsReconnectError } from '../../../../src/main/core/auth/tokens';
import type { Clock } from '../../../../src/main/core/ports';
import { HttpClient, ProviderUnavailableError, RateLimitedError, type FetchLike, type HttpAuth } from '../../../../src/main/core/sync/http';
import {
  DailyLimitError,
  Limiter,
  parseRetryAfter,
  QBO_LIMITS,
  XERO_LIMITS,
  type LimitPolicy,
  type Sleep,
} from '../../../../src/main/core/sync/limiter';

const T0 = Date.parse('2025-06-15T12:00:00.000Z');

function fakeTime(start = T0): { clock: Clock; sleep: Sleep; sleeps: number[]; now(): number; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(now), timeZone: () => 'UTC' },
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      const target = now + ms;
      await Promise.resolve();
      signal?.throwIfAborted();
      now = Math.max(now, target);
    },
  };
}

type Reply = { status?: number; headers?: Record<string, string>; body?: string } | Error;

/** A fetch that answers from a script (the last reply repeats) and records each call's time. */
function scripted(time: { now(): number }, replies: Reply[]): FetchLike & { calls: { at: number; init: RequestInit; url: string }[] } {
  const calls: { at: number; init: RequestInit; url: string }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ at: time.now(), init, url });
    const r = replies[Math.min(calls.length - 1, replies.length - 1)] as Reply;
    if (r instanceof Error) throw r;
    const status = r.status ?? 200;
    return new Response(status === 204 ? null : (r.body ?? '{}'), { status, headers: r.headers });
  }) as FetchLike & { calls: typeof calls };
  f.calls = calls;
  return f;
}

function client(policy: LimitPolicy, fetch: FetchLike, time: ReturnType<typeof fakeTime>, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const limiter = new Limiter(policy, { clock: time.clock, sleep: time.sleep });
  return new HttpClient({ limiter, fetch, random: () => 1, ...extra });
}

const URL_ = 'https://api.example/v3/company/1/query';

describe('sync/limiter + http: Retry-After', () => {
  it('waits exactly Retry-After seconds on a 429, then retries', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200, body: '{"ok":1}' }]);
    const http = client(XERO_LIMITS, fetch, time);
    const res = await http.request({ url: URL_ });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: 1 });
    expect(res.attempts).toBe(2);
    expect(fetch.calls.map((c) => c.at - T0)).toEqual([0, 7000]);
    expect(time.sleeps).toEqual([7000]);
    expect(http.requests).toBe(2);
    expect(http.retries).toBe(1);
  });

  it('reads Retry-After as an HTTP date too, and on 503', async () => {
    const time = fakeTime();
    const at = new Date(T0 + 30_000).toUTCString();
    const fetch = scripted(time, [{ status: 503, headers: { 'retry-after': at } }, { status: 200 }]);
    await client(QBO_LIMITS, fetch, time).request({ url: URL_ });
    expect(fetch.calls[1]?.at).toBe(T0 + 30_000);
  });

  it('pauses every caller of the tenant, not just the one that was refused', async () => {
    const time = fakeTime();
    let n = 0;
    const fetch = (async () => {
      n++;
      return n === 1 ? new Response('', { status: 429, headers: { 'retry-after': '20' } }) : new Response('{}');
    }) as FetchLike;
    const http = client(XERO_LIMITS, fetch, time);
    await http.request({ url: URL_ });
    const t = time.now();
    expect(t).toBe(T0 + 20_000);
    await http.request({ url: URL_ });
    expect(time.now()).toBe(t); // the pause is over; no extra wait
  });

  it('does not sleep through a very long Retry-After: RateLimitedError with the time', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const err = await client(QBO_LIMITS, fetch, time).request({ url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ retryAt: new Date(T0 + 3_600_000).toISOString() });
    expect(time.sleeps).toEqual([]);
  });

  it('parses Retry-After forms', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000);
    expect(parseRetryAfter(new Date(T0 + 5000).toUTCString(), T0)).toBe(5000);
    expect(parseRetryAfter(new Date(T0 - 5000).toUTCString(), T0)).toBe(0);
    expect(parseRetryAfter('soon', T0)).toBeNull();
    expect(parseRetryAfter(null, T0)).toBeNull();
  });
});

describe('sync/limiter + http: backoff', () => {
  it('backs off with full jitter on 5xx, bounded to 6 attempts', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 500, body: '{"Fault":{}}' }]);
    const err = await client(QBO_LIMITS, fetch, time).request({ url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ status: 500, code: 'unavailable' });
    expect(fetch.calls).toHaveLength(6);
    // random() pinned to 1: the cap of each full-jitter draw.
    expect(time.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('draws each delay uniformly below the cap, and caps it', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 502 }]);
    const draws = [0.5, 0.25, 0, 1, 1, 1, 1, 1, 1];
    let i = 0;
    await client(QBO_LIMITS, fetch, time, { random: () => draws[i++] ?? 1, maxAttempts: 8, maxDelayMs: 5000 })
      .request({ url: URL_ })
      .catch(() => undefined);
    expect(time.sleeps).toEqual([250, 250, 0, 4000, 5000, 5000, 5000]);
  });

  it('retries a network error, then succeeds', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [new TypeError('fetch failed'), { status: 200 }]);
    const res = await client(QBO_LIMITS, fetch, time).request({ url: URL_ });
    expect(res.status).toBe(200);
    expect(fetch.calls).toHaveLength(2);
  });

  it('never repeats a POST that may have been processed, unless it carries an idempotency key', async () => {
    const time = fakeTime();
    const plain = scripted(time, [{ status: 500 }]);
    await expect(client(QBO_LIMITS, plain, time).request({ method: 'POST', url: URL_, body: '{}' })).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(plain.calls).toHaveLength(1);

    const lost = scripted(time, [new TypeError('fetch failed')]);
    await expect(client(QBO_LIMITS, lost, time).request({ method: 'POST', url: URL_ })).rejects.toThrow(/may have been processed/);
    expect(lost.calls).toHaveLength(1);

    const keyed = scripted(time, [{ status: 500 }, { status: 204 }]);
    const res = await client(XERO_LIMITS, keyed, time).request({ method: 'POST', url: URL_, headers: { 'Idempotency-Key': 'k1' } });
    expect(res.status).toBe(204);
    expect(keyed.calls).toHaveLength(2);

    const qbo = scripted(time, [{ status: 503 }, { status: 200 }]);
    await client(QBO_LIMITS, qbo, time).request({ method: 'POST', url: `${URL_}?requestid=abc` });
    expect(qbo.calls).toHaveLength(2);

    // A 429 was certainly not processed: a plain POST may be retried after it.
    const throttled = scripted(time, [{ status: 429 }, { status: 200 }]);
    await client(QBO_LIMITS, throttled, time).request({ method: 'POST', url: URL_ });
    expect(throttled.calls).toHaveLength(2);
  });

  it('returns other 4xx answers to the connector without retrying', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 400, body: '{"Fault":{"type":"ValidationFault"}}' }]);
    const res = await client(QBO_LIMITS, fetch, time).request({ url: URL_ });
    expect(res.status).toBe(400);
    expect(fetch.calls).toHaveLength(1);
  });

  it('times a request out with its AbortController and retries it (real HTTP server)', async () => {
    let hits = 0;
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      hits++;
      if (hits === 1) return; // never answers: the client must give up
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const limiter = new Limiter(QBO_LIMITS, { sleep: () => Promise.resolve() });
      const http = new HttpClient({ limiter, timeoutMs: 100 });
      const res = await http.request({ url: `http://127.0.0.1:${port}/x` });
      expect(res.json()).toEqual({ ok: true });
      expect(hits).toBe(2);

      const always = new HttpClient({ limiter, timeoutMs: 50, maxAttempts: 2 });
      hits = 0;
      server.removeAllListeners('request');
      server.on('request', () => void hits++);
      const err = await always.request({ url: `http://127.0.0.1:${port}/y` }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderUnavailableError);
      expect((err as Error).message).toContain('no answer within');
      expect(hits).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('stops at once when the caller aborts, even mid-wait', async () => {
    const time = fakeTime();
    const ctl = new AbortController();
    const fetch = vi.fn(async () => {
      ctl.abort(new Error('stopped by owner'));
      return new Response('', { status: 429, headers: { 'retry-after': '30' } });
    });
    const http = client(QBO_LIMITS, fetch, time);
    await expect(http.request({ url: URL_, signal: ctl.signal })).rejects.toThrow('stopped by owner');
    expect(fetch).toHaveBeenCalledTimes(1);
    await expect(http.request({ url: URL_, signal: ctl.signal })).rejects.toThrow('stopped by owner');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('sync/limiter: concurrency and the rolling minute', () => {
  it('never has more than 10 QBO requests in flight among 50 parallel ones', async () => {
    const time = fakeTime();
    let inFlight = 0;
    let peak = 0;
    const fetch = (async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return new Response('{}');
    }) as FetchLike;
    const http = client(QBO_LIMITS, fetch, time);
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => http.request({ url: `${URL_}?i=${i}` })));
    expect(all).toHaveLength(50);
    expect(peak).toBe(10);
    expect(http.limiter.stats()).toMatchObject({ maxInFlight: 10, inFlight: 0, started: 50 });
  });

  it('starts at most 60 Xero requests in any rolling minute', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 200 }]);
    const http = client(XERO_LIMITS, fetch, time);
    await Promise.all(Array.from({ length: 150 }, () => http.request({ url: URL_ })));
    const starts = fetch.calls.map((c) => c.at);
    expect(starts).toHaveLength(150);
    for (let i = 0; i + 60 < starts.length; i++) expect((starts[i + 60] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(60_000);
    // …and it does not wait longer than it must: 150 calls need two full minutes, not more.
    expect((starts.at(-1) as number) - T0).toBe(120_000);
  });

  it('pauses when Xero says X-MinLimit-Remaining: 0', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ headers: { 'x-minlimit-remaining': '0', 'x-daylimit-remaining': '4000' } }, { status: 200 }]);
    const http = client(XERO_LIMITS, fetch, time);
    await http.request({ url: URL_ });
    await http.request({ url: URL_ });
    expect((fetch.calls[1]?.at ?? 0) - T0).toBe(60_000);
  });
});

describe('sync/limiter: the daily budget', () => {
  it('stops on a day-limit 429 with the reset time, and sends nothing more until then', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [
      { status: 429, headers: { 'retry-after': '5400', 'x-rate-limit-problem': 'Day', 'x-daylimit-remaining': '0' } },
      { status: 200 },
    ]);
    const http = client(XERO_LIMITS, fetch, time);
    const err = await http.request({ url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DailyLimitError);
    const reset = new Date(T0 + 5_400_000).toISOString();
    expect(err).toMatchObject({ resetAt: reset, code: 'unavailable', message: expect.stringContaining(reset) });
    await expect(http.request({ url: URL_ })).rejects.toMatchObject({ resetAt: reset });
    expect(fetch.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    time.advance(5_400_000);
    await expect(http.request({ url: URL_ })).resolves.toMatchObject({ status: 200 });
  });

  it('sends nothing once X-DayLimit-Remaining reaches 0', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ headers: { 'x-daylimit-remaining': '0' } }]);
    const http = client(XERO_LIMITS, fetch, time);
    await http.request({ url: URL_ });
    const err = await http.request({ url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DailyLimitError);
    // The rolling day frees our first call 24 h after it was made.
    expect(err).toMatchObject({ resetAt: new Date(T0 + 86_400_000).toISOString() });
    expect(fetch.calls).toHaveLength(1);
  });

  it('keeps to a local daily budget (Starter: 1,000) even when the provider says nothing', async () => {
    const time = fakeTime();
    const fetch = scripted(time, [{ status: 200 }]);
    const http = client({ ...XERO_LIMITS, perMinute: 1000, perDay: 3 }, fetch, time);
    for (let i = 0; i < 3; i++) await http.request({ url: URL_ });
    await expect(http.request({ url: URL_ })).rejects.toMatchObject({ resetAt: new Date(T0 + 86_400_000).toISOString() });
    expect(fetch.calls).toHaveLength(3);
  });

  it('reads a policy function at every call: a higher day limit lifts its own block at once, a lower one applies at once', async () => {
    const time = fakeTime();
    let perDay = 2;
    const counted: number[] = [];
    const limiter = new Limiter(() => ({ ...XERO_LIMITS, perMinute: 1000, perDay }), { clock: time.clock, sleep: time.sleep, onCall: (at) => counted.push(at) });
    await limiter.acquire().then((r) => r());
    await limiter.acquire().then((r) => r());
    await expect(limiter.acquire()).rejects.toBeInstanceOf(DailyLimitError);
    perDay = 4; // the owner moved to a bigger plan
    await limiter.acquire().then((r) => r());
    expect(limiter.policy.perDay).toBe(4);
    perDay = 3; // and back to a smaller one: already over it
    await expect(limiter.acquire()).rejects.toBeInstanceOf(DailyLimitError);
    expect(counted).toEqual([T0, T0, T0]);
    expect(limiter.stats().dayUsed).toBe(3);
  });

  it("a provider's day block is not lifted by a higher local limit", async () => {
    const time = fakeTime();
    let perDay = 1000;
    const limiter = new Limiter(() => ({ ...XERO_LIMITS, perDay }), { clock: time.clock, sleep: time.sleep });
    limiter.blockDay(T0 + 3_600_000, true);
    perDay = 5000;
    await expect(limiter.acquire()).rejects.toMatchObject({ resetAt: new Date(T0 + 3_600_000).toISOString() });
  });

  it('counts calls seeded from an earlier run against the day, and lets them go when their day has passed', async () => {
    const time = fakeTime();
    const limiter = new Limiter({ ...XERO_LIMITS, perMinute: 1000, perDay: 5 }, { clock: time.clock, sleep: time.sleep });
    const midnight = Date.parse('2025-06-15T00:00:00.000Z');
    limiter.seedDayCalls(4, midnight);
    expect(limiter.stats().dayUsed).toBe(4);
    await limiter.acquire().then((r) => r());
    await expect(limiter.acquire()).rejects.toMatchObject({ resetAt: new Date(midnight + 86_400_000).toISOString() });
    time.advance(midnight + 86_400_000 - T0);
    await limiter.acquire().then((r) => r());
    expect(limiter.stats().dayUsed).toBe(2);
    // QuickBooks meters no day: seeding is a no-op there.
    const qbo = new Limiter(QBO_LIMITS, { clock: time.clock, sleep: time.sleep });
    qbo.seedDayCalls(10, midnight);
    expect(qbo.stats().dayUsed).toBe(0);
  });
});

describe('sync/http: tokens', () => {
  function auth(): HttpAuth & { tokens: string[] } {
    const tokens = ['AT1'];
    return {
      tokens,
      token: () => Promise.resolve(tokens.at(-1) as string),
      refresh: vi.fn(async (rejected: string) => {
        tokens.push(`${rejected}+`);
        return tokens.at(-1) as string;
      }),
      rejected: vi.fn(async () => new NeedsReconnectError('xero', 'c1', 'test')),
    };
  }

  it('sends the bearer token, refreshes once after a 401 and retries', async () => {
    const time = fakeTime();
    const a = auth();
    const fetch = scripted(time, [{ status: 401 }, { status: 200 }]);
    const res = await client(XERO_LIMITS, fetch, time, { auth: a }).request({ url: URL_, headers: { 'xero-tenant-id': 't1' } });
    expect(res.status).toBe(200);
    const sent = fetch.calls.map((c) => (c.init.headers as Record<string, string>).authorization);
    expect(sent).toEqual(['Bearer AT1', 'Bearer AT1+']);
    expect((fetch.calls[0]?.init.headers as Record<string, string>)['xero-tenant-id']).toBe('t1');
  });

  it('a second 401 means reconnect: NeedsReconnectError, no loop', async () => {
    const time = fakeTime();
    const a = auth();
    const fetch = scripted(time, [{ status: 401 }]);
    await expect(client(XERO_LIMITS, fetch, time, { auth: a }).request({ url: URL_ })).rejects.toBeInstanceOf(NeedsReconnectError);
    expect(fetch.calls).toHaveLength(2);
    expect(a.refresh).toHaveBeenCalledTimes(1);
    expect(a.rejected).toHaveBeenCalledTimes(1);
  });
});
