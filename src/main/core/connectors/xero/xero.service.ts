// Xero wired into the core (issue 4, DESIGN §6–§7): per connection a limited transport
// (XERO_LIMITS, or XERO_STARTER_LIMITS while the `xeroTier` setting is 'starter', read at every
// call so a tier change applies at once; no auth: XeroClient renews the token itself after a
// 401), one TokenManager('xero'), the Xero SyncSource, the cross-check after a backfill and then
// daily, and the connect / add organisations / disconnect flows. The calls used today are kept
// per organisation and UTC day in the settings table (day-budget.ts), so a restart neither
// forgets the day's budget nor spends it twice.
//
// Tokens belong to a Xero *grant* (one consent), not to an organisation: one consent can reach
// several organisations, and its refresh token is single use, so two copies would invalidate
// each other. The TokenManager is therefore keyed by a grant key kept in each connection's
// options_json (`grant`), next to the /connections id (`xeroConnectionId`) and the tier at
// connect time. Tokens live ONLY in the SecretStore (and, for a few minutes between the sign-in
// and the organisation picker, in memory under a pending id): never SQLite, logs, events or
// anything returned to a caller.
import type { LedgerAccess } from '../ledger-access';
import type { LedgerProvider } from '../registry';
import { xeroLedger } from './ledger-access';
import { randomBytes } from 'node:crypto';
import { SettleError } from '../../../../shared/errors';
import type { ConnectionSummary, CrossCheckInfo } from '../../../../shared/model';
import type { ApiBudget, XeroPendingConnect, XeroReminderInfo, XeroTier } from '../../../../shared/xero';
import { appendAudit } from '../../audit';
import { flagNeedsReconnect, markDisconnected } from '../../sync';
import { DEFAULT_REDIRECT_URI, startLoopback } from '../../auth/loopback';
import { createPkce, createState } from '../../auth/pkce';
import { SignInLock } from '../../auth/sign-in';
import { TokenManager } from '../../auth/tokens';
import { XERO_API_BASE, XERO_PAGE_SIZE, XeroClient, fetchXeroHttp, type XeroConnection } from './client';
import { localAging } from './aging.repo';
import { crossCheckXero } from './crosscheck';
import { countCall, dayBudget, policyFor, seedDayCalls } from './day-budget';
import { sqliteXeroLedgerReader } from './ledger-reader';
import { mapXeroPage, type ContactBalance } from './map';
import { XeroOAuth, xeroBasesFromEnv, type XeroTokenSet } from './oauth';
import { createXeroSyncSource, type XeroSyncSource } from './source';
import {
  createConnection,
  getConnection,
  getConnectionRecord,
  listConnections,
  saveConnectionOptions,
  setConnectionStatus,
  type ConnectionRecord,
} from '../connections.repo';
import { getSettings, setSettings } from '../../settings';
import type { ConnectorServiceDeps } from '../service-deps';
import type { OpenExternal } from '../../ports';
import { companyToday, crossCheckAfterSync, lastCrossCheck, saveCrossCheck } from '../../sync';
import type { SyncOutcome, SyncSource } from '../../sync';
import { limitedTransport, type HttpClient } from '../../sync';
import type { Limiter } from '../../sync';

/** How long the browser sign-in may take before the loopback server gives up. */
export const XERO_CONNECT_TIMEOUT_MS = 5 * 60_000;
/** How long a finished sign-in waits for the organisation picker. */
export const XERO_PENDING_TTL_MS = 10 * 60_000;

export interface XeroConfig {
  /** Stands in for https://api.xero.com (else SETTLE_XERO_API_BASE). */
  apiBase?: string | null;
  /** Stands in for https://identity.xero.com (else SETTLE_XERO_IDENTITY_BASE). */
  identityBase?: string | null;
  /** A build-time default "Auth Code with PKCE" client ID (the `xeroClientId` setting overrides it). */
  clientId?: string | null;
}

export interface XeroServiceDeps extends ConnectorServiceDeps {
  config?: XeroConfig;
}

/** `settle connect xero --token-file`: one organisation of an existing grant. */
export interface XeroHeadlessTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  tenantId: string;
  clientId: string;
}

