// QuickBooks Online's OAuth 2.0 authorization-code flow through intuit-oauth (DESIGN §6, §7;
// ledger-apis.md §1.1). intuit-oauth keeps its endpoints in class-level (static) fields, so
// they are set from this module's options right before every call: the authorize, token and
// revoke URLs beneath SETTLE_QBO_OAUTH_BASE (or Intuit's own), and the API base for
// SETTLE_QBO_API_BASE. Its built-in retries are off by default: the caller decides.
import OAuthClient from 'intuit-oauth';
import { SettleError } from '../../../../shared/errors';
import { InvalidGrantError } from '../../auth/tokens';
import { silentLogger, systemClock, type Clock, type Logger } from '../../ports';

export const QBO_SCOPES = ['com.intuit.quickbooks.accounting'] as const;

export interface QboEndpoints {
  authorizeEndpoint: string;
  tokenEndpoint: string;
  revokeEndpoint: string;
  userInfoEndpoint: string;
}

/** Intuit's production endpoints (discovery document). */
export const INTUIT_ENDPOINTS: Readonly<QboEndpoints> = {
  authorizeEndpoint: 'https://appcenter.intuit.com/connect/oauth2',
  tokenEndpoint: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  revokeEndpoint: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  userInfoEndpoint: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
};

export const INTUIT_API_BASES = {
  production: 'https://quickbooks.api.intuit.com/',
  sandbox: 'https://sandbox-quickbooks.api.intuit.com/',
} as const;

export interface QboOAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  environment?: 'production' | 'sandbox';
  /** Base beneath which authorize, token, revoke and userinfo live (SETTLE_QBO_OAUTH_BASE); Intuit's when absent. */
  oauthBase?: string | null;
  /** API root (SETTLE_QBO_API_BASE); Intuit's for the environment when absent. */
  apiBase?: string | null;
  scopes?: readonly string[];
  /** intuit-oauth's own retries of 429/5xx/network errors (default 0). */
  maxRetries?: number;
  retryDelayMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface QboTokenSet {
  accessToken: string;
  refreshToken: string;
  /** ISO instant the access token expires. */
  expiresAt: string;
  /** ISO instant the refresh token expires (x_refresh_token_expires_in), when QBO says. */
  refreshExpiresAt: string | null;
  realmId: string;
}

/** The endpoints beneath an OAuth base (the emulator's layout: /connect/oauth2, /oauth2/v1/tokens/bearer, …). */
export function endpointsUnder(base: string): QboEndpoints {
  const b = base.replace(/\/+$/, '');
  return {
    authorizeEndpoint: `${b}/connect/oauth2`,
    tokenEndpoint: `${b}/oauth2/v1/tokens/bearer`,
    revokeEndpoint: `${b}/v2/oauth2/tokens/revoke`,
    userInfoEndpoint: `${b}/v1/openid_connect/userinfo`,
  };
}

/** The configuration from SETTLE_QBO_OAUTH_BASE / SETTLE_QBO_API_BASE (unset: Intuit's). */
export function qboBasesFromEnv(env: NodeJS.ProcessEnv = process.env): { oauthBase: string | null; apiBase: string | null } {
  return { oauthBase: env.SETTLE_QBO_OAUTH_BASE?.trim() || null, apiBase: env.SETTLE_QBO_API_BASE?.trim() || null };
}

/** The token endpoint refused the request for a reason other than invalid_grant. */
export class QboOAuthError extends SettleError {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly intuitTid: string | null,
  ) {
    super('unavailable', `QuickBooks sign-in failed (${error}${description ? `: ${description}` : ''}).`);
    this.name = 'QboOAuthError';
  }
}

/** invalid_grant from the token endpoint: the refresh token (or code) is dead; reconnect. */
export class QboInvalidGrantError extends InvalidGrantError {
  constructor(
    description: string,
    readonly intuitTid: string | null,
  ) {
    super(description);
    this.name = 'QboInvalidGrantError';
  }
}

interface TokenJson {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  x_refresh_token_expires_in?: unknown;
}

