import { describe, expect, it, vi } from 'vitest';
import {
  InvalidGrantError,
  NeedsReconnectError,
  refreshFailure,
  TokenManager,
  TokenRefreshError,
  tokensFromResponse,
  type RefreshFn,
  type TokenSet,
} from '../../../../src/main/core/auth/tokens';
import type { Clock, SecretStore } from '../../../../src/main/core/ports';
import { memorySecretStore } from '../../../../src/main/core/secrets/memory';

const T0 = Date.parse('2025-06-15T12:00:00.000Z');

function clockAt(ms: number): Clock & { set(ms: number): void } {
  let now = ms;
  return { now: () => new Date(now), timeZone: () => 'UTC', set: (m) => (now = m) };
}

function tokens(n: number, expiresInMs: number, from = T0): TokenSet {
  return { accessToken: `AT${n}`, refreshToken: `RT${n}`, expiresAt: new Date(from + expiresInMs).toISOString() };
}

/** Resolves when the test says so, to hold a refresh open. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function stored(store: SecretStore, account: string): Promise<Record<string, unknown>> {
  return store.get(account).then((s) => JSON.parse(s ?? 'null') as Record<string, unknown>);
}

describe('auth/tokens: TokenManager', () => {
  it('returns the stored access token while it is fresh, without refreshing', async () => {
    const secrets = memorySecretStore();
    const refresh = vi.fn<RefreshFn>();
    const tm = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh });
    await tm.save('c1', tokens(1, 3_600_000));
    expect([...secrets.entries.keys()]).toEqual(['qbo:c1']);
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT1');
    expect(refresh).not.toHaveBeenCalled();
  });

  it('refreshes near expiry, and concurrent callers share one refresh', async () => {
    const secrets = memorySecretStore();
    const gate = deferred<TokenSet>();
    const refresh = vi.fn<RefreshFn>(() => gate.promise);
    const tm = new TokenManager({ provider: 'xero', secrets, clock: clockAt(T0), refresh });
    await tm.save('c1', tokens(1, 60_000)); // inside the 2-minute skew
    const callers = Array.from({ length: 20 }, () => tm.getAccessToken('c1'));
    const forced = tm.forceRefresh('c1', 'AT1');
    await tick();
    gate.resolve(tokens(2, 1_800_000));
    expect(await Promise.all([...callers, forced])).toEqual(Array(21).fill('AT2'));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('RT1', { connectionId: 'c1' });
    // Afterwards the new token is simply read back.
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT2');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('serialises per connection, not across connections', async () => {
    const secrets = memorySecretStore();
    const refresh = vi.fn<RefreshFn>((rt) => Promise.resolve({ ...tokens(9, 3_600_000), accessToken: `new-${rt}`, refreshToken: `next-${rt}` }));
    const tm = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh });
    await tm.save('a', { ...tokens(1, 0), refreshToken: 'RTa' });
    await tm.save('b', { ...tokens(1, 0), refreshToken: 'RTb' });
    await expect(Promise.all([tm.getAccessToken('a'), tm.getAccessToken('b'), tm.getAccessToken('a')])).resolves.toEqual([
      'new-RTa',
      'new-RTb',
      'new-RTa',
    ]);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('persists the new token set before anyone gets it', async () => {
    const log: string[] = [];
    const inner = memorySecretStore();
    const secrets: SecretStore = {
      get: (a) => inner.get(a),
      delete: (a) => inner.delete(a),
      async set(a, s) {
        log.push('set:start');
        await tick(); // a slow keychain write
        await inner.set(a, s);
        log.push(`set:done:${(JSON.parse(s) as { refreshToken: string }).refreshToken}`);
      },
    };
    const refresh: RefreshFn = async () => {
      await tick();
      log.push('refresh:resolved');
      return tokens(2, 3_600_000);
    };
    const tm = new TokenManager({ provider: 'xero', secrets, clock: clockAt(T0), refresh });
    await inner.set('xero:c1', JSON.stringify({ v: 1, ...tokens(1, -1000), updatedAt: new Date(T0).toISOString() }));
    await Promise.all([
      tm.getAccessToken('c1').then((t) => log.push(`used:${t}`)),
      tm.getAccessToken('c1').then((t) => log.push(`used:${t}`)),
    ]);
    expect(log).toEqual(['refresh:resolved', 'set:start', 'set:done:RT2', 'used:AT2', 'used:AT2']);
  });

  it('does not use a refreshed token it could not save, and retries with the old refresh token', async () => {
    const inner = memorySecretStore();
    let failWrites = false;
    const secrets: SecretStore = {
      get: (a) => inner.get(a),
      delete: (a) => inner.delete(a),
      set: (a, s) => (failWrites ? Promise.reject(new Error('keychain locked')) : inner.set(a, s)),
    };
    let n = 1;
    const refresh = vi.fn<RefreshFn>(() => Promise.resolve(tokens(++n, 3_600_000)));
    const tm = new TokenManager({ provider: 'xero', secrets, clock: clockAt(T0), refresh });
    await tm.save('c1', tokens(1, 0));
    failWrites = true;
    const err = await tm.getAccessToken('c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect((err as Error).message).toContain('could not save it');
    expect((err as Error).message).not.toContain('AT2');
    expect(await stored(inner, 'xero:c1')).toMatchObject({ refreshToken: 'RT1' });
    failWrites = false;
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT3');
    expect(refresh.mock.calls.map((c) => c[0])).toEqual(['RT1', 'RT1']);
  });

  it('keeps the old refresh token when the refresh response is lost, and the retry reuses it', async () => {
    const secrets = memorySecretStore();
    const refresh = vi
      .fn<RefreshFn>()
      .mockRejectedValueOnce(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))
      .mockResolvedValueOnce(tokens(2, 1_800_000));
    const tm = new TokenManager({ provider: 'xero', secrets, clock: clockAt(T0), refresh });
    await tm.save('c1', tokens(1, 0));
    const err = await tm.getAccessToken('c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect(await stored(secrets, 'xero:c1')).toMatchObject({ refreshToken: 'RT1', accessToken: 'AT1' });
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT2');
    expect(refresh.mock.calls.map((c) => c[0])).toEqual(['RT1', 'RT1']);
    expect(await stored(secrets, 'xero:c1')).toMatchObject({ refreshToken: 'RT2' });
  });

  it('on invalid_grant: marks needs_reconnect once, throws NeedsReconnectError, and never loops', async () => {
    const secrets = memorySecretStore();
    const gate = deferred<TokenSet>();
    const refresh = vi.fn<RefreshFn>(() => gate.promise);
    const onNeedsReconnect = vi.fn();
    const tm = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh, onNeedsReconnect });
    await tm.save('c1', tokens(1, 0));
    const callers = Array.from({ length: 5 }, () => tm.getAccessToken('c1').catch((e: unknown) => e));
    await tick();
    gate.reject(new InvalidGrantError('Token invalid'));
    const errors = await Promise.all(callers);
    for (const e of errors) {
      expect(e).toBeInstanceOf(NeedsReconnectError);
      expect(e).toMatchObject({ provider: 'qbo', connectionId: 'c1', message: expect.stringContaining('QuickBooks needs you to reconnect') });
    }
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onNeedsReconnect).toHaveBeenCalledTimes(1);
    expect(onNeedsReconnect).toHaveBeenCalledWith('c1', expect.stringContaining('reconnect'));
    // Later calls fail at once without asking the provider again.
    await expect(tm.getAccessToken('c1')).rejects.toBeInstanceOf(NeedsReconnectError);
    await expect(tm.forceRefresh('c1')).rejects.toBeInstanceOf(NeedsReconnectError);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onNeedsReconnect).toHaveBeenCalledTimes(1);
    // The flag is stored with the tokens, so a restarted app does not retry either.
    const restarted = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh });
    await expect(restarted.getAccessToken('c1')).rejects.toBeInstanceOf(NeedsReconnectError);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Reconnecting (a new code exchange) clears it.
    await tm.save('c1', tokens(5, 3_600_000));
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT5');
  });

  it('recognises invalid_grant as intuit-oauth and openid-client report it', async () => {
    for (const thrown of [Object.assign(new Error('invalid_grant'), { error: 'invalid_grant' }), { error: 'invalid_grant', error_description: 'x' }]) {
      const tm = new TokenManager({ provider: 'xero', secrets: memorySecretStore(), clock: clockAt(T0), refresh: () => Promise.reject(thrown) });
      await tm.save('c1', tokens(1, 0));
      await expect(tm.getAccessToken('c1')).rejects.toBeInstanceOf(NeedsReconnectError);
    }
  });

  it('adopts a token another process rotated meanwhile instead of giving up', async () => {
    const secrets = memorySecretStore();
    const clock = clockAt(T0);
    // The other process saved RT7/AT7 after we read RT1; our refresh with RT1 is refused.
    const refresh = vi.fn<RefreshFn>(async () => {
      await secrets.set('xero:c1', JSON.stringify({ v: 1, ...tokens(7, 1_800_000), updatedAt: new Date(T0).toISOString() }));
      throw new InvalidGrantError();
    });
    const onNeedsReconnect = vi.fn();
    const tm = new TokenManager({ provider: 'xero', secrets, clock, refresh, onNeedsReconnect });
    await tm.save('c1', tokens(1, 0));
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT7');
    expect(onNeedsReconnect).not.toHaveBeenCalled();
  });

  it('forceRefresh after a 401 refreshes once, and not again if the token already changed', async () => {
    const secrets = memorySecretStore();
    let n = 1;
    const refresh = vi.fn<RefreshFn>(() => Promise.resolve(tokens(++n, 3_600_000)));
    const tm = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh });
    await tm.save('c1', tokens(1, 3_600_000));
    await expect(tm.forceRefresh('c1', 'AT1')).resolves.toBe('AT2');
    // A second request that also got a 401 with the old token gets the new one, no refresh.
    await expect(tm.forceRefresh('c1', 'AT1')).resolves.toBe('AT2');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a missing or unreadable token set means reconnect', async () => {
    const secrets = memorySecretStore({ 'qbo:bad': '{not json' });
    const onNeedsReconnect = vi.fn();
    const tm = new TokenManager({ provider: 'qbo', secrets, clock: clockAt(T0), refresh: vi.fn(), onNeedsReconnect });
    await expect(tm.getAccessToken('none')).rejects.toBeInstanceOf(NeedsReconnectError);
    await expect(tm.getAccessToken('bad')).rejects.toBeInstanceOf(NeedsReconnectError);
    expect(onNeedsReconnect.mock.calls.map((c) => c[0])).toEqual(['none', 'bad']);
  });

  it('keeps the refresh token when the provider does not rotate it', async () => {
    const secrets = memorySecretStore();
    const tm = new TokenManager({
      provider: 'qbo',
      secrets,
      clock: clockAt(T0),
      refresh: () => Promise.resolve({ accessToken: 'AT2', expiresAt: new Date(T0 + 3_600_000).toISOString() }),
    });
    await tm.save('c1', tokens(1, 0));
    await expect(tm.getAccessToken('c1')).resolves.toBe('AT2');
    expect(await stored(secrets, 'qbo:c1')).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT1' });
  });

  it('maps token endpoint responses', () => {
    const now = new Date(T0);
    expect(
      tokensFromResponse({ token_type: 'bearer', expires_in: 3600, refresh_token: 'RT', x_refresh_token_expires_in: 8726400, access_token: 'AT' }, now),
    ).toEqual({
      accessToken: 'AT',
      refreshToken: 'RT',
      expiresAt: '2025-06-15T13:00:00.000Z',
      refreshExpiresAt: new Date(T0 + 8_726_400_000).toISOString(),
      scope: null,
    });
    expect(() => tokensFromResponse({ error: 'x' }, now)).toThrow();
    expect(refreshFailure(400, { error: 'invalid_grant', error_description: 'Token invalid' })).toBeInstanceOf(InvalidGrantError);
    expect(refreshFailure(500, 'oops')).not.toBeInstanceOf(InvalidGrantError);
  });

  it('adapts to HttpAuth for the HTTP client', async () => {
    const secrets = memorySecretStore();
    const onNeedsReconnect = vi.fn();
    const tm = new TokenManager({ provider: 'xero', secrets, clock: clockAt(T0), refresh: () => Promise.resolve(tokens(2, 1_800_000)), onNeedsReconnect });
    await tm.save('c1', tokens(1, 1_800_000));
    const auth = tm.authFor('c1');
    await expect(auth.token()).resolves.toBe('AT1');
    await expect(auth.refresh('AT1')).resolves.toBe('AT2');
    const err = await auth.rejected('401 twice');
    expect(err).toBeInstanceOf(NeedsReconnectError);
    expect(onNeedsReconnect).toHaveBeenCalledOnce();
  });
});
