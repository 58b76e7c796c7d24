// The QuickBooks Online Accounting API as Settle uses it (ledger-apis.md §1.2–1.10): query,
// CDC, CompanyInfo, the AgedReceivables report, reading and sending an invoice, and a sparse
// PrivateNote update. Every request carries the bearer token from an injected source (one
// forced refresh after a 401), asks for JSON at minorversion 75, and logs Intuit's `intuit_tid`
// (never a token). The HTTP function is injected so the sync limiter (sync/http.ts) can wrap it;
// retries on 429/5xx belong to that layer, not to this one.
import { SettleError } from '../../../../shared/errors';
import { toMinorUnits } from '../../../../shared/money';
import { silentLogger, type Logger } from '../../ports';
import { fetchConnectorHttp } from '../../sync';
import { toUtcIso } from './map';

export const QBO_MINOR_VERSION = 75;
/** Most rows a query page (MAXRESULTS) and objects a CDC response may hold. */
export const QBO_PAGE_SIZE = 1000;
export const PRIVATE_NOTE_MAX = 4000;

export interface QboHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Keep the body's bytes (the invoice PDF). */
  binary?: boolean;
}

export interface QboHttpResponse {
  status: number;
  headers: Headers | Record<string, string | undefined>;
  body: string;
  bytes?: Uint8Array;
}

/** How the client reaches the network. The default is fetch; the app passes the limiter's. */
export type QboHttp = (req: QboHttpRequest) => Promise<QboHttpResponse>;

/** Bare fetch (tests). */
export const fetchHttp: QboHttp = fetchConnectorHttp;

/** Through the limiter's HttpClient (sync/http.ts), built WITHOUT `auth`: a 401 must reach this client. */

export interface QboClientOptions {
  /** API root (production https://quickbooks.api.intuit.com, or SETTLE_QBO_API_BASE); a base already ending in /v3/company/{realmId} is used as is. */
  apiBase: string;
  realmId: string;
  /** The current access token (TokenManager.getAccessToken). */
  getAccessToken(): Promise<string>;
  /** Called once after a 401 with the refused token; returns the new token (or nothing: getAccessToken is asked again). */
  forceRefresh(rejectedToken: string): Promise<string | void>;
  /** Builds the error to throw when the renewed token is refused too (e.g. TokenManager.markNeedsReconnect). */
  onRejected?(detail: string): Promise<Error> | Error;
  http?: QboHttp;
  logger?: Logger;
  minorVersion?: number;
}

/** A QBO Fault (or an HTTP error without one), with what support needs to trace it. */
export class QboApiError extends SettleError {
  constructor(
    readonly status: number,
    /** Intuit's error code ("5010", "610", "3200"…), or null. */
    readonly qboCode: string | null,
    readonly faultType: string | null,
    readonly detail: string,
    readonly intuitTid: string | null,
  ) {
    super(
      status === 404 || qboCode === '610' ? 'not_found' : status === 400 && qboCode === '5010' ? 'conflict' : status >= 500 || status === 429 ? 'unavailable' : 'invalid_input',
      `QuickBooks refused the request (HTTP ${status}${qboCode ? `, code ${qboCode}` : ''}): ${detail}`,
    );
    this.name = 'QboApiError';
  }
}

/** QuickBooks refused the sign-in even after a refresh. */
export class QboAuthError extends SettleError {
  constructor(readonly intuitTid: string | null) {
    super('unavailable', 'QuickBooks refused the sign-in even after renewing it. Reconnect QuickBooks in Settings → Connections.');
    this.name = 'QboAuthError';
  }
}

export interface QueryPage {
  entity: string;
  rows: unknown[];
  startPosition: number | null;
  maxResults: number | null;
  totalCount: number | null;
  /** The response `time`, as a UTC ISO instant. */
  time: string;
}

export interface CdcResult {
  /** Objects (full or deleted) per entity, in the response's order. */
  byEntity: Map<string, unknown[]>;
  /** All objects in the response. */
  objects: number;
  time: string;
}

export interface CompanyInfo {
  id: string;
  companyName: string;
  legalName: string | null;
  country: string | null;
  email: string | null;
  /** The home currency when it can be told from CompanyInfo (its country); see homeCurrency(). */
  homeCurrencyGuess: string | null;
}