/** What options_json holds for a Xero connection (no secrets). */
export interface XeroConnectionOptions {
  clientId: string;
  /** The grant (consent) whose tokens this organisation uses: the SecretStore account is xero:<grant>. */
  grant: string;
  /** The id of this organisation's entry in Xero's /connections (for DELETE on disconnect). */
  xeroConnectionId: string | null;
  /** The tier in force when it was connected. */
  tier: XeroTier;
  /** Xero's Organisation.Class at connect time (STARTER, STANDARD, …). */
  orgClass?: string | null;
}

interface Runtime {
  client: XeroClient;
  http: HttpClient;
  limiter: Limiter;
}

interface Pending {
  tokens: XeroTokenSet;
  clientId: string;
  redirectUri: string;
  tenants: XeroConnection[];
  expiresAtMs: number;
}

/** The Xero options of a connection record (defaults for anything missing). */
export function xeroOptionsOf(conn: ConnectionRecord): XeroConnectionOptions {
  const o = conn.options;
  const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  return {
    clientId: str(o.clientId) ?? '',
    grant: str(o.grant) ?? conn.id,
    xeroConnectionId: str(o.xeroConnectionId),
    tier: o.tier === 'starter' ? 'starter' : 'standard',
    orgClass: str(o.orgClass),
  };
}

export class XeroService implements LedgerProvider {
  readonly provider = 'xero' as const;
  readonly syncs = true;
  readonly tokens: TokenManager;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly pending = new Map<string, Pending>();
  /** The last sync source per connection: its Contacts pages carry the balances the cross-check needs. */
  private readonly sources = new Map<string, XeroSyncSource>();
  private readonly apiBase: string;
  private readonly identityBase: string | null;
  private readonly signIns: SignInLock;

  constructor(private readonly deps: XeroServiceDeps) {
    this.signIns = deps.signIns ?? new SignInLock();
    const env = xeroBasesFromEnv(deps.env ?? process.env);
    this.apiBase = (deps.config?.apiBase ?? env.apiBase ?? XERO_API_BASE).replace(/\/+$/, '');
    this.identityBase = deps.config?.identityBase ?? env.identityBase;
    this.tokens = new TokenManager({
      provider: 'xero',
      secrets: deps.secrets,
      clock: deps.clock,
      logger: deps.logger,
      // Keyed by grant: any connection of the grant knows the client id.
      refresh: async (refreshToken, { connectionId: grant }) => {
        const conn = this.connectionsOfGrant(grant)[0];
        return this.oauth(conn ? xeroOptionsOf(conn).clientId : null).refresh(refreshToken);
      },
      onNeedsReconnect: (grant) => this.markNeedsReconnect(grant),
    });
  }

  /** The API client of a Xero company (the outbox's re-check, send and write-back); null for any other provider. */
  clientFor(conn: ConnectionRecord): XeroClient | null {
    return conn.provider === 'xero' ? this.runtime(conn).client : null;
  }

  /** The ledger port of one of its companies (the outbox's re-check, ledger email, notes, PDF). */
  ledgerFor(conn: ConnectionRecord): LedgerAccess | null {
    const client = this.clientFor(conn);
    return client ? xeroLedger(client, conn.homeCurrency) : null;
  }

  /** The engine's source for one of its companies (null for any other provider). */
  sourceFor(conn: ConnectionRecord): SyncSource | null {
    if (conn.provider !== 'xero') return null;
    const { client, http } = this.runtime(conn);
    const source = createXeroSyncSource({
      client,
      baseCurrency: conn.homeCurrency,
      ledger: sqliteXeroLedgerReader(this.deps.db, conn.id),
      logger: this.deps.logger,
    });
    this.sources.set(conn.id, source);
    // Count what reached the network (a call the limiter refused before sending is not one).
    return { ...source, requests: () => http.requests };
  }

  /** The last cross-check of a connection, if any. */
  lastCrossCheck(connectionId: string): CrossCheckInfo | null {
    return lastCrossCheck(this.deps.db, 'xero', connectionId);
  }

