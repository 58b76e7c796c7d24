// OAuth tokens per connection, kept only in the SecretStore (never SQLite, logs or IPC).
// Refresh tokens rotate on both providers, so the rules here are what keeps a company
// connected (DESIGN §6):
//  - one refresh at a time per connection: concurrent callers share the one in flight;
//  - the new token set is persisted BEFORE anyone uses it. If saving fails, it is not used:
//    the stored (old) refresh token still works for a while (QBO: 24 h; Xero: a 30-minute
//    grace), so the next attempt simply refreshes again;
//  - a lost refresh response (network error) leaves the old refresh token in place, and a
//    retry reuses it (Xero's single-use tokens allow that within the grace period);
//  - `invalid_grant` marks the connection "needs reconnect" once and throws
//    NeedsReconnectError. No retry loop: only if another process rotated the token meanwhile
//    is the newer stored token tried, once.
import { z } from 'zod';
import { SettleError } from '../../../shared/errors';
import type { Clock, Logger, SecretStore } from '../ports';
import { silentLogger } from '../ports';
import type { HttpAuth } from '../sync';

export type TokenProvider = 'qbo' | 'xero';

const PROVIDER_NAMES: Record<TokenProvider, string> = { qbo: 'QuickBooks', xero: 'Xero' };

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** ISO instant the access token expires. */
  expiresAt: string;
  /** ISO instant the refresh token expires, when the provider says (QBO does). */
  refreshExpiresAt?: string | null;
  scope?: string | null;
}

/** What a refresh returns: a provider that does not rotate may omit the refresh token. */
export type RefreshedTokens = Omit<TokenSet, 'refreshToken'> & { refreshToken?: string | null };

export type RefreshFn = (refreshToken: string, ctx: { connectionId: string }) => Promise<RefreshedTokens>;

export interface TokenManagerOptions {
  provider: TokenProvider;
  secrets: SecretStore;
  clock: Clock;
  /** The provider's refresh grant. Throw InvalidGrantError (or any error with error === 'invalid_grant') when refused. */
  refresh: RefreshFn;
  /** Marks the connection 'needs_reconnect' (e.g. setConnectionStatus); called once per failure. */
  onNeedsReconnect?: (connectionId: string, message: string) => void | Promise<void>;
  logger?: Logger;
  /** Refresh this long before the access token expires (default 2 minutes). */
  skewMs?: number;
}

