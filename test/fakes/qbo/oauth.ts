// Intuit's OAuth 2.0 authority as ledger-apis.md §1.1 describes it: authorization codes (single
// use), access tokens (3600 s), refresh tokens (rolling, rotated on every refresh; the previous one
// keeps working for 24 h after its successor is issued), a 5-year hard cap, and revocation
// (which disconnects the app: every token of the grant stops working). Times are emulator time.
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Rng } from '../../../src/main/core/connectors/demo/prng';
import type { QboTokenResponse } from './types';

export const ACCESS_TOKEN_SECONDS = 3600;
/** As seen in Intuit's SDK fixtures (~101 days); refreshed on every use. */
export const REFRESH_TOKEN_SECONDS = 8_726_400;
export const OLD_REFRESH_GRACE_MS = 24 * 3_600_000;
export const HARD_CAP_SECONDS = 5 * 365 * 86_400;
/** Not documented by Intuit; 10 minutes of emulator time. */
export const CODE_SECONDS = 600;

export const SCOPES = new Set([
  'com.intuit.quickbooks.accounting',
  'com.intuit.quickbooks.payment',
  'openid',
  'profile',
  'email',
  'phone',
  'address',
]);

interface Grant {
  id: number;
  realmId: string;
  scopes: string[];
  createdMs: number;
  revoked: boolean;
}

interface RefreshToken {
  grant: Grant;
  expiresMs: number;
  /** When a newer refresh token of the grant was issued. */
  supersededMs: number | null;
}

interface AccessToken {
  grant: Grant;
  expiresMs: number;
}

interface Code {
  realmId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresMs: number;
  used: boolean;
}

export type AccessCheck =
  | { ok: true; realmId: string; scopes: string[] }
  | { ok: false; kind: 'expired' | 'invalid' | 'revoked'; detail: string };

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; error_description?: string },
  ) {
    super(`${body.error}${body.error_description ? `: ${body.error_description}` : ''}`);
  }
}

const invalidGrant = (): OAuthError => new OAuthError(400, { error: 'invalid_grant', error_description: 'Token invalid' });

export class OAuthAuthority {
  private readonly codes = new Map<string, Code>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private grants = 0;
  private serial = 0;
  private keys: { privateKey: KeyObject; jwk: Record<string, unknown> } | null = null;

  constructor(
    private readonly cfg: { realmId: string; clientId: string; clientSecret: string; issuer: string },
    private readonly now: () => number,
    private readonly rng: Rng,
  ) {}

