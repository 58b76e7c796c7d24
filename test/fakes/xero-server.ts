// A Xero emulator for the sync tests and the bench: node:http on 127.0.0.1, faithful to
// shared/reference/ledger-apis.md §0, §2 and §3 (identity with PKCE and rotating single-use
// refresh tokens, /connections, the Accounting API with If-Modified-Since, paging, MS-JSON dates,
// History, Email, OnlineInvoice, rate limits with their headers) plus fault injection.
// Deterministic: data, ids, tokens and injected faults come from the seed, and the emulator's
// clock only moves when told to (or by one tick with every write).
//
// ── URLs ──────────────────────────────────────────────────────────────────────────────────────
//   identityBase = `${url}/identity`  (stands in for https://identity.xero.com and login.xero.com)
//     GET  /.well-known/openid-configuration      discovery (issuer = identityBase)
//     GET  /.well-known/openid-configuration/jwks  RS256 keys (id_token and access tokens)
//     GET  /connect/authorize                      auto-consent → 302 redirect_uri?code&state[&scope]
//     POST /connect/token                          authorization_code (PKCE S256) | refresh_token
//     POST /connect/revocation                     token=<refresh_token>&client_id=… → 200
//     GET  /connect/userinfo                       Bearer → {sub,email,…}
//   apiBase = url                     (stands in for https://api.xero.com)
//     GET  /connections[?authEventId=]             DELETE /connections/{id} → 204
//     /api.xro/2.0/…                               (= accountingBase) needs Bearer + xero-tenant-id
//       GET  Invoices  Invoices/{id}  Invoices/{id}/History  Invoices/{id}/OnlineInvoice
//       PUT|POST Invoices/{id}/History   POST Invoices/{id}/Email
//       GET  Contacts  Contacts/{id}  Payments  Payments/{id}  CreditNotes  CreditNotes/{id}
//       GET  InvoiceReminders/Settings   GET Organisation
//       GET  Invoices/{id} with Accept: application/pdf → a small PDF
//
// ── Tokens ───────────────────────────────────────────────────────────────────────────────────
// Public PKCE client: no secret; client_id goes in the form body. Access tokens are RS256 JWTs
// (kid in the JWKS) valid 1800 s of emulator time, with claims iss, aud ("<identityBase>/resources"),
// exp, nbf, iat, client_id, sub, xero_userid, jti, scope[], authentication_event_id (Xero's real
// claim name) and authEventId (the same value). The emulator also keeps every token it issued, so
// only tokens it issued work. Refresh tokens (only with offline_access) are single use: a refresh
// returns a new pair. Retrying the OLD refresh token within 30 min of its use returns the very same
// pair once (a lost response); after that, or after 30 min, invalid_grant. Unused refresh tokens
// expire after 60 days. Revocation kills the whole grant (all its tokens) and removes its
// connections. Errors: 400 {"error":"invalid_grant"} (or invalid_request/invalid_client/
// unsupported_grant_type).
//
// ── Accounting API behaviour ─────────────────────────────────────────────────────────────────
// - Order: 401 (Bearer missing/invalid/expired: problem-details body) → 403 (xero-tenant-id
//   missing, unknown or disconnected) → 401 insufficient_scope → 429 (rate limit) → injected
//   faults → the route. 404 is plain text "The resource you're looking for cannot be found".
// - Lists: `page` (1-based) and `pageSize` (default 100, clamped to 1..1000) give `pagination`
//   {page,pageSize,pageCount,itemCount}; WITHOUT `page` every match is returned, without
//   LineItems and without `pagination`. Default order UpdatedDateUTC ASC then creation order;
//   `order=Field [ASC|DESC]`. `where` supports ==, !=, <, <=, >, >=, AND, OR, (), "strings",
//   numbers, true/false, guid("…"), DateTime(y,m,d[,h,m,s]) on the fields the doc lists.
//   Invoices: Statuses, IDs, InvoiceNumbers, ContactIDs, summaryOnly, searchTerm.
//   Contacts: IDs, includeArchived (ARCHIVED contacts are left out unless true), summaryOnly
//   (no Balances), searchTerm. Payments/CreditNotes: where, order, page, pageSize.
// - If-Modified-Since: `2025-06-01T00:00:00` (UTC, optional .fff and Z) or an HTTP date;
//   inclusive: returns rows with UpdatedDateUTC >= the instant, at millisecond precision.
// - Rate limits per tenant (60/min and 5,000/day rolling windows, 1,000/day with tier 'starter',
//   5 concurrent) and 10,000/min per app. Every Accounting response carries X-MinLimit-Remaining,
//   X-DayLimit-Remaining and X-AppMinLimit-Remaining; a 429 adds Retry-After (whole seconds
//   until a slot frees) and X-Rate-Limit-Problem: minute|day|concurrent|appminute, body
//   `oauth_problem=rate%20limit%20exceeded&…` (text/plain). Rejected calls are not counted.
//   Windows run on the wall clock by default (`rateLimit.clock: 'emulator'` uses emulator time,
//   so advanceClock(60_000) frees the minute window).
// - Writes honour `Idempotency-Key` (per tenant): a repeat gets the first answer replayed.
// - History: Details 1..250 chars else 400 ValidationException; notes do not bump UpdatedDateUTC.
// - Email: 204; 400 ValidationException when not ACCREC, status not SUBMITTED/AUTHORISED/PAID, or
//   the contact has no EmailAddress and no ContactPerson with IncludeInEmails. Sets
//   SentToContact=true (bumps UpdatedDateUTC if it changed) and appends to `outbox`.
//
//   const xero = await startXeroServer({ today: '2025-06-15', tenants: 2 });
//   const t = xero.issueTokens();                       // skip the browser dance
//   fetch(`${xero.accountingBase}/Invoices?page=1&pageSize=1000`, {
//     headers: { Authorization: `Bearer ${t.access_token}`, 'xero-tenant-id': xero.tenantId, Accept: 'application/json' } });
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { IsoDate } from '../../src/shared/dates';
import { DEMO_COMPANY_NAME, DEMO_DEFAULT_INVOICES, DEMO_DEFAULT_SEED } from '../../src/main/core/connectors/demo/generate';
import { createRng, type Rng } from '../../src/main/core/connectors/demo/prng';
import { tinyPdf } from './pdf';
import { htmlReply, listenLoopback, pickFault, readBody as readBodyUpTo, redirectReply, requestLog, transportFault, writeReply, type Reply, type RequestLog } from './http';
import { CompanyClock, toMs, type Instant } from './qbo/time';
import { OAuthError, XeroIdentity } from './xero/oauth';
import { XeroStore, type NewContact, type NewXeroInvoice, type XeroCreditOptions, type XeroPayOptions } from './xero/store';
import { compileWhere, type Getter } from './xero/where';
import { badQuery, msDateBare, notFound, parseSince, problem, uuid, validation, XeroApiError } from './xero/wire';
import type {
  XeroConnection,
  XeroContact,
  XeroCreditNote,
  XeroHistoryRecord,
  XeroInvoice,
  XeroPayment,
  XeroSnapshot,
  XeroTokenResponse,
} from './xero/types';

