// Xero's identity service as ledger-apis.md §0 and §2.1 describe it, for an "Auth Code with PKCE"
// app: S256 code challenges, access tokens of 1800 s, single-use refresh tokens rotated on every
// refresh with a 30-minute grace for retrying the old one (the same new pair comes back, once),
// a 60-day idle expiry, revocation (the grant's tokens and connections go), and /connections.
// Times are emulator time.
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Rng } from '../../../src/main/core/connectors/demo/prng';
import type { XeroConnection, XeroTokenResponse } from './types';
import { uuid } from './wire';

export const ACCESS_TOKEN_SECONDS = 1800;
export const REFRESH_GRACE_MS = 30 * 60_000;
export const REFRESH_IDLE_MS = 60 * 86_400_000;
/** "Short-lived" [?: 5 min per some docs]. */
export const CODE_MS = 5 * 60_000;

export interface Grant {
  id: number;
  authEventId: string;
  scopes: string[];
  revoked: boolean;
  nonce: string | null;
}

interface RefreshToken {
  grant: Grant;
  expiresMs: number;
  /** Set once used: when, and the response it got (replayed once inside the grace period). */
  usedMs: number | null;
  reply: XeroTokenResponse | null;
  graceUsed: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresMs: number;
}

interface Code {
  redirectUri: string;
  scopes: string[];
  challenge: string;
  expiresMs: number;
  used: boolean;
  grant: Grant;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; kind: 'expired' | 'invalid'; detail: string };

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; error_description?: string },
  ) {
    super(body.error);
  }
}

const invalidGrant = (): OAuthError => new OAuthError(400, { error: 'invalid_grant' });

export class XeroIdentity {
  private readonly codes = new Map<string, Code>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  readonly connections: (XeroConnection & { grantId: number })[] = [];
  private grants = 0;
  private keys: { privateKey: KeyObject; jwk: Record<string, unknown> } | null = null;
  issuer = '';

  constructor(
    private readonly cfg: { clientId: string; tenants: { id: string; name: string }[] },
    private readonly now: () => number,
    private readonly rng: Rng,
  ) {}

