import { describe, expect, it } from 'vitest';
import { XeroClient, type XeroHttpRequest } from '../../../../../src/main/core/connectors/xero/client';
import type { XeroLedgerReader } from '../../../../../src/main/core/connectors/xero/ledger-reader';
import { createXeroSyncSource, decodeXeroCursor } from '../../../../../src/main/core/connectors/xero/source';
import type { SyncPage } from '../../../../../src/main/core/sync/engine';

const ms = (iso: string): string => `/Date(${Date.parse(iso)}+0000)/`;

function contact(i: number, updated: string): Record<string, unknown> {
  return { ContactID: `c-${i}`, Name: `Contact ${i}`, ContactStatus: 'ACTIVE', UpdatedDateUTC: ms(updated) };
}
function inv(i: number, updated: string, payments: string[] = []): Record<string, unknown> {
  return {
    Type: 'ACCREC', InvoiceID: `i-${i}`, InvoiceNumber: `INV-${i}`, Contact: { ContactID: 'c-1' }, Status: payments.length ? 'PAID' : 'AUTHORISED',
    Date: ms('2025-05-01T00:00:00Z'), DueDate: ms('2025-05-31T00:00:00Z'), Total: 10, AmountDue: payments.length ? 0 : 10, CurrencyCode: 'USD',
    UpdatedDateUTC: ms(updated), Payments: payments.map((p) => ({ PaymentID: p, Date: ms('2025-05-10T00:00:00Z'), Amount: 10 })),
  };
}

/** A fake Xero: rows per collection, paged like the API, filtered by If-Modified-Since (inclusive). */
function fakeHttp(data: Record<string, Record<string, unknown>[]>, log: XeroHttpRequest[]) {
  return async (req: XeroHttpRequest) => {
    log.push(req);
    const url = new URL(req.url);
    const entity = url.pathname.split('/').pop() as string;
    const ims = req.headers['if-modified-since'];
    const since = ims ? Date.parse(`${ims}Z`) : -Infinity;
    const rows = (data[entity] ?? []).filter((r) => Number(/\((\d+)/.exec(String(r.UpdatedDateUTC))?.[1]) >= since);
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('pageSize'));
    const body = { [entity]: rows.slice((page - 1) * size, page * size), pagination: { page, pageSize: size, pageCount: Math.ceil(rows.length / size), itemCount: rows.length } };
    return { status: 200, headers: new Headers({ 'x-minlimit-remaining': '59' }), body: JSON.stringify(body) };
  };
}

async function drain(src: ReturnType<typeof createXeroSyncSource>, cursors: Record<string, string | null>): Promise<SyncPage[]> {
  const out: SyncPage[] = [];
  for await (const p of src.pages({ cursors, signal: new AbortController().signal, progress: () => undefined })) {
    out.push(p);
    if (p.cursor !== null) cursors[p.entity] = p.cursor;
  }
  return out;
}