  /**
   * After a successful sync: compares each contact's balance in Xero (Contacts'
   * Balances.AccountsReceivable) with local aging, after a backfill and then at most daily.
   * A backfill's own Contacts pages carry the balances (no extra calls); the daily check of an
   * incremental sync lists the contacts once (one call per 1,000). Never fails the sync.
   */
  afterSync(outcome: SyncOutcome, signal?: AbortSignal): Promise<CrossCheckInfo | null> {
    return crossCheckAfterSync(this.deps, 'xero', outcome, (conn) => this.runCrossCheck(conn, signal));
  }

  /** Compares and stores the result (sync/crosscheck.ts); mismatches name the contacts. */
  async runCrossCheck(conn: ConnectionRecord, signal?: AbortSignal): Promise<CrossCheckInfo> {
    const { db, clock } = this.deps;
    const asOf = companyToday(clock);
    const source = this.sources.get(conn.id);
    const balances = source?.contactsComplete() ? source.balances() : await this.fetchBalances(conn, signal);
    const result = crossCheckXero(balances, localAging(db, conn.id, asOf), asOf);
    const info: CrossCheckInfo = {
      checkedAt: clock.now().toISOString(),
      asOf,
      currency: conn.homeCurrency,
      checked: result.checked,
      // The outstanding figures, or the overdue ones when only those differ.
      mismatches: result.mismatches.map((m) => {
        const side = m.xero.outstandingCents !== m.local.outstandingCents ? 'outstandingCents' : 'overdueCents';
        return { name: m.name, qboCents: m.xero[side], localCents: m.local[side], ...(m.currency !== conn.homeCurrency ? { currency: m.currency } : {}) };
      }),
    };
    saveCrossCheck(db, 'xero', conn.id, info);
    if (result.message) this.deps.logger.warn('xero cross-check found differences', { connectionId: conn.id, contacts: info.mismatches.length });
    return info;
  }

  /** Every contact's AR balance, read through the connection's limiter (archived ones included). */
  private async fetchBalances(conn: ConnectionRecord, signal?: AbortSignal): Promise<Map<string, ContactBalance>> {
    const { client } = this.runtime(conn);
    const out = new Map<string, ContactBalance>();
    for (let page = 1; ; page++) {
      const res = await client.list('Contacts', { page, pageSize: XERO_PAGE_SIZE, includeArchived: true, ...(signal ? { signal } : {}) });
      for (const b of mapXeroPage('Contacts', res.rows, { baseCurrency: conn.homeCurrency }).balances) out.set(b.contactId, b);
      const pageCount = res.pagination?.pageCount ?? null;
      if (res.rows.length < XERO_PAGE_SIZE || (pageCount !== null && page >= pageCount)) return out;
    }
  }

  /**
   * The browser sign-in (PKCE S256 through the loopback redirect, `state` checked), the code
   * exchange, and the organisations of this consent from /connections (filtered by authEventId).
   * The tokens stay here under the returned pendingId until addTenants (or they expire).
   */
  async connect(input: { clientId?: string; connectionId?: string } = {}): Promise<XeroPendingConnect> {
    this.purge();
    const clientId = input.clientId ?? getSettings(this.deps.db).xeroClientId ?? this.deps.config?.clientId ?? null;
    if (!clientId) {
      throw new SettleError('invalid_input', 'Enter the client ID of your Xero app ("Auth Code with PKCE", developer.xero.com → My Apps) to connect Xero.');
    }
    const opener = this.deps.openExternal;
    if (!opener) throw new SettleError('unavailable', 'This Settle cannot open a browser for the Xero sign-in; use `settle connect xero --token-file` instead.');
    const target = input.connectionId === undefined ? null : getConnectionRecord(this.deps.db, input.connectionId);
    if (input.connectionId !== undefined && (!target || target.provider !== 'xero')) {
      throw new SettleError('not_found', `No Xero organisation "${input.connectionId}" to reconnect`);
    }
    const release = this.signIns.acquire('Xero');
    try {
      return await this.signIn(opener, clientId, input.clientId, target);
    } finally {
      release();
    }
  }