  private random(n: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rng.next() * alphabet.length)];
    return s;
  }

  private utc(ms: number): string {
    return new Date(ms).toISOString().replace('Z', '').padEnd(27, '0');
  }

  /** The consent step: a new auth event connects the chosen tenants. */
  consent(scopes: string[], tenantIds: string[], nonce: string | null): Grant {
    const grant: Grant = { id: ++this.grants, authEventId: uuid(this.rng), scopes, revoked: false, nonce };
    const now = this.utc(this.now());
    for (const tid of tenantIds) {
      const t = this.cfg.tenants.find((x) => x.id === tid);
      if (!t) continue;
      const existing = this.connections.find((c) => c.tenantId === tid);
      if (existing) {
        // Re-authorising an org keeps its connection and moves it to the new auth event.
        existing.authEventId = grant.authEventId;
        existing.updatedDateUtc = now;
        existing.grantId = grant.id;
      } else {
        this.connections.push({ id: uuid(this.rng), authEventId: grant.authEventId, tenantId: t.id, tenantType: 'ORGANISATION', tenantName: t.name, createdDateUtc: now, updatedDateUtc: now, grantId: grant.id });
      }
    }
    return grant;
  }

  issueCode(grant: Grant, redirectUri: string, challenge: string): string {
    const code = this.random(43);
    this.codes.set(code, { redirectUri, scopes: grant.scopes, challenge, expiresMs: this.now() + CODE_MS, used: false, grant });
    return code;
  }

  exchangeCode(code: string | null, redirectUri: string | null, verifier: string | null): XeroTokenResponse {
    if (!code) throw new OAuthError(400, { error: 'invalid_request' });
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresMs <= this.now()) throw invalidGrant();
    c.used = true;
    if (redirectUri !== c.redirectUri) throw invalidGrant();
    if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw invalidGrant();
    if (createHash('sha256').update(verifier).digest('base64url') !== c.challenge) throw invalidGrant();
    return this.issue(c.grant);
  }

  /** A grant without the browser dance (test helper). */
  connect(scopes: string[], tenantIds: string[]): XeroTokenResponse {
    return this.issue(this.consent(scopes, tenantIds, null));
  }

  refresh(token: string | null): XeroTokenResponse {
    if (!token) throw new OAuthError(400, { error: 'invalid_request' });
    const rt = this.refreshTokens.get(token);
    const now = this.now();
    if (!rt || rt.grant.revoked || rt.expiresMs <= now) throw invalidGrant();
    if (rt.usedMs !== null) {
      if (rt.graceUsed || now >= rt.usedMs + REFRESH_GRACE_MS || !rt.reply) throw invalidGrant();
      rt.graceUsed = true;
      return rt.reply;
    }
    const reply = this.issue(rt.grant);
    rt.usedMs = now;
    rt.reply = reply;
    return reply;
  }

  private issue(grant: Grant): XeroTokenResponse {
    const now = this.now();
    const access = this.accessJwt(grant);
    this.accessTokens.set(access, { grant, expiresMs: now + ACCESS_TOKEN_SECONDS * 1000 });
    const body: XeroTokenResponse = {
      ...(grant.scopes.includes('openid') ? { id_token: this.idToken(grant) } : {}),
      access_token: access,
      expires_in: ACCESS_TOKEN_SECONDS,
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
    };
    if (grant.scopes.includes('offline_access')) {
      const refresh = this.random(64);
      this.refreshTokens.set(refresh, { grant, expiresMs: now + REFRESH_IDLE_MS, usedMs: null, reply: null, graceUsed: false });
      body.refresh_token = refresh;
    }
    return body;
  }

  checkAccess(header: string | undefined): AccessCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return { ok: false, kind: 'invalid', detail: 'AuthenticationUnsuccessful' };
    const at = this.accessTokens.get(m[1] as string);
    if (!at || at.grant.revoked) return { ok: false, kind: 'invalid', detail: 'AuthenticationUnsuccessful' };
    if (at.expiresMs <= this.now()) {
      const d = new Date(at.expiresMs);
      const p = (n: number): string => String(n).padStart(2, '0');
      return { ok: false, kind: 'expired', detail: `TokenExpired: token expired at ${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` };
    }
    return { ok: true, grant: at.grant };
  }

  /** Revokes the grant behind a refresh token (or access token); its connections go too. */
  revoke(token: string | null): void {
    if (!token) throw new OAuthError(400, { error: 'invalid_request' });
    const grant = this.refreshTokens.get(token)?.grant ?? this.accessTokens.get(token)?.grant;
    if (!grant) return;
    grant.revoked = true;
    for (let i = this.connections.length - 1; i >= 0; i--) if (this.connections[i]?.grantId === grant.id) this.connections.splice(i, 1);
  }

  /** Every grant so far is revoked (the owner disconnected the app at the provider). */
  revokeAll(): void {
    for (const token of [...this.refreshTokens.keys()]) this.revoke(token);
  }

  expireAccessTokens(): void {
    const now = this.now();
    for (const at of this.accessTokens.values()) at.expiresMs = Math.min(at.expiresMs, now);
  }

  isConnected(tenantId: string): boolean {
    return this.connections.some((c) => c.tenantId === tenantId);
  }

  // ---- signing -------------------------------------------------------------------------------

  private keyPair(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      const kid = createHash('sha256').update(String(jwk.n)).digest('hex').slice(0, 32).toUpperCase();
      this.keys = { privateKey, jwk: { ...jwk, kid, kty: 'RSA', use: 'sig', alg: 'RS256', x5t: kid } };
    }
    return this.keys;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.keyPair().jwk] };
  }

  private sign(payload: Record<string, unknown>): string {
    const { privateKey, jwk } = this.keyPair();
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: jwk.kid, typ: 'JWT', x5t: jwk.x5t })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signer = createSign('RSA-SHA256');
    signer.update(`${header}.${body}`);
    return `${header}.${body}.${signer.sign(privateKey).toString('base64url')}`;
  }

  private accessJwt(grant: Grant): string {
    const iat = Math.floor(this.now() / 1000);
    return this.sign({
      nbf: iat,
      exp: iat + ACCESS_TOKEN_SECONDS,
      iss: this.issuer,
      aud: `${this.issuer}/resources`,
      client_id: this.cfg.clientId,
      sub: 'emulator-user-1',
      auth_time: iat,
      xero_userid: '3e5bd5c4-0000-4000-8000-00000000e001',
      global_session_id: `session-${grant.id}`,
      jti: this.random(32),
      authentication_event_id: grant.authEventId,
      authEventId: grant.authEventId,
      scope: grant.scopes,
      iat,
    });
  }

  private idToken(grant: Grant): string {
    const iat = Math.floor(this.now() / 1000);
    return this.sign({
      nbf: iat,
      exp: iat + 300,
      iss: this.issuer,
      aud: this.cfg.clientId,
      iat,
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      sid: `session-${grant.id}`,
      sub: 'emulator-user-1',
      auth_time: iat,
      xero_userid: '3e5bd5c4-0000-4000-8000-00000000e001',
      global_session_id: `session-${grant.id}`,
      preferred_username: 'owner@settle.example',
      email: 'owner@settle.example',
      given_name: 'Emulator',
      family_name: 'Owner',
    });
  }

  userinfo(): Record<string, unknown> {
    return { sub: 'emulator-user-1', xero_userid: '3e5bd5c4-0000-4000-8000-00000000e001', preferred_username: 'owner@settle.example', email: 'owner@settle.example', given_name: 'Emulator', family_name: 'Owner' };
  }
}
