// The Xero Accounting API as Settle uses it (ledger-apis.md §2.2–2.10): paged listings with
// If-Modified-Since, one invoice, Email (204), History notes (250 characters), the online
// invoice link, InvoiceReminders/Settings, and the identity API's /connections. Every
// Accounting request carries `xero-tenant-id` and the bearer token from an injected source (one
// forced refresh after a 401). The HTTP function is injected so the sync limiter (sync/http.ts)
// can wrap it; every response's headers are shown to the limiter (X-MinLimit-Remaining,
// X-DayLimit-Remaining). Plain HTTP rather than xero-node's AccountingApi: xero-node sends
// through its own axios instance (the limiter could not see or pace it) and turns MS-JSON
// dates and amounts into Date objects and floats before we could read them exactly.
import { SettleError } from '../../../../shared/errors';
import { silentLogger, type Logger } from '../../ports';
import { fetchConnectorHttp } from '../../sync';
import type { XeroEntity } from './map';

export const XERO_PAGE_SIZE = 1000;
export const HISTORY_DETAILS_MAX = 250;
export const IDEMPOTENCY_KEY_MAX = 128;
export const XERO_API_BASE = 'https://api.xero.com';

export interface XeroHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Keep the body's bytes (the invoice PDF). */
  binary?: boolean;
}

export interface XeroHttpResponse {
  status: number;
  headers: Headers;
  body: string;
  bytes?: Uint8Array;
}

export type XeroHttp = (req: XeroHttpRequest) => Promise<XeroHttpResponse>;

/** Bare fetch (tests). */
export const fetchXeroHttp: XeroHttp = fetchConnectorHttp;

/**
 * Through the limiter's HttpClient (sync/http.ts), built WITHOUT `auth`. HttpClient already shows
 * every response to its limiter; do not pass `observe` as well then.
 */

export interface XeroClientOptions {
  /** API root (https://api.xero.com or SETTLE_XERO_API_BASE): /api.xro/2.0 and /connections live beneath it. */
  apiBase: string;
  tenantId: string;
  getAccessToken(): Promise<string>;
  /** Called once after a 401 with the refused token; returns the new one (or nothing: getAccessToken is asked again). */
  forceRefresh(rejectedToken: string): Promise<string | void>;
  /** The error to throw when the renewed token is refused too (e.g. TokenManager.markNeedsReconnect). */
  onRejected?(detail: string): Promise<Error> | Error;
  /** Limiter.observe: sees every response's headers (leave out when `http` is the limiter's HttpClient, which does it). */
  observe?(headers: Headers): void;
  http?: XeroHttp;
  logger?: Logger;
}

/** A Xero error response (ValidationException, 403 tenant, 404…). */
export class XeroApiError extends SettleError {
  constructor(
    readonly status: number,
    readonly xeroType: string | null,
    readonly detail: string,
    readonly validationErrors: string[] = [],
  ) {
    super(
      status === 404 ? 'not_found' : status === 403 ? 'unavailable' : status >= 500 || status === 429 ? 'unavailable' : 'invalid_input',
      status === 403
        ? `Xero refused access to this organisation (${detail}). It may have been disconnected; reconnect Xero in Settings → Connections.`
        : `Xero refused the request (HTTP ${status}): ${[detail, ...validationErrors].filter(Boolean).join('; ')}`,
    );
    this.name = 'XeroApiError';
  }
}

export class XeroAuthError extends SettleError {
  constructor() {
    super('unavailable', 'Xero refused the sign-in even after renewing it. Reconnect Xero in Settings → Connections.');
    this.name = 'XeroAuthError';
  }
}

export interface XeroPagination {
  page: number;
  pageSize: number;
  pageCount: number;
  itemCount: number;
}

export interface XeroListPage {
  entity: XeroEntity;
  rows: unknown[];
  pagination: XeroPagination | null;
  /** The envelope's DateTimeUTC (server time), when present. */
  serverTime: string | null;
}

export interface XeroListOptions {
  page?: number;
  pageSize?: number;
  /** ISO instant; sent as If-Modified-Since (UTC, whole seconds). */
  ifModifiedSince?: string | null;
  where?: string;
  order?: string;
  includeArchived?: boolean;
  signal?: AbortSignal;
}

