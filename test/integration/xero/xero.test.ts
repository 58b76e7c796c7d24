// The Xero connector end to end: emulator → XeroOAuth/XeroClient → SyncSource → SyncEngine → SQLite.
import { freeRedirectUri } from '../../support/ports';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from '../../../src/main/core/connectors/connections.repo';
import { startLoopback } from '../../../src/main/core/auth/loopback';
import { createPkce, createState } from '../../../src/main/core/auth/pkce';
import { InvalidGrantError } from '../../../src/main/core/auth/tokens';
import { XeroClient, fetchXeroHttp } from '../../../src/main/core/connectors/xero/client';
import { localAging } from '../../../src/main/core/connectors/xero/aging.repo';
import { crossCheckXero } from '../../../src/main/core/connectors/xero/crosscheck';
import { sqliteXeroLedgerReader } from '../../../src/main/core/connectors/xero/ledger-reader';
import { XeroOAuth } from '../../../src/main/core/connectors/xero/oauth';
import { createXeroSyncSource, type XeroSyncSource } from '../../../src/main/core/connectors/xero/source';
import { connectorHttpVia, HttpClient } from '../../../src/main/core/sync/http';
import { DailyLimitError, Limiter, XERO_LIMITS } from '../../../src/main/core/sync/limiter';
import { SyncEngine } from '../../../src/main/core/sync/engine';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import { useTempDb } from '../db/helpers';

const tmp = useTempDb();
let servers: XeroServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const CONN = 'xero1';

async function emulator(opts: Parameters<typeof startXeroServer>[0] = {}): Promise<XeroServer> {
  const x = await startXeroServer({ today: '2025-06-15', rateLimit: false, ...opts });
  servers.push(x);
  return x;
}

const REDIRECT = await freeRedirectUri();