describe('Xero SyncSource', () => {
  it('backfills each entity in pages, then increments with three requests and payments from invoices', async () => {
    const data: Record<string, Record<string, unknown>[]> = {
      Contacts: [contact(1, '2025-05-01T00:00:00Z')],
      Invoices: [1, 2, 3, 4, 5].map((i) => inv(i, `2025-05-0${i}T00:00:00Z`, i === 5 ? ['p-5'] : [])),
      CreditNotes: [],
      Payments: [{ PaymentID: 'p-5', PaymentType: 'ACCRECPAYMENT', Status: 'AUTHORISED', Date: ms('2025-05-10T00:00:00Z'), Amount: 10, UpdatedDateUTC: ms('2025-05-10T00:00:00Z'), Invoice: { InvoiceID: 'i-5', Contact: { ContactID: 'c-1' }, CurrencyCode: 'USD' } }],
    };
    const log: XeroHttpRequest[] = [];
    const observed: Headers[] = [];
    const client = new XeroClient({ apiBase: 'https://xero.test', tenantId: 't-1', getAccessToken: async () => 'tok', forceRefresh: async () => 'tok2', observe: (h) => observed.push(h), http: fakeHttp(data, log) });
    const live = new Map<string, string[]>([['i-5', ['p-5']]]);
    const ledger: XeroLedgerReader = {
      hasContact: (id) => id === 'c-1',
      livePaymentsOn: (id) => (live.get(id) ?? []).map((p) => ({ externalId: p, customerExternalId: 'c-1', date: '2025-05-10', currency: 'USD', amountCents: 1000, applications: [], updatedAt: '2025-05-10T00:00:00.000Z' })),
    };
    const src = createXeroSyncSource({ client, baseCurrency: 'USD', ledger, pageSize: 2 });
    const cursors: Record<string, string | null> = { Contacts: null, Invoices: null, CreditNotes: null, Payments: null };
    const pages = await drain(src, cursors);
    expect(pages.map((p) => p.entity)).toEqual(['Contacts', 'Invoices', 'Invoices', 'Invoices', 'CreditNotes', 'Payments']);
    expect(log.every((r) => r.headers['xero-tenant-id'] === 't-1' && r.headers.authorization === 'Bearer tok')).toBe(true);
    expect(log.some((r) => r.headers['if-modified-since'])).toBe(false);
    expect(observed).toHaveLength(log.length);
    expect(decodeXeroCursor(cursors.Invoices)).toEqual({ kind: 'done', since: '2025-05-05T00:00:00.000Z' });
    expect(src.balances().size).toBe(0);

    // Changes: invoice 2 gets paid (new payment), invoice 5's payment is deleted.
    log.length = 0;
    data.Invoices = data.Invoices!.map((r) => (r.InvoiceID === 'i-2' ? inv(2, '2025-06-01T00:00:00Z', ['p-2']) : r.InvoiceID === 'i-5' ? inv(5, '2025-06-01T00:00:01Z') : r));
    const inc = await drain(src, cursors);
    expect(log).toHaveLength(3);
    expect(log.map((r) => new URL(r.url).pathname.split('/').pop())).toEqual(['Contacts', 'Invoices', 'CreditNotes']);
    expect(log[1]?.headers['if-modified-since']).toBe('2025-05-05T00:00:00');
    const invPage = inc.find((p) => p.entity === 'Invoices');
    const payments = invPage?.batch.payments ?? [];
    expect(payments.find((p) => p.externalId === 'p-2')).toMatchObject({ deletedAt: null, applications: [{ invoiceExternalId: 'i-2', amountCents: 1000 }] });
    expect(payments.find((p) => p.externalId === 'p-5')).toMatchObject({ deletedAt: '2025-06-01T00:00:01.000Z', applications: [] });
  });

  it('refreshes once after a 401 and reports unknown contacts per record', async () => {
    let calls = 0;
    const client = new XeroClient({
      apiBase: 'https://xero.test/',
      tenantId: 't',
      getAccessToken: async () => 'old',
      forceRefresh: async () => 'new',
      http: async (req) => {
        calls++;
        if (req.headers.authorization === 'Bearer old') return { status: 401, headers: new Headers(), body: '{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired"}' };
        return { status: 200, headers: new Headers(), body: JSON.stringify({ Invoices: [inv(1, '2025-05-01T00:00:00Z'), { ...inv(2, '2025-05-01T00:00:00Z'), Contact: { ContactID: 'ghost' } }] }) };
      },
    });
    const src = createXeroSyncSource({ client, baseCurrency: 'USD', ledger: { hasContact: (id) => id === 'c-1', livePaymentsOn: () => [] } });
    const page = await client.list('Invoices');
    expect(calls).toBe(2);
    expect(page.rows).toHaveLength(2);
    expect(src.entities).toEqual(['Contacts', 'Invoices', 'CreditNotes', 'Payments']);
  });

  it('refuses a History note over 250 characters before calling Xero', async () => {
    const client = new XeroClient({ apiBase: 'https://xero.test', tenantId: 't', getAccessToken: async () => 'a', forceRefresh: async () => 'b', http: async () => { throw new Error('must not be called'); } });
    await expect(client.addHistory('i-1', 'x'.repeat(251), 'key-1')).rejects.toThrow(/at most 250 characters/);
  });
});
