import { createHash } from 'node:crypto';
import { freeRedirectUri } from '../../support/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroServer, type XeroConnection, type XeroInvoice, type XeroPayment, type XeroServer, type XeroTokenResponse } from '../../fakes/xero-server';
import { call, type Res } from './call';

const TODAY = '2025-06-15';
const REDIRECT = await freeRedirectUri();

const form = (xero: XeroServer, body: Record<string, string>): Promise<Res<XeroTokenResponse & { error?: string }>> =>
  call(xero.endpoints.token, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

function api(xero: XeroServer, token: () => string, tenant: () => string = () => xero.tenantId) {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${token()}`, 'xero-tenant-id': tenant(), Accept: 'application/json', ...extra });
  return {
    get: <T = Record<string, unknown>>(path: string, extra: Record<string, string> = {}) => call<T>(`${xero.accountingBase}${path}`, { headers: headers(extra) }),
    send: <T = Record<string, unknown>>(method: string, path: string, body: unknown, extra: Record<string, string> = {}) =>
      call<T>(`${xero.accountingBase}${path}`, { method, headers: headers({ 'Content-Type': 'application/json', ...extra }), body: JSON.stringify(body) }),
  };
}

async function pkceTokens(xero: XeroServer, verifier = 'v'.repeat(43) + 'abc', sendVerifier = verifier): Promise<Res<XeroTokenResponse & { error?: string }>> {
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: xero.clientId,
    redirect_uri: REDIRECT,
    scope: 'openid profile email offline_access accounting.invoices accounting.contacts accounting.payments.read accounting.settings.read',
    state: 'st4te',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const auth = await call(`${xero.endpoints.authorize}?${q}`);
  expect(auth.status).toBe(302);
  const loc = new URL(auth.headers.get('location') as string);
  expect(loc.searchParams.get('state')).toBe('st4te');
  const code = loc.searchParams.get('code') as string;
  return form(xero, { grant_type: 'authorization_code', client_id: xero.clientId, code, redirect_uri: REDIRECT, code_verifier: sendVerifier });
}

const jwtClaims = (t: string): Record<string, unknown> => JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('xero emulator: identity', () => {
  let xero: XeroServer;
  beforeAll(async () => {
    xero = await startXeroServer({ today: TODAY, invoices: 60, tenants: 3 });
  });
  afterAll(() => xero.close());

  it('serves OIDC discovery', async () => {
    const d = await call<Record<string, unknown>>(xero.endpoints.discovery);
    expect(d.json.issuer).toBe(xero.identityBase);
    expect(d.json.token_endpoint).toBe(xero.endpoints.token);
    expect(d.json.code_challenge_methods_supported).toContain('S256');
  });

  it('verifies the PKCE verifier and rejects a wrong one', async () => {
    const bad = await pkceTokens(xero, 'a'.repeat(50), 'b'.repeat(50));
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_grant');
    const ok = await pkceTokens(xero);
    expect(ok.status).toBe(200);
    expect(ok.json.expires_in).toBe(1800);
    expect(ok.json.token_type).toBe('Bearer');
    expect(ok.json.refresh_token).toBeTruthy();
    expect(ok.json.id_token).toBeTruthy();
    expect(jwtClaims(ok.json.access_token).authEventId).toBe(jwtClaims(ok.json.access_token).authentication_event_id);
  });

  it('redirects with access_denied when consent is refused', async () => {
    xero.faults.denyConsent = true;
    const q = new URLSearchParams({ response_type: 'code', client_id: xero.clientId, redirect_uri: REDIRECT, scope: 'offline_access', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const r = await call(`${xero.endpoints.authorize}?${q}`);
    xero.faults.denyConsent = false;
    expect(new URL(r.headers.get('location') as string).searchParams.get('error')).toBe('access_denied');
  });

  it('rotates refresh tokens with a 30-minute grace, once', async () => {
    const first = xero.issueTokens();
    const r1 = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: first.refresh_token as string });
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token).not.toBe(first.refresh_token);
    // The response was "lost": the old token works once more within the grace and gives the same pair.
    xero.advanceClock(10 * 60_000);
    const retry = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: first.refresh_token as string });
    expect(retry.status).toBe(200);
    expect(retry.json.refresh_token).toBe(r1.json.refresh_token);
    expect(retry.json.access_token).toBe(r1.json.access_token);
    const again = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: first.refresh_token as string });
    expect(again.json.error).toBe('invalid_grant');
    // Past the grace, a used token is dead.
    const r2 = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: r1.json.refresh_token as string });
    xero.advanceClock(31 * 60_000);
    const late = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: r1.json.refresh_token as string });
    expect(late.json.error).toBe('invalid_grant');
    // Unused for 60 days: expired.
    xero.advanceClock(61 * 86_400_000);
    const idle = await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: r2.json.refresh_token as string });
    expect(idle.json.error).toBe('invalid_grant');
  });

  it('expires access tokens after 1800 s with the problem-details body', async () => {
    const t = xero.issueTokens();
    const c = api(xero, () => t.access_token);
    expect((await c.get('/Invoices?page=1')).status).toBe(200);
    xero.advanceClock(1800_000);
    const r = await c.get<Record<string, unknown>>('/Invoices?page=1');
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401, Extensions: {} });
    expect(String(r.json.Detail)).toMatch(/^TokenExpired: token expired at \d\d\/\d\d\/\d{4} /);
  });

  it('lists several organisations per authorisation, filters by authEventId, and deletes a connection', async () => {
    const t = xero.issueTokens();
    const ev = jwtClaims(t.access_token).authEventId as string;
    const list = await call<XeroConnection[]>(`${xero.endpoints.connections}?authEventId=${ev}`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(list.json).toHaveLength(3);
    expect(list.json.every((c) => c.tenantType === 'ORGANISATION' && c.authEventId === ev)).toBe(true);
    expect(new Set(list.json.map((c) => c.tenantId))).toEqual(new Set(xero.tenantIds));
    const victim = list.json[2] as XeroConnection;
    const del = await call(`${xero.endpoints.connections}/${victim.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(del.status).toBe(204);
    const gone = await api(xero, () => t.access_token, () => victim.tenantId).get('/Invoices?page=1');
    expect(gone.status).toBe(403);
    const other = await api(xero, () => t.access_token, () => (list.json[1] as XeroConnection).tenantId).get<{ Invoices: unknown[] }>('/Invoices?page=1');
    expect(other.status).toBe(200);
    expect(other.json.Invoices.length).toBeGreaterThan(0);
  });

  it('revocation kills the grant', async () => {
    const t = xero.issueTokens({ tenants: [xero.tenantId] });
    const r = await call(xero.endpoints.revocation, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t.refresh_token as string, client_id: xero.clientId }).toString() });
    expect(r.status).toBe(200);
    expect((await api(xero, () => t.access_token).get('/Invoices?page=1')).status).toBe(401);
    expect((await form(xero, { grant_type: 'refresh_token', client_id: xero.clientId, refresh_token: t.refresh_token as string })).json.error).toBe('invalid_grant');
  });
});

