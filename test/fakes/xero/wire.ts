// Xero's wire conventions (ledger-apis.md §2.2, §2.10): MS-JSON dates, the response envelope,
// error bodies, and a seeded UUID source.
import type { IsoDate } from '../../../src/shared/dates';
import type { Rng } from '../../../src/main/core/connectors/demo/prng';

/** "/Date(1539993600000+0000)/" — entity dates and UpdatedDateUTC. */
export const msDate = (ms: number): string => `/Date(${ms}+0000)/`;
/** "/Date(1552326816230)/" — the envelope's DateTimeUTC has no offset in the samples. */
export const msDateBare = (ms: number): string => `/Date(${ms})/`;
/** A calendar date as the UTC midnight Xero stamps it. */
export const dayMs = (day: IsoDate): number => Date.parse(`${day}T00:00:00Z`);
export const dayMsDate = (day: IsoDate): string => msDate(dayMs(day));
/** "2018-10-20T00:00:00" (DateString / DueDateString). */
export const dayString = (day: IsoDate): string => `${day}T00:00:00`;
/** "2018-11-08T15:01:21" (History DateUTCString). */
export const isoNoZone = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
/** "2018-11-02T16:31:30Z" (Invoice UpdatedDateUTCString, as in the OpenAPI sample). */
export const isoZ = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export const money = (cents: number): number => cents / 100;
export const cents = (amount: number): number => Math.round(amount * 100);

/** Parses an If-Modified-Since value: `2025-06-01T00:00:00[.fff][Z]` (UTC) or an HTTP date. */
export function parseSince(value: string): number | null {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')));
    if (!Number.isFinite(ms)) return null;
    const zone = m[8];
    if (!zone || zone === 'Z') return ms;
    const z = /([+-])(\d{2}):?(\d{2})/.exec(zone) as RegExpExecArray;
    return ms - (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

export function uuid(rng: Rng): string {
  let h = '';
  for (let i = 0; i < 32; i++) h += Math.floor(rng.next() * 16).toString(16);
  const variant = '89ab'[Math.floor(rng.next() * 4)] as string;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 400 ValidationException (OpenAPI `Error`); `elements` echo the submitted objects. */
export class XeroApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json; charset=utf-8',
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export function validation(messages: string[], element: Record<string, unknown> = {}): XeroApiError {
  return new XeroApiError(400, {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: [{ ...element, ValidationErrors: messages.map((Message) => ({ Message })) }],
  });
}

export function notFound(): XeroApiError {
  return new XeroApiError(404, "The resource you're looking for cannot be found", 'text/plain; charset=utf-8');
}

/** 400 for a query that Xero refuses (bad where, bad parameter). */
export function badQuery(message: string): XeroApiError {
  return new XeroApiError(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

/** The 401/403 problem-details body (§2.10). */
export function problem(status: 401 | 403, detail: string, instance: string): Record<string, unknown> {
  return { Type: null, Title: status === 401 ? 'Unauthorized' : 'Forbidden', Status: status, Detail: detail, Instance: instance, Extensions: {} };
}

/** "01/01/2001 00:00:00" as in TokenExpired details (UTC). */
export function expiryStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