function setup(x: XeroServer, o: { limiter?: Limiter } = {}) {
  const { db } = tmp.open();
  createConnection(db, { id: CONN, provider: 'xero', name: 'Xero org', homeCurrency: 'USD' }, '2025-06-01T00:00:00.000Z');
  const oauth = new XeroOAuth({ clientId: x.clientId, redirectUri: REDIRECT, identityBase: x.identityBase, apiBase: x.apiBase });
  const t = x.issueTokens();
  const tokens = { access: t.access_token, refresh: t.refresh_token as string };
  const http = o.limiter ? connectorHttpVia(new HttpClient({ limiter: o.limiter, random: () => 0 })) : fetchXeroHttp;
  const client = new XeroClient({
    apiBase: x.apiBase,
    tenantId: x.tenantId,
    http,
    getAccessToken: async () => tokens.access,
    forceRefresh: async () => {
      const n = await oauth.refresh(tokens.refresh);
      tokens.access = n.accessToken;
      tokens.refresh = n.refreshToken;
      return n.accessToken;
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
  return { db, oauth, client, tokens, engine, source: () => source as XeroSyncSource, sync: (full = false) => engine.run(CONN, { full }) };
}

const cents = (n: number): number => Math.round(n * 100);

function ledgerDiff(x: XeroServer, db: ReturnType<typeof setup>['db']): string[] {
  const snap = x.snapshot();
  const out: string[] = [];
  const accrec = snap.invoices.filter((i) => i.Type === 'ACCREC');
  for (const inv of accrec) {
    const l = db.prepare('SELECT total_cents, balance_cents, status, deleted_at FROM invoices WHERE connection_id = ? AND external_id = ?').get(CONN, inv.InvoiceID) as
      | { total_cents: number; balance_cents: number; status: string; deleted_at: string | null }
      | undefined;
    if (!l) {
      out.push(`invoice ${inv.InvoiceID} missing`);
      continue;
    }
    if (l.total_cents !== cents(inv.Total)) out.push(`invoice ${inv.InvoiceID} total`);
    if (inv.Status !== 'VOIDED' && l.balance_cents !== cents(inv.AmountDue)) out.push(`invoice ${inv.InvoiceID} balance ${l.balance_cents} != ${cents(inv.AmountDue)}`);
    if ((l.deleted_at !== null) !== (inv.Status === 'DELETED')) out.push(`invoice ${inv.InvoiceID} deleted`);
  }
  const live = db.prepare('SELECT COUNT(*) FROM payments WHERE connection_id = ? AND deleted_at IS NULL').pluck().get(CONN) as number;
  const want = snap.payments.filter((p) => p.Status !== 'DELETED').length;
  if (live !== want) out.push(`payments: ${live} live locally, ${want} in Xero`);
  const contacts = db.prepare('SELECT COUNT(*) FROM customers WHERE connection_id = ?').pluck().get(CONN) as number;
  if (contacts !== snap.contacts.length) out.push(`contacts: ${contacts} locally, ${snap.contacts.length} in Xero`);
  return out;
}

const apiLog = (x: XeroServer) => x.requests.log.filter((r) => r.path.includes('/api.xro/'));
const entityOf = (path: string): string => path.split('/').pop() ?? '';

describe('Xero connect (PKCE through the loopback server)', () => {
  it('round-trips the code with the verifier, and lists every organisation of this consent', async () => {
    const x = await emulator({ tenants: 3 });
    const oauth = new XeroOAuth({ clientId: x.clientId, redirectUri: 'http://127.0.0.1:0/callback', identityBase: x.identityBase, apiBase: x.apiBase });
    const pkce = createPkce();
    const state = createState();
    // The test is the browser: it follows the authorize URL to the (auto-consent) redirect.
    const loop = await startLoopback({
      redirectUri: 'http://127.0.0.1:0/callback',
      expectedState: state,
      timeoutMs: 10_000,
      openExternal: async () => undefined,
    });
    const oauth2 = new XeroOAuth({ clientId: x.clientId, redirectUri: loop.redirectUri, identityBase: x.identityBase, apiBase: x.apiBase });
    const url = await oauth2.authorizeUrl(state, pkce.challenge);
    expect(url).toContain('code_challenge_method=S256');
    expect(decodeURIComponent(url)).toContain('accounting.reports.aged.read');
    const consent = await fetch(url, { redirect: 'manual' });
    const location = consent.headers.get('location') as string;
    await fetch(location);
    const { params } = await loop.result;
    await loop.close();
    // A wrong verifier is refused; the right one works.
    await expect(oauth2.exchange(params.get('code') as string, createPkce().verifier)).rejects.toThrow();
    void oauth;
    const t2 = await emulatorConsent(x, oauth2, state, pkce);
    expect(t2.authEventId).toBeTruthy();
    const orgs = await oauth2.tenants(t2.accessToken, t2.authEventId);
    expect(orgs.map((o) => o.tenantId).sort()).toEqual([...x.tenantIds].sort());
    await oauth2.revoke(t2.refreshToken);
    await expect(oauth2.refresh(t2.refreshToken)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('a lost refresh response is retried with the old token inside the grace period', async () => {
    const x = await emulator();
    const h = setup(x);
    const first = await h.oauth.refresh(h.tokens.refresh);
    const again = await h.oauth.refresh(h.tokens.refresh);
    expect(again.accessToken).toBe(first.accessToken);
    x.advanceClock(31 * 60_000);
    await expect(h.oauth.refresh(h.tokens.refresh)).rejects.toBeInstanceOf(InvalidGrantError);
  });
});

async function emulatorConsent(x: XeroServer, oauth: XeroOAuth, state: string, pkce: { verifier: string; challenge: string }) {
  const url = await oauth.authorizeUrl(state, pkce.challenge);
  const consent = await fetch(url, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') as string).searchParams.get('code') as string;
  return oauth.exchange(code, pkce.verifier);
}

describe('Xero sync', () => {
  it('backfills at 1000 a page, lands the books, agrees with Balances, then increments in ≤ 3 requests', async () => {
    const x = await emulator({ invoices: 2300 });
    const h = setup(x);
    const snap = x.snapshot();
    const out = await h.sync();
    expect(out.status).toBe('ok');
    expect(out.warnings).toEqual([]);
    const reqs = apiLog(x);
    const per = (e: string): number => reqs.filter((r) => entityOf(r.path) === e).length;
    const pages = (n: number): number => Math.max(1, Math.ceil(n / 1000));
    expect(per('Invoices')).toBe(pages(snap.invoices.length));
    expect(per('Contacts')).toBe(pages(snap.contacts.length));
    expect(per('Payments')).toBe(pages(snap.payments.length));
    expect(ledgerDiff(x, h.db)).toEqual([]);
    const check = crossCheckXero(h.source().balances(), localAging(h.db, CONN, x.today()), x.today());
    expect(check.mismatches).toEqual([]);

    // A handful of changes: a payment, a void, a deleted payment, a credit note, a new contact with an invoice.
    const open = x.snapshot().invoices.filter((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.Payments.length === 0 && i.CreditNotes.length === 0);
    x.payInvoice(open[0]!.InvoiceID);
    x.voidInvoice(open[1]!.InvoiceID);
    const paid = x.snapshot().payments.find((p) => p.Status === 'AUTHORISED');
    x.deletePayment(paid!.PaymentID);
    x.creditInvoice(open[2]!.InvoiceID);
    x.requests.reset();
    const inc = await h.sync();
    expect(inc.status).toBe('ok');
    expect(apiLog(x).length).toBeLessThanOrEqual(3);
    expect(ledgerDiff(x, h.db)).toEqual([]);
  });

  it('a daily-limit 429 stops with DailyLimitError and the reset time', async () => {
    const x = await emulator({ invoices: 50 });
    // A fake clock that sleeping advances, so Retry-After waits cost no real time.
    let now = Date.now();
    const limiter = new Limiter(XERO_LIMITS, {
      clock: { now: () => new Date(now), timeZone: () => 'UTC' },
      sleep: async (ms) => {
        now += ms;
      },
    });
    const h = setup(x, { limiter });
    x.faults.queue = ['429-day'];
    const out = await h.sync();
    expect(out.status).toBe('failed');
    expect(out.retryAt).toBeTruthy();
    expect(out.error).toMatch(/daily API limit/);
    void DailyLimitError;
  });

  it('a minute-limit 429 storm completes', async () => {
    const x = await emulator({ invoices: 50 });
    // A fake clock that sleeping advances, so Retry-After waits cost no real time.
    let now = Date.now();
    const limiter = new Limiter(XERO_LIMITS, {
      clock: { now: () => new Date(now), timeZone: () => 'UTC' },
      sleep: async (ms) => {
        now += ms;
      },
    });
    const h = setup(x, { limiter });
    x.faults.queue = ['429', '429', '429', '429'];
    const out = await h.sync();
    expect(out.status).toBe('ok');
    expect(ledgerDiff(x, h.db)).toEqual([]);
  });
});