export type * from './xero/types';
export type { Instant, NewContact, NewXeroInvoice, XeroCreditOptions, XeroPayOptions };

export const XERO_ACCESS_TOKEN_SECONDS = 1800;
export const XERO_REFRESH_GRACE_MS = 30 * 60_000;
export const XERO_REFRESH_IDLE_MS = 60 * 86_400_000;
export const XERO_HISTORY_DETAILS_MAX = 250;
export const XERO_PAGE_SIZE_DEFAULT = 100;
export const XERO_PAGE_SIZE_MAX = 1000;
export const XERO_GRANULAR_SCOPES =
  'offline_access accounting.contacts accounting.invoices accounting.payments accounting.reports.aged.read accounting.settings.read openid profile email';
export const XERO_LEGACY_SCOPES = 'offline_access accounting.transactions accounting.contacts accounting.settings.read accounting.reports.read openid profile email';

/**
 * An injected failure: 429 (minute, with Retry-After), '429-day', 500/503 (Xero-style bodies),
 * 401 (TokenExpired problem body), a request that never answers, a socket destroyed before
 * processing, or one destroyed after a write was committed.
 */
export type XeroFaultKind = '429' | '429-day' | '500' | '503' | '401' | 'timeout' | 'drop' | 'dropAfterCommit';

export interface XeroFaults {
  /** The authorize endpoint redirects with error=access_denied. */
  denyConsent: boolean;
  /** Tenants the (auto-)consent connects; null = all of them. */
  consentTenants: string[] | null;
  /** Added before every matching request is processed (ms, wall clock). */
  latencyMs: number;
  /** Probabilities (0–1) per matching request, drawn from the seeded generator. */
  throttleRate: number;
  serverErrorRate: number;
  timeoutRate: number;
  dropRate: number;
  /** Faults for the next matching requests, in order (taken before the probabilities). */
  queue: XeroFaultKind[];
  /** Which request paths latency and faults apply to (default: the Accounting API, /api.xro/…). */
  pathPattern: RegExp;
}

export interface XeroRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  tenantId?: string;
  /** Status sent; undefined for timeouts and dropped connections. */
  status?: number;
  /** The injected fault, or the limit that answered 429. */
  fault?: XeroFaultKind | 'minute' | 'day' | 'concurrent' | 'appminute';
}

export interface XeroRateLimitOptions {
  perMinute?: number;
  /** Default 5000, or 1000 when tier is 'starter'. */
  perDay?: number;
  concurrent?: number;
  appPerMinute?: number;
  /** Which clock the rolling windows use. Default 'wall'. */
  clock?: 'wall' | 'emulator';
}

export interface XeroServerOptions {
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  port?: number;
  /** The PKCE app's client id (no secret). */
  clientId?: string;
  /** Registered redirect URIs (exact match). Default: any http://localhost|127.0.0.1 or https URI. */
  redirectUris?: string[];
  /** Seeds data, ids, tokens and fault draws. Default 7 (the demo's). */
  seed?: number;
  /** Organisations the user can connect. Default 1. Tenant i uses seed + i. */
  tenants?: number;
  /** Tenant names, in order (defaults: the demo company, then "Demo Company (NZ)", …). */
  tenantNames?: string[];
  /** Demo size in invoices per tenant. Default 900. The bench uses { invoices: 50_000, contacts: 5_000 }. */
  invoices?: number;
  /** At least this many contacts: the demo's, padded with idle ones (no transactions, 10 % ARCHIVED). */
  contacts?: number;
  /** Start with no contacts or transactions. */
  empty?: boolean;
  /** The org's "today" (default: the date of `now`). */
  today?: IsoDate;
  /** The emulator's start instant (default: `today` at 17:00 UTC, else the wall clock). */
  now?: Instant;
  /** Let emulator time flow with the wall clock too. Default false. */
  realTime?: boolean;
  /** How far every write moves the clock. Default 1000 ms. */
  tickMs?: number;
  /** Pricing tier: 'starter' has 1,000 calls/day per tenant. Default 'standard' (5,000). */
  tier?: 'starter' | 'standard';
  /** false turns the limits (and their 429s) off; the headers are still sent. */
  rateLimit?: XeroRateLimitOptions | false;
  faults?: Partial<XeroFaults>;
  /** ProviderName in every envelope. Default "Settle (emulator)". */
  providerName?: string;
  /** InvoiceReminders/Settings Enabled, for every tenant. Default false. */
  invoiceReminders?: boolean;
  /** Rates to the base currency (USD): how many USD one unit buys. */
  exchangeRates?: Record<string, number>;
}

export interface XeroOutboxEntry {
  tenantId: string;
  invoiceId: string;
  invoiceNumber: string;
  to: string[];
  at: string;
}

