// QboClient's reads and writes against the emulator: invoice re-check, send, PrivateNote notes
// (with a stale SyncToken in the middle), the A/R report.
import { afterEach, describe, expect, it } from 'vitest';
import { QboApiError, QboClient, fetchHttp, type QboHttp } from '../../../src/main/core/connectors/qbo/client';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';

let qbo: QboServer;
afterEach(async () => {
  await qbo?.close();
});

async function setup(http: QboHttp = fetchHttp): Promise<QboClient> {
  qbo = await startQboServer({ today: '2025-06-15', invoices: 60, rateLimit: false });
  const token = qbo.issueTokens().access_token;
  return new QboClient({ apiBase: qbo.apiBase, realmId: qbo.realmId, http, getAccessToken: async () => token, forceRefresh: async () => undefined });
}

const openInvoice = (): { Id: string; SyncToken: string } => {
  const inv = qbo.snapshot().invoices.find((i) => i.Balance > 0 && i.BillEmail);
  if (!inv) throw new Error('no open invoice with an email in the demo');
  return inv;
};

describe('QboClient writes', () => {
  it('re-reads and sends an invoice, once per requestid', async () => {
    const client = await setup();
    const inv = openInvoice();
    const snap = await client.getInvoice(inv.Id);
    expect(snap.id).toBe(inv.Id);
    expect(snap.syncToken).toBe(inv.SyncToken);
    const sent = await client.sendInvoice(inv.Id, undefined, 'req-send-1');
    expect(sent.emailStatus).toBe('EmailSent');
    expect(Number(sent.syncToken)).toBe(Number(inv.SyncToken) + 1);
    const replay = await client.sendInvoice(inv.Id, undefined, 'req-send-1');
    expect(replay.syncToken).toBe(sent.syncToken);
    expect(qbo.outbox).toHaveLength(1);
    const other = await client.sendInvoice(inv.Id, 'ap+new@example.com', 'req-send-2');
    expect(other.billEmail).toBe('ap+new@example.com');
    expect(qbo.outbox.map((o) => o.to)).toEqual([snap.billEmail, 'ap+new@example.com']);
    const req = qbo.requests.log.find((l) => l.path.endsWith('/send'));
    expect(req?.query).toMatchObject({ requestid: 'req-send-1', minorversion: '75' });
  });

  it('appends a PrivateNote line with a sparse update, retrying once after a stale SyncToken', async () => {
    let bumpOnce = true;
    const http: QboHttp = async (req) => {
      // Someone edits the invoice between our read and our write.
      if (req.method === 'POST' && bumpOnce) {
        bumpOnce = false;
        qbo.updateInvoice(inv.Id, { CustomerMemo: { value: 'edited in QuickBooks' } });
      }
      return fetchHttp(req);
    };
    const client = await setup(http);
    const inv = openInvoice();
    qbo.updateInvoice(inv.Id, { PrivateNote: 'Called AP 6/12' });
    const after = await client.appendPrivateNote(inv.Id, 'Settle: reminder sent 2025-06-15', 'req-note-1');
    expect(after.privateNote).toBe('Called AP 6/12\nSettle: reminder sent 2025-06-15');
    expect((after.raw.CustomerMemo as { value: string }).value).toBe('edited in QuickBooks');
    const posts = qbo.requests.log.filter((l) => l.method === 'POST');
    expect(posts.map((p) => [p.query.requestid, p.status])).toEqual([
      ['req-note-1', 400],
      ['req-note-1-r1', 200],
    ]);
    // The same note again is not written twice.
    qbo.requests.reset();
    await client.appendPrivateNote(inv.Id, 'Settle: reminder sent 2025-06-15', 'req-note-2');
    expect(qbo.requests.log.filter((l) => l.method === 'POST')).toHaveLength(0);
  });

  it('reports QBO faults with their code and intuit_tid', async () => {
    const client = await setup();
    const err = await client.getInvoice('999999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QboApiError);
    expect((err as QboApiError).qboCode).toBe('610');
    expect((err as QboApiError).code).toBe('not_found');
    expect((err as QboApiError).intuitTid).toMatch(/^1-/);
    const parse = await client.query('SELECT * FROM Invoice WHERE Id = 1 OR Id = 2').catch((e: unknown) => e);
    expect((parse as QboApiError).qboCode).toBe('4000');
  });
});

describe('QboClient reports', () => {
  it('parses the AgedReceivables summary into per-customer totals', async () => {
    const client = await setup();
    const report = await client.agedReceivables(qbo.today());
    const aging = qbo.aging();
    expect(report.currency).toBe('USD');
    expect(report.asOf).toBe(qbo.today());
    expect(new Map(report.customers.map((c) => [c.externalId, c.totalCents]))).toEqual(new Map(aging.map((a) => [a.customerId, a.total])));
    expect(report.totalCents).toBe(aging.reduce((s, a) => s + a.total, 0));
    const one = aging[0]!;
    const row = report.customers.find((c) => c.externalId === one.customerId)!;
    expect([row.buckets.Current, row.buckets['1 - 30'], row.buckets['31 - 60'], row.buckets['61 - 90'], row.buckets['91 and over']]).toEqual(one.buckets);
  });
});