  /** The browser part of connect, under the sign-in lock; `target` is the organisation being reconnected. */
  private async signIn(opener: OpenExternal, clientId: string, newClientId: string | undefined, target: ConnectionRecord | null): Promise<XeroPendingConnect> {
    const { db, clock } = this.deps;
    const settings = getSettings(db);
    const pkce = createPkce();
    const state = createState();
    const loopback = await startLoopback({
      redirectUri: settings.oauthRedirectUri || DEFAULT_REDIRECT_URI,
      expectedState: state,
      timeoutMs: XERO_CONNECT_TIMEOUT_MS,
    });
    let params: URLSearchParams;
    let oauth: XeroOAuth;
    try {
      // The served URI (the real port when the setting asks for 0) is the one Xero must see.
      oauth = this.makeOAuth(clientId, loopback.redirectUri);
      const url = await oauth.authorizeUrl(state, pkce.challenge);
      const opened = opener.open(url).catch((err: unknown) => {
        this.deps.logger.warn('could not open the browser for the Xero sign-in', { error: err instanceof Error ? err.message : String(err) });
        void loopback.close();
      });
      params = (await loopback.result).params;
      await opened;
    } finally {
      await loopback.close();
    }
    const tokens = await oauth.exchange(params.get('code') ?? '', pkce.verifier);
    const tenants = await oauth.tenants(tokens.accessToken, tokens.authEventId);
    if (tenants.length === 0) {
      await oauth.revoke(tokens.refreshToken).catch(() => undefined);
      throw new SettleError('invalid_input', 'No Xero organisation was chosen in the sign-in. Connect again and tick at least one organisation.');
    }
    if (target && !tenants.some((t) => t.tenantId === target.externalTenantId)) {
      // Nothing is written; the unwanted grant is revoked unless it reaches a connected organisation.
      await this.dropGrant({ tokens, clientId, redirectUri: loopback.redirectUri, tenants, expiresAtMs: 0 });
      throw new SettleError(
        'conflict',
        `That sign-in did not include “${target.name}”, so it cannot reconnect it. Sign in again and tick “${target.name}” in Xero; to add other organisations, use Connect Xero.`,
      );
    }
    if (newClientId !== undefined && newClientId !== settings.xeroClientId) setSettings(db, { xeroClientId: newClientId }, clock.now().toISOString());
    const pendingId = randomBytes(18).toString('base64url');
    const expiresAtMs = Date.now() + XERO_PENDING_TTL_MS;
    this.pending.set(pendingId, { tokens, clientId, redirectUri: loopback.redirectUri, tenants, expiresAtMs });
    const active = new Set(this.xeroConnections().filter((c) => c.status === 'active').map((c) => c.externalTenantId));
    return {
      pendingId,
      expiresAt: new Date(expiresAtMs).toISOString(),
      tenants: tenants.map((t) => ({ tenantId: t.tenantId, name: t.tenantName, connected: active.has(t.tenantId) })),
    };
  }

  /**
   * One 'xero' connection per chosen organisation of a pending sign-in (refusing one already
   * connected), the grant's tokens saved once, the first made active. Organisations of the
   * consent that were not chosen are removed from Xero's /connections (best effort).
   */
  async addTenants(pendingId: string, tenantIds: readonly string[]): Promise<ConnectionSummary[]> {
    this.purge();
    const p = this.pending.get(pendingId);
    if (!p) throw new SettleError('not_found', 'That Xero sign-in has expired or was already used. Connect Xero again.');
    const chosen = [...new Set(tenantIds)];
    if (chosen.length === 0) throw new SettleError('invalid_input', 'Choose at least one organisation');
    const byTenant = new Map(p.tenants.map((t) => [t.tenantId, t]));
    const unknown = chosen.filter((t) => !byTenant.has(t));
    if (unknown.length) throw new SettleError('invalid_input', `Not an organisation of this sign-in: ${unknown.join(', ')}`);
    for (const t of chosen) this.refuseConnected(t, byTenant.get(t)?.tenantName ?? t);
    const grant = `grant-${randomBytes(12).toString('base64url')}`;
    const added = await this.adopt(
      grant,
      p.tokens,
      p.clientId,
      chosen.map((t) => byTenant.get(t) as XeroConnection),
    );
    this.pending.delete(pendingId);
    // The consent's other organisations were not wanted: tell Xero (best effort).
    const live = this.liveTenants();
    const leftOver = p.tenants.filter((t) => !chosen.includes(t.tenantId) && !live.has(t.tenantId));
    if (leftOver.length) {
      const oauth = this.makeOAuth(p.clientId, p.redirectUri);
      const access = await this.tokens.getAccessToken(grant).catch(() => p.tokens.accessToken);
      for (const t of leftOver) {
        await oauth.deleteConnection(access, t.id).catch((err: unknown) => this.deps.logger.warn('could not remove an unchosen Xero organisation', { error: err instanceof Error ? err.message : String(err) }));
      }
    }
    return added;
  }