/** Test-side writes to one organisation. Each write moves the clock one tick and stamps UpdatedDateUTC. */
export interface XeroOrg {
  tenantId: string;
  tenantName: string;
  createContact(input: NewContact): XeroContact;
  /** Patch with wire field names: Name, EmailAddress, ContactStatus, FirstName, LastName, ContactPersons, PaymentTerms, … */
  updateContact(id: string, patch: Partial<XeroContact>): XeroContact;
  createInvoice(input: NewXeroInvoice): XeroInvoice;
  /** A full (default) or partial payment; the invoice becomes PAID when AmountDue reaches 0. */
  payInvoice(id: string, opts?: XeroPayOptions): XeroPayment;
  /** An ACCRECCREDIT credit note allocated to the invoice. */
  creditInvoice(id: string, opts?: XeroCreditOptions): XeroCreditNote;
  /** A standalone AUTHORISED credit note on the contact, allocated to nothing (dollars). */
  createCreditNote(contactId: string, opts: { amount: number; date?: IsoDate; reason?: string }): XeroCreditNote;
  /** DRAFT/SUBMITTED → AUTHORISED (approved). */
  authoriseInvoice(id: string): XeroInvoice;
  /** AUTHORISED/SUBMITTED without payments → VOIDED. */
  voidInvoice(id: string): XeroInvoice;
  /** DRAFT/SUBMITTED → DELETED. */
  deleteInvoice(id: string): XeroInvoice;
  /** AUTHORISED → DELETED; the invoice gets its money back (and leaves PAID). */
  deletePayment(id: string): XeroPayment;
  invoice(id: string): XeroInvoice | undefined;
  contact(id: string): XeroContact | undefined;
  payment(id: string): XeroPayment | undefined;
  creditNote(id: string): XeroCreditNote | undefined;
  history(invoiceId: string): XeroHistoryRecord[];
  /** Every record, in wire shape with LineItems, ordered by creation. */
  snapshot(): XeroSnapshot;
  /** The Xero id given to a demo record (demo-cust-1, demo-inv-1001, demo-pay-3 (its first
   * application; later ones are demo-pay-3/2, …), demo-cn-1). */
  idForDemo(externalId: string): string | undefined;
  setInvoiceReminders(enabled: boolean): void;
}

export interface XeroServer extends XeroOrg {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Stands in for https://api.xero.com: `${apiBase}/connections`, `${apiBase}/api.xro/2.0/…`. */
  apiBase: string;
  /** `${apiBase}/api.xro/2.0` */
  accountingBase: string;
  /** Stands in for https://identity.xero.com (and login.xero.com). */
  identityBase: string;
  endpoints: { discovery: string; authorize: string; token: string; revocation: string; userinfo: string; jwks: string; connections: string };
  clientId: string;
  /** The first organisation's tenant id (the default for the XeroOrg methods). */
  tenantId: string;
  tenantIds: string[];
  org(tenantId: string): XeroOrg;
  requests: RequestLog<XeroRequestLogEntry>;
  /** Mutable knobs; changes apply to the next request. */
  faults: XeroFaults;
  /** Every invoice email sent through /Email. */
  outbox: XeroOutboxEntry[];

  // clock
  now(): Date;
  today(): IsoDate;
  advanceClock(ms: number): void;
  setNow(t: Instant): void;

  // tokens and connections
  /** A new grant without the browser dance: connects `tenants` (default all). Default scope XERO_GRANULAR_SCOPES. */
  issueTokens(opts?: { scope?: string; tenants?: string[] }): XeroTokenResponse;
  /** Every access token issued so far expires now (the API answers 401 TokenExpired). */
  expireAccessTokens(): void;
  /** Every grant so far is revoked (and its organisations disconnected), as when the owner disconnects the app in Xero. */
  revokeAll(): void;
  connections(): XeroConnection[];
  /** Forget the rate-limit windows (minute, day, app). */
  resetRateLimits(): void;

  close(): Promise<void>;
}

// ---- wire helpers --------------------------------------------------------------------------

const JSON_TYPE = 'application/json; charset=utf-8';
const RATE_BODY = 'oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait%20before%20retrying%20the%20xero%20api';
const ACCOUNTING = '/api.xro/2.0';

const SCOPE_SETS = {
  invoicesRead: ['accounting.transactions', 'accounting.transactions.read', 'accounting.invoices', 'accounting.invoices.read'],
  invoicesWrite: ['accounting.transactions', 'accounting.invoices'],
  paymentsRead: ['accounting.transactions', 'accounting.transactions.read', 'accounting.payments', 'accounting.payments.read'],
  contactsRead: ['accounting.contacts', 'accounting.contacts.read'],
  settingsRead: ['accounting.settings', 'accounting.settings.read'],
} as const;

const KNOWN_SCOPES = new Set([
  'openid',
  'profile',
  'email',
  'offline_access',
  ...['transactions', 'contacts', 'settings', 'attachments', 'invoices', 'payments', 'banktransactions', 'manualjournals'].flatMap((s) => [`accounting.${s}`, `accounting.${s}.read`]),
  'accounting.reports.read',
  'accounting.reports.aged.read',
  'accounting.journals.read',
  'accounting.budgets.read',
]);

function readBody(req: IncomingMessage): Promise<string> {
  return readBodyUpTo(req, 3.5 * 1024 * 1024, () => new XeroApiError(413, 'Request entity too large', 'text/plain; charset=utf-8'));
}

interface Windows {
  minute: number[];
  day: number[];
  inFlight: number;
}

interface ListCache {
  key: string;
  ids: string[];
}

// ---- the server ----------------------------------------------------------------------------

