import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeRedirectUri } from '../../support/ports';
import { startQboServer, type QboInvoice, type QboServer } from '../../fakes/qbo-server';
import { call, type Res } from './call';

const TODAY = '2025-06-15';
const DAY = 86_400_000;

function basic(qbo: QboServer): string {
  return `Basic ${Buffer.from(`${qbo.clientId}:${qbo.clientSecret}`).toString('base64')}`;
}

function tokenRequest(qbo: QboServer, form: Record<string, string>): Promise<Res> {
  return call(qbo.endpoints.token, {
    method: 'POST',
    headers: { Authorization: basic(qbo), 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
}

/** An API client bound to one access token. */
function client(qbo: QboServer, accessToken: () => string) {
  const base = `${qbo.apiBase}/v3/company/${qbo.realmId}`;
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    Authorization: `Bearer ${accessToken()}`,
    Accept: 'application/json',
    ...extra,
  });
  return {
    base,
    get: <T = Record<string, unknown>>(path: string, init: RequestInit = {}) => call<T>(`${base}${path}`, { ...init, headers: headers() }),
    query: <T = Record<string, unknown>>(statement: string) =>
      call<T>(`${base}/query?query=${encodeURIComponent(statement)}&minorversion=75`, { headers: headers() }),
    post: <T = Record<string, unknown>>(path: string, body: unknown, contentType = 'application/json') =>
      call<T>(`${base}${path}`, { method: 'POST', headers: headers({ 'Content-Type': contentType }), body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

interface QueryBody {
  QueryResponse: { startPosition?: number; maxResults?: number; totalCount?: number } & Record<string, unknown>;
  time: string;
}
interface FaultBody {
  Fault: { Error: { Message: string; Detail?: string; code: string }[]; type: string };
  time: string;
}
interface CdcBody {
  CDCResponse: { QueryResponse: Record<string, unknown>[] }[];
  time: string;
}

const cents = (n: number): number => Math.round(n * 100);

describe('QBO emulator: OAuth', () => {
  let qbo: QboServer;
  let redirect: string;
  beforeAll(async () => {
    redirect = await freeRedirectUri();
    qbo = await startQboServer({ today: TODAY, invoices: 30, redirectUris: [redirect] });
  });
  afterAll(() => qbo.close());

  async function authorize(scope = 'com.intuit.quickbooks.accounting openid', state = 'st-123'): Promise<URL> {
    const u = new URL(qbo.endpoints.authorize);
    u.search = new URLSearchParams({ client_id: qbo.clientId, response_type: 'code', scope, redirect_uri: redirect, state }).toString();
    const r = await call(u.toString());
    expect(r.status).toBe(302);
    expect(r.headers.get('intuit_tid')).toBeTruthy();
    return new URL(r.headers.get('location') as string);
  }

  it('auto-consents and redirects with code, state and realmId; the code is single-use', async () => {
    const back = await authorize();
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('st-123');
    expect(back.searchParams.get('realmId')).toBe(qbo.realmId);
    const code = back.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const first = await tokenRequest(qbo, { grant_type: 'authorization_code', code, redirect_uri: redirect });
    expect(first.status).toBe(200);
    const tok = first.json as Record<string, unknown>;
    expect(tok).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8_726_400 });
    expect(typeof tok.access_token).toBe('string');
    expect(String(tok.refresh_token)).toMatch(/^RT1-/);
    expect(String(tok.id_token).split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(String(tok.id_token).split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ realmid: qbo.realmId, aud: [qbo.clientId], iss: `${qbo.oauthBase}/op/v1` });

    const again = await tokenRequest(qbo, { grant_type: 'authorization_code', code, redirect_uri: redirect });
    expect(again.status).toBe(400);
    expect((again.json as { error: string }).error).toBe('invalid_grant');
  });

  it('omits id_token without openid, and needs the exact redirect_uri and the client secret', async () => {
    const code = (await authorize('com.intuit.quickbooks.accounting')).searchParams.get('code') as string;
    const wrongUri = await tokenRequest(qbo, { grant_type: 'authorization_code', code, redirect_uri: `${redirect}/` });
    expect(wrongUri.status).toBe(400);
    const code2 = (await authorize('com.intuit.quickbooks.accounting')).searchParams.get('code') as string;
    const badClient = await call(qbo.endpoints.token, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${qbo.clientId}:nope`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: code2, redirect_uri: redirect }).toString(),
    });
    expect(badClient.status).toBe(401);
    const ok = await tokenRequest(qbo, { grant_type: 'authorization_code', code: code2, redirect_uri: redirect });
    expect(ok.status).toBe(200);
    expect(ok.json).not.toHaveProperty('id_token');

    const u = new URL(qbo.endpoints.authorize);
    u.search = new URLSearchParams({ client_id: qbo.clientId, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: 'http://localhost:1/other', state: 's' }).toString();
    const refused = await call(u.toString());
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('redirect_uri query parameter value is invalid');
  });

  it('redirects with error=access_denied when the deny knob is set', async () => {
    qbo.faults.denyConsent = true;
    try {
      const back = await authorize();
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('state')).toBe('st-123');
      expect(back.searchParams.get('code')).toBeNull();
    } finally {
      qbo.faults.denyConsent = false;
    }
  });

  it('rotates refresh tokens; the previous one works for 24 h after its successor, then invalid_grant', async () => {
    const first = qbo.issueTokens();
    const r1 = await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(r1.status).toBe(200);
    const second = r1.json as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    qbo.advanceClock(23 * 3_600_000);
    const stillOk = await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(stillOk.status).toBe(200);
    const third = stillOk.json as { refresh_token: string };

    qbo.advanceClock(2 * 3_600_000); // 25 h after `second` was issued
    const dead = await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(dead.status).toBe(400);
    expect(dead.json).toEqual({ error: 'invalid_grant', error_description: 'Token invalid' });
    expect(dead.headers.get('intuit_tid')).toBeTruthy();
    // `second` was superseded by `third` only 2 h ago; the newest always works.
    expect((await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: second.refresh_token })).status).toBe(200);
    const newest = await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: third.refresh_token });
    expect(newest.status).toBe(200);
  });

  it('revoke disconnects: refresh fails and the API answers 403 ApplicationAuthorizationFailed', async () => {
    const tok = qbo.issueTokens();
    const api = client(qbo, () => tok.access_token);
    expect((await api.get(`/companyinfo/${qbo.realmId}`)).status).toBe(200);
    const r = await call(qbo.endpoints.revoke, {
      method: 'POST',
      headers: { Authorization: basic(qbo), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token: tok.refresh_token }),
    });
    expect(r.status).toBe(200);
    expect((await tokenRequest(qbo, { grant_type: 'refresh_token', refresh_token: tok.refresh_token })).status).toBe(400);
    const denied = await api.get<{ fault: { error: { code: string }[]; type: string } }>(`/companyinfo/${qbo.realmId}`);
    expect(denied.status).toBe(403);
    expect(denied.json.fault.error[0]?.code).toBe('3100');
    expect(denied.json.fault.type).toBe('SERVICE');
  });

  it('serves a discovery document pointing at the emulator', async () => {
    const d = await call<Record<string, string>>(qbo.endpoints.discovery);
    expect(d.json.token_endpoint).toBe(qbo.endpoints.token);
    expect(d.json.authorization_endpoint).toBe(qbo.endpoints.authorize);
    expect(d.json.revocation_endpoint).toBe(qbo.endpoints.revoke);
  });
});

describe('QBO emulator: API over the demo company', () => {
  let qbo: QboServer;
  let token: string;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    qbo = await startQboServer({ today: TODAY, invoices: 60 });
    token = qbo.issueTokens().access_token;
    api = client(qbo, () => token);
  });
  afterAll(() => qbo.close());

  it('answers with intuit_tid, a time with milliseconds and the company offset, and two-decimal amounts', async () => {
    const r = await api.query('SELECT * FROM Invoice MAXRESULTS 5');
    expect(r.status).toBe(200);
    expect(r.headers.get('intuit_tid')).toMatch(/\S+/);
    const body = r.json as unknown as QueryBody;
    expect(body.time).toMatch(/^2025-06-15T17:00:00\.\d{3}-07:00$/);
    expect(r.text).toMatch(/"TotalAmt":\d+\.\d{2}[,}]/);
    expect(r.text).not.toMatch(/"(TotalAmt|Balance|Amount)":\d+[,}]/);
    const inv = (body.QueryResponse.Invoice as QboInvoice[])[0] as QboInvoice;
    expect(inv.MetaData.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/);
    expect(inv.TxnDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(inv).toMatchObject({ domain: 'QBO', sparse: false });
    // Winter times carry PST, summer times PDT.
    const offsets = new Set((await api.query('SELECT * FROM Invoice MAXRESULTS 1000')).text.match(/T\d{2}:\d{2}:\d{2}(-0[78]:00)/g)?.map((s) => s.slice(-6)));
    expect(offsets).toEqual(new Set(['-07:00', '-08:00']));
  });

  it('returns XML unless asked for JSON', async () => {
    const r = await call(`${api.base}/companyinfo/${qbo.realmId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(r.headers.get('content-type')).toMatch(/xml/);
  });

  it('pages with STARTPOSITION/MAXRESULTS and counts with count(*)', async () => {
    const count = await api.query<QueryBody>('SELECT count(*) FROM Invoice');
    expect(count.json.QueryResponse).toEqual({ totalCount: 60 });
    const ids: string[] = [];
    for (let start = 1; ; start += 25) {
      const page = await api.query<QueryBody>(`SELECT * FROM Invoice ORDERBY MetaData.LastUpdatedTime STARTPOSITION ${start} MAXRESULTS 25`);
      const rows = (page.json.QueryResponse.Invoice ?? []) as QboInvoice[];
      if (rows.length === 0) {
        expect(page.json.QueryResponse).toEqual({});
        break;
      }
      expect(page.json.QueryResponse.startPosition).toBe(start);
      expect(page.json.QueryResponse.maxResults).toBe(rows.length);
      ids.push(...rows.map((r) => r.Id));
    }
    expect(ids).toHaveLength(60);
    expect(new Set(ids)).toEqual(new Set(qbo.snapshot().invoices.map((i) => i.Id)));
    const dflt = await api.query<QueryBody>('select * from Invoice');
    expect(dflt.json.QueryResponse.maxResults).toBe(60); // default 100 covers them all
  });

  it('filters with = < > IN LIKE, dotted MetaData fields and CustomerRef', async () => {
    const snap = qbo.snapshot();
    const open = snap.invoices.filter((i) => i.Balance > 0);
    const r = await api.query<QueryBody>("SELECT * FROM Invoice WHERE Balance > '0' MAXRESULTS 1000");
    expect((r.json.QueryResponse.Invoice as QboInvoice[]).map((i) => i.Id).sort()).toEqual(open.map((i) => i.Id).sort());

    const cust = snap.customers[1]?.Id as string;
    const mine = await api.query<QueryBody>(`SELECT count(*) FROM Invoice WHERE CustomerRef = '${cust}' AND TxnDate >= '2024-01-01'`);
    expect(mine.json.QueryResponse.totalCount).toBe(snap.invoices.filter((i) => i.CustomerRef.value === cust && i.TxnDate >= '2024-01-01').length);

    const inList = await api.query<QueryBody>(`SELECT * FROM Customer WHERE Id IN ('1', '3')`);
    expect((inList.json.QueryResponse.Customer as { Id: string }[]).map((c) => c.Id)).toEqual(['1', '3']);

    const like = await api.query<QueryBody>(`SELECT * FROM Customer WHERE DisplayName LIKE 'harbor%'`);
    expect((like.json.QueryResponse.Customer as { DisplayName: string }[]).map((c) => c.DisplayName)).toEqual(['Harbor Street Coffee Roasters']);

    const since = '2025-06-01T00:00:00-07:00';
    const recent = await api.query<QueryBody>(`SELECT count(*) FROM Payment WHERE MetaData.LastUpdatedTime > '${since}'`);
    expect(recent.json.QueryResponse.totalCount).toBe(snap.payments.filter((p) => Date.parse(p.MetaData.LastUpdatedTime) > Date.parse(since)).length);
  });

  it('rejects OR (and other unsupported syntax) with a 4000 QueryParserError fault', async () => {
    for (const q of [
      "SELECT * FROM Invoice WHERE Balance > '0' OR DocNumber = 'INV-1001'",
      'SELECT Id FROM Invoice',
      "SELECT * FROM Invoice WHERE Balance != '0'",
      'SELECT * FROM Invoice ORDER BY TxnDate',
    ]) {
      const r = await api.query<FaultBody>(q);
      expect(r.status, q).toBe(400);
      expect(r.json.Fault.type).toBe('ValidationFault');
      expect(r.json.Fault.Error[0]).toMatchObject({ Message: 'Error parsing query', code: '4000' });
      expect(r.json.Fault.Error[0]?.Detail).toMatch(/^QueryParserError: /);
      expect(r.json.time).toBeTruthy();
    }
    const unknown = await api.query<FaultBody>("SELECT * FROM invoice WHERE Foo = 'x'");
    expect(unknown.status).toBe(400);
    expect(unknown.json.Fault.Error[0]?.code).toBe('4001');
  });

  it('accepts a query POSTed as application/text', async () => {
    const r = await api.post<QueryBody>('/query?minorversion=75', 'SELECT count(*) FROM Customer', 'application/text');
    expect(r.status).toBe(200);
    expect(r.json.QueryResponse.totalCount).toBe(qbo.snapshot().customers.length);
  });

  it('returns only active customers unless the query says Active IN (true,false)', async () => {
    const all = qbo.snapshot().customers.length;
    const hidden = qbo.updateCustomer('2', { Active: false });
    expect(hidden.Active).toBe(false);
    try {
      const dflt = await api.query<QueryBody>('SELECT count(*) FROM Customer');
      expect(dflt.json.QueryResponse.totalCount).toBe(all - 1);
      const both = await api.query<QueryBody>('SELECT count(*) FROM Customer WHERE Active IN (true,false)');
      expect(both.json.QueryResponse.totalCount).toBe(all);
      const inactive = await api.query<QueryBody>('SELECT * FROM Customer WHERE Active = false');
      expect((inactive.json.QueryResponse.Customer as { Id: string }[]).map((c) => c.Id)).toEqual(['2']);
    } finally {
      qbo.updateCustomer('2', { Active: true });
    }
  });

  it('reads entities and CompanyInfo by id; unknown ids give 610', async () => {
    const inv = qbo.snapshot().invoices[0] as QboInvoice;
    const r = await api.get<{ Invoice: QboInvoice; time: string }>(`/invoice/${inv.Id}?minorversion=75`);
    expect(r.json.Invoice).toEqual(inv);
    const linked = await api.get<{ Invoice: QboInvoice }>(`/invoice/${inv.Id}?include=invoiceLink`);
    expect(linked.json.Invoice.InvoiceLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const info = await api.get<{ CompanyInfo: { CompanyName: string; Country: string } }>(`/companyinfo/${qbo.realmId}`);
    expect(info.json.CompanyInfo).toMatchObject({ CompanyName: 'Juniper & Finch Print Studio', Country: 'US' });
    const missing = await api.get<FaultBody>('/invoice/999999');
    expect(missing.status).toBe(400);
    expect(missing.json.Fault.Error[0]?.code).toBe('610');
  });

  it('keeps balances consistent: invoice balance = total − payments, customer balance nets credits', () => {
    const snap = qbo.snapshot();
    const applied = new Map<string, number>();
    for (const p of snap.payments) for (const l of p.Line) for (const t of l.LinkedTxn) applied.set(t.TxnId, (applied.get(t.TxnId) ?? 0) + cents(l.Amount));
    for (const inv of snap.invoices) {
      expect(cents(inv.Balance)).toBe(cents(inv.TotalAmt) - (applied.get(inv.Id) ?? 0));
      expect(inv.LinkedTxn.every((l) => l.TxnType === 'Payment')).toBe(true);
    }
    for (const cm of snap.creditMemos) expect(cents(cm.RemainingCredit)).toBe(cents(cm.TotalAmt) - (applied.get(cm.Id) ?? 0));
    for (const c of snap.customers) {
      const expected =
        snap.invoices.filter((i) => i.CustomerRef.value === c.Id).reduce((s, i) => s + cents(i.Balance), 0) -
        snap.payments.filter((p) => p.CustomerRef.value === c.Id).reduce((s, p) => s + cents(p.UnappliedAmt), 0) -
        snap.creditMemos.filter((m) => m.CustomerRef.value === c.Id).reduce((s, m) => s + cents(m.RemainingCredit), 0);
      expect(cents(c.Balance)).toBe(expected);
    }
    // Voids are zeroed with a "Voided" private note; credits are applied through zero-total payments.
    for (const inv of snap.invoices.filter((i) => i.PrivateNote?.startsWith('Voided'))) expect([inv.TotalAmt, inv.Balance]).toEqual([0, 0]);
    for (const p of snap.payments.filter((x) => x.Line.some((l) => l.LinkedTxn[0]?.TxnType === 'CreditMemo'))) expect(p.TotalAmt).toBe(0);
  });

  it('pads the customer list with idle customers when asked (the bench company)', async () => {
    const padded = await startQboServer({ today: TODAY, invoices: 60, customers: 40 });
    try {
      const snap = padded.snapshot();
      expect(snap.customers).toHaveLength(40);
      expect(snap.invoices).toHaveLength(60);
      expect(new Set(snap.customers.map((c) => c.DisplayName)).size).toBe(40);
      expect(snap.customers.slice(8).every((c) => c.Balance === 0)).toBe(true);
      expect(qbo.snapshot().customers).toHaveLength(8);
    } finally {
      await padded.close();
    }
  });

  it('matches the demo generator: one QBO invoice per demo invoice, same open balances', async () => {
    const { generateDemo } = await import('../../../src/main/core/connectors/demo/generate');
    const demo = generateDemo({ seed: 7, invoices: 60, today: TODAY });
    for (const d of demo.batch.invoices ?? []) {
      const inv = qbo.get('Invoice', qbo.idForDemo(d.externalId) as string) as QboInvoice;
      expect(inv.DocNumber).toBe(d.number);
      expect(cents(inv.Balance)).toBe(d.status === 'void' ? 0 : d.balanceCents);
      expect(inv.DueDate).toBe(d.dueDate);
    }
  });

  it("computes AgedReceivables whose totals equal the sum of open balances (home currency)", async () => {
    const r = await api.get<{ Header: { ReportName: string; Currency: string; Option: { Name: string; Value: string }[] }; Columns: { Column: { ColTitle: string }[] }; Rows: { Row: { type?: string; group?: string; ColData?: { value: string; id?: string }[]; Summary?: { ColData: { value: string }[] } }[] } }>(
      '/reports/AgedReceivables?minorversion=75',
    );
    expect(r.status).toBe(200);
    expect(r.json.Header).toMatchObject({ ReportName: 'AgedReceivables', Currency: 'USD' });
    expect(r.json.Header.Option).toContainEqual({ Name: 'report_date', Value: TODAY });
    expect(r.json.Columns.Column.map((c) => c.ColTitle)).toEqual(['', 'Current', '1 - 30', '31 - 60', '61 - 90', '91 and over', 'Total']);
    const rows = r.json.Rows.Row;
    const grand = rows.find((x) => x.group === 'GrandTotal')?.Summary?.ColData.map((c) => c.value) ?? [];
    expect(grand[0]).toBe('TOTAL');

    const snap = qbo.snapshot();
    const home = (c: number, rate: number): number => Math.round(c * rate);
    const expected =
      snap.invoices.reduce((s, i) => s + home(cents(i.Balance), i.ExchangeRate), 0) -
      snap.payments.reduce((s, p) => s + home(cents(p.UnappliedAmt), p.ExchangeRate), 0) -
      snap.creditMemos.reduce((s, m) => s + home(cents(m.RemainingCredit), m.ExchangeRate), 0);
    expect(cents(Number(grand[6]))).toBe(expected);
    // Buckets add up to the total, and each customer's row total is its Balance in home currency.
    expect(grand.slice(1, 6).reduce((s, v) => s + cents(Number(v)), 0)).toBe(expected);
    for (const row of rows.filter((x) => x.type === 'Data')) {
      const cells = row.ColData ?? [];
      const cust = snap.customers.find((c) => c.Id === cells[0]?.id);
      expect(cust).toBeDefined();
      const rate = cust?.CurrencyRef.value === 'EUR' ? 1.08 : cust?.CurrencyRef.value === 'GBP' ? 1.27 : 1;
      expect(Math.abs(cents(Number(cells[6]?.value || '0')) - home(cents(cust?.Balance ?? 0), rate))).toBeLessThanOrEqual(5);
    }
    // The Current bucket holds only invoices not yet due (plus credits), 91+ only those 91+ days late.
    const aging = qbo.aging();
    expect(aging.reduce((s, a) => s + a.total, 0)).toBe(expected);
  });
});

describe('QBO emulator: writes, SyncToken, requestid, send', () => {
  let qbo: QboServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    qbo = await startQboServer({ today: TODAY, invoices: 40 });
    const tok = qbo.issueTokens().access_token;
    api = client(qbo, () => tok);
  });
  afterAll(() => qbo.close());

  const openInvoice = (): QboInvoice => qbo.snapshot().invoices.find((i) => i.Balance > 0 && i.BillEmail) as QboInvoice;

  it('sparse-updates PrivateNote, bumping SyncToken and LastUpdatedTime; a stale SyncToken gives 5010', async () => {
    const inv = openInvoice();
    const r = await api.post<{ Invoice: QboInvoice }>('/invoice?minorversion=75', { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'Called AP, promised 6/20' });
    expect(r.status).toBe(200);
    expect(r.json.Invoice.PrivateNote).toBe('Called AP, promised 6/20');
    expect(r.json.Invoice.SyncToken).toBe(String(Number(inv.SyncToken) + 1));
    expect(r.json.Invoice.MetaData.LastUpdatedTime > inv.MetaData.LastUpdatedTime).toBe(true);
    expect(r.json.Invoice.TotalAmt).toBe(inv.TotalAmt);
    expect(r.json.Invoice.CustomerMemo).toEqual(inv.CustomerMemo); // sparse keeps the rest

    const stale = await api.post<FaultBody>('/invoice', { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'late' });
    expect(stale.status).toBe(400);
    expect(stale.json.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ Message: 'Stale Object Error', code: '5010' }] });
    expect(qbo.get('Invoice', inv.Id)?.PrivateNote).toBe('Called AP, promised 6/20');

    const tooLong = await api.post<FaultBody>('/invoice', { Id: inv.Id, SyncToken: r.json.Invoice.SyncToken, sparse: true, PrivateNote: 'x'.repeat(4001) });
    expect(tooLong.status).toBe(400);
  });

  it('replays the original response for a repeated requestid, and applies the write once', async () => {
    const inv = openInvoice();
    const body = { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'replay me' };
    const first = await api.post<{ Invoice: QboInvoice }>('/invoice?minorversion=75&requestid=req-1', body);
    const again = await api.post<{ Invoice: QboInvoice }>('/invoice?minorversion=75&requestid=req-1', body);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(qbo.get('Invoice', inv.Id)?.SyncToken).toBe(first.json.Invoice.SyncToken);
    // A new id with the old token is a new (stale) write.
    expect((await api.post('/invoice?requestid=req-2', body)).status).toBe(400);
  });

  it('replays after a connection dropped once the write was committed', async () => {
    const inv = openInvoice();
    const body = { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'dropped but saved' };
    qbo.faults.queue.push('dropAfterCommit');
    await expect(api.post('/invoice?requestid=req-drop', body)).rejects.toThrow();
    expect(qbo.get('Invoice', inv.Id)?.PrivateNote).toBe('dropped but saved');
    const retry = await api.post<{ Invoice: QboInvoice }>('/invoice?requestid=req-drop', body);
    expect(retry.status).toBe(200);
    expect(retry.json.Invoice.SyncToken).toBe(String(Number(inv.SyncToken) + 1));
  });

  it('sends an invoice: EmailSent, DeliveryInfo, sendTo overwrites BillEmail, SyncToken bumped', async () => {
    const inv = openInvoice();
    const r = await api.post<{ Invoice: QboInvoice }>(`/invoice/${inv.Id}/send?sendTo=${encodeURIComponent('ap@new.example')}&minorversion=75`, '', 'application/octet-stream');
    expect(r.status).toBe(200);
    expect(r.json.Invoice).toMatchObject({ EmailStatus: 'EmailSent', BillEmail: { Address: 'ap@new.example' }, DeliveryInfo: { DeliveryType: 'Email' } });
    expect(r.json.Invoice.SyncToken).toBe(String(Number(inv.SyncToken) + 1));
    expect(qbo.outbox.at(-1)).toMatchObject({ invoiceId: inv.Id, to: 'ap@new.example' });

    const bare = qbo.createInvoice({ customerId: inv.CustomerRef.value, amount: 10, billEmail: null });
    const refused = await api.post<FaultBody>(`/invoice/${bare.Id}/send`, '', 'application/octet-stream');
    expect(refused.status).toBe(400);
    expect(refused.json.Fault.type).toBe('ValidationFault');
  });

  it('models sub-customers as Job:true + ParentRef, rolls balances up and nests them in the aging report', async () => {
    const parent = qbo.createCustomer({ displayName: 'Northwind Group', email: 'ap@northwind.example' });
    const job = qbo.createCustomer({ displayName: 'Warehouse 7', parentId: parent.Id });
    expect(job).toMatchObject({ Job: true, ParentRef: { value: parent.Id }, FullyQualifiedName: 'Northwind Group:Warehouse 7' });
    qbo.createInvoice({ customerId: parent.Id, amount: 100 });
    qbo.createInvoice({ customerId: job.Id, amount: 250.25, txnDate: '2025-03-01', dueDate: '2025-03-31' });
    expect(qbo.get('Customer', job.Id)).toMatchObject({ Balance: 250.25, BalanceWithJobs: 250.25 });
    expect(qbo.get('Customer', parent.Id)).toMatchObject({ Balance: 100, BalanceWithJobs: 350.25 });
    const r = await api.get<{ Rows: { Row: { type?: string; Header?: { ColData: { value: string; id?: string }[] }; Rows?: { Row: { ColData: { value: string; id?: string }[] }[] }; Summary?: { ColData: { value: string }[] } }[] } }>(
      `/reports/AgedReceivables?customer=${parent.Id},${job.Id}`,
    );
    const section = r.json.Rows.Row.find((x) => x.Header?.ColData[0]?.id === parent.Id);
    expect(section?.type).toBe('Section');
    expect(section?.Rows?.Row.map((x) => x.ColData[0]?.id)).toEqual([parent.Id, job.Id]);
    expect(section?.Rows?.Row[1]?.ColData.map((c) => c.value)).toEqual(['Warehouse 7', '', '', '', '250.25', '', '250.25']);
    expect(section?.Summary?.ColData.map((c) => c.value)).toEqual(['Total Northwind Group', '100.00', '0.00', '0.00', '250.25', '0.00', '350.25']);

    // The demo's own sub-accounts appear once the company is big enough to include them.
    const big = await startQboServer({ today: TODAY, invoices: 400 });
    try {
      const jobs = big.snapshot().customers.filter((c) => c.Job);
      expect(jobs.length).toBeGreaterThan(0);
      for (const j of jobs) expect(big.get('Customer', j.ParentRef?.value as string)?.Job).toBe(false);
    } finally {
      await big.close();
    }
  });

  it('mutations stamp time: payInvoice creates a linked Payment and bumps the invoice', () => {
    const inv = openInvoice();
    const before = qbo.now().getTime();
    const pay = qbo.payInvoice(inv.Id, { amount: 1, reference: 'CHK 1' });
    expect(qbo.now().getTime()).toBeGreaterThan(before);
    expect(pay.Line[0]?.LinkedTxn).toEqual([{ TxnId: inv.Id, TxnType: 'Invoice' }]);
    const after = qbo.get('Invoice', inv.Id) as QboInvoice;
    expect(cents(after.Balance)).toBe(cents(inv.Balance) - 100);
    expect(after.LinkedTxn).toContainEqual({ TxnId: pay.Id, TxnType: 'Payment' });
    expect(after.MetaData.LastUpdatedTime).toBe(pay.MetaData.CreateTime);
    expect(Number(after.SyncToken)).toBe(Number(inv.SyncToken) + 1);
  });
});

describe('QBO emulator: CDC', () => {
  let qbo: QboServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    qbo = await startQboServer({ today: TODAY, invoices: 40 });
    const tok = qbo.issueTokens().access_token;
    api = client(qbo, () => tok);
  });
  afterAll(() => qbo.close());

  const cdc = (since: string, entities = 'Customer,Invoice,Payment,CreditMemo') =>
    api.get<CdcBody>(`/cdc?entities=${entities}&changedSince=${encodeURIComponent(since)}&minorversion=75`);
  const groups = (body: CdcBody): Record<string, { Id: string; status?: string; MetaData: { LastUpdatedTime: string } }[]> => {
    const out: Record<string, { Id: string; status?: string; MetaData: { LastUpdatedTime: string } }[]> = {};
    for (const g of body.CDCResponse[0]?.QueryResponse ?? []) {
      for (const [k, v] of Object.entries(g)) if (Array.isArray(v)) out[k] = v as never;
    }
    return out;
  };

  it('returns changes grouped per entity, oldest first, with deletes after the active ones', async () => {
    const since = qbo.stamp();
    const cust = qbo.createCustomer({ displayName: 'CDC Test Co', email: 'ap@cdc.example' });
    const a = qbo.createInvoice({ customerId: cust.Id, amount: 120 });
    const b = qbo.createInvoice({ customerId: cust.Id, amount: 80.5 });
    qbo.deleteInvoice(a.Id);
    const pay = qbo.payInvoice(b.Id, { amount: 30 });
    const r = await cdc(since);
    expect(r.status).toBe(200);
    expect(r.headers.get('intuit_tid')).toBeTruthy();
    const g = groups(r.json);
    expect(g.Customer?.map((c) => c.Id)).toEqual([cust.Id]);
    expect(g.Payment?.map((p) => p.Id)).toEqual([pay.Id]);
    const invs = g.Invoice ?? [];
    expect(invs.map((i) => i.Id)).toEqual([b.Id, a.Id]);
    expect(invs[1]).toEqual({ status: 'Deleted', domain: 'QBO', Id: a.Id, MetaData: { LastUpdatedTime: expect.stringMatching(/-0[78]:00$/) as unknown as string } });
    expect(g).not.toHaveProperty('CreditMemo');
    const invGroup = r.json.CDCResponse[0]?.QueryResponse.find((x) => 'Invoice' in x);
    expect(invGroup).toMatchObject({ startPosition: 1, maxResults: 2 });
    // Deleted rows never come back from a query.
    const q = await api.query<QueryBody>(`SELECT * FROM Invoice WHERE Id = '${a.Id}'`);
    expect(q.json.QueryResponse).toEqual({});
    // changedSince is inclusive; a window after the last change is empty.
    expect(groups((await cdc(pay.MetaData.LastUpdatedTime)).json).Payment?.map((p) => p.Id)).toEqual([pay.Id]);
    qbo.advanceClock(1000);
    const later = await cdc(qbo.stamp());
    expect(later.json.CDCResponse[0]?.QueryResponse).toEqual([]);
  });

  it('accepts a date or date-time within the last 30 days and refuses older ones', async () => {
    qbo.advanceClock(0);
    const ok = await cdc(new Date(qbo.now().getTime() - 29 * DAY).toISOString());
    expect(ok.status).toBe(200);
    const dateOnly = await cdc('2025-06-01');
    expect(dateOnly.status).toBe(200);
    const old = await cdc(new Date(qbo.now().getTime() - 31 * DAY).toISOString());
    expect(old.status).toBe(400);
    expect((old.json as unknown as FaultBody).Fault.Error[0]?.Detail).toMatch(/changedSince/);
    const bad = await cdc('yesterday');
    expect(bad.status).toBe(400);
    const unsupported = await api.get<FaultBody>(`/cdc?entities=TimeActivity&changedSince=2025-06-10`);
    expect(unsupported.status).toBe(400);
  });
});

