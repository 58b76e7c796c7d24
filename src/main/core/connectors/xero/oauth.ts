// Xero's "Auth Code with PKCE" flow for a desktop app (ledger-apis.md §2.1, DESIGN §7): no client
// secret, S256 challenge, a loopback redirect. xero-node 20 cannot do PKCE by itself (its
// initialize() discovers https://identity.xero.com with a client secret, apiCallback() sends no
// code_verifier, and updateTenants() calls https://api.xero.com/connections), so we give it our
// own openid-client `Client` (token_endpoint_auth_method 'none', discovered from
// SETTLE_XERO_IDENTITY_BASE or Xero's identity) and point `accountingApi.basePath` at
// SETTLE_XERO_API_BASE. Tokens go through that Client: the code exchange and refresh use
// `client.grant()` (PKCE verifier in the body, client_id in the body, no Authorization header)
// and revocation `client.revoke()`. The id_token is not validated: Settle does not sign people in
// with it; the organisations come from /connections with the access token.
import { custom, Issuer, type Client, type TokenSet as OidcTokenSet } from 'openid-client';
import { XeroClient as XeroNodeClient } from 'xero-node';
import { SettleError } from '../../../../shared/errors';
import { InvalidGrantError, type TokenSet } from '../../auth/tokens';
import { silentLogger, systemClock, type Clock, type Logger } from '../../ports';
import { parseConnections, XERO_API_BASE, type XeroConnection } from './client';

export const XERO_IDENTITY_BASE = 'https://identity.xero.com';
export const XERO_GRANULAR_SCOPES = [
  'offline_access',
  'accounting.contacts',
  'accounting.invoices',
  'accounting.payments',
  'accounting.reports.aged.read',
  'accounting.settings.read',
  'openid',
  'profile',
  'email',
] as const;
/** For apps created before 2 March 2026 that have not moved to granular scopes. */
export const XERO_LEGACY_SCOPES = [
  'offline_access',
  'accounting.transactions',
  'accounting.contacts',
  'accounting.settings.read',
  'accounting.reports.read',
  'openid',
  'profile',
  'email',
] as const;

export interface XeroOAuthConfig {
  clientId: string;
  redirectUri: string;
  /** SETTLE_XERO_IDENTITY_BASE: discovery, authorize, token and revocation; Xero's when absent. */
  identityBase?: string | null;
  /** SETTLE_XERO_API_BASE: /connections and /api.xro/2.0 beneath it; Xero's when absent. */
  apiBase?: string | null;
  /** Use the legacy broad scopes (older apps). */
  legacyScopes?: boolean;
  scopes?: readonly string[];
  clock?: Clock;
  logger?: Logger;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** openid-client request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface XeroTokenSet extends TokenSet {
  /** The `authentication_event_id` claim of the access token: filters /connections to this consent. */
  authEventId: string | null;
}

export function xeroBasesFromEnv(env: NodeJS.ProcessEnv = process.env): { identityBase: string | null; apiBase: string | null } {
  return { identityBase: env.SETTLE_XERO_IDENTITY_BASE?.trim() || null, apiBase: env.SETTLE_XERO_API_BASE?.trim() || null };
}

/** The token or identity endpoint refused for a reason other than invalid_grant. */
export class XeroOAuthError extends SettleError {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super('unavailable', `Xero sign-in failed (${error}${description ? `: ${description}` : ''}).`);
    this.name = 'XeroOAuthError';
  }
}

export class XeroInvalidGrantError extends InvalidGrantError {
  constructor(description: string) {
    super(description);
    this.name = 'XeroInvalidGrantError';
  }
}