const Stored = z.object({
  v: z.literal(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.string().min(1),
  refreshExpiresAt: z.string().nullable().optional(),
  scope: z.string().nullable().optional(),
  updatedAt: z.string(),
  needsReconnect: z.boolean().optional(),
});
type Stored = z.infer<typeof Stored>;

/** The connection must be reconnected in the browser; retrying will not help. */
export class NeedsReconnectError extends SettleError {
  constructor(
    readonly provider: TokenProvider,
    readonly connectionId: string,
    detail?: string,
  ) {
    super(
      'unavailable',
      `${PROVIDER_NAMES[provider]} needs you to reconnect: the sign-in expired or was revoked${detail ? ` (${detail})` : ''}. ` +
        'Open Settings → Connections and choose Reconnect.',
    );
    this.name = 'NeedsReconnectError';
  }
}

/** What a RefreshFn throws when the provider answers `invalid_grant`. */
export class InvalidGrantError extends Error {
  readonly error = 'invalid_grant';
  constructor(readonly description = '') {
    super(description ? `invalid_grant: ${description}` : 'invalid_grant');
    this.name = 'InvalidGrantError';
  }
}

/** The refresh could not be completed (network, provider down, keychain write failed); retry later. */
export class TokenRefreshError extends SettleError {
  constructor(
    readonly provider: TokenProvider,
    message: string,
    override readonly cause?: unknown,
  ) {
    super('unavailable', message);
    this.name = 'TokenRefreshError';
  }
}

/** invalid_grant from our own error, intuit-oauth (`error`), openid-client (`error`) or a raw body. */
export function isInvalidGrant(err: unknown): boolean {
  if (err instanceof InvalidGrantError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { error?: unknown; message?: unknown; body?: { error?: unknown } | null };
  return e.error === 'invalid_grant' || e.message === 'invalid_grant' || e.body?.error === 'invalid_grant';
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive(),
  x_refresh_token_expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/** Maps an OAuth token endpoint response (QBO or Xero) to a token set, at `now`. */
export function tokensFromResponse(body: unknown, now: Date): RefreshedTokens {
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) throw new Error('The token endpoint answered without a usable access token');
  const t = parsed.data;
  const at = now.getTime();
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: new Date(at + t.expires_in * 1000).toISOString(),
    refreshExpiresAt: t.x_refresh_token_expires_in ? new Date(at + t.x_refresh_token_expires_in * 1000).toISOString() : null,
    scope: t.scope ?? null,
  };
}

/** Maps a failed token endpoint response to the error a RefreshFn should throw. */
export function refreshFailure(status: number, body: unknown): Error {
  const b = typeof body === 'object' && body !== null ? (body as { error?: unknown; error_description?: unknown }) : {};
  if (b.error === 'invalid_grant') return new InvalidGrantError(typeof b.error_description === 'string' ? b.error_description : '');
  const code = typeof b.error === 'string' ? b.error : `HTTP ${status}`;
  return new Error(`The token endpoint refused the refresh (${code})`);
}

export class TokenManager {
  private readonly inflight = new Map<string, Promise<Stored>>();
  /** Connections already reported as needing a reconnect (the callback runs once). */
  private readonly reported = new Set<string>();
  private readonly logger: Logger;
  private readonly skewMs: number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.skewMs = opts.skewMs ?? 120_000;
  }

  get provider(): TokenProvider {
    return this.opts.provider;
  }

  /** The SecretStore account holding this connection's tokens. */
  account(connectionId: string): string {
    return `${this.opts.provider}:${connectionId}`;
  }

  /** Stores tokens from a code exchange (connect or reconnect). */
  async save(connectionId: string, tokens: TokenSet): Promise<void> {
    await this.write(connectionId, this.toStored(tokens));
    this.reported.delete(connectionId);
  }

  /** The stored refresh token (for revoking on disconnect), or null when none is readable. */
  async storedRefreshToken(connectionId: string): Promise<string | null> {
    try {
      return (await this.readRaw(connectionId))?.refreshToken ?? null;
    } catch {
      return null;
    }
  }

  async hasTokens(connectionId: string): Promise<boolean> {
    return (await this.opts.secrets.get(this.account(connectionId))) !== null;
  }

  /** Deletes the tokens (disconnect). */
  async forget(connectionId: string): Promise<boolean> {
    this.reported.delete(connectionId);
    return this.opts.secrets.delete(this.account(connectionId));
  }

  /** A usable access token, refreshed first when it is expired or about to be. */
  async getAccessToken(connectionId: string): Promise<string> {
    const pending = this.inflight.get(connectionId);
    if (pending) return (await pending).accessToken;
    const stored = await this.load(connectionId);
    if (this.fresh(stored)) return stored.accessToken;
    return (await this.refreshShared(connectionId, null)).accessToken;
  }

  /**
   * Refreshes after the provider answered 401 to `rejectedAccessToken`. When the stored token
   * has already changed since (another request refreshed it), that one is returned instead.
   */
  async forceRefresh(connectionId: string, rejectedAccessToken?: string): Promise<string> {
    return (await this.refreshShared(connectionId, rejectedAccessToken ?? '')).accessToken;
  }

  /** Flags the stored tokens, tells the host once, and returns the error to throw. */
  async markNeedsReconnect(connectionId: string, detail?: string): Promise<NeedsReconnectError> {
    const error = new NeedsReconnectError(this.opts.provider, connectionId, detail);
    const raw = await this.readRaw(connectionId).catch(() => null);
    if (raw && !raw.needsReconnect) {
      await this.write(connectionId, { ...raw, needsReconnect: true, updatedAt: this.nowIso() }).catch(() => undefined);
    }
    if (!this.reported.has(connectionId)) {
      this.reported.add(connectionId);
      this.logger.warn('connection needs reconnect', { provider: this.opts.provider, connectionId, detail: detail ?? null });
      try {
        await this.opts.onNeedsReconnect?.(connectionId, error.message);
      } catch (err) {
        this.logger.error('could not mark the connection as needing reconnect', {
          connectionId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return error;
  }

  /** The adapter HttpClient uses: a token per request, one forced refresh after a 401. */
  authFor(connectionId: string): HttpAuth {
    return {
      token: () => this.getAccessToken(connectionId),
      refresh: (rejected) => this.forceRefresh(connectionId, rejected),
      rejected: (detail) => this.markNeedsReconnect(connectionId, detail),
    };
  }

  /** The same three hooks in the shape the QBO and Xero clients take. */
  clientAuth(connectionId: string): {
    getAccessToken(): Promise<string>;
    forceRefresh(rejected: string): Promise<string>;
    onRejected(detail: string): Promise<Error>;
  } {
    const auth = this.authFor(connectionId);
    return { getAccessToken: auth.token, forceRefresh: auth.refresh, onRejected: auth.rejected };
  }

  // ---- internals ----

  /** `rejected`: null = refresh if not fresh; a string = forced unless the token already changed. */
  private refreshShared(connectionId: string, rejected: string | null): Promise<Stored> {
    const pending = this.inflight.get(connectionId);
    if (pending) return pending;
    const run = (async (): Promise<Stored> => {
      // Re-read inside the critical section: a refresh that just finished may have done our work.
      const stored = await this.load(connectionId);
      if (rejected === null ? this.fresh(stored) : rejected !== '' && stored.accessToken !== rejected) return stored;
      return this.rotate(connectionId, stored);
    })();
    const shared = run.finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, shared);
    return shared;
  }

  private async rotate(connectionId: string, stored: Stored): Promise<Stored> {
    let current = stored;
    // At most two attempts, and the second only with a different (newer) stored token.
    for (let attempt = 0; ; attempt++) {
      let next: RefreshedTokens;
      try {
        next = await this.opts.refresh(current.refreshToken, { connectionId });
      } catch (err) {
        if (isInvalidGrant(err)) {
          // Another process (the CLI, a second window) may have rotated the token under us.
          const latest = attempt === 0 ? await this.readRaw(connectionId).catch(() => null) : null;
          if (latest && !latest.needsReconnect && latest.refreshToken !== current.refreshToken) {
            if (this.fresh(latest)) return latest;
            current = latest;
            continue;
          }
          throw await this.markNeedsReconnect(connectionId, 'the provider refused the refresh token');
        }
        // Lost response, timeout, 5xx: keep the old refresh token; the next attempt reuses it.
        this.logger.warn('token refresh failed; keeping the current refresh token', {
          provider: this.opts.provider,
          connectionId,
          error: err instanceof Error ? err.name : 'unknown',
        });
        throw new TokenRefreshError(
          this.opts.provider,
          `Settle could not renew the ${PROVIDER_NAMES[this.opts.provider]} sign-in right now (${describe(err)}). It will try again.`,
          err,
        );
      }
      const rotated = this.toStored({
        ...next,
        refreshToken: next.refreshToken || current.refreshToken,
      });
      try {
        await this.write(connectionId, rotated);
      } catch (err) {
        // Not saved means not used: the stored token is still the one the provider honours.
        throw new TokenRefreshError(
          this.opts.provider,
          `Settle renewed the ${PROVIDER_NAMES[this.opts.provider]} sign-in but could not save it (${describe(err)}), so it did not use it. It will try again.`,
          err,
        );
      }
      this.logger.info('token refreshed', { provider: this.opts.provider, connectionId, expiresAt: rotated.expiresAt });
      return rotated;
    }
  }

  /** The stored tokens, or NeedsReconnectError when there are none usable. */
  private async load(connectionId: string): Promise<Stored> {
    let raw: Stored | null;
    try {
      raw = await this.readRaw(connectionId);
    } catch (err) {
      if (err instanceof SettleError) throw err; // the keychain is unavailable: not a reconnect
      throw await this.markNeedsReconnect(connectionId, 'the saved sign-in is unreadable');
    }
    if (!raw) throw await this.markNeedsReconnect(connectionId, 'no saved sign-in');
    if (raw.needsReconnect) throw await this.markNeedsReconnect(connectionId);
    return raw;
  }

  private async readRaw(connectionId: string): Promise<Stored | null> {
    const text = await this.opts.secrets.get(this.account(connectionId));
    if (text === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error('stored tokens are not JSON');
    }
    const parsed = Stored.safeParse(json);
    if (!parsed.success) throw new Error('stored tokens have an unknown shape');
    return parsed.data;
  }

  private write(connectionId: string, stored: Stored): Promise<void> {
    return this.opts.secrets.set(this.account(connectionId), JSON.stringify(stored));
  }

  private toStored(tokens: TokenSet): Stored {
    if (!tokens.accessToken || !tokens.refreshToken || Number.isNaN(Date.parse(tokens.expiresAt))) {
      throw new SettleError('invalid_input', 'A token set needs an access token, a refresh token and an expiry');
    }
    return {
      v: 1,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt ?? null,
      scope: tokens.scope ?? null,
      updatedAt: this.nowIso(),
    };
  }

  private fresh(stored: Stored): boolean {
    return Date.parse(stored.expiresAt) - this.opts.clock.now().getTime() > this.skewMs;
  }

  private nowIso(): string {
    return this.opts.clock.now().toISOString();
  }
}

/** An error's name and message, which for our refresh callers never contain a token. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 200) || err.name;
  return 'unknown error';
}