  /** Drops a pending sign-in (the picker was cancelled) and revokes its grant. */
  async cancelPending(pendingId: string): Promise<void> {
    const p = this.pending.get(pendingId);
    if (!p) return;
    this.pending.delete(pendingId);
    await this.dropGrant(p);
  }

  /**
   * Revokes a sign-in nobody will use, unless it reaches an organisation Settle already has
   * connected: Xero keeps one connection per organisation, and revoking would cut it off.
   */
  private async dropGrant(p: Pending): Promise<void> {
    const live = this.liveTenants();
    if (p.tenants.some((t) => live.has(t.tenantId))) return;
    await this.makeOAuth(p.clientId, p.redirectUri)
      .revoke(p.tokens.refreshToken)
      .catch(() => undefined);
  }

  /** Tenant ids of the Xero organisations Settle syncs (not disconnected). */
  private liveTenants(): Set<string | null> {
    return new Set(this.xeroConnections().filter((c) => c.status !== 'disconnected').map((c) => c.externalTenantId));
  }

  /** Headless connect: one organisation of an existing grant. */
  async connectWithTokens(t: XeroHeadlessTokens): Promise<ConnectionSummary> {
    if (Number.isNaN(Date.parse(t.expiresAt))) throw new SettleError('invalid_input', 'expiresAt must be an ISO instant');
    this.refuseConnected(t.tenantId, t.tenantId);
    const oauth = this.makeOAuth(t.clientId, getSettings(this.deps.db).oauthRedirectUri);
    // /connections names the organisation and gives its connection id (the identity API: no tenant quota).
    let entry: XeroConnection | undefined;
    try {
      entry = (await oauth.tenants(t.accessToken, null)).find((c) => c.tenantId === t.tenantId);
    } catch (err) {
      this.deps.logger.warn('could not list the Xero organisations of the token file', { error: err instanceof Error ? err.message : String(err) });
    }
    const tenant: XeroConnection = entry ?? {
      id: '',
      authEventId: null,
      tenantId: t.tenantId,
      tenantType: 'ORGANISATION',
      tenantName: t.tenantId,
      createdDateUtc: null,
      updatedDateUtc: null,
    };
    const existing = this.xeroConnections().find((c) => c.externalTenantId === t.tenantId);
    const grant = existing ? xeroOptionsOf(existing).grant : `grant-${randomBytes(12).toString('base64url')}`;
    const tokens: XeroTokenSet = { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt, refreshExpiresAt: null, authEventId: null };
    const [conn] = await this.adopt(grant, tokens, t.clientId, [tenant]);
    if (!conn) throw new SettleError('internal', 'The new connection vanished');
    return conn;
  }