/** The authentication_event_id claim of a JWT access token (not verified: only used to filter). */
export function authEventIdOf(accessToken: string): string | null {
  const part = accessToken.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const v = claims.authentication_event_id ?? claims.authEventId;
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

export class XeroOAuth {
  readonly identityBase: string;
  readonly apiBase: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private clientPromise: Promise<Client> | null = null;
  /** xero-node, holding our openid-client Client; exposed for callers that want its typed models. */
  readonly xero: XeroNodeClient;

  constructor(private readonly config: XeroOAuthConfig) {
    this.identityBase = (config.identityBase ?? XERO_IDENTITY_BASE).replace(/\/+$/, '');
    this.apiBase = (config.apiBase ?? XERO_API_BASE).replace(/\/+$/, '');
    this.clock = config.clock ?? systemClock;
    this.logger = config.logger ?? silentLogger;
    this.xero = new XeroNodeClient({ clientId: config.clientId, clientSecret: '', redirectUris: [config.redirectUri], scopes: [...this.scopes] });
    this.xero.accountingApi.basePath = `${this.apiBase}/api.xro/2.0`;
  }

  get scopes(): readonly string[] {
    return this.config.scopes ?? (this.config.legacyScopes ? XERO_LEGACY_SCOPES : XERO_GRANULAR_SCOPES);
  }

  /** The URL to open in the system browser: PKCE S256 challenge, `state` comes back on the redirect. */
  async authorizeUrl(state: string, challenge: string): Promise<string> {
    if (!state || !challenge) throw new SettleError('invalid_input', 'The Xero sign-in needs a state and a PKCE challenge');
    const client = await this.client();
    return client.authorizationUrl({
      redirect_uri: this.config.redirectUri,
      scope: this.scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
  }

  /** Exchanges the code from the redirect (whose state the loopback server checked) with the PKCE verifier. */
  async exchange(code: string, verifier: string): Promise<XeroTokenSet> {
    if (!code || !verifier) throw new SettleError('invalid_input', 'The Xero redirect had no code, or the sign-in has no verifier');
    const client = await this.client();
    const set = await this.call('exchange', () =>
      client.grant({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri, code_verifier: verifier }),
    );
    return this.tokenSet(set, null);
  }

  /** Uses a (single-use) refresh token. Store the returned set before using it. invalid_grant → XeroInvalidGrantError. */
  async refresh(refreshToken: string): Promise<XeroTokenSet> {
    if (!refreshToken) throw new SettleError('invalid_input', 'No Xero refresh token to use');
    const client = await this.client();
    const set = await this.call('refresh', () => client.grant({ grant_type: 'refresh_token', refresh_token: refreshToken }));
    return this.tokenSet(set, refreshToken);
  }

  /** Revokes the refresh token: Xero removes that grant's connections. */
  async revoke(token: string): Promise<void> {
    if (!token) return;
    const client = await this.client();
    await this.call('revoke', () => client.revoke(token, 'refresh_token'));
  }

  /** The organisations this token reaches (GET /connections), only those of `authEventId` when given. */
  async tenants(accessToken: string, authEventId?: string | null): Promise<XeroConnection[]> {
    const event = authEventId === undefined ? authEventIdOf(accessToken) : authEventId;
    const qs = event ? `?${new URLSearchParams({ authEventId: event }).toString()}` : '';
    const res = await this.fetch(`${this.apiBase}/connections${qs}`, { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    const text = await res.text();
    if (res.status === 401) throw new XeroOAuthError('unauthorized', 'Xero refused the new sign-in when listing organisations');
    if (!res.ok) throw new XeroOAuthError(`HTTP ${res.status}`, 'Xero did not list the organisations');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new XeroOAuthError('invalid_response', 'the organisation list was not JSON');
    }
    const all = parseConnections(json);
    return event ? all.filter((c) => c.authEventId === null || c.authEventId === event) : all;
  }

  /** DELETE /connections/{id} (204; 404 means already gone). */
  async deleteConnection(accessToken: string, connectionId: string): Promise<void> {
    const res = await this.fetch(`${this.apiBase}/connections/${encodeURIComponent(connectionId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } });
    await res.text();
    if (!res.ok && res.status !== 404) throw new XeroOAuthError(`HTTP ${res.status}`, 'Xero did not remove the organisation connection');
  }

  // ---- internals ----

  private fetch(url: string, init: RequestInit): Promise<Response> {
    return (this.config.fetch ?? ((u, i) => fetch(u, i)))(url, init);
  }

  private client(): Promise<Client> {
    this.clientPromise ??= (async () => {
      let issuer: Issuer<Client>;
      try {
        issuer = await Issuer.discover(this.identityBase);
      } catch (err) {
        this.clientPromise = null;
        throw new XeroOAuthError('discovery_failed', err instanceof Error ? err.message.slice(0, 200) : 'no answer');
      }
      const client = new issuer.Client({
        client_id: this.config.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [this.config.redirectUri],
        response_types: ['code'],
      });
      client[custom.http_options] = (_url, options) => ({ ...options, timeout: this.config.timeoutMs ?? 10_000 });
      // xero-node uses this Client from here on (refreshToken(), revokeToken(), buildConsentUrl()).
      this.xero.openIdClient = client;
      return client;
    })();
    return this.clientPromise;
  }

  private async call(what: string, fn: () => Promise<OidcTokenSet | undefined | void>): Promise<OidcTokenSet | undefined | void> {
    try {
      return await fn();
    } catch (err) {
      const e = (err ?? {}) as { error?: unknown; error_description?: unknown; message?: unknown };
      const code = typeof e.error === 'string' && e.error ? e.error : 'request_failed';
      const description = typeof e.error_description === 'string' ? e.error_description : typeof e.message === 'string' ? e.message.slice(0, 200) : '';
      this.logger.warn('xero oauth call failed', { what, error: code });
      if (code === 'invalid_grant') throw new XeroInvalidGrantError(description);
      throw new XeroOAuthError(code, description);
    }
  }

  private tokenSet(set: OidcTokenSet | undefined | void, previousRefresh: string | null): XeroTokenSet {
    const access = set?.access_token;
    const refresh = set?.refresh_token ?? previousRefresh;
    if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
      throw new XeroOAuthError('invalid_response', 'the token endpoint answered without an access and refresh token (is offline_access granted?)');
    }
    const now = this.clock.now().getTime();
    const expiresIn = Number(set?.expires_in);
    return {
      accessToken: access,
      refreshToken: refresh,
      expiresAt: new Date(now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 1800) * 1000).toISOString(),
      refreshExpiresAt: null,
      scope: typeof set?.scope === 'string' ? set.scope : null,
      authEventId: authEventIdOf(access),
    };
  }
}