export async function startXeroServer(opts: XeroServerOptions = {}): Promise<XeroServer> {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const clientId = opts.clientId ?? 'XEROEMULATORPKCECLIENT0000000001';
  const providerName = opts.providerName ?? 'Settle (emulator)';
  const clock = new CompanyClock(0, 'UTC', opts.realTime ?? false);
  clock.set(opts.now !== undefined ? toMs(opts.now) : opts.today !== undefined ? Date.parse(`${opts.today}T17:00:00Z`) : Date.now());
  if (opts.today !== undefined && opts.now !== undefined && clock.date() !== opts.today) {
    throw new RangeError(`now (${String(opts.now)}) is not on today (${opts.today}) in UTC`);
  }
  const idRng: Rng = createRng((seed ^ 0x1de7) >>> 0);
  const faultRng: Rng = createRng((seed ^ 0xfa175eed) >>> 0);
  const tenantCount = Math.max(1, opts.tenants ?? 1);
  const defaultNames = [DEMO_COMPANY_NAME, 'Demo Company (NZ)', 'Demo Company (UK)', 'Demo Company (AU)', 'Demo Company (US)'];
  const tenants = Array.from({ length: tenantCount }, (_, i) => ({
    id: uuid(idRng),
    name: opts.tenantNames?.[i] ?? defaultNames[i] ?? `Demo Company ${i + 1}`,
  }));
  let url = '';
  const stores = new Map<string, XeroStore>();
  for (const [i, t] of tenants.entries()) {
    const store = new XeroStore({
      clock,
      tickMs: opts.tickMs ?? 1000,
      rng: createRng((seed + i) ^ 0x0ece11),
      tenantId: t.id,
      tenantName: t.name,
      baseCurrency: 'USD',
      exchangeRates: { EUR: 1.08, GBP: 1.27, CAD: 0.73, AUD: 0.66, NZD: 0.6, ...opts.exchangeRates },
      get onlineBase() {
        return `${url}/online`;
      },
    });
    store.remindersEnabled = opts.invoiceReminders ?? false;
    if (!opts.empty) store.seedDemo(seed + i, opts.invoices ?? DEMO_DEFAULT_INVOICES, opts.contacts ?? 0);
    stores.set(t.id, store);
  }
  const identity = new XeroIdentity({ clientId, tenants }, () => clock.nowMs(), createRng((seed ^ 0x70c3e5) >>> 0));

  const faults: XeroFaults = {
    denyConsent: false,
    consentTenants: null,
    latencyMs: 0,
    throttleRate: 0,
    serverErrorRate: 0,
    timeoutRate: 0,
    dropRate: 0,
    queue: [],
    pathPattern: /^\/api\.xro\//,
    ...opts.faults,
  };
  const rl = opts.rateLimit === false ? null : opts.rateLimit ?? {};
  const limits = {
    perMinute: rl?.perMinute ?? 60,
    perDay: rl?.perDay ?? (opts.tier === 'starter' ? 1000 : 5000),
    concurrent: rl?.concurrent ?? 5,
    appPerMinute: rl?.appPerMinute ?? 10_000,
  };
  const rateNow = (): number => (rl?.clock === 'emulator' ? clock.nowMs() : performance.now());
  const windows = new Map<string, Windows>();
  const appWindow: number[] = [];
  const log: XeroRequestLogEntry[] = [];
  const replays = new Map<string, Reply>();
  const outbox: XeroOutboxEntry[] = [];
  const caches = new Map<string, ListCache>();
  const instRng = createRng((seed ^ 0x1257) >>> 0);

  const storeFor = (tenantId: string): XeroStore => {
    const s = stores.get(tenantId.toLowerCase());
    if (!s) throw new RangeError(`No organisation ${tenantId}`);
    return s;
  };

  // ---- replies -------------------------------------------------------------------------------

  const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body: JSON.stringify(body), contentType: JSON_TYPE, ...(headers ? { headers } : {}) });
  const envelope = (body: Record<string, unknown>): Reply => json(200, { Id: uuid(instRng), Status: 'OK', ProviderName: providerName, DateTimeUTC: msDateBare(clock.nowMs()), ...body });
  const authProblem = (status: 401 | 403, detail: string, extra?: Record<string, string>): Reply =>
    json(status, problem(status, detail, uuid(instRng)), { ...(status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {}), ...extra });
  const html = (status: number, text: string): Reply => htmlReply(status, 'Xero (emulator)', text, 'text/html; charset=utf-8');
  const fromError = (e: XeroApiError): Reply => ({ status: e.status, body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body), contentType: e.contentType });

  // ---- identity ------------------------------------------------------------------------------

  const identityRoutes = async (req: IncomingMessage, sub: string, params: URLSearchParams): Promise<Reply | null> => {
    const method = req.method ?? 'GET';
    const base = `${url}/identity`;
    if (method === 'GET' && sub === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: base,
        jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
        authorization_endpoint: `${base}/connect/authorize`,
        token_endpoint: `${base}/connect/token`,
        userinfo_endpoint: `${base}/connect/userinfo`,
        end_session_endpoint: `${base}/connect/endsession`,
        revocation_endpoint: `${base}/connect/revocation`,
        frontchannel_logout_supported: true,
        scopes_supported: [...KNOWN_SCOPES],
        claims_supported: ['sub', 'xero_userid', 'preferred_username', 'email', 'given_name', 'family_name'],
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'implicit'],
        response_types_supported: ['code', 'token', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
        response_modes_supported: ['form_post', 'query', 'fragment'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['plain', 'S256'],
        request_parameter_supported: true,
      });
    }
    if (method === 'GET' && sub === '/.well-known/openid-configuration/jwks') return json(200, identity.jwks());
    if (method === 'GET' && sub === '/connect/authorize') {
      const redirect = params.get('redirect_uri') ?? '';
      if (params.get('client_id') !== clientId) return html(400, 'Error: unauthorized_client. Invalid client_id.');
      const target = URL.canParse(redirect) ? new URL(redirect) : null;
      const loopback = target !== null && target.protocol === 'http:' && (target.hostname === 'localhost' || target.hostname === '127.0.0.1');
      const allowed = opts.redirectUris ? opts.redirectUris.includes(redirect) : target !== null && (target.protocol === 'https:' || loopback);
      if (!target || !allowed) return html(400, 'Error: invalid_request. Invalid redirect_uri: it must match a registered URI exactly, and be https unless it is localhost.');
      const back = (extra: Record<string, string>): Reply => redirectReply(redirect, params.get('state'), extra);
      if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
      const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
      if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) return back({ error: 'invalid_scope' });
      const challenge = params.get('code_challenge');
      if (!challenge || params.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge with code_challenge_method=S256 is required' });
      if (faults.denyConsent) return back({ error: 'access_denied' });
      const grant = identity.consent(scopes, faults.consentTenants ?? tenants.map((t) => t.id), params.get('nonce'));
      return back({ code: identity.issueCode(grant, redirect, challenge), scope: scopes.join(' '), session_state: uuid(instRng) });
    }
    if (method === 'POST' && sub === '/connect/token') {
      const form = new URLSearchParams(await readBody(req));
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const cid = form.get('client_id') ?? (basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':')[0] : null);
      if (cid !== clientId) throw new OAuthError(400, { error: 'invalid_client' });
      switch (form.get('grant_type')) {
        case 'authorization_code':
          return json(200, identity.exchangeCode(form.get('code'), form.get('redirect_uri'), form.get('code_verifier')), { 'Cache-Control': 'no-store' });
        case 'refresh_token':
          return json(200, identity.refresh(form.get('refresh_token')), { 'Cache-Control': 'no-store' });
        default:
          throw new OAuthError(400, { error: 'unsupported_grant_type' });
      }
    }
    if (method === 'POST' && sub === '/connect/revocation') {
      const form = new URLSearchParams(await readBody(req));
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const cid = form.get('client_id') ?? (basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':')[0] : null);
      if (cid !== clientId) throw new OAuthError(400, { error: 'invalid_client' });
      identity.revoke(form.get('token'));
      return { status: 200, body: '' };
    }
    if (method === 'GET' && sub === '/connect/userinfo') {
      const check = identity.checkAccess(req.headers.authorization);
      if (!check.ok) return authProblem(401, check.detail);
      return json(200, identity.userinfo());
    }
    return null;
  };

  // ---- /connections --------------------------------------------------------------------------

  const connectionRoutes = (req: IncomingMessage, rest: string[], params: URLSearchParams): Reply => {
    const check = identity.checkAccess(req.headers.authorization);
    if (!check.ok) return authProblem(401, check.detail);
    const method = req.method ?? 'GET';
    const view = (): XeroConnection[] => identity.connections.map(({ grantId: _g, ...c }) => ({ ...c }));
    if (method === 'GET' && rest.length === 0) {
      const ev = params.get('authEventId');
      return json(200, view().filter((c) => ev === null || c.authEventId === ev.toLowerCase()));
    }
    if (method === 'DELETE' && rest.length === 1) {
      const i = identity.connections.findIndex((c) => c.id === (rest[0] as string).toLowerCase());
      if (i < 0) throw notFound();
      identity.connections.splice(i, 1);
      return { status: 204, body: '' };
    }
    throw notFound();
  };

  // ---- lists ---------------------------------------------------------------------------------

  interface Row {
    id: string;
    seq: number;
    updatedMs: number;
  }

  const listIds = <T extends Row>(
    name: string,
    store: XeroStore,
    version: number,
    rows: () => Iterable<T>,
    fields: Record<string, Getter<T>>,
    params: URLSearchParams,
    since: number | null,
    extra: { key: string; pred: ((r: T) => boolean) | null },
  ): string[] => {
    const where = params.get('where') ?? params.get('Where') ?? '';
    const order = params.get('order') ?? params.get('Order') ?? '';
    const key = `${version}|${where}|${order}|${since ?? ''}|${extra.key}`;
    const cacheKey = `${store.opts.tenantId}/${name}`;
    const hit = caches.get(cacheKey);
    if (hit && hit.key === key) return hit.ids;
    const pred = where.trim() ? compileWhere(where, fields) : null;
    let sortGetter: Getter<T> = (r) => r.updatedMs;
    let desc = false;
    if (order.trim()) {
      const m = /^\s*([A-Za-z.]+)(?:\s+(ASC|DESC))?\s*$/i.exec(order);
      const g = m ? Object.entries(fields).find(([k]) => k.toLowerCase() === (m[1] as string).toLowerCase())?.[1] : undefined;
      if (!m || !g) throw badQuery(`Unsupported order '${order}'`);
      sortGetter = g;
      desc = (m[2] ?? 'ASC').toUpperCase() === 'DESC';
    }
    const out: { r: T; k: string | number | boolean | null }[] = [];
    for (const r of rows()) {
      if (since !== null && r.updatedMs < since) continue;
      if (extra.pred && !extra.pred(r)) continue;
      if (pred && !pred(r)) continue;
      out.push({ r, k: sortGetter(r) });
    }
    out.sort((a, b) => {
      const x = a.k ?? '';
      const y = b.k ?? '';
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (desc ? -c : c) || a.r.seq - b.r.seq;
    });
    const ids = out.map((o) => o.r.id);
    caches.set(cacheKey, { key, ids });
    return ids;
  };

  const paged = (ids: string[], params: URLSearchParams): { slice: string[]; pagination: Record<string, number> | null } => {
    const pageParam = params.get('page');
    if (pageParam === null) return { slice: ids, pagination: null };
    const page = Math.max(1, Math.floor(Number(pageParam)) || 1);
    const rawSize = params.get('pageSize') ?? params.get('pagesize');
    const n = rawSize === null ? XERO_PAGE_SIZE_DEFAULT : Math.floor(Number(rawSize));
    const pageSize = Number.isFinite(n) ? Math.min(XERO_PAGE_SIZE_MAX, Math.max(1, n)) : XERO_PAGE_SIZE_DEFAULT;
    const pageCount = Math.ceil(ids.length / pageSize);
    return { slice: ids.slice((page - 1) * pageSize, page * pageSize), pagination: { page, pageSize, pageCount, itemCount: ids.length } };
  };

  const csv = (params: URLSearchParams, name: string): Set<string> | null => {
    const v = params.get(name) ?? params.get(name.toLowerCase());
    return v === null || v.trim() === '' ? null : new Set(v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  };

  const sinceOf = (req: IncomingMessage): number | null => {
    const h = req.headers['if-modified-since'];
    if (h === undefined || h === '') return null;
    const ms = parseSince(String(h));
    if (ms === null) throw badQuery(`The If-Modified-Since header '${String(h)}' is not a valid date`);
    return ms;
  };

  // ---- Accounting routes ---------------------------------------------------------------------

  const needScope = (scopes: string[], set: readonly string[]): void => {
    if (!set.some((s) => scopes.includes(s))) {
      throw new XeroApiError(401, problem(401, 'AuthorizationUnsuccessful', uuid(instRng)));
    }
  };

  const parseJson = (text: string): Record<string, unknown> => {
    if (!text.trim()) return {};
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw validation(['The request body could not be read as JSON']);
  };

  const accountingRoutes = async (req: IncomingMessage, store: XeroStore, rest: string[], params: URLSearchParams, scopes: string[]): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const [a = '', b, c] = rest.map((s) => decodeURIComponent(s));
    const head = a.toLowerCase();
    const tail = c?.toLowerCase();
    const summary = (params.get('summaryOnly') ?? params.get('summaryonly')) === 'true';

    if (head === 'invoices' && rest.length === 1 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.invoicesRead);
      const statuses = csv(params, 'Statuses');
      const ids = csv(params, 'IDs');
      const numbers = csv(params, 'InvoiceNumbers');
      const contacts = csv(params, 'ContactIDs');
      const term = (params.get('searchTerm') ?? params.get('SearchTerm') ?? '').toLowerCase();
      const key = [statuses, ids, numbers, contacts].map((s) => (s ? [...s].join(',') : '')).join('|') + `|${term}`;
      const all = listIds('invoices', store, store.versions.invoices, () => store.invoices.values(), store.invoiceFields, params, sinceOf(req), {
        key,
        pred:
          key === '||||'
            ? null
            : (r) =>
                (!statuses || statuses.has(r.status.toLowerCase())) &&
                (!ids || ids.has(r.id)) &&
                (!numbers || numbers.has(r.number.toLowerCase())) &&
                (!contacts || contacts.has(r.contactId)) &&
                (!term || r.number.toLowerCase().includes(term) || r.reference.toLowerCase().includes(term)),
      });
      const { slice, pagination } = paged(all, params);
      const withLines = pagination !== null && !summary;
      return envelope({ ...(pagination ? { pagination } : {}), Invoices: slice.map((id) => store.invoiceWire(store.invoices.get(id) as never, withLines)) });
    }
    if (head === 'invoices' && rest.length === 2 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.invoicesRead);
      const inv = store.invoice(b as string);
      if (/application\/pdf/i.test(String(req.headers.accept ?? ''))) {
        return { status: 200, body: tinyPdf(`Invoice ${inv.number}`), contentType: 'application/pdf', headers: { 'Content-Disposition': `attachment; filename="${inv.number}.pdf"` } };
      }
      return envelope({ Invoices: [store.invoiceWire(inv)] });
    }
    if (head === 'invoices' && rest.length === 3 && tail === 'history') {
      const inv = store.invoice(b as string);
      if (method === 'GET') {
        needScope(scopes, SCOPE_SETS.invoicesRead);
        return envelope({ HistoryRecords: [...inv.history].reverse() });
      }
      if (method === 'PUT' || method === 'POST') {
        needScope(scopes, SCOPE_SETS.invoicesWrite);
        const body = parseJson(await readBody(req));
        const records = Array.isArray(body.HistoryRecords) ? (body.HistoryRecords as { Details?: unknown }[]) : null;
        if (!records || records.length === 0) throw validation(['A history record must be supplied'], {});
        const now = clock.nowMs();
        for (const r of records) {
          const d = typeof r.Details === 'string' ? r.Details : '';
          const stamp = { DateUTCString: new Date(now).toISOString().slice(0, 19), DateUTC: `/Date(${now}+0000)/`, Details: d };
          if (d.trim() === '') throw validation(['The Details field is required.'], stamp);
          if (d.length > XERO_HISTORY_DETAILS_MAX) throw validation([`The Details field cannot be more than ${XERO_HISTORY_DETAILS_MAX} characters long.`], stamp);
        }
        const added = records.map((r) => store.addHistory(inv.history, 'Note', r.Details as string, clock.nowMs()));
        return envelope({ HistoryRecords: added.map((h) => ({ DateUTCString: h.DateUTCString, DateUTC: h.DateUTC, Details: h.Details, ValidationErrors: [] })) });
      }
    }
    if (head === 'invoices' && rest.length === 3 && tail === 'email' && method === 'POST') {
      needScope(scopes, SCOPE_SETS.invoicesWrite);
      await readBody(req);
      const inv = store.invoice(b as string);
      const element = { InvoiceID: inv.id, InvoiceNumber: inv.number };
      if (!['SUBMITTED', 'AUTHORISED', 'PAID'].includes(inv.status)) throw validation(['Invoice not of valid status for sending'], element);
      const contact = store.contact(inv.contactId);
      const to = [...(contact.email ? [contact.email] : []), ...contact.persons.filter((p) => p.IncludeInEmails && p.EmailAddress).map((p) => p.EmailAddress)];
      if (to.length === 0) throw validation(['The contact does not have a valid email address'], element);
      store.markSent(inv);
      outbox.push({ tenantId: store.opts.tenantId, invoiceId: inv.id, invoiceNumber: inv.number, to, at: new Date(clock.nowMs()).toISOString() });
      return { status: 204, body: '' };
    }
    if (head === 'invoices' && rest.length === 3 && tail === 'onlineinvoice' && method === 'GET') {
      needScope(scopes, SCOPE_SETS.invoicesRead);
      const inv = store.invoice(b as string);
      if (inv.status === 'DRAFT' || inv.status === 'DELETED') throw validation(['An online invoice cannot be retrieved for a DRAFT or DELETED invoice'], { InvoiceID: inv.id });
      return envelope({ OnlineInvoices: [{ OnlineInvoiceUrl: store.onlineUrl(inv) }] });
    }
    if (head === 'contacts' && rest.length === 1 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.contactsRead);
      const ids = csv(params, 'IDs');
      const archived = (params.get('includeArchived') ?? params.get('includearchived')) === 'true';
      const term = (params.get('searchTerm') ?? params.get('SearchTerm') ?? '').toLowerCase();
      const all = listIds('contacts', store, store.versions.contacts, () => store.contacts.values(), store.contactFields, params, sinceOf(req), {
        key: `${ids ? [...ids].join(',') : ''}|${archived}|${term}`,
        pred: (r) =>
          (archived || r.status !== 'ARCHIVED') &&
          (!ids || ids.has(r.id)) &&
          (!term || [r.name, r.first, r.last, r.number, r.email].some((v) => v?.toLowerCase().includes(term))),
      });
      const { slice, pagination } = paged(all, params);
      return envelope({ ...(pagination ? { pagination } : {}), Contacts: slice.map((id) => store.contactWire(store.contacts.get(id) as never, summary)) });
    }
    if (head === 'contacts' && rest.length === 2 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.contactsRead);
      return envelope({ Contacts: [store.contactWire(store.contact(b as string))] });
    }
    if (head === 'payments' && rest.length === 1 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.paymentsRead);
      const all = listIds('payments', store, store.versions.payments, () => store.payments.values(), store.paymentFields, params, sinceOf(req), { key: '', pred: null });
      const { slice, pagination } = paged(all, params);
      return envelope({ ...(pagination ? { pagination } : {}), Payments: slice.map((id) => store.paymentWire(store.payments.get(id) as never)) });
    }
    if (head === 'payments' && rest.length === 2 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.paymentsRead);
      return envelope({ Payments: [store.paymentWire(store.payment(b as string))] });
    }
    if (head === 'creditnotes' && rest.length === 1 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.invoicesRead);
      const all = listIds('creditNotes', store, store.versions.creditNotes, () => store.creditNotes.values(), store.creditNoteFields, params, sinceOf(req), { key: '', pred: null });
      const { slice, pagination } = paged(all, params);
      return envelope({ ...(pagination ? { pagination } : {}), CreditNotes: slice.map((id) => store.creditNoteWire(store.creditNotes.get(id) as never, pagination !== null)) });
    }
    if (head === 'creditnotes' && rest.length === 2 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.invoicesRead);
      return envelope({ CreditNotes: [store.creditNoteWire(store.creditNote(b as string))] });
    }
    if (head === 'invoicereminders' && rest.length === 2 && b?.toLowerCase() === 'settings' && method === 'GET') {
      needScope(scopes, SCOPE_SETS.settingsRead);
      return envelope({ InvoiceReminders: [{ Enabled: store.remindersEnabled }] });
    }
    if (head === 'organisation' && rest.length === 1 && method === 'GET') {
      needScope(scopes, SCOPE_SETS.settingsRead);
      return envelope({
        Organisations: [{ OrganisationID: store.opts.tenantId, Name: store.opts.tenantName, LegalName: store.opts.tenantName, BaseCurrency: 'USD', CountryCode: 'US', Timezone: 'UTC', OrganisationType: 'COMPANY', OrganisationStatus: 'ACTIVE', Class: opts.tier === 'starter' ? 'STARTER' : 'STANDARD', Edition: 'BUSINESS' }],
      });
    }
    throw notFound();
  };

  // ---- rate limits ---------------------------------------------------------------------------

  const windowsFor = (tenantId: string): Windows => {
    let w = windows.get(tenantId);
    if (!w) windows.set(tenantId, (w = { minute: [], day: [], inFlight: 0 }));
    return w;
  };
  const prune = (w: Windows, now: number): void => {
    while (w.minute.length > 0 && (w.minute[0] as number) <= now - 60_000) w.minute.shift();
    while (w.day.length > 0 && (w.day[0] as number) <= now - 86_400_000) w.day.shift();
    while (appWindow.length > 0 && (appWindow[0] as number) <= now - 60_000) appWindow.shift();
  };
  const limitHeaders = (w: Windows): Record<string, string> => ({
    'X-MinLimit-Remaining': String(Math.max(0, limits.perMinute - w.minute.length)),
    'X-DayLimit-Remaining': String(Math.max(0, limits.perDay - w.day.length)),
    'X-AppMinLimit-Remaining': String(Math.max(0, limits.appPerMinute - appWindow.length)),
  });
  const throttled = (w: Windows, problemKind: 'minute' | 'day' | 'concurrent' | 'appminute', retryAfter: number): Reply => ({
    status: 429,
    body: RATE_BODY,
    contentType: 'text/plain; charset=utf-8',
    headers: { ...limitHeaders(w), 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))), 'X-Rate-Limit-Problem': problemKind },
  });

  // ---- dispatch ------------------------------------------------------------------------------


  const accounting = async (req: IncomingMessage, res: ServerResponse, entry: XeroRequestLogEntry, path: string, params: URLSearchParams): Promise<void> => {
    const check = identity.checkAccess(req.headers.authorization);
    if (!check.ok) return writeReply(res, entry, authProblem(401, check.detail));
    const tenantHeader = req.headers['xero-tenant-id'];
    const tenantId = typeof tenantHeader === 'string' ? tenantHeader.trim().toLowerCase() : '';
    if (tenantId) entry.tenantId = tenantId;
    const store = stores.get(tenantId);
    if (!tenantId || !store || !identity.isConnected(tenantId)) return writeReply(res, entry, authProblem(403, 'AuthenticationUnsuccessful'));

    const w = windowsFor(tenantId);
    if (rl) {
      const now = rateNow();
      prune(w, now);
      let hit: Reply | null = null;
      if (w.day.length >= limits.perDay) hit = throttled(w, 'day', ((w.day[0] as number) + 86_400_000 - now) / 1000);
      else if (appWindow.length >= limits.appPerMinute) hit = throttled(w, 'appminute', ((appWindow[0] as number) + 60_000 - now) / 1000);
      else if (w.minute.length >= limits.perMinute) hit = throttled(w, 'minute', ((w.minute[0] as number) + 60_000 - now) / 1000);
      else if (w.inFlight >= limits.concurrent) hit = throttled(w, 'concurrent', 1);
      if (hit) {
        entry.fault = hit.headers?.['X-Rate-Limit-Problem'] as XeroRequestLogEntry['fault'];
        return writeReply(res, entry, hit);
      }
      w.minute.push(now);
      w.day.push(now);
      appWindow.push(now);
    }
    w.inFlight++;
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        w.inFlight--;
      }
    };
    res.once('close', release);
    try {
      let injected: XeroFaultKind | null = null;
      if (faults.pathPattern.test(path)) {
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
        injected = pickFault(faults, faultRng);
        if (injected) entry.fault = injected;
        if (await transportFault(injected, req, res)) return;
        switch (injected) {
          case '429':
            return writeReply(res, entry, throttled(w, 'minute', 60));
          case '429-day':
            return writeReply(res, entry, throttled(w, 'day', 3600));
          case '500':
            return writeReply(res, entry, json(500, { ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.' }), limitHeaders(w));
          case '503':
            return writeReply(res, entry, { status: 503, body: 'The Xero API is temporarily unavailable', contentType: 'text/plain; charset=utf-8' }, limitHeaders(w));
          case '401':
            return writeReply(res, entry, authProblem(401, 'TokenExpired: token expired at 01/01/2001 00:00:00'));
          default:
            break;
        }
      }
      const rest = path.slice(ACCOUNTING.length).split('/').filter(Boolean);
      const method = req.method ?? 'GET';
      const key = req.headers['idempotency-key'];
      const replayKey = (method === 'PUT' || method === 'POST') && typeof key === 'string' && key !== '' ? `${tenantId}|${key}` : null;
      if (replayKey !== null && typeof key === 'string' && key.length > 128) {
        return writeReply(res, entry, fromError(validation(['The Idempotency-Key header must be 128 characters or fewer'])), limitHeaders(w));
      }
      let reply = replayKey !== null ? replays.get(replayKey) : undefined;
      if (!reply) {
        try {
          reply = await accountingRoutes(req, store, rest, params, check.grant.scopes);
        } catch (e) {
          if (!(e instanceof XeroApiError)) throw e;
          reply = fromError(e);
          if (e.status === 401) reply.headers = { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' };
        }
        if (replayKey !== null && reply.status < 500) replays.set(replayKey, reply);
      }
      if (injected === 'dropAfterCommit') {
        req.socket.destroy();
        return;
      }
      writeReply(res, entry, reply, limitHeaders(w));
    } finally {
      if (res.writableEnded || res.destroyed) release();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsed.pathname;
    const params = parsed.searchParams;
    const entry: XeroRequestLogEntry = { method: req.method ?? 'GET', path, query: Object.fromEntries(params) };
    log.push(entry);
    try {
      if (path === ACCOUNTING || path.startsWith(`${ACCOUNTING}/`)) return await accounting(req, res, entry, path, params);
      let reply: Reply | null = null;
      if (path.startsWith('/identity/')) {
        try {
          reply = await identityRoutes(req, path.slice('/identity'.length), params);
        } catch (e) {
          if (e instanceof OAuthError) reply = json(e.status, e.body);
          else throw e;
        }
      } else if (path === '/connections' || path.startsWith('/connections/')) {
        reply = connectionRoutes(req, path.split('/').filter(Boolean).slice(1), params);
      } else if (req.method === 'GET' && path.startsWith('/online/')) {
        const id = path.slice('/online/'.length);
        const inv = [...stores.values()].map((s) => s.invoices.get(id)).find(Boolean);
        reply = inv ? html(200, `Invoice ${inv.number}: ${(inv.totalCents - inv.paidCents - inv.creditedCents) / 100} ${inv.currency} due`) : html(404, 'No such invoice');
      }
      writeReply(res, entry, reply ?? fromError(notFound()));
    } catch (e) {
      if (e instanceof XeroApiError) return writeReply(res, entry, fromError(e));
      console.error('xero emulator:', e);
      writeReply(res, entry, json(500, { ErrorNumber: 500, Type: 'UnknownErrorException', Message: String((e as Error)?.stack ?? e) }));
    }
  };

  const listening = await listenLoopback(opts.port ?? 0, handle);
  const port = listening.port;
  url = listening.url;
  const identityBase = `${url}/identity`;
  identity.issuer = identityBase;

  const orgApi = (tenantId: string): XeroOrg => {
    const s = storeFor(tenantId);
    return {
      tenantId: s.opts.tenantId,
      tenantName: s.opts.tenantName,
      createContact: (input) => s.contactWire(s.createContact(input)),
      updateContact: (id, patch) => s.contactWire(s.updateContact(id, patch)),
      createInvoice: (input) => s.invoiceWire(s.createInvoice(input)),
      payInvoice: (id, o) => s.paymentWire(s.payInvoice(id, o)),
      creditInvoice: (id, o) => s.creditNoteWire(s.creditInvoice(id, o)),
      createCreditNote: (contactId, o) => s.creditNoteWire(s.createCreditNote(contactId, o)),
      authoriseInvoice: (id) => s.invoiceWire(s.authoriseInvoice(id)),
      voidInvoice: (id) => s.invoiceWire(s.voidInvoice(id)),
      deleteInvoice: (id) => s.invoiceWire(s.deleteInvoice(id)),
      deletePayment: (id) => s.paymentWire(s.deletePayment(id)),
      invoice: (id) => {
        const r = s.invoices.get(id.toLowerCase());
        return r ? s.invoiceWire(r) : undefined;
      },
      contact: (id) => {
        const r = s.contacts.get(id.toLowerCase());
        return r ? s.contactWire(r) : undefined;
      },
      payment: (id) => {
        const r = s.payments.get(id.toLowerCase());
        return r ? s.paymentWire(r) : undefined;
      },
      creditNote: (id) => {
        const r = s.creditNotes.get(id.toLowerCase());
        return r ? s.creditNoteWire(r) : undefined;
      },
      history: (invoiceId) => [...s.invoice(invoiceId).history].reverse().map((h) => ({ ...h })),
      snapshot: () => s.snapshot(),
      idForDemo: (ext) => s.demoIds.get(ext),
      setInvoiceReminders: (enabled) => {
        s.remindersEnabled = enabled;
      },
    };
  };
  const first = orgApi((tenants[0] as { id: string }).id);

  return {
    ...first,
    url,
    port,
    apiBase: url,
    accountingBase: `${url}${ACCOUNTING}`,
    identityBase,
    endpoints: {
      discovery: `${identityBase}/.well-known/openid-configuration`,
      authorize: `${identityBase}/connect/authorize`,
      token: `${identityBase}/connect/token`,
      revocation: `${identityBase}/connect/revocation`,
      userinfo: `${identityBase}/connect/userinfo`,
      jwks: `${identityBase}/.well-known/openid-configuration/jwks`,
      connections: `${url}/connections`,
    },
    clientId,
    tenantIds: tenants.map((t) => t.id),
    org: orgApi,
    requests: requestLog(log),
    faults,
    outbox,
    now: () => new Date(clock.nowMs()),
    today: () => clock.date(),
    advanceClock: (ms) => clock.advance(ms),
    setNow: (t) => clock.set(toMs(t)),
    issueTokens: (o = {}) => identity.connect((o.scope ?? XERO_GRANULAR_SCOPES).split(' ').filter(Boolean), o.tenants ?? tenants.map((t) => t.id)),
    expireAccessTokens: () => identity.expireAccessTokens(),
    revokeAll: () => identity.revokeAll(),
    connections: () => identity.connections.map(({ grantId: _g, ...c }) => ({ ...c })),
    resetRateLimits: () => {
      windows.clear();
      appWindow.length = 0;
    },
    close: () => listening.close(),
  };
}