export interface AgedReceivablesCustomer {
  externalId: string;
  name: string;
  /** Per column title ("Current", "1 - 30", …), in minor units of the report currency. */
  buckets: Record<string, number>;
  totalCents: number;
}

export interface AgedReceivables {
  asOf: string | null;
  currency: string;
  customers: AgedReceivablesCustomer[];
  /** The GrandTotal row's total, when the report has one. */
  totalCents: number | null;
}

export interface InvoiceSnapshot {
  id: string;
  syncToken: string;
  raw: Record<string, unknown>;
  billEmail: string | null;
  emailStatus: string | null;
  privateNote: string | null;
  /** The customer's online payment link; only with `include=invoiceLink` and online payments on. */
  invoiceLink: string | null;
}

const COUNTRY_CURRENCY: Record<string, string> = {
  US: 'USD', USA: 'USD', CA: 'CAD', GB: 'GBP', UK: 'GBP', AU: 'AUD', NZ: 'NZD', IN: 'INR', IE: 'EUR', FR: 'EUR', DE: 'EUR', ES: 'EUR', IT: 'EUR', NL: 'EUR', ZA: 'ZAR', SG: 'SGD', HK: 'HKD', JP: 'JPY', MX: 'MXN', BR: 'BRL',
};

export class QboClient {
  private sent = 0;
  private readonly http: QboHttp;
  private readonly logger: Logger;
  private readonly companyBase: string;
  private readonly minor: string;

  constructor(private readonly opts: QboClientOptions) {
    this.http = opts.http ?? fetchHttp;
    this.logger = opts.logger ?? silentLogger;
    this.minor = String(opts.minorVersion ?? QBO_MINOR_VERSION);
    const base = opts.apiBase.replace(/\/+$/, '');
    this.companyBase = /\/v3\/company\/[^/]+$/.test(base) ? base : `${base}/v3/company/${encodeURIComponent(opts.realmId)}`;
  }

  get realmId(): string {
    return this.opts.realmId;
  }

  /** Requests sent by this client (each retry after a 401 counts). */
  get requests(): number {
    return this.sent;
  }

  // ---- reads ----

  /** One query page: `SELECT * FROM <Entity> …` (GET /query). */
  async query(statement: string, signal?: AbortSignal): Promise<QueryPage> {
    const entity = /\bFROM\s+(\w+)/i.exec(statement)?.[1] ?? '';
    const body = await this.getJson('/query', { query: statement }, signal);
    const qr = (body.QueryResponse ?? {}) as Record<string, unknown>;
    const rows = qr[entity];
    return {
      entity,
      rows: Array.isArray(rows) ? rows : [],
      startPosition: numberOrNull(qr.startPosition),
      maxResults: numberOrNull(qr.maxResults),
      totalCount: numberOrNull(qr.totalCount),
      time: responseTime(body),
    };
  }

  /** GET /cdc for the entities since `changedSince` (within the last 30 days). */
  async cdc(entities: readonly string[], changedSince: string, signal?: AbortSignal): Promise<CdcResult> {
    const body = await this.getJson('/cdc', { entities: entities.join(','), changedSince }, signal);
    const byEntity = new Map<string, unknown[]>();
    let objects = 0;
    const responses = Array.isArray(body.CDCResponse) ? body.CDCResponse : [];
    for (const r of responses as Record<string, unknown>[]) {
      const groups = Array.isArray(r?.QueryResponse) ? (r.QueryResponse as Record<string, unknown>[]) : [];
      for (const g of groups) {
        for (const e of entities) {
          const list = g?.[e];
          if (!Array.isArray(list)) continue;
          const into = byEntity.get(e) ?? [];
          into.push(...list);
          byEntity.set(e, into);
          objects += list.length;
        }
      }
    }
    return { byEntity, objects, time: responseTime(body) };
  }

  async companyInfo(signal?: AbortSignal): Promise<CompanyInfo> {
    const body = await this.getJson(`/companyinfo/${encodeURIComponent(this.opts.realmId)}`, {}, signal);
    const ci = (body.CompanyInfo ?? null) as Record<string, unknown> | null;
    if (!ci || typeof ci.CompanyName !== 'string') throw new SettleError('unavailable', 'QuickBooks sent company information Settle could not read.');
    const country = typeof ci.Country === 'string' ? ci.Country : null;
    const email = (ci.Email as { Address?: unknown } | undefined)?.Address;
    return {
      id: String(ci.Id ?? this.opts.realmId),
      companyName: ci.CompanyName,
      legalName: typeof ci.LegalName === 'string' ? ci.LegalName : null,
      country,
      email: typeof email === 'string' ? email : null,
      homeCurrencyGuess: country ? (COUNTRY_CURRENCY[country.toUpperCase()] ?? null) : null,
    };
  }