describe('QBO emulator: limits and faults', () => {
  let qbo: QboServer;
  let token: string;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    qbo = await startQboServer({ today: TODAY, empty: true, rateLimit: { perMinute: 10_000, concurrent: 10 } });
    token = qbo.issueTokens().access_token;
    api = client(qbo, () => token);
  });
  afterAll(() => qbo.close());

  it('caps CDC at 1000 objects (the oldest) and MAXRESULTS at 1000', async () => {
    const since = qbo.stamp();
    const cust = qbo.createCustomer({ displayName: 'Bulk Buyer' });
    for (let i = 0; i < 1004; i++) qbo.createInvoice({ customerId: cust.Id, amount: 10 + i });
    const r = await api.get<CdcBody>(`/cdc?entities=Customer,Invoice&changedSince=${encodeURIComponent(since)}`);
    const qr = r.json.CDCResponse[0]?.QueryResponse ?? [];
    const invoices = (qr.find((g) => 'Invoice' in g)?.Invoice ?? []) as QboInvoice[];
    expect(qr.find((g) => 'Customer' in g)?.Customer).toHaveLength(1);
    expect(invoices).toHaveLength(999);
    const times = invoices.map((i) => Date.parse(i.MetaData.LastUpdatedTime));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The rest comes from a window starting at the newest object seen.
    const next = invoices.at(-1)?.MetaData.LastUpdatedTime as string;
    const rest = await api.get<CdcBody>(`/cdc?entities=Invoice&changedSince=${encodeURIComponent(next)}`);
    expect((rest.json.CDCResponse[0]?.QueryResponse[0]?.Invoice as unknown[]).length).toBe(6);

    const big = await api.query<QueryBody>('SELECT * FROM Invoice MAXRESULTS 5000');
    expect(big.json.QueryResponse.maxResults).toBe(1000);
  });

  it('answers 401 with the lowercase fault body once the access token is 3600 s old, or on the knob', async () => {
    const tok = qbo.issueTokens();
    const mine = client(qbo, () => tok.access_token);
    expect((await mine.get(`/companyinfo/${qbo.realmId}`)).status).toBe(200);
    qbo.advanceClock(3_600_000);
    const r = await mine.get<Record<string, unknown>>(`/companyinfo/${qbo.realmId}`);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      warnings: null,
      intuitObject: null,
      fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200', element: null }], type: 'AUTHENTICATION' },
      report: null,
      queryResponse: null,
      batchItemResponse: [],
      attachableResponse: [],
      syncErrorResponse: null,
      requestId: null,
      status: null,
      cdcresponse: [],
    });
    expect(typeof r.json.time).toBe('number');
    expect(r.headers.get('intuit_tid')).toBeTruthy();

    const fresh = qbo.issueTokens();
    token = fresh.access_token;
    expect((await api.get(`/companyinfo/${qbo.realmId}`)).status).toBe(200);
    qbo.expireAccessTokens();
    expect((await api.get(`/companyinfo/${qbo.realmId}`)).status).toBe(401);
    token = qbo.issueTokens().access_token;
  });

  it('throttles with the 3001 fault: on the knob, and past the per-minute limit', async () => {
    qbo.faults.queue.push('429');
    const r = await api.get<FaultBody>(`/companyinfo/${qbo.realmId}`);
    expect(r.status).toBe(429);
    expect(r.json.Fault.Error[0]).toMatchObject({ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' });
    expect(r.headers.get('retry-after')).toBeNull();
    expect((await api.get(`/companyinfo/${qbo.realmId}`)).status).toBe(200);

    qbo.faults.throttleRate = 1;
    try {
      const statuses = await Promise.all([1, 2, 3].map(async () => (await api.get(`/companyinfo/${qbo.realmId}`)).status));
      expect(statuses).toEqual([429, 429, 429]);
    } finally {
      qbo.faults.throttleRate = 0;
    }

    const small = await startQboServer({ today: TODAY, empty: true, rateLimit: { perMinute: 3, concurrent: 10 } });
    try {
      const t = small.issueTokens().access_token;
      const c = client(small, () => t);
      const seq: number[] = [];
      for (let i = 0; i < 5; i++) seq.push((await c.get(`/companyinfo/${small.realmId}`)).status);
      expect(seq).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await small.close();
    }
  });

  it('limits concurrency to 10 requests in flight', async () => {
    qbo.faults.latencyMs = 150;
    try {
      const statuses = await Promise.all(Array.from({ length: 12 }, async () => (await api.get(`/companyinfo/${qbo.realmId}`)).status));
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    } finally {
      qbo.faults.latencyMs = 0;
    }
  });

  it('injects 500s, hangs until the client aborts, and drops connections', async () => {
    qbo.faults.queue.push('500', 'timeout', 'drop');
    const e500 = await api.get<FaultBody>(`/companyinfo/${qbo.realmId}`);
    expect(e500.status).toBe(500);
    expect(e500.json.Fault).toMatchObject({ type: 'SystemFault', Error: [{ code: '10000' }] });
    await expect(api.get(`/companyinfo/${qbo.realmId}`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await expect(api.get(`/companyinfo/${qbo.realmId}`)).rejects.toThrow();
    expect((await api.get(`/companyinfo/${qbo.realmId}`)).status).toBe(200);
    expect(qbo.requests.log.slice(-4).map((e) => e.fault ?? null)).toEqual(['500', 'timeout', 'drop', null]);
  });

  it('logs every request and draws the same faults for the same seed', async () => {
    const draw = async (): Promise<number[]> => {
      const s = await startQboServer({ today: TODAY, empty: true, seed: 42, faults: { serverErrorRate: 0.5 } });
      try {
        const t = s.issueTokens().access_token;
        const c = client(s, () => t);
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await c.get(`/companyinfo/${s.realmId}`)).status);
        expect(s.requests.count).toBe(12);
        expect(s.requests.log[0]).toMatchObject({ method: 'GET', path: `/v3/company/${s.realmId}/companyinfo/${s.realmId}`, query: {} });
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await draw();
    expect(a).toEqual(await draw());
    expect(new Set(a)).toEqual(new Set([200, 500]));
  });
});