  /**
   * Removes the organisation from Xero's /connections, revokes the grant when no other
   * organisation uses it (revoking would cut those off too), forgets the tokens then, keeps the
   * data and marks the connection disconnected.
   */
  async disconnect(connectionId: string): Promise<ConnectionSummary> {
    const { db, logger } = this.deps;
    const conn = getConnectionRecord(db, connectionId);
    if (!conn) throw new SettleError('not_found', `No company "${connectionId}"`);
    if (conn.provider !== 'xero') throw new SettleError('invalid_input', `${conn.name} is not a Xero organisation`);
    const opts = xeroOptionsOf(conn);
    const siblings = this.connectionsOfGrant(opts.grant).filter((c) => c.id !== conn.id && c.status !== 'disconnected');
    const oauth = this.oauth(opts.clientId);
    if (conn.status !== 'disconnected' && (await this.tokens.hasTokens(opts.grant))) {
      try {
        const access = await this.tokens.getAccessToken(opts.grant);
        if (opts.xeroConnectionId) await oauth.deleteConnection(access, opts.xeroConnectionId);
      } catch (err) {
        logger.warn('xero DELETE /connections failed; disconnecting locally anyway', { connectionId, error: err instanceof Error ? err.name : 'unknown' });
      }
      if (siblings.length === 0) {
        const refreshToken = await this.tokens.storedRefreshToken(opts.grant);
        if (refreshToken) {
          await oauth.revoke(refreshToken).catch((err: unknown) => logger.warn('xero revoke failed; forgetting the tokens anyway', { connectionId, error: err instanceof Error ? err.name : 'unknown' }));
        }
      }
    }
    if (siblings.length === 0) await this.tokens.forget(opts.grant);
    this.runtimes.delete(connectionId);
    return markDisconnected(this.deps, connectionId);
  }

  /** Xero's own invoice reminders (InvoiceReminders/Settings): on means Settle would chase twice. */
  async reminders(connectionId: string): Promise<XeroReminderInfo> {
    const conn = getConnectionRecord(this.deps.db, connectionId);
    if (!conn) throw new SettleError('not_found', `No company "${connectionId}"`);
    if (conn.provider !== 'xero') throw new SettleError('invalid_input', `${conn.name} is not a Xero organisation`);
    if (conn.status !== 'active') throw new SettleError('unavailable', `${conn.name} is not connected; reconnect it in Settings → Connections.`);
    const { enabled } = await this.runtime(conn).client.invoiceReminderSettings();
    return { connectionId, enabled, checkedAt: this.deps.clock.now().toISOString() };
  }

  /**
   * Today's call budget per Xero connection: the calls counted this UTC day (kept across
   * restarts), out of the current tier's limit.
   */
  budgets(): Record<string, ApiBudget> {
    const out: Record<string, ApiBudget> = {};
    const tier = this.tier();
    for (const c of this.xeroConnections()) out[c.id] = dayBudget(this.deps.db, c.externalTenantId, this.runtimes.get(c.id)?.limiter, tier);
    return out;
  }

  // ---- internals ----

  private tier(): XeroTier {
    return getSettings(this.deps.db).xeroTier === 'starter' ? 'starter' : 'standard';
  }

  private xeroConnections(): ConnectionRecord[] {
    const { db } = this.deps;
    return listConnections(db)
      .filter((c) => c.provider === 'xero')
      .map((c) => getConnectionRecord(db, c.id))
      .filter((c): c is ConnectionRecord => c !== null && c !== undefined);
  }

  private connectionsOfGrant(grant: string): ConnectionRecord[] {
    return this.xeroConnections().filter((c) => xeroOptionsOf(c).grant === grant);
  }

  private refuseConnected(tenantId: string, label: string): void {
    const existing = this.xeroConnections().find((c) => c.externalTenantId === tenantId);
    if (existing && existing.status === 'active') {
      throw new SettleError('conflict', `The Xero organisation “${existing.name || label}” is already connected. Disconnect it first to connect it again.`);
    }
  }