  /** The company's home currency from Preferences (CurrencyPrefs.HomeCurrency); null when QBO does not say. */
  async homeCurrency(signal?: AbortSignal): Promise<string | null> {
    try {
      const body = await this.getJson('/preferences', {}, signal);
      const v = (body.Preferences as { CurrencyPrefs?: { HomeCurrency?: { value?: unknown } } } | undefined)?.CurrencyPrefs?.HomeCurrency?.value;
      return typeof v === 'string' && /^[A-Z]{3}$/.test(v) ? v : null;
    } catch (err) {
      if (err instanceof QboApiError && err.status < 500) return null;
      throw err;
    }
  }

  /** GET /reports/AgedReceivables as of a date, parsed into per-customer totals. */
  async agedReceivables(asOf: string, signal?: AbortSignal): Promise<AgedReceivables> {
    const body = await this.getJson('/reports/AgedReceivables', { report_date: asOf }, signal);
    return parseAgedReceivables(body);
  }

  /** The invoice as QBO has it now (re-check before sending); `invoiceLink` also asks for the pay link (§1.5). */
  async getInvoice(id: string, signal?: AbortSignal, opts: { invoiceLink?: boolean } = {}): Promise<InvoiceSnapshot> {
    const body = await this.getJson(`/invoice/${encodeURIComponent(id)}`, opts.invoiceLink ? { include: 'invoiceLink' } : {}, signal);
    return invoiceSnapshot(body);
  }

  /** GET /invoice/{id}/pdf: the invoice as QBO prints it (Accept: application/pdf). */
  async invoicePdf(id: string, signal?: AbortSignal): Promise<Uint8Array> {
    const body = await this.send('GET', `/invoice/${encodeURIComponent(id)}/pdf`, {}, undefined, undefined, signal, true);
    const pdf = body.pdf;
    if (!(pdf instanceof Uint8Array) || pdf.byteLength === 0) throw new SettleError('unavailable', `QuickBooks sent no PDF for invoice ${id}.`);
    return pdf;
  }

  // ---- writes (each with a requestid, so a retry replays instead of repeating) ----

  /** POST /invoice/{id}/send[?sendTo=]; QBO emails it with the company template. */
  async sendInvoice(id: string, sendTo: string | undefined, requestId: string, signal?: AbortSignal): Promise<InvoiceSnapshot> {
    const params: Record<string, string> = { requestid: requestId };
    if (sendTo) params.sendTo = sendTo;
    const body = await this.send('POST', `/invoice/${encodeURIComponent(id)}/send`, params, '', 'application/octet-stream', signal);
    return invoiceSnapshot(body);
  }

  /**
   * Appends a line to the invoice's PrivateNote with a sparse update. A stale SyncToken (5010)
   * re-reads the invoice and tries once more (with a derived requestid, so the retry is not a
   * replay of the refusal). A note already ending with `text` is not written twice.
   */
  async appendPrivateNote(id: string, text: string, requestId: string, signal?: AbortSignal): Promise<InvoiceSnapshot> {
    const line = text.trim();
    if (!line) throw new SettleError('invalid_input', 'A note to QuickBooks cannot be empty');
    if (line.length > PRIVATE_NOTE_MAX) throw new SettleError('invalid_input', `A QuickBooks note is at most ${PRIVATE_NOTE_MAX} characters`);
    for (let attempt = 0; ; attempt++) {
      const current = await this.getInvoice(id, signal);
      const before = current.privateNote ?? '';
      if (before.endsWith(line)) return current;
      let note = before ? `${before}\n${line}` : line;
      // PrivateNote holds 4000 characters: the oldest lines give way.
      if (note.length > PRIVATE_NOTE_MAX) note = note.slice(note.length - PRIVATE_NOTE_MAX);
      try {
        const body = await this.send(
          'POST',
          '/invoice',
          { requestid: attempt === 0 ? requestId : `${requestId}-r${attempt}` },
          JSON.stringify({ Id: current.id, SyncToken: current.syncToken, sparse: true, PrivateNote: note }),
          'application/json',
          signal,
        );
        return invoiceSnapshot(body);
      } catch (err) {
        if (attempt === 0 && err instanceof QboApiError && err.qboCode === '5010') continue;
        throw err;
      }
    }
  }