  private random(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rng.next() * alphabet.length)];
    return s;
  }

  /** Checks `Authorization: Basic base64(client_id:client_secret)`. */
  checkClient(header: string | undefined): void {
    const m = /^Basic\s+(.+)$/i.exec(header ?? '');
    const decoded = m ? Buffer.from(m[1] as string, 'base64').toString('utf8') : '';
    if (decoded !== `${this.cfg.clientId}:${this.cfg.clientSecret}`) throw new OAuthError(401, { error: 'invalid_client' });
  }

  issueCode(input: { clientId: string; redirectUri: string; scopes: string[] }): string {
    const code = `AB1${this.random(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}${(++this.serial).toString(36)}`;
    this.codes.set(code, {
      realmId: this.cfg.realmId,
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      expiresMs: this.now() + CODE_SECONDS * 1000,
      used: false,
    });
    return code;
  }

  exchangeCode(code: string | undefined, redirectUri: string | undefined, opts: { hardExpiry: boolean }): QboTokenResponse {
    if (!code) throw new OAuthError(400, { error: 'invalid_request', error_description: 'code is required' });
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresMs <= this.now()) {
      if (c) c.used = true;
      throw invalidGrant();
    }
    c.used = true;
    if (redirectUri !== c.redirectUri) throw new OAuthError(400, { error: 'invalid_grant', error_description: 'redirect_uri does not match the one used in the authorization request' });
    const grant: Grant = { id: ++this.grants, realmId: c.realmId, scopes: c.scopes, createdMs: this.now(), revoked: false };
    return this.issue(grant, opts);
  }

  /** A fresh grant without the browser dance (test helper). */
  connect(scopes: string[], opts: { hardExpiry: boolean }): QboTokenResponse {
    return this.issue({ id: ++this.grants, realmId: this.cfg.realmId, scopes, createdMs: this.now(), revoked: false }, opts);
  }

  refresh(token: string | undefined, opts: { hardExpiry: boolean }): QboTokenResponse {
    if (!token) throw new OAuthError(400, { error: 'invalid_request', error_description: 'refresh_token is required' });
    const rt = this.refreshTokens.get(token);
    const now = this.now();
    if (!rt || rt.grant.revoked || rt.expiresMs <= now) throw invalidGrant();
    if (rt.supersededMs !== null && now >= rt.supersededMs + OLD_REFRESH_GRACE_MS) throw invalidGrant();
    if (now >= rt.grant.createdMs + HARD_CAP_SECONDS * 1000) throw invalidGrant();
    return this.issue(rt.grant, opts);
  }

  private issue(grant: Grant, opts: { hardExpiry: boolean }): QboTokenResponse {
    const now = this.now();
    // Every earlier refresh token of this grant now has a successor.
    for (const rt of this.refreshTokens.values()) if (rt.grant === grant && rt.supersededMs === null) rt.supersededMs = now;
    const hardEnd = grant.createdMs + HARD_CAP_SECONDS * 1000;
    const refreshExpires = Math.min(now + REFRESH_TOKEN_SECONDS * 1000, hardEnd);
    const refresh = `RT1-${40 + (this.serial % 50)}-H0-${Math.floor(refreshExpires / 1000)}${this.random(20)}${(++this.serial).toString(36)}`;
    this.refreshTokens.set(refresh, { grant, expiresMs: refreshExpires, supersededMs: null });
    const header = Buffer.from(JSON.stringify({ enc: 'A128CBC-HS256', alg: 'dir' })).toString('base64url');
    const access = `${header}..${this.random(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}.${this.random(300, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}${(++this.serial).toString(36)}.${this.random(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
    this.accessTokens.set(access, { grant, expiresMs: now + ACCESS_TOKEN_SECONDS * 1000 });
    const body: QboTokenResponse = {
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      refresh_token: refresh,
      x_refresh_token_expires_in: Math.floor((refreshExpires - now) / 1000),
      access_token: access,
    };
    if (grant.scopes.includes('openid')) body.id_token = this.idToken(grant);
    if (opts.hardExpiry) body.x_refresh_token_hard_expires_in = Math.floor((hardEnd - now) / 1000);
    return body;
  }

  checkAccess(header: string | undefined): AccessCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return { ok: false, kind: 'invalid', detail: 'Token invalid: no bearer token' };
    const token = m[1] as string;
    const at = this.accessTokens.get(token);
    const shown = `${token.slice(0, 12)}…`;
    if (!at) return { ok: false, kind: 'invalid', detail: `Token invalid: ${shown}` };
    if (at.grant.revoked) return { ok: false, kind: 'revoked', detail: `Token revoked: the app is disconnected from company ${at.grant.realmId}` };
    if (at.expiresMs <= this.now()) return { ok: false, kind: 'expired', detail: `Token expired: ${shown}` };
    return { ok: true, realmId: at.grant.realmId, scopes: at.grant.scopes };
  }

  /** Revokes the grant behind a refresh or access token (unknown tokens are ignored). */
  revoke(token: string | undefined): void {
    if (!token) throw new OAuthError(400, { error: 'invalid_request', error_description: 'token is required' });
    const grant = this.refreshTokens.get(token)?.grant ?? this.accessTokens.get(token)?.grant;
    if (grant) grant.revoked = true;
  }

  /** Every grant so far is revoked (the owner disconnected the app at the provider). */
  revokeAll(): void {
    for (const token of [...this.refreshTokens.keys()]) this.revoke(token);
  }

  /** Every access token issued so far expires now. */
  expireAccessTokens(): void {
    const now = this.now();
    for (const at of this.accessTokens.values()) at.expiresMs = Math.min(at.expiresMs, now);
  }

  // ---- OpenID --------------------------------------------------------------------------------

  private keyPair(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      const kid = createHash('sha256').update(String(jwk.n)).digest('hex').slice(0, 16);
      this.keys = { privateKey, jwk: { ...jwk, kid, use: 'sig', alg: 'RS256' } };
    }
    return this.keys;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.keyPair().jwk] };
  }

  private idToken(grant: Grant): string {
    const { privateKey, jwk } = this.keyPair();
    const iat = Math.floor(this.now() / 1000);
    const header = Buffer.from(JSON.stringify({ kid: jwk.kid, alg: 'RS256' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: `emulator-user-${grant.id}`,
        aud: [this.cfg.clientId],
        realmid: grant.realmId,
        auth_time: iat,
        iss: this.cfg.issuer,
        exp: iat + ACCESS_TOKEN_SECONDS,
        iat,
      }),
    ).toString('base64url');
    const signer = createSign('RSA-SHA256');
    signer.update(`${header}.${payload}`);
    return `${header}.${payload}.${signer.sign(privateKey).toString('base64url')}`;
  }
}
