// Xero sync frugality: a full backfill of a large organisation from the emulator (requests per
// 1,000 records), an increment of 50 changes, and wall time with simulated latency under the real
// minute limit (60/min per tenant, enforced by both our Limiter and the emulator). The connector is
// wired as the integration tests wire it (XeroClient → HttpClient + Limiter → source → engine).
// Each emulator is started once; its setup (data generation) is not timed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/main/core/db/open';
import { createConnection } from '../src/main/core/connectors/connections.repo';
import { XeroClient } from '../src/main/core/connectors/xero/client';
import { sqliteXeroLedgerReader } from '../src/main/core/connectors/xero/ledger-reader';
import { createXeroSyncSource, type XeroSyncSource } from '../src/main/core/connectors/xero/source';
import { limitedTransport } from '../src/main/core/sync/http';
import { XERO_LIMITS, type LimitPolicy } from '../src/main/core/sync/limiter';
import { SyncEngine } from '../src/main/core/sync/engine';
import { startXeroServer, type XeroServer } from '../test/fakes/xero-server';

const CONN = 'xero-bench';

export interface XeroBenchResult {
  records: number;
  fullRequests: number;
  perThousand: number;
  fullMs: number;
  fullMsLatency: number;
  latencyMs: number;
  incrementChanges: number;
  incrementRequests: number;
  /** The minute-limited run (may be a smaller organisation than the frugality run). */
  limited: { invoices: number; contacts: number; records: number; requests: number; ms: number; floorMs: number; latencyMs: number };
}

/** No pacing: counts requests and measures raw speed (the emulator's limits are off). */
const UNLIMITED: LimitPolicy = { ...XERO_LIMITS, perMinute: 1_000_000, perDay: null };

function harness(x: XeroServer, dir: string, name: string, policy: LimitPolicy) {
  const path = join(dir, `${name}.db`);
  rmSync(path, { force: true });
  const db = openDatabase(path);
  createConnection(db, { id: CONN, provider: 'xero', name: 'Bench', homeCurrency: 'USD' }, new Date().toISOString());
  const t = x.issueTokens();
  const client = new XeroClient({
    apiBase: x.apiBase,
    tenantId: x.tenantId,
    http: limitedTransport(policy).connectorHttp,
    getAccessToken: async () => t.access_token,
    forceRefresh: async () => {
      throw new Error('the bench never refreshes');
    },
  });
  let source: XeroSyncSource | null = null;
  const engine = new SyncEngine({
    db,
    clock: { now: () => x.now(), timeZone: () => 'UTC' },
    events: { emit: () => undefined },
    rescore: () => undefined,
    sourceFor: () => (source ??= createXeroSyncSource({ client, baseCurrency: 'USD', ledger: sqliteXeroLedgerReader(db, CONN) })),
  });
  const apiRequests = (): number => x.requests.log.filter((r) => r.path.includes('/api.xro/')).length;
  return { db, sync: (full = false) => engine.run(CONN, { full }), apiRequests };
}

async function timedFull(x: XeroServer, dir: string, name: string, policy: LimitPolicy) {
  const h = harness(x, dir, name, policy);
  x.requests.reset();
  const t0 = performance.now();
  const outcome = await h.sync();
  const ms = performance.now() - t0;
  if (outcome.status !== 'ok') throw new Error(`Xero full sync failed: ${outcome.error ?? outcome.status}`);
  return { h, ms, requests: h.apiRequests() };
}

const recordsOf = (x: XeroServer): number => {
  const s = x.snapshot();
  return s.contacts.length + s.invoices.length + s.payments.length + s.creditNotes.length;
};

export async function benchXero(
  dir: string,
  opts: { invoices?: number; contacts?: number; latencyMs?: number; limitedInvoices?: number; limitedContacts?: number } = {},
): Promise<XeroBenchResult> {
  const invoices = opts.invoices ?? 50_000;
  const contacts = opts.contacts ?? 5_000;
  const latencyMs = opts.latencyMs ?? 150;
  const today = '2025-06-15';

  // 1. The large organisation, limits off: requests per 1,000 records, raw and latency wall time, increment.
  const big = await startXeroServer({ today, invoices, contacts, rateLimit: false });
  try {
    const records = recordsOf(big);
    const fast = await timedFull(big, dir, 'xero-fast', UNLIMITED);

    big.faults.latencyMs = latencyMs;
    const slow = await timedFull(big, dir, 'xero-slow', UNLIMITED);
    slow.h.db.close();
    big.faults.latencyMs = 0;

    // An increment: 50 changes of the kinds a day brings (30 payments, 15 edits, 5 new invoices).
    const open = big.snapshot().invoices.filter((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.AmountDue > 0).slice(0, 45);
    open.slice(0, 30).forEach((inv) => big.payInvoice(inv.InvoiceID));
    open.slice(30, 45).forEach((inv) => big.updateContact(inv.Contact.ContactID, { EmailAddress: `ap+${inv.InvoiceNumber}@example.com` }));
    const contact = open[0]!.Contact.ContactID;
    for (let i = 0; i < 5; i++) {
      big.createInvoice({ contactId: contact, amount: 100 + i, reference: 'Bench' });
    }
    const incrementChanges = open.length + 5;
    big.requests.reset();
    const inc = await fast.h.sync();
    if (inc.status !== 'ok') throw new Error(`Xero increment failed: ${inc.error ?? inc.status}`);
    const incrementRequests = fast.h.apiRequests();
    fast.h.db.close();

    // 2. The real minute limit (60/min): our Limiter with XERO_LIMITS against the emulator's own windows.
    const limitedInvoices = opts.limitedInvoices ?? invoices;
    const limitedContacts = opts.limitedContacts ?? contacts;
    const small = await startXeroServer({ today, invoices: limitedInvoices, contacts: limitedContacts, faults: { latencyMs } });
    try {
      const lim = await timedFull(small, dir, 'xero-limited', XERO_LIMITS);
      lim.h.db.close();
      const throttled = small.requests.log.filter((r) => r.status === 429).length;
      if (throttled > 0) process.stderr.write(`  (the emulator answered 429 ${throttled} time(s) in the minute-limited run)\n`);
      return {
        records,
        fullRequests: fast.requests,
        perThousand: (fast.requests / records) * 1000,
        fullMs: fast.ms,
        fullMsLatency: slow.ms,
        latencyMs,
        incrementChanges,
        incrementRequests,
        limited: {
          invoices: limitedInvoices,
          contacts: limitedContacts,
          records: recordsOf(small),
          requests: lim.requests,
          ms: lim.ms,
          floorMs: (lim.requests / XERO_LIMITS.perMinute) * 60_000,
          latencyMs,
        },
      };
    } finally {
      await small.close();
    }
  } finally {
    await big.close();
  }
}

// `npx tsx bench/xero.ts [invoices] [contacts]`: this module alone, e.g. on a smaller organisation.
if (process.argv[1]?.endsWith('xero.ts')) {
  const [inv, con] = process.argv.slice(2).map(Number);
  void (async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'settle-bench-xero-'));
    try {
      const r = await benchXero(dir, { invoices: inv || 2_000, contacts: con || 500 });
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
}