export class QboOAuth {
  private readonly endpoints: QboEndpoints;
  private readonly apiRoot: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly config: QboOAuthConfig) {
    this.endpoints = config.oauthBase ? endpointsUnder(config.oauthBase) : INTUIT_ENDPOINTS;
    const env = config.environment ?? 'production';
    this.apiRoot = (config.apiBase ?? INTUIT_API_BASES[env]).replace(/\/*$/, '/');
    this.clock = config.clock ?? systemClock;
    this.logger = config.logger ?? silentLogger;
  }

  /** The API root requests go to (what intuit-oauth's getEnvironmentURI answers once configured). */
  get apiBase(): string {
    return this.client().getEnvironmentURI();
  }

  /** The URL to open in the system browser; `state` comes back on the redirect. */
  authorizeUrl(state: string): string {
    if (!state) throw new SettleError('invalid_input', 'The sign-in needs a state value');
    return this.client().authorizeUri({ scope: [...(this.config.scopes ?? QBO_SCOPES)], state });
  }

  /** Exchanges the authorization code from the redirect for tokens. */
  async exchange(code: string, realmId: string): Promise<QboTokenSet> {
    if (!code || !realmId) throw new SettleError('invalid_input', 'The QuickBooks redirect had no code or realmId');
    const client = this.client();
    const query = new URLSearchParams({ code, realmId });
    const json = await this.call('exchange', () => client.createToken(`${this.config.redirectUri}?${query.toString()}`));
    return this.tokenSet(json, realmId);
  }

  /** Uses a refresh token; QBO rotates it, so store the returned one before using the access token. */
  async refresh(refreshToken: string, realmId = ''): Promise<QboTokenSet> {
    if (!refreshToken) throw new SettleError('invalid_input', 'No QuickBooks refresh token to use');
    const client = this.client();
    const json = await this.call('refresh', () => client.refreshUsingToken(refreshToken));
    return this.tokenSet(json, realmId);
  }

  /** Revokes a refresh or access token (this disconnects the app from the company). */
  async revoke(token: string): Promise<void> {
    if (!token) return;
    const client = this.client();
    await this.call('revoke', () => client.revoke({ refresh_token: token }));
  }

  // ---- intuit-oauth ----

  private client(): OAuthClient {
    // Class-level settings in intuit-oauth: set them for this call (every method reads them synchronously).
    const client = new OAuthClient({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      redirectUri: this.config.redirectUri,
      environment: this.config.environment ?? 'production',
      logging: false,
    });
    client.setAuthorizeURLs({ ...this.endpoints });
    OAuthClient.environment = { production: this.apiRoot, sandbox: this.apiRoot };
    OAuthClient.retryConfig.maxRetries = this.config.maxRetries ?? 0;
    if (this.config.retryDelayMs !== undefined) OAuthClient.retryConfig.retryDelay = this.config.retryDelayMs;
    return client;
  }

  private async call(what: string, fn: () => Promise<{ getJson(): unknown } | null>): Promise<unknown> {
    try {
      const res = await fn();
      return res?.getJson() ?? null;
    } catch (err) {
      throw this.translate(what, err);
    }
  }

  private translate(what: string, err: unknown): Error {
    const e = (err ?? {}) as { error?: unknown; error_description?: unknown; intuit_tid?: unknown; message?: unknown; authResponse?: unknown };
    const tid = typeof e.intuit_tid === 'string' && e.intuit_tid ? e.intuit_tid : null;
    const code = typeof e.error === 'string' && e.error ? e.error : typeof e.message === 'string' ? e.message : 'unknown_error';
    const description = typeof e.error_description === 'string' ? e.error_description : '';
    this.logger.warn('qbo oauth call failed', { what, error: code, intuit_tid: tid });
    if (code === 'invalid_grant') return new QboInvalidGrantError(description, tid);
    return new QboOAuthError(code, description, tid);
  }

  private tokenSet(json: unknown, realmId: string): QboTokenSet {
    const t = (json ?? {}) as TokenJson;
    if (typeof t.access_token !== 'string' || !t.access_token || typeof t.refresh_token !== 'string' || !t.refresh_token) {
      throw new QboOAuthError('invalid_response', 'the token endpoint answered without tokens', null);
    }
    const now = this.clock.now().getTime();
    const expiresIn = Number(t.expires_in);
    const refreshIn = Number(t.x_refresh_token_expires_in);
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000).toISOString(),
      refreshExpiresAt: Number.isFinite(refreshIn) && refreshIn > 0 ? new Date(now + refreshIn * 1000).toISOString() : null,
      realmId,
    };
  }
}
