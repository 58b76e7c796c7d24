// The QBO connector end to end: emulator → QboClient → SyncSource → SyncEngine → SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import type { QboHttp, QboHttpRequest } from '../../../src/main/core/connectors/qbo/client';
import { crossCheck } from '../../../src/main/core/connectors/qbo/crosscheck';
import { localReceivables } from '../../../src/main/core/connectors/qbo/receivables.repo';
import { decodeCursor } from '../../../src/main/core/connectors/qbo/source';
import { getCursor } from '../../../src/main/core/sync/sync-runs.repo';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { addConnection, useTempDb } from '../db/helpers';
import { CONN, ledgerDiff, makeHarness } from './helpers';

const tmp = useTempDb();
let servers: QboServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function emulator(opts: Parameters<typeof startQboServer>[0] = {}): Promise<QboServer> {
  const qbo = await startQboServer({ today: '2025-06-15', rateLimit: false, ...opts });
  servers.push(qbo);
  return qbo;
}

function setup(qbo: QboServer, opts: Parameters<typeof makeHarness>[2] = {}): ReturnType<typeof makeHarness> & { db: ReturnType<typeof tmp.open>['db'] } {
  const { db } = tmp.open();
  addConnection(db, CONN);
  return Object.assign(makeHarness(qbo, db, opts), { db });
}

const fromOf = (q: Record<string, string>): string => /FROM (\w+)/.exec(q.query ?? '')?.[1] ?? '';

describe('QBO backfill', () => {
  it('pages every entity at 1000 rows and lands the books exactly', async () => {
    const qbo = await emulator({ invoices: 2300 });
    const h = setup(qbo);
    const snap = qbo.snapshot();
    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    expect(outcome.warnings).toEqual([]);

    const reqs = h.apiRequests();
    expect(reqs.every((r) => r.path.endsWith('/query'))).toBe(true);
    const per = (e: string): number => reqs.filter((r) => fromOf(r.query) === e).length;
    // Pages of 1000: the last short page ends an entity (a multiple of 1000 needs one empty page more).
    const pages = (n: number): number => Math.floor(n / 1000) + 1;
    expect(per('Customer')).toBe(pages(snap.customers.length));
    expect(per('Invoice')).toBe(pages(snap.invoices.length));
    expect(per('Payment')).toBe(pages(snap.payments.length));
    expect(per('CreditMemo')).toBe(pages(snap.creditMemos.length));
    expect(snap.invoices.length).toBeGreaterThan(2000);
    expect(reqs.every((r) => r.query.minorversion === '75')).toBe(true);
    expect(reqs.filter((r) => fromOf(r.query) === 'Customer').every((r) => /WHERE Active IN \(true,false\)/.test(r.query.query ?? ''))).toBe(true);
    expect(outcome.requests).toBe(reqs.length);

    expect(ledgerDiff(qbo, h.db)).toEqual([]);
    // The cursor is the server time of the backfill start.
    expect(decodeCursor(getCursor(h.db, CONN, 'Invoice'))).toEqual({ kind: 'done', since: new Date(qbo.now()).toISOString() });

    // The A/R report agrees with the local ledger, to the cent.
    const report = await h.client.agedReceivables(qbo.today());
    const check = crossCheck(report, localReceivables(h.db, CONN));
    expect(check.mismatches).toEqual([]);
    expect(check.checked).toBeGreaterThan(10);
  });

  it('resumes an interrupted backfill from the next page', async () => {
    const qbo = await emulator({ invoices: 1500 });
    // The network fails on the second Invoice page, after the first one landed.
    let invoicePages = 0;
    const flaky = makeHarnessHttp((req) => {
      if (fromOf({ query: new URL(req.url).searchParams.get('query') ?? '' }) === 'Invoice' && ++invoicePages === 2) {
        throw new TypeError('fetch failed');
      }
    });
    const h = setup(qbo, { http: flaky });
    const first = await h.sync();
    expect(first.status).toBe('failed');
    expect(decodeCursor(getCursor(h.db, CONN, 'Customer'))?.kind).toBe('done');
    expect(decodeCursor(getCursor(h.db, CONN, 'Invoice'))).toMatchObject({ kind: 'backfill', next: 1001 });
    qbo.requests.reset();
    const second = await h.sync();
    expect(second.status).toBe('ok');
    const starts = h
      .apiRequests()
      .filter((r) => fromOf(r.query) === 'Invoice')
      .map((r) => /STARTPOSITION (\d+)/.exec(r.query.query ?? '')?.[1]);
    expect(starts).toEqual(['1001']);
    expect(ledgerDiff(qbo, h.db)).toEqual([]);
  });
});

