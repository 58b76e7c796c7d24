// A QuickBooks Online emulator for the sync tests and the bench: node:http on 127.0.0.1, faithful
// to shared/reference/ledger-apis.md §0–1 and §3 (OAuth with rotating refresh tokens, query
// language, CDC with tombstones and its limits, entity JSON, sparse updates with SyncToken,
// requestid replay, /send, the A/R aging report, the 401 lowercase body, throttling) plus fault
// injection. Deterministic: data, tokens, intuit_tid values and injected faults all come from
// the seed, and the emulator's clock only moves when told to (or with every write).
//
//   const qbo = await startQboServer({ today: '2025-06-15', invoices: 60 });
//   fetch(`${qbo.apiBase}/v3/company/${qbo.realmId}/query?query=…`, { headers: { Authorization: `Bearer …`, Accept: 'application/json' } })
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { IsoDate } from '../../src/shared/dates';
import { DEMO_DEFAULT_INVOICES, DEMO_DEFAULT_SEED } from '../../src/main/core/connectors/demo/generate';
import { createRng, type Rng } from '../../src/main/core/connectors/demo/prng';
import { tinyPdf } from './pdf';
import { htmlReply, listenLoopback, pickFault, readBody as readBodyUpTo, redirectReply, requestLog, transportFault, writeReply, type Reply, type RequestLog } from './http';
import { corruptInvoices, type QboCorruption } from './qbo/corrupt';
import { faults as qboFaults, lowercaseAuthFault, QboError } from './qbo/faults';
import { OAuthAuthority, OAuthError, SCOPES } from './qbo/oauth';
import { runQuery } from './qbo/query';
import { agedReceivablesReport, computeAging, type AgingRow } from './qbo/report';
import { ENTITIES, QboStore, type CreditOptions, type NewCustomer, type NewInvoice, type PayOptions } from './qbo/store';
import { CompanyClock, toMs, type Instant } from './qbo/time';
import {
  MONEY_KEYS,
  type QboCreditMemo,
  type QboCustomer,
  type QboDeleted,
  type QboEntityMap,
  type QboEntityName,
  type QboInvoice,
  type QboPayment,
  type QboSnapshot,
  type QboTokenResponse,
} from './qbo/types';

export type * from './qbo/types';
export type { AgingRow, CreditOptions, Instant, NewCustomer, NewInvoice, PayOptions };
export type { QboCorruption };

export const QBO_CDC_MAX_OBJECTS = 1000;
export const QBO_CDC_LOOKBACK_DAYS = 30;
export const QBO_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** An injected failure: 429/500/503 Fault bodies, the 401 expired-token body, a request that never
 * answers, a socket destroyed before processing, or one destroyed after a write was committed. */
export type QboFaultKind = '429' | '500' | '503' | '401' | 'timeout' | 'drop' | 'dropAfterCommit';

export interface QboFaults {
  /** The authorize endpoint redirects with error=access_denied. */
  denyConsent: boolean;
  /** Added before every matching request is processed. */
  latencyMs: number;
  /** Probabilities (0–1) per matching request, drawn from the seeded generator. */
  throttleRate: number;
  serverErrorRate: number;
  timeoutRate: number;
  dropRate: number;
  /** Faults for the next matching requests, in order (taken before the probabilities). */
  queue: QboFaultKind[];
  /** Which request paths the latency and faults apply to (default: the API, /v3/…). */
  pathPattern: RegExp;
  /** Undocumented for QBO, so off by default: a Retry-After header (seconds) on 429s. */
  retryAfterSeconds: number | null;
}

export interface QboRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Status sent; undefined for timeouts and dropped connections. */
  status?: number;
  /** The injected fault, if any. */
  fault?: QboFaultKind | 'throttled';
}

