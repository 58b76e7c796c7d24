// Shared set-up for the QBO connector tests: the emulator, a real SQLite ledger, and the
// connector wired as the app wires it (client → SyncSource → SyncEngine).
import { freeRedirectUri } from '../../support/ports';
import type { Db } from '../../../src/main/core/db/open';
import { QboClient, type QboHttp, fetchHttp } from '../../../src/main/core/connectors/qbo/client';
import { memoryCreditLinkStore } from '../../../src/main/core/connectors/qbo/credit-links';
import { QboOAuth } from '../../../src/main/core/connectors/qbo/oauth';
import { createQboSyncSource, type QboSourceOptions } from '../../../src/main/core/connectors/qbo/source';
import { sqliteTombstoneReader } from '../../../src/main/core/connectors/qbo/tombstones';
import type { Clock } from '../../../src/main/core/ports';
import { SyncEngine, type SyncOutcome } from '../../../src/main/core/sync/engine';
import type { QboServer } from '../../fakes/qbo-server';
import { createCore, type Core } from '../../../src/main/core/app';
import type { HeadlessTokens } from '../../../src/main/core/connectors/qbo/qbo.service';
import { formatLine } from '../../../src/main/core/log';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

export const CONN = 'qbo1';
/** Where the emulator sends the browser back; only ever a string here (nothing listens). */
const REDIRECT = await freeRedirectUri();

/** Fresh tokens from the emulator in the shape `settle connect qbo --token-file` and connectQboWithTokens take. */
export function headlessTokens(qbo: QboServer): HeadlessTokens {
  const issued = qbo.issueTokens();
  return {
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: new Date(qbo.now().getTime() + issued.expires_in * 1000).toISOString(),
    realmId: qbo.realmId,
    clientId: qbo.clientId,
    clientSecret: qbo.clientSecret,
  };
}

/** The emulator's clock as the app's Clock (the 30-day rule is judged against it). */
export function emulatorClock(qbo: QboServer): Clock {
  return { now: () => qbo.now(), timeZone: () => 'America/Los_Angeles' };
}

export interface Harness {
  client: QboClient;
  oauth: QboOAuth;
  tokens: { access: string; refresh: string; expiresAt: number };
  /** Refreshes forced by a 401 (proactive ones, before expiry, are not counted). */
  refreshes: number;
  sync(opts?: { full?: boolean }): Promise<SyncOutcome>;
  /** /v3 requests the emulator saw since the last reset. */
  apiRequests(): { path: string; query: Record<string, string>; status?: number }[];
}

export function makeHarness(qbo: QboServer, db: Db, opts: { http?: QboHttp; source?: Partial<QboSourceOptions> } = {}): Harness {
  const issued = qbo.issueTokens();
  const oauth = new QboOAuth({
    clientId: qbo.clientId,
    clientSecret: qbo.clientSecret,
    redirectUri: REDIRECT,
    environment: 'sandbox',
    oauthBase: qbo.oauthBase,
    apiBase: qbo.apiBase,
    clock: emulatorClock(qbo),
  });
  const h: Harness = {
    tokens: { access: issued.access_token, refresh: issued.refresh_token, expiresAt: qbo.now().getTime() + issued.expires_in * 1000 },
    refreshes: 0,
    oauth,
    client: null as unknown as QboClient,
    sync: async (o = {}) => engine.run(CONN, { full: o.full ?? false }),
    apiRequests: () => qbo.requests.log.filter((e) => e.path.startsWith('/v3/')),
  };
  h.client = new QboClient({
    apiBase: oauth.apiBase,
    realmId: qbo.realmId,
    http: opts.http ?? fetchHttp,
    // As TokenManager does: refresh ahead of expiry (emulator time), and once after a 401.
    getAccessToken: async () => (qbo.now().getTime() < h.tokens.expiresAt - 60_000 ? h.tokens.access : refresh()),
    forceRefresh: async () => {
      h.refreshes++;
      return refresh();
    },
  });
  const refresh = async (): Promise<string> => {
    const t = await oauth.refresh(h.tokens.refresh, qbo.realmId);
    h.tokens = { access: t.accessToken, refresh: t.refreshToken, expiresAt: Date.parse(t.expiresAt) };
    return t.accessToken;
  };
  const links = memoryCreditLinkStore();
  const engine = new SyncEngine({
    db,
    clock: emulatorClock(qbo),
    events: { emit: () => undefined },
    rescore: () => undefined,
    sourceFor: () =>
      createQboSyncSource({
        client: h.client,
        homeCurrency: 'USD',
        clock: emulatorClock(qbo),
        creditLinks: links,
        tombstones: sqliteTombstoneReader(db, CONN),
        ...opts.source,
      }),
  });
  return h;
}