describe('QBO increments', () => {
  it('takes one CDC request for up to 50 changes, deletes included', async () => {
    const qbo = await emulator({ invoices: 300 });
    const h = setup(qbo);
    expect((await h.sync()).status).toBe('ok');
    const snap = qbo.snapshot();
    const open = snap.invoices.filter((i) => i.Balance > 0 && i.TotalAmt > 0);
    const [a, b, c, d, e] = open as [(typeof open)[0], (typeof open)[0], (typeof open)[0], (typeof open)[0], (typeof open)[0]];

    qbo.advanceClock(3_600_000);
    const cust = qbo.createCustomer({ displayName: 'Northwind Kites', terms: 'Net 15', email: 'ap@northwind.example' });
    const job = qbo.createCustomer({ displayName: 'Northwind Kites:Summer', parentId: cust.Id });
    const inv = qbo.createInvoice({ customerId: job.Id, amount: 1234.5 });
    qbo.payInvoice(inv.Id, { amount: 0.1 + 0.2 });
    qbo.payInvoice(a.Id);
    qbo.creditInvoice(b.Id, { amount: 10 });
    qbo.voidInvoice(c.Id);
    const pay = qbo.payInvoice(d.Id, { amount: 5 });
    qbo.deletePayment(pay.Id);
    qbo.deleteInvoice(e.Id);
    qbo.updateCustomer(cust.Id, { Active: false });
    qbo.requests.reset();

    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    expect(outcome.warnings).toEqual([]);
    const reqs = h.apiRequests();
    expect(reqs.map((r) => r.path.split('/').pop())).toEqual(['cdc']);
    expect(reqs[0]?.query.entities).toBe('Customer,Invoice,CreditMemo,Payment');
    expect(ledgerDiff(qbo, h.db)).toEqual([]);

    const local = h.db.prepare('SELECT total_cents, balance_cents FROM invoices WHERE external_id = ?').get(inv.Id);
    expect(local).toEqual({ total_cents: 123450, balance_cents: 123420 });
    const deleted = h.db.prepare('SELECT deleted_at FROM invoices WHERE external_id = ?').get(e.Id) as { deleted_at: string | null };
    expect(deleted.deleted_at).not.toBeNull();
    const credit = h.db
      .prepare(
        `SELECT a.amount_cents, i.external_id AS inv FROM payment_applications a JOIN credit_notes n ON n.id = a.credit_note_id
         JOIN invoices i ON i.id = a.invoice_id WHERE i.external_id = ?`,
      )
      .all(b.Id);
    expect(credit).toEqual([{ amount_cents: 1000, inv: b.Id }]);

    // Nothing changed: one request again, nothing written.
    qbo.requests.reset();
    const idle = await h.sync();
    expect(idle.requests).toBe(1);
    expect(ledgerDiff(qbo, h.db)).toEqual([]);
  });

  it('falls back to LastUpdatedTime queries when the cursor is older than 30 days', async () => {
    const qbo = await emulator({ invoices: 120 });
    const h = setup(qbo);
    expect((await h.sync()).status).toBe('ok');
    qbo.advanceClock(31 * 86_400_000);
    const cust = qbo.snapshot().customers[0]!;
    const inv = qbo.createInvoice({ customerId: cust.Id, amount: 99.99 });
    qbo.requests.reset();

    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    const reqs = h.apiRequests();
    expect(reqs.some((r) => r.path.endsWith('/cdc'))).toBe(false);
    expect(reqs.map((r) => fromOf(r.query))).toEqual(['Customer', 'Invoice', 'CreditMemo', 'Payment']);
    expect(reqs.every((r) => /MetaData\.LastUpdatedTime > '/.test(r.query.query ?? ''))).toBe(true);
    expect(outcome.warnings.some((w) => /more than 30 days/.test(w))).toBe(true);
    expect(h.db.prepare('SELECT total_cents FROM invoices WHERE external_id = ?').get(inv.Id)).toEqual({ total_cents: 9999 });
    expect(ledgerDiff(qbo, h.db)).toEqual([]);

    // The next increment is back on CDC.
    qbo.requests.reset();
    await h.sync();
    expect(h.apiRequests().map((r) => r.path.split('/').pop())).toEqual(['cdc']);
  });

  it('catches up with queries when QuickBooks refuses the CDC window our clock thought was fine', async () => {
    const qbo = await emulator({ invoices: 60 });
    const h = setup(qbo, { source: { clock: { now: () => new Date(qbo.now().getTime() - 5 * 86_400_000), timeZone: () => 'UTC' } } });
    expect((await h.sync()).status).toBe('ok');
    qbo.advanceClock(31 * 86_400_000);
    qbo.requests.reset();
    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    expect(h.apiRequests().map((r) => [r.path.split('/').pop(), r.status])).toEqual([
      ['cdc', 400],
      ['query', 200],
      ['query', 200],
      ['query', 200],
      ['query', 200],
    ]);
    expect(ledgerDiff(qbo, h.db)).toEqual([]);
  });

  it('narrows a CDC response that hits the 1000-object cap and still gets everything', async () => {
    const qbo = await emulator({ invoices: 1400 });
    const h = setup(qbo);
    expect((await h.sync()).status).toBe('ok');
    qbo.advanceClock(60_000);
    const invoices = qbo.snapshot().invoices;
    for (const inv of invoices.slice(0, 1100)) qbo.updateInvoice(inv.Id, { PrivateNote: `bulk edit ${inv.Id}` });
    const victim = invoices.find((i) => i.LinkedTxn.length === 0 && i.TotalAmt > 0)!;
    qbo.deleteInvoice(victim.Id);
    qbo.requests.reset();

    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    const paths = h.apiRequests().map((r) => r.path.split('/').pop());
    expect(paths[0]).toBe('cdc');
    expect(paths.length).toBeGreaterThan(1);
    expect(ledgerDiff(qbo, h.db)).toEqual([]);
    const memo = h.db.prepare('SELECT memo FROM invoices WHERE external_id = ?').get(invoices[0]!.Id) as { memo: string };
    expect(memo.memo).toMatch(/bulk edit/);
  });
});

describe('QBO tokens mid-sync', () => {
  it('refreshes once after a 401 and carries on', async () => {
    const qbo = await emulator({ invoices: 1200 });
    let calls = 0;
    // The access token dies between the 2nd and 3rd request of the backfill.
    const h = setup(qbo, { http: makeHarnessHttp(() => void (++calls === 3 && qbo.expireAccessTokens())) });
    const oldRefresh = h.tokens.refresh;
    const outcome = await h.sync();
    expect(outcome.status).toBe('ok');
    expect(h.refreshes).toBe(1);
    expect(h.tokens.refresh).not.toBe(oldRefresh); // rotated
    const statuses = h.apiRequests().map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200 && s !== 401)).toEqual([]);
    expect(ledgerDiff(qbo, h.db)).toEqual([]);
  });

  it('stops with a reconnect error when the renewed token is refused too', async () => {
    const qbo = await emulator({ invoices: 30 });
    const h = setup(qbo, { http: makeHarnessHttp(() => qbo.expireAccessTokens()) });
    const outcome = await h.sync();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/Reconnect QuickBooks/);
    expect(h.refreshes).toBe(1);
  });
});

/** fetch, with a hook before each request (to expire tokens or fail the network). */
function makeHarnessHttp(before: (req: QboHttpRequest) => void): QboHttp {
  return async (req) => {
    before(req);
    const res = await fetch(req.url, { method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
}