export interface QboServerOptions {
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  port?: number;
  realmId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URIs; when given, authorize refuses any other (exact match). */
  redirectUris?: string[];
  /** 'production' also refuses http:// and IP-address redirect URIs (§1.1). Default 'sandbox'. */
  environment?: 'sandbox' | 'production';
  /** Seeds the demo data, tokens, intuit_tid values and fault draws. Default 7 (the demo's). */
  seed?: number;
  /** Demo size in invoices (about one customer per 15). Default 900. */
  invoices?: number;
  /** At least this many customers: the demo's, padded with idle ones (no transactions, 10 % inactive).
   * The bench's company is { invoices: 50_000, customers: 5_000 }. */
  customers?: number;
  /** Start with no customers or transactions. */
  empty?: boolean;
  /** The company's "today" (default: the date of `now`). */
  today?: IsoDate;
  /** The emulator's start instant (default: `today` at 17:00 company time, else the wall clock). */
  now?: Instant;
  /** The company's time zone (MetaData offsets follow it). Default America/Los_Angeles. */
  timeZone?: string;
  /** Let emulator time flow with the wall clock too. Default false (time moves only when told). */
  realTime?: boolean;
  /** How far every write moves the clock. Default 1000 ms. */
  tickMs?: number;
  /** QBO's limits per realm: 500 requests per minute (wall clock) and 10 in flight. */
  rateLimit?: { perMinute?: number; concurrent?: number } | false;
  faults?: Partial<QboFaults>;
  companyName?: string;
  /** Rates to the home currency (USD) for foreign-currency customers. */
  exchangeRates?: Record<string, number>;
  /** AllowOnline*Payment and InvoiceLink (with ?include=invoiceLink). Default true. */
  onlinePayments?: boolean;
}

export interface QboOutboxEntry {
  invoiceId: string;
  docNumber: string;
  to: string;
  at: string;
}

export interface QboServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** API paths are `${apiBase}/v3/company/${realmId}/…`. */
  apiBase: string;
  /** OAuth endpoints live beneath it (see `endpoints`). */
  oauthBase: string;
  endpoints: { authorize: string; token: string; revoke: string; userinfo: string; jwks: string; discovery: string };
  realmId: string;
  clientId: string;
  clientSecret: string;
  requests: RequestLog<QboRequestLogEntry>;
  /** Mutable knobs; changes apply to the next request. */
  faults: QboFaults;
  /** Every invoice email sent through /send. */
  outbox: QboOutboxEntry[];

  // clock
  now(): Date;
  /** The company's date today. */
  today(): IsoDate;
  /** A `time`-style stamp of now, e.g. 2025-06-15T17:00:00.000-07:00. */
  stamp(): string;
  advanceClock(ms: number): void;
  setNow(t: Instant): void;

  // tokens
  /** Tokens for a new grant without the browser dance. Default scope: accounting. */
  issueTokens(opts?: { scope?: string; hardExpiry?: boolean }): QboTokenResponse;
  /** Every access token issued so far expires now (API answers 401). */
  expireAccessTokens(): void;
  /** Every grant so far is revoked, as when the owner disconnects the app at Intuit. */
  revokeAll(): void;

  // data (each write moves the clock one tick and stamps MetaData.LastUpdatedTime)
  createCustomer(input: NewCustomer): QboCustomer;
  updateCustomer(id: string, patch: Partial<QboCustomer>): QboCustomer;
  createInvoice(input: NewInvoice): QboInvoice;
  updateInvoice(id: string, patch: Partial<QboInvoice>): QboInvoice;
  payInvoice(id: string, opts?: PayOptions): QboPayment;
  creditInvoice(id: string, opts?: CreditOptions): { creditMemo: QboCreditMemo; payment: QboPayment };
  voidInvoice(id: string): QboInvoice;
  deleteInvoice(id: string): void;
  deletePayment(id: string): void;
  get<E extends QboEntityName>(entity: E, id: string): QboEntityMap[E] | undefined;
  snapshot(): QboSnapshot;
  /** The QBO Id given to a demo record (demo-cust-1, demo-inv-1001, demo-pay-3, demo-cn-1). */
  idForDemo(externalId: string): string | undefined;
  /** Per-customer aging in home-currency cents, as /reports/AgedReceivables computes it. */
  aging(reportDate?: IsoDate): AgingRow[];
  /** Serve this invoice damaged from now on (null heals it); the stored record and the report stay correct. */
  corruptInvoice(id: string, kind: QboCorruption | null): void;

  close(): Promise<void>;
}

// ---- wire helpers --------------------------------------------------------------------------

const MONEY_MARK = '\uE000';
const MONEY_RE = new RegExp(`"${MONEY_MARK}(-?\\d+\\.\\d{2})"`, 'g');

/** JSON with QBO's money formatting: amounts always carry two decimals (2400.00). */
export function qboJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (typeof v === 'number' && MONEY_KEYS.has(key) ? `${MONEY_MARK}${v.toFixed(2)}` : v)).replace(MONEY_RE, '$1');
}

const JSON_TYPE = 'application/json;charset=UTF-8';

function isIpHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

function readBody(req: IncomingMessage): Promise<string> {
  return readBodyUpTo(req, 5 * 1024 * 1024, () => new QboError(413, 'ValidationFault', { Message: 'Request too large', code: '2010' }));
}