describe('xero emulator: accounting API', () => {
  let xero: XeroServer;
  let token: XeroTokenResponse;
  let c: ReturnType<typeof api>;
  beforeAll(async () => {
    xero = await startXeroServer({ today: TODAY, invoices: 250, rateLimit: { perMinute: 10_000, perDay: 100_000 } });
    token = xero.issueTokens();
    c = api(xero, () => token.access_token);
  });
  afterAll(() => xero.close());

  it('requires xero-tenant-id (403 with the documented body)', async () => {
    const r = await call<Record<string, unknown>>(`${xero.accountingBase}/Invoices`, { headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/json' } });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
  });

  it('pages with the pagination object and uses /Date()/ formats', async () => {
    const p1 = await c.get<{ Id: string; Status: string; ProviderName: string; DateTimeUTC: string; pagination: Record<string, number>; Invoices: XeroInvoice[] }>('/Invoices?page=1&pageSize=100&where=' + encodeURIComponent('Type=="ACCREC"'));
    expect(p1.status).toBe(200);
    expect(p1.json.Status).toBe('OK');
    expect(p1.json.DateTimeUTC).toMatch(/^\/Date\(\d+\)\/$/);
    expect(p1.json.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 3, itemCount: 250 });
    const inv = p1.json.Invoices[0] as XeroInvoice;
    expect(inv.Date).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(inv.DueDate).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(inv.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(inv.DateString).toMatch(/^\d{4}-\d\d-\d\dT00:00:00$/);
    expect(Number(/\d+/.exec(inv.Date)?.[0])).toBe(Date.parse(`${inv.DateString}Z`));
    expect(inv.LineItems?.length).toBe(1);
    expect(typeof inv.AmountDue).toBe('number');
    const p3 = await c.get<{ pagination: Record<string, number>; Invoices: unknown[] }>('/Invoices?page=3&pageSize=100');
    expect(p3.json.Invoices).toHaveLength(50);
    const big = await c.get<{ pagination: Record<string, number> }>('/Invoices?page=1&pageSize=5000');
    expect(big.json.pagination.pageSize).toBe(1000);
    const all = await c.get<{ pagination?: unknown; Invoices: XeroInvoice[] }>('/Invoices');
    expect(all.json.pagination).toBeUndefined();
    expect(all.json.Invoices).toHaveLength(250);
    expect(all.json.Invoices[0]?.LineItems).toBeUndefined();
  });

  it('filters by where, Statuses and If-Modified-Since', async () => {
    const auth = await c.get<{ Invoices: XeroInvoice[] }>('/Invoices?where=' + encodeURIComponent('Status=="AUTHORISED" AND AmountDue>0'));
    expect(auth.json.Invoices.length).toBeGreaterThan(0);
    expect(auth.json.Invoices.every((i) => i.Status === 'AUTHORISED' && i.AmountDue > 0)).toBe(true);
    const st = await c.get<{ Invoices: XeroInvoice[] }>('/Invoices?Statuses=PAID,VOIDED');
    expect(st.json.Invoices.every((i) => i.Status === 'PAID' || i.Status === 'VOIDED')).toBe(true);
    const bad = await c.get('/Invoices?where=' + encodeURIComponent('Nope=="x"'));
    expect(bad.status).toBe(400);

    const since = new Date(xero.now().getTime() + 1).toISOString().slice(0, 23);
    expect((await c.get<{ Invoices: unknown[] }>('/Invoices?page=1', { 'If-Modified-Since': since })).json.Invoices).toHaveLength(0);
    const open = auth.json.Invoices[0] as XeroInvoice;
    xero.payInvoice(open.InvoiceID, { amount: 1 });
    const changed = await c.get<{ Invoices: XeroInvoice[]; pagination: Record<string, number> }>('/Invoices?page=1', { 'If-Modified-Since': since });
    expect(changed.json.Invoices.map((i) => i.InvoiceID)).toEqual([open.InvoiceID]);
    expect(changed.json.pagination.itemCount).toBe(1);
    expect(changed.json.Invoices[0]?.AmountPaid).toBe(open.AmountPaid + 1);
  });

  it('shows a deleted payment as DELETED after If-Modified-Since, and reopens its invoice', async () => {
    const inv = xero.createInvoice({ contactId: xero.snapshot().contacts[0]?.ContactID as string, amount: 500 });
    const pay = xero.payInvoice(inv.InvoiceID);
    expect(xero.invoice(inv.InvoiceID)?.Status).toBe('PAID');
    const since = new Date(xero.now().getTime() + 1).toISOString().slice(0, 19);
    xero.advanceClock(5000);
    xero.deletePayment(pay.PaymentID);
    const r = await c.get<{ Payments: XeroPayment[] }>('/Payments?page=1', { 'If-Modified-Since': since });
    expect(r.json.Payments.map((p) => [p.PaymentID, p.Status])).toEqual([[pay.PaymentID, 'DELETED']]);
    const invs = await c.get<{ Invoices: XeroInvoice[] }>('/Invoices?page=1', { 'If-Modified-Since': since });
    expect(invs.json.Invoices[0]).toMatchObject({ InvoiceID: inv.InvoiceID, Status: 'AUTHORISED', AmountDue: 500, Payments: [] });
  });

  it('serves contacts with balances, and credit notes with allocations', async () => {
    const r = await c.get<{ Contacts: { ContactID: string; Balances: { AccountsReceivable: { Outstanding: number; Overdue: number } } }[] }>('/Contacts?page=1&includeArchived=true');
    const snap = xero.snapshot();
    const first = r.json.Contacts[0] as (typeof r.json.Contacts)[number];
    // Outstanding nets the contact's unused credit, as Xero does (issue 11 §7).
    const owed = snap.invoices.filter((i) => i.Contact.ContactID === first.ContactID && i.Status === 'AUTHORISED').reduce((s, i) => s + Math.round(i.AmountDue * 100), 0);
    const unused = snap.creditNotes.filter((n) => n.Contact.ContactID === first.ContactID).reduce((s, n) => s + Math.round(n.RemainingCredit * 100), 0);
    expect(Math.round(first.Balances.AccountsReceivable.Outstanding * 100)).toBe(owed - unused);
    const cn = await c.get<{ CreditNotes: { Type: string; Allocations: unknown[] }[] }>('/CreditNotes?page=1');
    expect(cn.json.CreditNotes.length).toBeGreaterThan(0);
    expect(cn.json.CreditNotes.every((n) => n.Type === 'ACCRECCREDIT' && n.Allocations.length > 0)).toBe(true);
  });

  it("nets unused credit notes into a contact's Outstanding, not into Overdue, and counts only AUTHORISED invoices", async () => {
    type Ar = { Outstanding: number; Overdue: number };
    const ar = async (id: string): Promise<Ar> =>
      (await c.get<{ Contacts: { Balances: { AccountsReceivable: Ar } }[] }>(`/Contacts/${id}`)).json.Contacts[0]!.Balances.AccountsReceivable;
    const only = xero.createContact({ name: 'Credit Only Ltd', email: 'ap@credit-only.example' });
    const note = xero.createCreditNote(only.ContactID, { amount: 12 });
    expect(note).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 12, Allocations: [] });
    expect(await ar(only.ContactID)).toEqual({ Outstanding: -12, Overdue: 0 });

    const mixed = xero.createContact({ name: 'Mixed Books Ltd', email: 'ap@mixed.example' });
    xero.createInvoice({ contactId: mixed.ContactID, amount: 100, date: '2025-04-01', dueDate: '2025-05-01' });
    const waiting = xero.createInvoice({ contactId: mixed.ContactID, amount: 40, date: '2025-04-01', dueDate: '2025-05-01', status: 'SUBMITTED' });
    xero.createCreditNote(mixed.ContactID, { amount: 30 });
    expect(await ar(mixed.ContactID)).toEqual({ Outstanding: 70, Overdue: 100 });
    // Approving the submitted invoice makes it receivable.
    expect(xero.authoriseInvoice(waiting.InvoiceID)).toMatchObject({ Status: 'AUTHORISED' });
    expect(await ar(mixed.ContactID)).toEqual({ Outstanding: 110, Overdue: 140 });
  });

  it('caps History Details at 250 characters and replays Idempotency-Key', async () => {
    const id = xero.snapshot().invoices[0]?.InvoiceID as string;
    const long = await c.send<{ Type: string; Elements: { ValidationErrors: { Message: string }[] }[] }>('PUT', `/Invoices/${id}/History`, { HistoryRecords: [{ Details: 'x'.repeat(251) }] });
    expect(long.status).toBe(400);
    expect(long.json.Type).toBe('ValidationException');
    expect(long.json.Elements[0]?.ValidationErrors[0]?.Message).toMatch(/250/);
    const before = xero.history(id).length;
    const ok = await c.send<{ HistoryRecords: { Details: string; ValidationErrors: unknown[] }[] }>('PUT', `/Invoices/${id}/History`, { HistoryRecords: [{ Details: 'y'.repeat(250) }] }, { 'Idempotency-Key': 'k-1' });
    expect(ok.status).toBe(200);
    expect(ok.json.HistoryRecords[0]).toMatchObject({ Details: 'y'.repeat(250), ValidationErrors: [] });
    const again = await c.send('PUT', `/Invoices/${id}/History`, { HistoryRecords: [{ Details: 'y'.repeat(250) }] }, { 'Idempotency-Key': 'k-1' });
    expect(again.text).toBe(ok.text);
    expect(xero.history(id).length).toBe(before + 1);
  });

  it('emails: 204, or 400 for a DRAFT invoice or a contact without email', async () => {
    const withEmail = xero.createContact({ name: 'Mail Me Ltd', email: 'ap@mailme.example' });
    const noEmail = xero.createContact({ name: 'No Mail Ltd', email: null });
    const good = xero.createInvoice({ contactId: withEmail.ContactID, amount: 100 });
    const draft = xero.createInvoice({ contactId: withEmail.ContactID, amount: 100, status: 'DRAFT' });
    const orphan = xero.createInvoice({ contactId: noEmail.ContactID, amount: 100 });
    const ok = await c.send('POST', `/Invoices/${good.InvoiceID}/Email`, {});
    expect(ok.status).toBe(204);
    expect(xero.outbox.at(-1)).toMatchObject({ invoiceId: good.InvoiceID, to: ['ap@mailme.example'] });
    expect(xero.invoice(good.InvoiceID)?.SentToContact).toBe(true);
    const d = await c.send<{ Type: string; Elements: { ValidationErrors: { Message: string }[] }[] }>('POST', `/Invoices/${draft.InvoiceID}/Email`, {});
    expect(d.status).toBe(400);
    expect(d.json.Elements[0]?.ValidationErrors[0]?.Message).toBe('Invoice not of valid status for sending');
    expect((await c.send('POST', `/Invoices/${orphan.InvoiceID}/Email`, {})).status).toBe(400);
    const online = await c.get<{ OnlineInvoices: { OnlineInvoiceUrl: string }[] }>(`/Invoices/${good.InvoiceID}/OnlineInvoice`);
    expect(online.json.OnlineInvoices[0]?.OnlineInvoiceUrl).toContain(good.InvoiceID);
    expect((await c.get(`/Invoices/${draft.InvoiceID}/OnlineInvoice`)).status).toBe(400);
  });

  it('voids, deletes drafts, serves a PDF and the reminder settings', async () => {
    const ct = xero.snapshot().contacts[1]?.ContactID as string;
    expect(xero.voidInvoice(xero.createInvoice({ contactId: ct, amount: 10 }).InvoiceID).Status).toBe('VOIDED');
    expect(xero.deleteInvoice(xero.createInvoice({ contactId: ct, amount: 10, status: 'DRAFT' }).InvoiceID).Status).toBe('DELETED');
    const id = xero.snapshot().invoices[0]?.InvoiceID as string;
    const pdf = await fetch(`${xero.accountingBase}/Invoices/${id}`, { headers: { Authorization: `Bearer ${token.access_token}`, 'xero-tenant-id': xero.tenantId, Accept: 'application/pdf' } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    xero.setInvoiceReminders(true);
    const s = await c.get<{ InvoiceReminders: { Enabled: boolean }[] }>('/InvoiceReminders/Settings');
    expect(s.json.InvoiceReminders).toEqual([{ Enabled: true }]);
  });
});

describe('xero emulator: rate limits and faults', () => {
  it('carries the limit headers and answers 429 minute with Retry-After', async () => {
    const xero = await startXeroServer({ today: TODAY, invoices: 20, rateLimit: { clock: 'emulator' } });
    try {
      const t = xero.issueTokens();
      const c = api(xero, () => t.access_token);
      const r1 = await c.get('/Invoices?page=1');
      expect(r1.headers.get('x-minlimit-remaining')).toBe('59');
      expect(r1.headers.get('x-daylimit-remaining')).toBe('4999');
      expect(r1.headers.get('x-appminlimit-remaining')).toBe('9999');
      for (let i = 0; i < 59; i++) await c.get('/Contacts?page=1');
      xero.advanceClock(20_000);
      const over = await c.get('/Invoices?page=1');
      expect(over.status).toBe(429);
      expect(over.headers.get('x-rate-limit-problem')).toBe('minute');
      expect(Number(over.headers.get('retry-after'))).toBe(40);
      expect(over.headers.get('x-minlimit-remaining')).toBe('0');
      xero.advanceClock(40_000);
      expect((await c.get('/Invoices?page=1')).status).toBe(200);
    } finally {
      await xero.close();
    }
  });

  it('answers 429 day on the starter tier budget', async () => {
    const xero = await startXeroServer({ today: TODAY, invoices: 20, tier: 'starter', rateLimit: { clock: 'emulator', perDay: 3 } });
    try {
      const t = xero.issueTokens();
      const c = api(xero, () => t.access_token);
      for (let i = 0; i < 3; i++) expect((await c.get('/Invoices?page=1')).status).toBe(200);
      xero.advanceClock(20 * 60_000);
      const over = await c.get('/Invoices?page=1');
      expect(over.status).toBe(429);
      expect(over.headers.get('x-rate-limit-problem')).toBe('day');
      expect(Number(over.headers.get('retry-after'))).toBe(86_400 - 20 * 60);
      expect(over.headers.get('x-daylimit-remaining')).toBe('0');
    } finally {
      await xero.close();
    }
  });

  it('injects queued faults and counts requests', async () => {
    const xero = await startXeroServer({ today: TODAY, invoices: 20, faults: { queue: ['500', '429'] } });
    try {
      const t = xero.issueTokens();
      const c = api(xero, () => t.access_token);
      expect((await c.get('/Invoices?page=1')).status).toBe(500);
      const r = await c.get('/Invoices?page=1');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBeTruthy();
      expect((await c.get('/Invoices?page=1')).status).toBe(200);
      expect(xero.requests.count).toBe(3);
      expect(xero.requests.log.map((e) => e.fault)).toEqual(['500', '429', undefined]);
    } finally {
      await xero.close();
    }
  });

  it('is deterministic for a seed and converts the demo', async () => {
    const a = await startXeroServer({ today: TODAY, invoices: 120 });
    const b = await startXeroServer({ today: TODAY, invoices: 120 });
    try {
      expect(a.snapshot()).toEqual(b.snapshot());
      const s = a.snapshot();
      expect(s.invoices).toHaveLength(120);
      expect(s.payments.length).toBeGreaterThan(0);
      for (const inv of s.invoices) expect(Math.round(inv.AmountDue * 100)).toBe(Math.round((inv.Total - inv.AmountPaid - inv.AmountCredited) * 100));
      expect(a.idForDemo('demo-inv-1001')).toBe(s.invoices.find((i) => i.InvoiceNumber === 'INV-1001')?.InvoiceID);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