export interface XeroConnection {
  id: string;
  authEventId: string | null;
  tenantId: string;
  tenantType: string;
  tenantName: string;
  createdDateUtc: string | null;
  updatedDateUtc: string | null;
}

/** If-Modified-Since value: UTC, whole seconds (floored, so nothing at the boundary is missed). */
export function ifModifiedSinceValue(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new SettleError('invalid_input', `Not an instant: ${iso}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

export function parseConnections(body: unknown): XeroConnection[] {
  if (!Array.isArray(body)) throw new SettleError('unavailable', 'Xero sent a list of organisations Settle could not read.');
  const out: XeroConnection[] = [];
  for (const c of body as Record<string, unknown>[]) {
    if (typeof c?.id !== 'string' || typeof c.tenantId !== 'string') continue;
    out.push({
      id: c.id,
      authEventId: typeof c.authEventId === 'string' ? c.authEventId : null,
      tenantId: c.tenantId,
      tenantType: typeof c.tenantType === 'string' ? c.tenantType : 'ORGANISATION',
      tenantName: typeof c.tenantName === 'string' && c.tenantName ? c.tenantName : c.tenantId,
      createdDateUtc: typeof c.createdDateUtc === 'string' ? c.createdDateUtc : null,
      updatedDateUtc: typeof c.updatedDateUtc === 'string' ? c.updatedDateUtc : null,
    });
  }
  return out;
}

export class XeroClient {
  private sent = 0;
  private readonly http: XeroHttp;
  private readonly logger: Logger;
  private readonly root: string;

  constructor(private readonly opts: XeroClientOptions) {
    this.http = opts.http ?? fetchXeroHttp;
    this.logger = opts.logger ?? silentLogger;
    this.root = opts.apiBase.replace(/\/+$/, '').replace(/\/api\.xro\/2\.0$/, '');
  }

  get tenantId(): string {
    return this.opts.tenantId;
  }

  /** Requests sent by this client (each retry after a 401 counts). */
  get requests(): number {
    return this.sent;
  }

  // ---- reads ----

  /** One page of a collection: GET /{Entity}?page=&pageSize=[&where=] with If-Modified-Since. */
  async list(entity: XeroEntity, o: XeroListOptions = {}): Promise<XeroListPage> {
    const params: Record<string, string> = {
      page: String(o.page ?? 1),
      pageSize: String(Math.min(XERO_PAGE_SIZE, Math.max(1, o.pageSize ?? XERO_PAGE_SIZE))),
    };
    if (o.where) params.where = o.where;
    if (o.order) params.order = o.order;
    if (o.includeArchived) params.includeArchived = 'true';
    const headers: Record<string, string> = {};
    if (o.ifModifiedSince) headers['if-modified-since'] = ifModifiedSinceValue(o.ifModifiedSince);
    const { json } = await this.accounting('GET', `/${entity}`, params, { headers, signal: o.signal });
    const body = (json ?? {}) as Record<string, unknown>;
    const rows = body[entity];
    const p = body.pagination as Record<string, unknown> | undefined;
    const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    return {
      entity,
      rows: Array.isArray(rows) ? rows : [],
      pagination: p && typeof p === 'object' ? { page: num(p.page), pageSize: num(p.pageSize), pageCount: num(p.pageCount), itemCount: num(p.itemCount) } : null,
      serverTime: typeof body.DateTimeUTC === 'string' ? body.DateTimeUTC : null,
    };
  }

  /** GET /Invoices/{id} (an array of one). */
  async getInvoice(id: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const { json } = await this.accounting('GET', `/Invoices/${encodeURIComponent(id)}`, {}, { signal });
    const list = (json as { Invoices?: unknown } | null)?.Invoices;
    const inv = Array.isArray(list) ? list[0] : undefined;
    if (typeof inv !== 'object' || inv === null) throw new XeroApiError(404, null, `Invoice ${id} was not found`);
    return inv as Record<string, unknown>;
  }

  /** GET /Invoices/{id} with Accept: application/pdf: the invoice as Xero prints it. */
  async invoicePdf(id: string, signal?: AbortSignal): Promise<Uint8Array> {
    const { bytes } = await this.accounting('GET', `/Invoices/${encodeURIComponent(id)}`, {}, { headers: { accept: 'application/pdf' }, signal });
    if (!bytes || bytes.byteLength === 0) throw new SettleError('unavailable', `Xero sent no PDF for invoice ${id}.`);
    return bytes;
  }

  /** GET /Invoices/{id}/OnlineInvoice: the customer-facing link; null when Xero has none (drafts). */
  async onlineInvoiceUrl(id: string, signal?: AbortSignal): Promise<string | null> {
    try {
      const { json } = await this.accounting('GET', `/Invoices/${encodeURIComponent(id)}/OnlineInvoice`, {}, { signal });
      const list = (json as { OnlineInvoices?: { OnlineInvoiceUrl?: unknown }[] } | null)?.OnlineInvoices;
      const url = Array.isArray(list) ? list[0]?.OnlineInvoiceUrl : undefined;
      return typeof url === 'string' && url ? url : null;
    } catch (err) {
      if (err instanceof XeroApiError && err.status === 400) return null;
      throw err;
    }
  }

  /** GET /InvoiceReminders/Settings: whether Xero's own reminders are on (so Settle does not chase twice). */
  async invoiceReminderSettings(signal?: AbortSignal): Promise<{ enabled: boolean }> {
    const { json } = await this.accounting('GET', '/InvoiceReminders/Settings', {}, { signal });
    const list = (json as { InvoiceReminders?: { Enabled?: unknown }[] } | null)?.InvoiceReminders;
    return { enabled: Array.isArray(list) && list.some((r) => r?.Enabled === true) };
  }

  /** GET /Organisation: the name, base currency and class (STARTER, STANDARD, …) of this tenant. */
  async organisation(signal?: AbortSignal): Promise<{ name: string | null; baseCurrency: string | null; orgClass: string | null }> {
    const { json } = await this.accounting('GET', '/Organisation', {}, { signal });
    const org = (json as { Organisations?: Record<string, unknown>[] } | null)?.Organisations?.[0];
    const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
    return { name: str(org?.Name), baseCurrency: str(org?.BaseCurrency), orgClass: str(org?.Class) };
  }

  // ---- writes (each with an Idempotency-Key, so a retry cannot send twice) ----

  /** POST /Invoices/{id}/Email with `{}`: Xero emails it with the org's template. Success is 204. */
  async emailInvoice(id: string, idempotencyKey: string, signal?: AbortSignal): Promise<void> {
    await this.accounting('POST', `/Invoices/${encodeURIComponent(id)}/Email`, {}, { body: '{}', idempotencyKey, signal });
  }

  /** PUT /Invoices/{id}/History with one note (at most 250 characters). */
  async addHistory(id: string, details: string, idempotencyKey: string, signal?: AbortSignal): Promise<{ details: string; dateUtc: string | null }> {
    const text = details.trim();
    if (!text) throw new SettleError('invalid_input', 'A note to Xero cannot be empty');
    if (text.length > HISTORY_DETAILS_MAX) {
      throw new SettleError('invalid_input', `A Xero history note is at most ${HISTORY_DETAILS_MAX} characters (this one has ${text.length}); shorten it`);
    }
    const { json } = await this.accounting('PUT', `/Invoices/${encodeURIComponent(id)}/History`, {}, {
      body: JSON.stringify({ HistoryRecords: [{ Details: text }] }),
      idempotencyKey,
      signal,
    });
    const rec = (json as { HistoryRecords?: Record<string, unknown>[] } | null)?.HistoryRecords?.[0];
    return { details: typeof rec?.Details === 'string' ? rec.Details : text, dateUtc: typeof rec?.DateUTC === 'string' ? rec.DateUTC : null };
  }

  // ---- the identity API: organisations this token reaches ----

  /** GET /connections[?authEventId=]: the organisations authorised (no tenant header). */
  async connections(authEventId?: string | null, signal?: AbortSignal): Promise<XeroConnection[]> {
    const qs = authEventId ? `?${new URLSearchParams({ authEventId }).toString()}` : '';
    const { json } = await this.send('GET', `${this.root}/connections${qs}`, {}, undefined, false, signal);
    const all = parseConnections(json);
    return authEventId ? all.filter((c) => c.authEventId === null || c.authEventId === authEventId) : all;
  }

  /** DELETE /connections/{id} (204): disconnects one organisation. A connection already gone is fine. */
  async deleteConnection(connectionId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.send('DELETE', `${this.root}/connections/${encodeURIComponent(connectionId)}`, {}, undefined, false, signal);
    } catch (err) {
      if (err instanceof XeroApiError && err.status === 404) return;
      throw err;
    }
  }

  // ---- plumbing ----

  private accounting(
    method: XeroHttpRequest['method'],
    path: string,
    params: Record<string, string>,
    o: { headers?: Record<string, string>; body?: string; idempotencyKey?: string; signal?: AbortSignal | undefined },
  ): Promise<{ status: number; json: unknown; bytes?: Uint8Array }> {
    const qs = new URLSearchParams(params).toString();
    const url = `${this.root}/api.xro/2.0${path}${qs ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { ...o.headers };
    if (o.idempotencyKey !== undefined) {
      if (!o.idempotencyKey || o.idempotencyKey.length > IDEMPOTENCY_KEY_MAX) {
        throw new SettleError('invalid_input', `An Idempotency-Key is 1 to ${IDEMPOTENCY_KEY_MAX} characters`);
      }
      headers['idempotency-key'] = o.idempotencyKey;
    }
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, url, headers, o.body, true, o.signal);
  }

  private async send(
    method: XeroHttpRequest['method'],
    url: string,
    extra: Record<string, string>,
    body: string | undefined,
    tenant: boolean,
    signal?: AbortSignal,
  ): Promise<{ status: number; json: unknown; bytes?: Uint8Array }> {
    const binary = extra.accept === 'application/pdf';
    let token = await this.opts.getAccessToken();
    for (let refreshed = false; ; refreshed = true) {
      signal?.throwIfAborted();
      const headers: Record<string, string> = { accept: 'application/json', ...extra, authorization: `Bearer ${token}` };
      if (tenant) headers['xero-tenant-id'] = this.opts.tenantId;
      this.sent++;
      const res = await this.http({ method, url, headers, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}), ...(binary ? { binary: true } : {}) });
      this.opts.observe?.(res.headers);
      const path = new URL(url).pathname;
      this.logger.debug('xero request', { method, path, status: res.status });
      if (res.status === 401) {
        if (refreshed) {
          this.logger.warn('xero refused the renewed token', { path });
          if (this.opts.onRejected) throw await this.opts.onRejected('Xero refused the renewed access token');
          throw new XeroAuthError();
        }
        this.logger.info('xero access token refused; refreshing once', { path });
        token = (await this.opts.forceRefresh(token)) || (await this.opts.getAccessToken());
        continue;
      }
      const json = parseJson(res.body);
      if (res.status >= 400) {
        const err = errorOf(res.status, json, res.body);
        this.logger.warn('xero request failed', { method, path, status: res.status, type: err.xeroType });
        throw err;
      }
      if (binary) return { status: res.status, json: null, ...(res.bytes ? { bytes: res.bytes } : {}) };
      if (res.status !== 204 && res.body && json === undefined) {
        throw new SettleError('unavailable', `Xero sent a response Settle could not read (HTTP ${res.status}, not JSON).`);
      }
      return { status: res.status, json: json ?? null };
    }
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The ValidationException shape (§2.10), the problem-details 401/403 shape, or plain text (404). */
function errorOf(status: number, json: unknown, text: string): XeroApiError {
  if (json && typeof json === 'object') {
    const j = json as Record<string, unknown>;
    const validation: string[] = [];
    if (Array.isArray(j.Elements)) {
      for (const el of j.Elements as { ValidationErrors?: { Message?: unknown }[] }[]) {
        for (const v of el?.ValidationErrors ?? []) if (typeof v?.Message === 'string') validation.push(v.Message);
      }
    }
    const type = typeof j.Type === 'string' ? j.Type : typeof j.Title === 'string' ? j.Title : null;
    const detail = typeof j.Message === 'string' ? j.Message : typeof j.Detail === 'string' ? j.Detail : typeof j.Title === 'string' ? j.Title : `HTTP ${status}`;
    return new XeroApiError(status, type, detail, validation);
  }
  return new XeroApiError(status, null, text.trim().slice(0, 200) || `HTTP ${status}`);
}