const cents = (amount: number): number => Math.round(amount * 100);

/** Differences between the emulator's books and the local ledger (empty when they agree). */
export function ledgerDiff(qbo: QboServer, db: Db, connectionId: string = CONN): string[] {
  const snap = qbo.snapshot();
  const out: string[] = [];
  const one = <T>(sql: string, ...args: unknown[]): T | undefined => db.prepare(sql).get(...args) as T | undefined;

  const customers = new Map(
    (db.prepare('SELECT external_id, name, active, deleted_at, parent_id, id FROM customers WHERE connection_id = ?').all(connectionId) as {
      external_id: string;
      name: string;
      active: number;
      deleted_at: string | null;
      parent_id: number | null;
      id: number;
    }[]).map((r) => [r.external_id, r]),
  );
  const extById = new Map([...customers.values()].map((c) => [c.id, c.external_id]));
  for (const c of snap.customers) {
    const l = customers.get(c.Id);
    if (!l) out.push(`customer ${c.Id} missing`);
    else {
      if (l.name !== c.DisplayName) out.push(`customer ${c.Id} name ${l.name} != ${c.DisplayName}`);
      if ((l.active === 1) !== c.Active) out.push(`customer ${c.Id} active`);
      const parent = l.parent_id === null ? null : extById.get(l.parent_id);
      if ((c.Job && c.ParentRef ? c.ParentRef.value : null) !== (parent ?? null)) out.push(`customer ${c.Id} parent`);
    }
  }
  if (customers.size !== snap.customers.length) out.push(`customers: ${customers.size} local, ${snap.customers.length} in QBO`);

  const liveInvoices = one<{ n: number }>('SELECT COUNT(*) AS n FROM invoices WHERE connection_id = ? AND deleted_at IS NULL', connectionId)?.n;
  if (liveInvoices !== snap.invoices.length) out.push(`invoices: ${liveInvoices} live locally, ${snap.invoices.length} in QBO`);
  for (const inv of snap.invoices) {
    const l = one<{ total_cents: number; balance_cents: number; status: string; due_date: string; deleted_at: string | null }>(
      'SELECT total_cents, balance_cents, status, due_date, deleted_at FROM invoices WHERE connection_id = ? AND external_id = ?',
      connectionId,
      inv.Id,
    );
    if (!l) {
      out.push(`invoice ${inv.Id} missing`);
      continue;
    }
    if (l.total_cents !== cents(inv.TotalAmt) || l.balance_cents !== cents(inv.Balance)) out.push(`invoice ${inv.Id} amounts`);
    if (l.due_date !== inv.DueDate) out.push(`invoice ${inv.Id} due date`);
    if (l.deleted_at !== null) out.push(`invoice ${inv.Id} marked deleted`);
    const voided = inv.TotalAmt === 0 && (inv.PrivateNote ?? '').startsWith('Voided');
    const want = voided ? 'void' : cents(inv.Balance) === 0 ? 'paid' : 'open';
    if (l.status !== want) out.push(`invoice ${inv.Id} status ${l.status} != ${want}`);
    // Every payment and credit applied to it, by whom it was applied.
    const apps = one<{ s: number | null }>(
      `SELECT SUM(a.amount_cents) AS s FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id
       LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN credit_notes n ON n.id = a.credit_note_id
       WHERE i.connection_id = ? AND i.external_id = ? AND COALESCE(p.deleted_at, n.deleted_at) IS NULL`,
      connectionId,
      inv.Id,
    )?.s ?? 0;
    if (!voided && apps !== cents(inv.TotalAmt) - cents(inv.Balance)) out.push(`invoice ${inv.Id} applications ${apps} != ${cents(inv.TotalAmt) - cents(inv.Balance)}`);
  }
  const livePayments = one<{ n: number }>('SELECT COUNT(*) AS n FROM payments WHERE connection_id = ? AND deleted_at IS NULL', connectionId)?.n;
  if (livePayments !== snap.payments.length) out.push(`payments: ${livePayments} live locally, ${snap.payments.length} in QBO`);
  for (const m of snap.creditMemos) {
    const l = one<{ remaining_cents: number; total_cents: number; applied: number | null }>(
      `SELECT n.remaining_cents, n.total_cents, (SELECT SUM(amount_cents) FROM payment_applications WHERE credit_note_id = n.id) AS applied
       FROM credit_notes n WHERE n.connection_id = ? AND n.external_id = ?`,
      connectionId,
      m.Id,
    );
    if (!l) out.push(`credit memo ${m.Id} missing`);
    else {
      if (l.remaining_cents !== cents(m.RemainingCredit)) out.push(`credit memo ${m.Id} remaining`);
      if ((l.applied ?? 0) !== cents(m.TotalAmt) - cents(m.RemainingCredit)) out.push(`credit memo ${m.Id} applied ${l.applied} != ${cents(m.TotalAmt) - cents(m.RemainingCredit)}`);
    }
  }
  for (const t of snap.deleted) {
    const table = { Customer: 'customers', Invoice: 'invoices', Payment: 'payments', CreditMemo: 'credit_notes' }[t.entity];
    const l = one<{ deleted_at: string | null }>(`SELECT deleted_at FROM ${table} WHERE connection_id = ? AND external_id = ?`, connectionId, t.Id);
    if (l && l.deleted_at === null) out.push(`${t.entity} ${t.Id} deleted in QBO but live locally`);
  }
  return out;
}