  private async adopt(grant: string, tokens: XeroTokenSet, clientId: string, tenants: XeroConnection[]): Promise<ConnectionSummary[]> {
    const { db, clock } = this.deps;
    // Read each organisation before writing anything, with the fresh token and nothing else.
    const orgs: { t: XeroConnection; info: Awaited<ReturnType<XeroClient['organisation']>> }[] = [];
    for (const t of tenants) {
      const probe = new XeroClient({
        apiBase: this.apiBase,
        tenantId: t.tenantId,
        http: fetchXeroHttp,
        logger: this.deps.logger,
        getAccessToken: () => Promise.resolve(tokens.accessToken),
        forceRefresh: () => Promise.resolve(),
      });
      const info = await probe.organisation();
      orgs.push({ t, info });
    }
    const at = clock.now().toISOString();
    const tier = this.tier();
    await this.tokens.save(grant, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, refreshExpiresAt: tokens.refreshExpiresAt ?? null });
    const ids: string[] = [];
    try {
      db.transaction(() => {
        for (const { t, info } of orgs) {
          const existing = this.xeroConnections().find((c) => c.externalTenantId === t.tenantId);
          const id = existing?.id ?? `xero-${t.tenantId}`;
          // The /connections name, unless only the tenant id was known (headless without /connections).
          const name = t.tenantName === t.tenantId && info.name ? info.name : t.tenantName;
          const options: XeroConnectionOptions = { clientId, grant, xeroConnectionId: t.id || null, tier, orgClass: info.orgClass };
          if (existing) {
            saveConnectionOptions(db, id, { ...options }, at, name);
            setConnectionStatus(db, id, 'active', at);
          } else {
            createConnection(db, { id, provider: 'xero', name, homeCurrency: info.baseCurrency ?? 'USD', externalTenantId: t.tenantId, options: { ...options } }, at);
          }
          appendAudit(db, clock, { actor: 'owner', action: existing ? 'connection.reconnect' : 'connection.create', entity: 'connection', entityId: id, detail: { provider: 'xero', tenantId: t.tenantId } });
          ids.push(id);
        }
        if (ids[0]) setSettings(db, { activeConnectionId: ids[0] }, at);
      })();
    } catch (err) {
      if (this.connectionsOfGrant(grant).length === 0) await this.tokens.forget(grant).catch(() => false);
      throw err;
    }
    const out: ConnectionSummary[] = [];
    for (const id of ids) {
      this.runtimes.delete(id);
      this.deps.events.emit('ledger.changed', { connectionId: id, reason: 'connection' });
      const conn = getConnection(db, id);
      if (conn) out.push(conn);
    }
    return out;
  }

  private runtime(conn: ConnectionRecord): Runtime {
    const have = this.runtimes.get(conn.id);
    if (have) return have;
    const tenantId = conn.externalTenantId;
    if (!tenantId) throw new SettleError('internal', `${conn.name} has no Xero tenant id`);
    const { grant } = xeroOptionsOf(conn);
    // The limiter runs on the wall clock (Xero's day is real time); the policy follows the tier setting.
    const { limiter, http, connectorHttp } = limitedTransport(() => policyFor(this.tier()), {
      logger: this.deps.logger,
      onCall: (atMs) => countCall(this.deps.db, tenantId, atMs),
    });
    seedDayCalls(this.deps.db, limiter, tenantId);
    const client = new XeroClient({ apiBase: this.apiBase, tenantId, http: connectorHttp, logger: this.deps.logger, ...this.tokens.clientAuth(grant) });
    const rt: Runtime = { client, http, limiter };
    this.runtimes.set(conn.id, rt);
    return rt;
  }

  private oauth(clientId: string | null): XeroOAuth {
    const id = clientId || getSettings(this.deps.db).xeroClientId || this.deps.config?.clientId || null;
    if (!id) {
      throw new SettleError('unavailable', 'The Xero client ID is missing, so Settle cannot renew the sign-in. Reconnect Xero in Settings → Connections.');
    }
    return this.makeOAuth(id, getSettings(this.deps.db).oauthRedirectUri);
  }

  private makeOAuth(clientId: string, redirectUri: string): XeroOAuth {
    return new XeroOAuth({
      clientId,
      redirectUri,
      identityBase: this.identityBase,
      apiBase: this.apiBase,
      legacyScopes: getSettings(this.deps.db).xeroLegacyScopes,
      clock: this.deps.clock,
      logger: this.deps.logger,
    });
  }

  /** Every active organisation of the grant needs a reconnect. */
  private markNeedsReconnect(grant: string): void {
    for (const conn of this.connectionsOfGrant(grant)) flagNeedsReconnect(this.deps, conn.id);
  }

  /** Drops expired pending sign-ins (their grants are revoked, best effort). */
  private purge(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (p.expiresAtMs > now) continue;
      this.pending.delete(id);
      void this.dropGrant(p);
    }
  }
}
