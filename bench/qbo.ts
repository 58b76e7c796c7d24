// QuickBooks sync frugality: a full backfill of a large company from the emulator, requests per
// 1,000 records, an increment of 50 changes, and wall time with 0 and 150 ms of latency. The
// connector is wired exactly as the integration tests wire it (client → source → engine).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/main/core/db/open';
import { createConnection } from '../src/main/core/connectors/connections.repo';
import { limitedTransport } from '../src/main/core/sync/http';
import { QBO_LIMITS } from '../src/main/core/sync/limiter';
import { startQboServer } from '../test/fakes/qbo-server';
import { CONN, makeHarness } from '../test/integration/qbo/helpers';

export interface QboBenchResult {
  records: number;
  fullRequests: number;
  perThousand: number;
  fullMs: number;
  fullMsLatency: number;
  latencyMs: number;
  incrementChanges: number;
  incrementRequests: number;
}

async function fullSync(dir: string, name: string, latencyMs: number, invoices: number, customers: number) {
  const qbo = await startQboServer({ invoices, customers, rateLimit: false, faults: { latencyMs } });
  const path = join(dir, `${name}.db`);
  rmSync(path, { force: true });
  const db = openDatabase(path);
  createConnection(db, { id: CONN, provider: 'qbo', name: 'Bench', homeCurrency: 'USD' }, new Date().toISOString());
  // The app's own transport: the QBO limiter, retries with backoff and timeouts.
  const h = makeHarness(qbo, db, { http: limitedTransport(QBO_LIMITS).connectorHttp });
  qbo.requests.reset();
  const t0 = performance.now();
  const outcome = await h.sync();
  const ms = performance.now() - t0;
  if (outcome.status !== 'ok') throw new Error(`full sync failed: ${outcome.error ?? outcome.status}`);
  const snap = qbo.snapshot();
  const records = snap.customers.length + snap.invoices.length + snap.payments.length + snap.creditMemos.length;
  return { qbo, db, h, ms, records, requests: h.apiRequests().length };
}

export async function benchQbo(dir: string, invoices = 50_000, customers = 5_000, latencyMs = 150): Promise<QboBenchResult> {
  const fast = await fullSync(dir, 'qbo-fast', 0, invoices, customers);
  // An increment: 50 changes of the kinds a day brings (payments, edits, a new invoice).
  const open = fast.qbo.snapshot().invoices.filter((i) => Number(i.Balance) > 0).slice(0, 50);
  open.slice(0, 30).forEach((inv) => fast.qbo.payInvoice(inv.Id));
  open.slice(30, 50).forEach((inv) => fast.qbo.updateInvoice(inv.Id, { PrivateNote: 'Called, promised Friday' }));
  fast.qbo.requests.reset();
  const inc = await fast.h.sync();
  if (inc.status !== 'ok') throw new Error(`increment failed: ${inc.error ?? inc.status}`);
  const incrementRequests = fast.h.apiRequests().length;
  fast.db.close();
  await fast.qbo.close();

  const slow = await fullSync(dir, 'qbo-slow', latencyMs, invoices, customers);
  slow.db.close();
  await slow.qbo.close();
  return {
    records: fast.records,
    fullRequests: fast.requests,
    perThousand: (fast.requests / fast.records) * 1000,
    fullMs: fast.ms,
    fullMsLatency: slow.ms,
    latencyMs,
    incrementChanges: open.length,
    incrementRequests,
  };
}