/** A full core (createCore, real settle.db) connected headlessly to the emulator. */
export interface CoreWorld {
  core: Core;
  call: InProcess;
  secrets: MemorySecretStore;
  dataDir: string;
  connectionId: string;
  /** What the issued tokens were (to look for them in files and logs). */
  issued: { access: string; refresh: string };
  logText(): string;
  close(): Promise<void>;
}

export async function coreWorld(qbo: QboServer, opts: { connect?: boolean } = {}): Promise<CoreWorld> {
  const dir = tempDir();
  const secrets = memorySecretStore();
  const lines: string[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(formatLine(level as 'info', msg, fields as never, new Date()));
  const core = createCore({
    dataDir: dir.path,
    clock: emulatorClock(qbo),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    autoDemo: false,
    autoSync: false,
    secrets,
    env: {},
    qbo: { apiBase: qbo.apiBase, oauthBase: qbo.oauthBase, environment: 'sandbox' },
  });
  core.start();
  const tokens = headlessTokens(qbo);
  let connectionId = '';
  if (opts.connect !== false) {
    const conn = await core.connectQboWithTokens(tokens);
    connectionId = conn.id;
  }
  return {
    core,
    call: inProcess(core),
    secrets,
    dataDir: dir.path,
    connectionId,
    issued: { access: tokens.accessToken, refresh: tokens.refreshToken },
    logText: () => lines.join('\n'),
    close: async () => {
      await core.shutdown();
      dir.cleanup();
    },
  };
}