const CDC_UNSUPPORTED = new Set(['journalcode', 'timeactivity', 'taxagency', 'taxcode', 'taxrate']);
const ENTITY_BY_PATH: Record<string, QboEntityName> = { customer: 'Customer', invoice: 'Invoice', payment: 'Payment', creditmemo: 'CreditMemo' };

// ---- the server ----------------------------------------------------------------------------

export async function startQboServer(opts: QboServerOptions = {}): Promise<QboServer> {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const realmId = opts.realmId ?? '9130355377154721';
  const clientId = opts.clientId ?? 'ABqboEmulatorClientId0123456789abcdefghijklmnopq';
  const clientSecret = opts.clientSecret ?? 'emulatorClientSecret0123456789abcdefghij';
  const timeZone = opts.timeZone ?? 'America/Los_Angeles';
  const clock = new CompanyClock(0, timeZone, opts.realTime ?? false);
  clock.set(opts.now !== undefined ? toMs(opts.now) : opts.today !== undefined ? clock.localToMs(opts.today, 17) : Date.now());
  if (opts.today !== undefined && opts.now !== undefined && clock.date() !== opts.today) {
    throw new RangeError(`now (${String(opts.now)}) is not on today (${opts.today}) in ${timeZone}`);
  }
  const store = new QboStore({
    clock,
    tickMs: opts.tickMs ?? 1000,
    companyName: opts.companyName ?? 'Juniper & Finch Print Studio',
    homeCurrency: 'USD',
    exchangeRates: { EUR: 1.08, GBP: 1.27, CAD: 0.73, AUD: 0.66, ...opts.exchangeRates },
    onlinePayments: opts.onlinePayments ?? true,
  });
  if (!opts.empty) store.seedDemo(seed, opts.invoices ?? DEMO_DEFAULT_INVOICES, opts.customers ?? 0);

  const faultRng: Rng = createRng((seed ^ 0xfa175eed) >>> 0);
  const tidRng: Rng = createRng((seed ^ 0x71d71d) >>> 0);
  const oauthCfg = { realmId, clientId, clientSecret, issuer: '' };
  const oauth = new OAuthAuthority(oauthCfg, () => clock.nowMs(), createRng((seed ^ 0x70c3e5) >>> 0));

  const faults: QboFaults = {
    denyConsent: false,
    latencyMs: 0,
    throttleRate: 0,
    serverErrorRate: 0,
    timeoutRate: 0,
    dropRate: 0,
    queue: [],
    pathPattern: /^\/v3\//,
    retryAfterSeconds: null,
    ...opts.faults,
  };
  const limits = opts.rateLimit === false ? null : { perMinute: opts.rateLimit?.perMinute ?? 500, concurrent: opts.rateLimit?.concurrent ?? 10 };
  const window: number[] = [];
  let inFlight = 0;
  const log: QboRequestLogEntry[] = [];
  const replays = new Map<string, Reply>();
  const outbox: QboOutboxEntry[] = [];
  let url = '';

  const tid = (): string => {
    const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(tidRng.next() * 16).toString(16)).join('');
    return `1-${hex(8)}-${hex(24)}`;
  };

  // ---- replies -------------------------------------------------------------------------------

  const corrupted = new Map<string, QboCorruption>();
  const api = (status: number, body: Record<string, unknown>): Reply => ({
    status,
    body: qboJson({ ...corruptInvoices(body, corrupted), time: clock.stamp() }),
    contentType: JSON_TYPE,
  });
  const fault = (e: QboError): Reply => {
    const r = api(e.status, e.body());
    if (e.status === 429 && faults.retryAfterSeconds !== null) r.headers = { 'Retry-After': String(faults.retryAfterSeconds) };
    return r;
  };
  const plainJson = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body), contentType: JSON_TYPE });
  const authFault = (kind: 'expired' | 'invalid' | 'forbidden', detail: string): Reply => ({
    status: kind === 'forbidden' ? 403 : 401,
    body: JSON.stringify(lowercaseAuthFault(kind, detail, clock.nowMs())),
    contentType: JSON_TYPE,
    ...(kind === 'forbidden' ? {} : { headers: { 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' } }),
  });
  const html = (status: number, text: string): Reply => htmlReply(status, 'Intuit (emulator)', text, 'text/html;charset=UTF-8');

  // ---- OAuth -----------------------------------------------------------------------------------

  const oauthRoutes = async (req: IncomingMessage, path: string, params: URLSearchParams): Promise<Reply | null> => {
    const sub = path.slice('/oauth'.length);
    const method = req.method ?? 'GET';
    if (method === 'GET' && sub === '/connect/oauth2') {
      const redirect = params.get('redirect_uri') ?? '';
      if (params.get('client_id') !== clientId) return html(400, 'Invalid client_id: the app is not registered.');
      const target = URL.canParse(redirect) ? new URL(redirect) : null;
      const registered = opts.redirectUris ? opts.redirectUris.includes(redirect) : true;
      const prodRefused = opts.environment === 'production' && target !== null && (target.protocol !== 'https:' || isIpHost(target.hostname));
      if (!target || !registered || prodRefused) {
        return html(400, "The redirect_uri query parameter value is invalid. Make sure it is listed in the Redirect URIs section on your app's keys tab and matches it exactly.");
      }
      const back = (extra: Record<string, string>): Reply => redirectReply(redirect, params.get('state'), extra);
      if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
      const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
      if (scopes.length === 0 || scopes.some((s) => !SCOPES.has(s))) return back({ error: 'invalid_scope' });
      if (faults.denyConsent) return back({ error: 'access_denied' });
      const code = oauth.issueCode({ clientId, redirectUri: redirect, scopes });
      return back({ code, realmId });
    }
    if (method === 'POST' && sub === '/oauth2/v1/tokens/bearer') {
      const form = new URLSearchParams(await readBody(req));
      if (!/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
        return plainJson(400, { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
      }
      const basic = req.headers.authorization;
      if (basic) oauth.checkClient(basic);
      else oauth.checkClient(`Basic ${Buffer.from(`${form.get('client_id') ?? ''}:${form.get('client_secret') ?? ''}`).toString('base64')}`);
      const hardExpiry = String(req.headers['x-include-refresh-token-hard-expires-in'] ?? '').toLowerCase() === 'true';
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') return plainJson(200, oauth.exchangeCode(form.get('code') ?? undefined, form.get('redirect_uri') ?? undefined, { hardExpiry }));
      if (grant === 'refresh_token') return plainJson(200, oauth.refresh(form.get('refresh_token') ?? undefined, { hardExpiry }));
      return plainJson(400, { error: 'unsupported_grant_type' });
    }
    if (method === 'POST' && sub === '/v2/oauth2/tokens/revoke') {
      oauth.checkClient(req.headers.authorization);
      const text = await readBody(req);
      let token: string | undefined;
      if (/json/i.test(req.headers['content-type'] ?? '')) {
        try {
          token = (JSON.parse(text) as { token?: string }).token;
        } catch {
          return plainJson(400, { error: 'invalid_request', error_description: 'Body is not JSON' });
        }
      } else token = new URLSearchParams(text).get('token') ?? undefined;
      oauth.revoke(token);
      return { status: 200, body: '' };
    }
    if (method === 'GET' && sub === '/v1/openid_connect/userinfo') {
      const check = oauth.checkAccess(req.headers.authorization);
      if (!check.ok) return plainJson(401, { error: 'invalid_token' });
      if (!check.scopes.includes('openid')) return plainJson(403, { error: 'insufficient_scope' });
      const s = new Set(check.scopes);
      return plainJson(200, {
        sub: 'emulator-user',
        ...(s.has('email') ? { email: 'owner@juniperfinch.example', emailVerified: true } : {}),
        ...(s.has('profile') ? { givenName: 'Jamie', familyName: 'Finch' } : {}),
        ...(s.has('phone') ? { phoneNumber: '+1 555-0100', phoneNumberVerified: false } : {}),
        ...(s.has('address') ? { address: { streetAddress: '410 Alder St', locality: 'Portland', region: 'OR', postalCode: '97204', country: 'US' } } : {}),
      });
    }
    if (method === 'GET' && sub === '/op/v1/jwks') return plainJson(200, oauth.jwks());
    if (method === 'GET' && (sub === '/.well-known/openid_configuration' || sub === '/.well-known/openid_sandbox_configuration')) {
      return plainJson(200, {
        issuer: oauthCfg.issuer,
        authorization_endpoint: endpoints.authorize,
        token_endpoint: endpoints.token,
        userinfo_endpoint: endpoints.userinfo,
        revocation_endpoint: endpoints.revoke,
        jwks_uri: endpoints.jwks,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile', 'address', 'phone'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
      });
    }
    return null;
  };

  // ---- the accounting API ----------------------------------------------------------------------

  const invoiceLink = (id: string): string => `${url}/portal/invoice/${realmId}/${id}`;
  const decorator = (params: URLSearchParams) => {
    const include = (params.get('include') ?? '').split(',').map((s) => s.trim().toLowerCase());
    return (entity: string, obj: object): object =>
      entity === 'Invoice' && include.includes('invoicelink') && (obj as QboInvoice).AllowOnlineCreditCardPayment
        ? { ...obj, InvoiceLink: invoiceLink((obj as QboInvoice).Id) }
        : obj;
  };

  const parseJsonBody = (text: string): Record<string, unknown> => {
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw qboFaults.invalid('The request body is not a JSON object', 'body');
  };

  const needIdAndToken = (body: Record<string, unknown>): { id: string; syncToken: string } => {
    if (body.Id === undefined || body.Id === null || body.Id === '') throw qboFaults.missing('Id');
    if (body.SyncToken === undefined || body.SyncToken === null || body.SyncToken === '') throw qboFaults.missing('SyncToken');
    return { id: String(body.Id), syncToken: String(body.SyncToken) };
  };

  const cdc = (params: URLSearchParams): Reply => {
    const entitiesParam = params.get('entities');
    const since = params.get('changedSince');
    if (!entitiesParam) throw qboFaults.missing('entities');
    if (!since) throw qboFaults.missing('changedSince');
    const sinceMs = clock.parse(since);
    if (sinceMs === null) throw qboFaults.invalid(`changedSince ${since} is not a date or date-time (ISO-8601)`, 'changedSince');
    const now = clock.nowMs();
    if (sinceMs < now - QBO_CDC_LOOKBACK_DAYS * 86_400_000) {
      throw qboFaults.invalid(`Operation cdc with changedSince date ${since} which is older than fixed days is not supported. changedSince must be within the last ${QBO_CDC_LOOKBACK_DAYS} days.`, 'changedSince');
    }
    const requested: QboEntityName[] = [];
    for (const raw of entitiesParam.split(',').map((s) => s.trim()).filter(Boolean)) {
      const lower = raw.toLowerCase();
      if (CDC_UNSUPPORTED.has(lower)) throw qboFaults.invalid(`CDC is not supported for ${raw}`, 'entities');
      const e = ENTITIES.find((x) => x.toLowerCase() === lower);
      if (!e) throw qboFaults.invalid(`Unknown or unsupported entity ${raw}`, 'entities');
      if (!requested.includes(e)) requested.push(e);
    }
    // All changes in the window, oldest first; the cap keeps the oldest 1000 across entities.
    type Change = { entity: QboEntityName; ms: number; order: number; obj: object; deleted: boolean };
    const changes: Change[] = [];
    requested.forEach((entity, order) => {
      for (const rec of store.table(entity).values()) if (rec.updatedMs >= sinceMs) changes.push({ entity, ms: rec.updatedMs, order, obj: rec.obj, deleted: false });
      for (const t of store.tombstones) {
        if (t.entity !== entity || t.deletedMs < sinceMs) continue;
        const reduced: QboDeleted = { status: 'Deleted', domain: 'QBO', Id: t.Id, MetaData: { LastUpdatedTime: t.deletedAt } };
        changes.push({ entity, ms: t.deletedMs, order, obj: reduced, deleted: true });
      }
    });
    changes.sort((a, b) => a.ms - b.ms || a.order - b.order || Number(a.deleted) - Number(b.deleted));
    const kept = changes.slice(0, QBO_CDC_MAX_OBJECTS);
    const groups: Record<string, unknown>[] = [];
    for (const entity of requested) {
      const mine = kept.filter((c) => c.entity === entity);
      if (mine.length === 0) continue;
      const objs = [...mine.filter((c) => !c.deleted), ...mine.filter((c) => c.deleted)].map((c) => c.obj);
      groups.push({ [entity]: objs, startPosition: 1, maxResults: objs.length, totalCount: objs.length });
    }
    return api(200, { CDCResponse: [{ QueryResponse: groups }] });
  };

  const entityReply = <E extends QboEntityName>(entity: E, obj: QboEntityMap[E], params: URLSearchParams): Reply =>
    api(200, { [entity]: decorator(params)(entity, obj) });

  const apiRoutes = async (req: IncomingMessage, rest: string[], params: URLSearchParams): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const [a = '', b, c] = rest.map((s) => decodeURIComponent(s));
    const head = a.toLowerCase();
    if (head === 'query' && rest.length === 1) {
      let text: string | null;
      if (method === 'GET') text = params.get('query');
      else if (method === 'POST') {
        const type = req.headers['content-type'] ?? '';
        if (!/^(application\/text|text\/plain)/i.test(type)) throw qboFaults.invalid('POST a query with Content-Type: application/text', 'Content-Type');
        text = await readBody(req);
      } else throw qboFaults.unsupported(method, `/query`);
      if (!text || !text.trim()) throw qboFaults.queryParse('Encountered " <EOF> " at line 1, column 1.\nWas expecting:\n    "select" ...');
      return api(200, runQuery(text, store, decorator(params)) as unknown as Record<string, unknown>);
    }
    if (head === 'cdc' && rest.length === 1 && method === 'GET') return cdc(params);
    if (head === 'companyinfo' && rest.length === 2 && method === 'GET') {
      if (b !== realmId && b !== store.companyInfo.Id) throw qboFaults.notFound('CompanyInfo', String(b));
      return api(200, { CompanyInfo: store.companyInfo });
    }
    if (head === 'preferences' && rest.length === 1 && method === 'GET') {
      return api(200, {
        Preferences: {
          Id: '1',
          SyncToken: '0',
          domain: 'QBO',
          sparse: false,
          CurrencyPrefs: { MultiCurrencyEnabled: true, HomeCurrency: { value: store.homeCurrency() } },
          SalesFormsPrefs: { AllowOnlinePayment: opts.onlinePayments ?? true, DefaultTerms: { value: '3' } },
          MetaData: store.companyInfo.MetaData,
        },
      });
    }
    if (head === 'reports' && rest.length === 2 && method === 'GET' && b?.toLowerCase() === 'agedreceivables') {
      return { status: 200, body: JSON.stringify(agedReceivablesReport(store, params)), contentType: JSON_TYPE };
    }
    const entity = ENTITY_BY_PATH[head];
    if (entity && method === 'GET' && rest.length === 2 && b) {
      return entityReply(entity, store.find(entity, b).obj, params);
    }
    if (head === 'invoice' && method === 'GET' && rest.length === 3 && b && c?.toLowerCase() === 'pdf') {
      // The invoice as QBO prints it (Accept: application/pdf); a missing invoice is the usual 610.
      const inv = store.find('Invoice', b).obj;
      return { status: 200, body: tinyPdf(`Invoice ${inv.DocNumber}`), contentType: 'application/pdf' };
    }
    if (head === 'invoice' && method === 'POST' && rest.length === 3 && b && c?.toLowerCase() === 'send') {
      const to = params.get('sendTo') ?? undefined;
      const inv = store.sendInvoice(b, to);
      outbox.push({ invoiceId: inv.Id, docNumber: inv.DocNumber, to: inv.BillEmail?.Address ?? '', at: inv.DeliveryInfo?.DeliveryTime ?? '' });
      return entityReply('Invoice', inv, params);
    }
    if (head === 'invoice' && method === 'POST' && rest.length === 1) {
      const body = parseJsonBody(await readBody(req));
      const op = (params.get('operation') ?? 'update').toLowerCase();
      if (op === 'delete') {
        const { id, syncToken } = needIdAndToken(body);
        store.deleteInvoice(id, syncToken);
        return api(200, { Invoice: { status: 'Deleted', domain: 'QBO', Id: id } });
      }
      if (op === 'void') {
        const { id, syncToken } = needIdAndToken(body);
        return entityReply('Invoice', store.voidInvoice(id, syncToken), params);
      }
      if (op !== 'update' && op !== 'create') throw qboFaults.invalid(`Unsupported operation ${op}`, 'operation');
      if (body.Id === undefined) {
        const ref = body.CustomerRef as { value?: unknown } | undefined;
        if (!ref?.value) throw qboFaults.missing('CustomerRef');
        const lines = Array.isArray(body.Line) ? (body.Line as { Amount?: unknown; DetailType?: unknown; Description?: unknown }[]) : [];
        const sales = lines.filter((l) => l.DetailType !== 'SubTotalLineDetail');
        if (sales.length === 0) throw qboFaults.missing('Line');
        const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
        const memo = (body.CustomerMemo as { value?: string } | undefined)?.value;
        const email = (body.BillEmail as { Address?: string } | undefined)?.Address;
        const created = store.createInvoice({
          customerId: String(ref.value),
          lines: sales.map((l) => ({ amount: Number(l.Amount), ...(typeof l.Description === 'string' ? { description: l.Description } : {}) })),
          ...(str('TxnDate') ? { txnDate: str('TxnDate') } : {}),
          ...(str('DueDate') ? { dueDate: str('DueDate') } : {}),
          ...(str('DocNumber') ? { docNumber: str('DocNumber') } : {}),
          ...(str('PrivateNote') ? { privateNote: str('PrivateNote') } : {}),
          ...(memo ? { customerMemo: memo } : {}),
          ...(email ? { billEmail: email } : {}),
        });
        return entityReply('Invoice', created, params);
      }
      const { id, syncToken } = needIdAndToken(body);
      return entityReply('Invoice', store.updateInvoice(id, body as Partial<QboInvoice>, { sparse: body.sparse === true, expectSyncToken: syncToken }), params);
    }
    if (head === 'customer' && method === 'POST' && rest.length === 1) {
      const body = parseJsonBody(await readBody(req));
      if (body.Id === undefined) throw qboFaults.missing('Id');
      const { id, syncToken } = needIdAndToken(body);
      return entityReply('Customer', store.updateCustomer(id, body as Partial<QboCustomer>, { sparse: body.sparse === true, expectSyncToken: syncToken }), params);
    }
    if (head === 'payment' && method === 'POST' && rest.length === 1 && (params.get('operation') ?? '').toLowerCase() === 'delete') {
      const body = parseJsonBody(await readBody(req));
      const { id, syncToken } = needIdAndToken(body);
      if (store.find('Payment', id).obj.SyncToken !== syncToken) throw qboFaults.stale();
      store.deletePayment(id);
      return api(200, { Payment: { status: 'Deleted', domain: 'QBO', Id: id } });
    }
    throw qboFaults.unsupported(method, `/${rest.join('/')}`);
  };

  // ---- dispatch --------------------------------------------------------------------------------

  const write = (res: ServerResponse, entry: QboRequestLogEntry, reply: Reply, xml: boolean): void => {
    // QBO answers XML unless asked for JSON; the emulator only speaks JSON, so it says so.
    const answer: Reply =
      xml && reply.contentType === JSON_TYPE
        ? {
            ...reply,
            contentType: 'application/xml;charset=UTF-8',
            body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${clock.stamp()}"><!-- QBO emulator: send Accept: application/json to get JSON --></IntuitResponse>`,
          }
        : reply;
    writeReply(res, entry, answer);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsed.pathname;
    const params = parsed.searchParams;
    const entry: QboRequestLogEntry = { method: req.method ?? 'GET', path, query: Object.fromEntries(params) };
    log.push(entry);
    res.setHeader('intuit_tid', tid());

    const isApi = path.startsWith('/v3/');
    const xml = isApi && !/application\/json/i.test(String(req.headers.accept ?? ''));
    let counted = false;
    try {
      if (isApi && limits) {
        const nowWall = performance.now();
        while (window.length > 0 && (window[0] as number) <= nowWall - 60_000) window.shift();
        if (window.length >= limits.perMinute || inFlight >= limits.concurrent) {
          entry.fault = 'throttled';
          write(res, entry, fault(qboFaults.throttle()), xml);
          return;
        }
        window.push(nowWall);
      }
      if (isApi) {
        inFlight++;
        counted = true;
      }
      let injected: QboFaultKind | null = null;
      if (faults.pathPattern.test(path)) {
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
        injected = pickFault(faults, faultRng);
        if (injected) entry.fault = injected;
        if (await transportFault(injected, req, res)) return;
        switch (injected) {
          case '429':
            return write(res, entry, fault(qboFaults.throttle()), xml);
          case '500':
            return write(res, entry, fault(qboFaults.system()), xml);
          case '503':
            return write(res, entry, fault(qboFaults.unavailable()), xml);
          case '401':
            return write(res, entry, authFault('expired', 'Token expired: injected by the emulator'), xml);
          default:
            break;
        }
      }

      let reply: Reply | null;
      if (path === '/oauth' || path.startsWith('/oauth/')) {
        try {
          reply = await oauthRoutes(req, path, params);
        } catch (e) {
          if (e instanceof OAuthError) reply = plainJson(e.status, e.body);
          else throw e;
        }
      } else if (isApi) {
        reply = await apiRequest(req, path, params);
      } else if (req.method === 'GET' && path.startsWith(`/portal/invoice/${realmId}/`)) {
        const inv = store.invoices.get(path.split('/').pop() ?? '');
        reply = inv ? html(200, `Invoice ${inv.obj.DocNumber}: ${inv.obj.Balance.toFixed(2)} ${inv.obj.CurrencyRef.value} due ${inv.obj.DueDate}`) : html(404, 'No such invoice');
      } else reply = null;

      reply ??= { status: 404, body: 'Not found', contentType: 'text/plain' };
      if (injected === 'dropAfterCommit') {
        req.socket.destroy();
        return;
      }
      write(res, entry, reply, xml);
    } catch (e) {
      const reply = e instanceof QboError ? fault(e) : fault(new QboError(500, 'SystemFault', { Message: 'Emulator error', Detail: String((e as Error)?.stack ?? e), code: '10000' }));
      if (!(e instanceof QboError)) console.error('qbo emulator:', e);
      write(res, entry, reply, xml);
    } finally {
      if (counted) {
        if (res.writableEnded || res.destroyed) inFlight--;
        else res.once('close', () => inFlight--);
      }
    }
  };

  const apiRequest = async (req: IncomingMessage, path: string, params: URLSearchParams): Promise<Reply> => {
    const m = /^\/v3\/company\/([^/]+)\/(.+)$/.exec(path);
    const check = oauth.checkAccess(req.headers.authorization);
    if (!check.ok) {
      return check.kind === 'revoked' ? authFault('forbidden', check.detail) : authFault(check.kind, check.detail);
    }
    if (!m) return fault(qboFaults.unsupported(req.method ?? 'GET', path));
    if (m[1] !== check.realmId) return authFault('forbidden', `The token was issued for company ${check.realmId}, not ${m[1]}`);
    if (!check.scopes.includes(QBO_ACCOUNTING_SCOPE)) return authFault('forbidden', `The token lacks the ${QBO_ACCOUNTING_SCOPE} scope`);
    const rest = (m[2] as string).split('/').filter(Boolean);
    const requestId = params.get('requestid');
    const replayable = req.method === 'POST' && requestId !== null && rest[0]?.toLowerCase() !== 'query';
    if (replayable) {
      const prior = replays.get(requestId);
      if (prior) return prior;
    }
    let reply: Reply;
    try {
      reply = await apiRoutes(req, rest, params);
    } catch (e) {
      if (!(e instanceof QboError)) throw e;
      reply = fault(e);
    }
    if (replayable && reply.status !== 500) replays.set(requestId, reply);
    return reply;
  };

  const listening = await listenLoopback(opts.port ?? 0, handle);
  const port = listening.port;
  url = listening.url;
  const oauthBase = `${url}/oauth`;
  oauthCfg.issuer = `${oauthBase}/op/v1`;
  const endpoints = {
    authorize: `${oauthBase}/connect/oauth2`,
    token: `${oauthBase}/oauth2/v1/tokens/bearer`,
    revoke: `${oauthBase}/v2/oauth2/tokens/revoke`,
    userinfo: `${oauthBase}/v1/openid_connect/userinfo`,
    jwks: `${oauthBase}/op/v1/jwks`,
    discovery: `${oauthBase}/.well-known/openid_configuration`,
  };

  return {
    url,
    port,
    apiBase: url,
    oauthBase,
    endpoints,
    realmId,
    clientId,
    clientSecret,
    requests: requestLog(log),
    faults,
    outbox,
    now: () => new Date(clock.nowMs()),
    today: () => clock.date(),
    stamp: () => clock.stamp(),
    advanceClock: (ms) => clock.advance(ms),
    setNow: (t) => clock.set(toMs(t)),
    issueTokens: (o = {}) => oauth.connect((o.scope ?? QBO_ACCOUNTING_SCOPE).split(' ').filter(Boolean), { hardExpiry: o.hardExpiry ?? false }),
    expireAccessTokens: () => oauth.expireAccessTokens(),
    revokeAll: () => oauth.revokeAll(),
    createCustomer: (input) => store.createCustomer(input),
    updateCustomer: (id, patch) => store.updateCustomer(id, patch),
    createInvoice: (input) => store.createInvoice(input),
    updateInvoice: (id, patch) => store.updateInvoice(id, patch, { sparse: true }),
    payInvoice: (id, o) => store.payInvoice(id, o),
    creditInvoice: (id, o) => store.creditInvoice(id, o),
    voidInvoice: (id) => store.voidInvoice(id),
    deleteInvoice: (id) => void store.deleteInvoice(id),
    deletePayment: (id) => store.deletePayment(id),
    get: (entity, id) => {
      const rec = store.table(entity).get(String(id));
      return rec ? structuredClone(rec.obj) : undefined;
    },
    snapshot: () => store.snapshot(),
    idForDemo: (externalId) => store.demoIds.get(externalId),
    corruptInvoice: (id, kind) => {
      if (kind === null) corrupted.delete(id);
      else corrupted.set(id, kind);
    },
    aging: (reportDate) => [...computeAging(store, { reportDate: reportDate ?? clock.date() }).values()],
    close: () => listening.close(),
  };
}
