import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QboAuthError, QboClient, parseAgedReceivables, type QboHttpRequest } from '../../../../../src/main/core/connectors/qbo/client';
import { crossCheck } from '../../../../../src/main/core/connectors/qbo/crosscheck';
import type { LogFields, Logger } from '../../../../../src/main/core/ports';

const LOWERCASE_401 = JSON.stringify({
  warnings: null,
  intuitObject: null,
  fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail: 'Token expired: AB0…', code: '3200', element: null }], type: 'AUTHENTICATION' },
  report: null,
  queryResponse: null,
  batchItemResponse: [],
  attachableResponse: [],
  syncErrorResponse: null,
  requestId: null,
  time: 1730024394085,
  status: null,
  cdcresponse: [],
});

function recordingLogger(): Logger & { lines: { msg: string; fields?: LogFields }[] } {
  const lines: { msg: string; fields?: LogFields }[] = [];
  const log = (msg: string, fields?: LogFields): void => void lines.push({ msg, ...(fields ? { fields } : {}) });
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('QboClient requests', () => {
  it('sends the bearer token and JSON Accept, refreshes once after a 401, and never logs a token', async () => {
    const seen: QboHttpRequest[] = [];
    let current = 'AT-old';
    const logger = recordingLogger();
    const client = new QboClient({
      apiBase: 'http://127.0.0.1:9/',
      realmId: '123',
      logger,
      getAccessToken: async () => current,
      forceRefresh: async (rejected) => {
        expect(rejected).toBe('AT-old');
        current = 'AT-new';
        return current;
      },
      http: async (req) => {
        seen.push(req);
        if (req.headers.authorization === 'Bearer AT-old') return { status: 401, headers: { intuit_tid: 'tid-1' }, body: LOWERCASE_401 };
        return { status: 200, headers: new Headers({ intuit_tid: 'tid-2' }), body: JSON.stringify({ QueryResponse: { Customer: [{ Id: '1' }], startPosition: 1, maxResults: 1 }, time: '2025-06-20T12:56:06.196-07:00' }) };
      },
    });
    const page = await client.query('SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000');
    expect(page.rows).toEqual([{ Id: '1' }]);
    expect(page.time).toBe('2025-06-20T19:56:06.196Z');
    expect(seen.map((r) => r.headers.authorization)).toEqual(['Bearer AT-old', 'Bearer AT-new']);
    expect(seen.every((r) => r.headers.accept === 'application/json' && r.method === 'GET')).toBe(true);
    const url = new URL(seen[0]!.url);
    expect(url.pathname).toBe('/v3/company/123/query');
    expect(url.searchParams.get('minorversion')).toBe('75');
    expect(client.requests).toBe(2);
    const logged = JSON.stringify(logger.lines);
    expect(logged).toContain('tid-1');
    expect(logged).toContain('tid-2');
    expect(logged).not.toMatch(/AT-old|AT-new/);
  });

  it('gives up after the renewed token is refused too', async () => {
    let refreshes = 0;
    const client = new QboClient({
      apiBase: 'http://127.0.0.1:9',
      realmId: '123',
      getAccessToken: async () => 'x',
      forceRefresh: async () => void refreshes++,
      http: async () => ({ status: 401, headers: {}, body: LOWERCASE_401 }),
    });
    await expect(client.companyInfo()).rejects.toBeInstanceOf(QboAuthError);
    expect(refreshes).toBe(1);
  });

  it('treats a 200 carrying a Fault as an error', async () => {
    const client = new QboClient({
      apiBase: 'http://127.0.0.1:9',
      realmId: '123',
      getAccessToken: async () => 'x',
      forceRefresh: async () => undefined,
      http: async () => ({ status: 200, headers: {}, body: JSON.stringify({ Fault: { Error: [{ Message: 'Object Not Found', code: '610' }], type: 'ValidationFault' }, time: '2025-06-20T10:00:00.000-07:00' }) }),
    });
    await expect(client.getInvoice('1')).rejects.toMatchObject({ qboCode: '610', code: 'not_found' });
  });
});

describe('AgedReceivables and the cross-check', () => {
  const sample = JSON.parse(readFileSync('/work/shared/reference/examples/qbo-aged-receivables-summary.json', 'utf8')) as unknown;

  it('parses the reference sample', () => {
    const r = parseAgedReceivables(sample);
    expect(r).toEqual({
      asOf: '2015-12-31',
      currency: 'USD',
      customers: [
        { externalId: '4', name: 'Jane Litigious', buckets: { Current: 0, '1 - 30': 0, '31 - 60': 0, '61 - 90': 0, '91 and over': 3750 }, totalCents: 3750 },
      ],
      totalCents: 3750,
    });
  });

  it('parses sub-customers nested in a section without counting the section total twice', () => {
    const cell = (v: string, id?: string): { value: string; id?: string } => (id ? { value: v, id } : { value: v });
    const r = parseAgedReceivables({
      Header: { Currency: 'USD', Option: [{ Name: 'report_date', Value: '2025-06-15' }] },
      Columns: { Column: [{ ColType: 'Customer', ColTitle: '' }, ...['Current', '1 - 30', '31 - 60', '61 - 90', '91 and over', 'Total'].map((t) => ({ ColType: 'Money', ColTitle: t }))] },
      Rows: {
        Row: [
          {
            type: 'Section',
            Header: { ColData: [cell('Harbor', '58'), cell(''), cell(''), cell(''), cell(''), cell(''), cell('')] },
            Rows: { Row: [{ type: 'Data', ColData: [cell('Harbor', '58'), cell('100.00'), cell(''), cell(''), cell(''), cell(''), cell('100.00')] }, { type: 'Data', ColData: [cell('Harbor:Spring', '59'), cell(''), cell('20.50'), cell(''), cell(''), cell(''), cell('20.50')] }] },
            Summary: { ColData: [cell('Total Harbor'), cell('100.00'), cell('20.50'), cell('0.00'), cell('0.00'), cell('0.00'), cell('120.50')] },
          },
          { type: 'Data', ColData: [cell('Acme', '7'), cell('-5.00'), cell(''), cell(''), cell(''), cell(''), cell('-5.00')] },
          { type: 'Section', group: 'GrandTotal', Summary: { ColData: [cell('TOTAL'), cell('95.00'), cell('20.50'), cell('0.00'), cell('0.00'), cell('0.00'), cell('115.50')] } },
        ],
      },
    });
    expect(r.customers.map((c) => [c.externalId, c.totalCents])).toEqual([
      ['58', 10000],
      ['59', 2050],
      ['7', -500],
    ]);
    expect(r.totalCents).toBe(11550);
  });

  it('names each customer whose balance differs by even a cent, with both figures', () => {
    const report = parseAgedReceivables(sample);
    const same = crossCheck(report, new Map([['4', { cents: 3750, name: 'Jane Litigious' }]]));
    expect(same.mismatches).toEqual([]);
    expect(same.message).toBeNull();

    const off = crossCheck(report, {
      '4': { cents: 3749 },
      '9': { cents: 1200, name: 'Only Local Ltd' },
      '10': { cents: 500, currency: 'EUR', name: 'Euro GmbH' },
    });
    expect(off.mismatches).toEqual([
      { customerExternalId: '9', name: 'Only Local Ltd', qboCents: 0, localCents: 1200, differenceCents: 1200 },
      { customerExternalId: '4', name: 'Jane Litigious', qboCents: 3750, localCents: 3749, differenceCents: -1 },
    ]);
    expect(off.skipped).toEqual(['10']);
    expect(off.checked).toBe(2);
    expect(off.message).toBe(
      "Settle's balances differ from QuickBooks' A/R aging as of 2015-12-31 for Only Local Ltd (QuickBooks $0.00, Settle $12.00), Jane Litigious (QuickBooks $37.50, Settle $37.49).",
    );
  });
});