  // ---- plumbing ----

  private getJson(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.send('GET', path, params, undefined, undefined, signal);
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string>,
    body: string | undefined,
    contentType: string | undefined,
    signal?: AbortSignal,
    /** Ask for a PDF: the answer is `{ pdf: bytes }`. */
    pdf = false,
  ): Promise<Record<string, unknown>> {
    const qs = new URLSearchParams({ ...params, minorversion: this.minor });
    const url = `${this.companyBase}${path}?${qs.toString()}`;
    let token = await this.opts.getAccessToken();
    for (let refreshed = false; ; refreshed = true) {
      signal?.throwIfAborted();
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: pdf ? 'application/pdf' : 'application/json' };
      if (contentType) headers['content-type'] = contentType;
      const started = Date.now();
      this.sent++;
      const res = await this.http({ method, url, headers, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}), ...(pdf ? { binary: true } : {}) });
      const tid = header(res.headers, 'intuit_tid');
      this.logger.debug('qbo request', { method, path, status: res.status, intuit_tid: tid, ms: Date.now() - started });
      if (res.status === 401) {
        if (refreshed) {
          this.logger.warn('qbo refused the renewed token', { path, intuit_tid: tid });
          if (this.opts.onRejected) throw await this.opts.onRejected('QuickBooks refused the renewed access token');
          throw new QboAuthError(tid);
        }
        this.logger.info('qbo access token refused; refreshing once', { path, intuit_tid: tid });
        token = (await this.opts.forceRefresh(token)) || (await this.opts.getAccessToken());
        continue;
      }
      const json = parseJson(res.body);
      const fault = faultOf(json);
      if (res.status === 403 && fault?.code === '3100') {
        // ApplicationAuthorizationFailed: the owner (or Intuit) disconnected the app from this
        // company. No refresh can fix that, so stop now and ask for a reconnect.
        this.logger.warn('qbo says the app is disconnected from the company (3100)', { path, intuit_tid: tid });
        const detail = 'QuickBooks says Settle was disconnected from this company';
        if (this.opts.onRejected) throw await this.opts.onRejected(detail);
        throw new QboAuthError(tid);
      }
      if (res.status >= 400 || fault) {
        const err = new QboApiError(res.status, fault?.code ?? null, fault?.type ?? null, fault?.detail ?? `HTTP ${res.status}`, tid);
        this.logger.warn('qbo request failed', { method, path, status: res.status, code: fault?.code ?? null, intuit_tid: tid });
        throw err;
      }
      if (pdf) return { pdf: res.bytes };
      if (json === null || typeof json !== 'object') {
        throw new SettleError('unavailable', `QuickBooks sent a response Settle could not read (HTTP ${res.status}, not JSON).`);
      }
      return json as Record<string, unknown>;
    }
  }
}

function header(h: QboHttpResponse['headers'], name: string): string | null {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const rec = h as Record<string, string | undefined>;
  return rec[name] ?? rec[name.toLowerCase()] ?? null;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `{"Fault":{"Error":[…],"type"}}`, or the lowercase 401/403 form `{"fault":{"error":[…],"type"}}`. */
function faultOf(json: unknown): { code: string | null; type: string | null; detail: string } | null {
  if (typeof json !== 'object' || json === null) return null;
  const j = json as { Fault?: unknown; fault?: unknown };
  const f = (j.Fault ?? j.fault) as { Error?: unknown; error?: unknown; type?: unknown } | null | undefined;
  if (!f || typeof f !== 'object') return null;
  const errors = (f.Error ?? f.error) as Record<string, unknown>[] | undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  const message = first ? String(first.Message ?? first.message ?? '') : '';
  const detail = first ? String(first.Detail ?? first.detail ?? '') : '';
  return {
    code: first && (first.code ?? null) !== null ? String(first.code) : null,
    type: typeof f.type === 'string' ? f.type : null,
    detail: [message, detail].filter(Boolean).join(': ') || 'QuickBooks reported a fault',
  };
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function responseTime(body: Record<string, unknown>): string {
  const t = body.time;
  const iso = typeof t === 'string' ? toUtcIso(t) : typeof t === 'number' ? new Date(t).toISOString() : null;
  if (iso === null) throw new SettleError('unavailable', 'QuickBooks sent a response without its `time`; Settle cannot tell where to continue from.');
  return iso;
}

function invoiceSnapshot(body: Record<string, unknown>): InvoiceSnapshot {
  const inv = body.Invoice as Record<string, unknown> | undefined;
  if (!inv || (typeof inv.Id !== 'string' && typeof inv.Id !== 'number')) {
    throw new SettleError('unavailable', 'QuickBooks sent an invoice Settle could not read.');
  }
  const email = (inv.BillEmail as { Address?: unknown } | undefined)?.Address;
  return {
    id: String(inv.Id),
    syncToken: String(inv.SyncToken ?? '0'),
    raw: inv,
    billEmail: typeof email === 'string' && email ? email : null,
    emailStatus: typeof inv.EmailStatus === 'string' ? inv.EmailStatus : null,
    privateNote: typeof inv.PrivateNote === 'string' ? inv.PrivateNote : null,
    invoiceLink: typeof inv.InvoiceLink === 'string' && inv.InvoiceLink ? inv.InvoiceLink : null,
  };
}

// ---- the AgedReceivables report ----

interface ColData {
  value?: unknown;
  id?: unknown;
}
interface ReportRow {
  type?: unknown;
  group?: unknown;
  ColData?: ColData[];
  Header?: { ColData?: ColData[] };
  Rows?: { Row?: ReportRow[] };
  Summary?: { ColData?: ColData[] };
}

/** Report amounts are strings ("37.50", "" for none, "-12.00"); exact, in the report currency. */
function reportCents(v: unknown, currency: string): number {
  const s = typeof v === 'string' ? v.trim().replace(/,/g, '') : typeof v === 'number' ? String(v) : '';
  if (s === '') return 0;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) throw new SettleError('unavailable', `QuickBooks' aging report has an amount Settle cannot read: ${JSON.stringify(v)}`);
  return toMinorUnits(s, currency);
}

/**
 * Per-customer rows of the AgedReceivables summary: every Data row with a customer id, also
 * those nested in a parent's Section (sub-customers, and the parent's own row); Section
 * summaries are totals and are not counted again.
 */
export function parseAgedReceivables(body: unknown): AgedReceivables {
  const b = (body ?? {}) as { Header?: Record<string, unknown>; Columns?: { Column?: { ColType?: unknown; ColTitle?: unknown }[] }; Rows?: { Row?: ReportRow[] } };
  const header = b.Header ?? {};
  const currency = typeof header.Currency === 'string' ? header.Currency : 'USD';
  const option = Array.isArray(header.Option) ? (header.Option as { Name?: unknown; Value?: unknown }[]) : [];
  const asOf =
    (option.find((o) => o.Name === 'report_date')?.Value as string | undefined) ?? (typeof header.EndPeriod === 'string' ? header.EndPeriod : null);
  const columns = b.Columns?.Column ?? [];
  const titles = columns.map((c) => (typeof c.ColTitle === 'string' ? c.ColTitle : ''));
  let totalIdx = titles.findIndex((t) => t.trim().toLowerCase() === 'total');
  if (totalIdx < 0) totalIdx = columns.length - 1;
  const customers: AgedReceivablesCustomer[] = [];
  let totalCents: number | null = null;
  const walk = (rows: ReportRow[] | undefined): void => {
    for (const row of rows ?? []) {
      if (row.group === 'GrandTotal') {
        const cells = row.Summary?.ColData ?? [];
        if (cells[totalIdx]) totalCents = reportCents(cells[totalIdx]?.value, currency);
        continue;
      }
      if (row.ColData) {
        const cells = row.ColData;
        const first = cells[0];
        const id = first?.id;
        if (typeof id !== 'string' && typeof id !== 'number') continue;
        const buckets: Record<string, number> = {};
        for (let i = 1; i < cells.length; i++) {
          if (i === totalIdx) continue;
          buckets[titles[i] || `col${i}`] = reportCents(cells[i]?.value, currency);
        }
        customers.push({
          externalId: String(id),
          name: typeof first?.value === 'string' ? first.value : String(id),
          buckets,
          totalCents: reportCents(cells[totalIdx]?.value, currency),
        });
        continue;
      }
      if (row.Rows) walk(row.Rows.Row);
    }
  };
  walk(b.Rows?.Row);
  return { asOf, currency, customers, totalCents };
}
