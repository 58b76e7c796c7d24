// QuickBooks Online wired into the core: per connection a Limiter (QBO_LIMITS) and HttpClient
// (no auth: the QBO client renews the token itself after a 401), one TokenManager('qbo') keyed
// by connection, the QBO SyncSource for the engine, and the connect / reconnect / disconnect
// flows. Tokens and the client secret live ONLY in the SecretStore: never SQLite, logs, events
// or anything returned to a caller.
import { randomBytes } from 'node:crypto';
import { SettleError } from '../../shared/errors';
import type { ConnectionSummary, CrossCheckInfo, SyncRun, SyncStatus } from '../../shared/model';
import { appendAudit } from './audit/log';
import { flagNeedsReconnect } from './sync/reconnect';
import { DEFAULT_REDIRECT_URI, startLoopback } from './auth/loopback';
import { TokenManager } from './auth/tokens';
import { QboClient, httpViaLimiter } from './connectors/qbo/client';
import { settingsCreditLinkStore } from './connectors/qbo/credit-links';
import { crossCheck, localReceivables } from './connectors/qbo/crosscheck';
import { INTUIT_API_BASES, QboOAuth, qboBasesFromEnv, type QboTokenSet } from './connectors/qbo/oauth';
import { createQboSyncSource } from './connectors/qbo/source';
import { sqliteTombstoneReader } from './connectors/qbo/tombstones';
import type { Db } from './db/open';
import {
  createConnection,
  getConnection,
  getConnectionRecord,
  listConnections,
  setConnectionStatus,
  type ConnectionRecord,
} from './db/repos/connections.repo';
import { getSetting, getSettings, setSetting, setSettings } from './db/repos/settings.repo';
import { lastRun } from './db/repos/sync-runs.repo';
import type { EventHub } from './events';
import type { Clock, Logger, OpenExternal, SecretStore } from './ports';
import { HttpClient } from './sync/http';
import { Limiter, QBO_LIMITS } from './sync/limiter';
import type { SyncOutcome, SyncSource } from './sync/engine';

/** The SecretStore account of the Intuit app's client secret. */
export const QBO_CLIENT_SECRET_ACCOUNT = 'qbo:client-secret';
/** The settings key of a connection's last cross-check (CrossCheckInfo; no secrets in it). */
export const crossCheckKey = (connectionId: string): string => `qbo.crossCheck.${connectionId}`;
/** The cross-check runs after a backfill, and otherwise at most this often. */
export const CROSS_CHECK_EVERY_MS = 24 * 3_600_000;
/** How long the browser sign-in may take before the loopback server gives up. */
export const CONNECT_TIMEOUT_MS = 5 * 60_000;

export interface QboConfig {
  /** API root (else SETTLE_QBO_API_BASE, else Intuit's for the environment). */
  apiBase?: string | null;
  /** Base beneath which authorize/token/revoke/userinfo live (else SETTLE_QBO_OAUTH_BASE, else Intuit's). */
  oauthBase?: string | null;
  /** A build-time default client ID (the owner's own keys override it). */
  clientId?: string | null;
  /** A build-time default client secret (else the SecretStore's). */
  clientSecret?: string | null;
  environment?: 'production' | 'sandbox';
}

export interface QboServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  events: Pick<EventHub, 'emit'>;
  openExternal?: OpenExternal;
  config?: QboConfig;
  env?: NodeJS.ProcessEnv;
}

interface Runtime {
  client: QboClient;
  http: HttpClient;
}

export interface ConnectOptions {
  clientId?: string;
  clientSecret?: string;
}

export interface HeadlessTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  realmId: string;
  clientId: string;
  clientSecret: string;
}

export class QboService {
  readonly tokens: TokenManager;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly apiBase: string;
  private readonly oauthBase: string | null;
  private readonly environment: 'production' | 'sandbox';

  constructor(private readonly deps: QboServiceDeps) {
    const env = qboBasesFromEnv(deps.env ?? process.env);
    this.environment = deps.config?.environment ?? 'production';
    this.apiBase = deps.config?.apiBase ?? env.apiBase ?? INTUIT_API_BASES[this.environment];
    this.oauthBase = deps.config?.oauthBase ?? env.oauthBase;
    this.tokens = new TokenManager({
      provider: 'qbo',
      secrets: deps.secrets,
      clock: deps.clock,
      logger: deps.logger,
      refresh: async (refreshToken, { connectionId }) => {
        const conn = getConnectionRecord(deps.db, connectionId);
        const oauth = await this.oauth(conn ? clientIdOf(conn) : null);
        return oauth.refresh(refreshToken, conn?.externalTenantId ?? '');
      },
      onNeedsReconnect: (connectionId) => {
        flagNeedsReconnect(this.deps, connectionId);
      },
    });
  }

  /** The engine's source for a QBO connection (null for any other provider). */
  sourceFor(conn: ConnectionRecord): SyncSource | null {
    if (conn.provider !== 'qbo') return null;
    const { client } = this.runtime(conn);
    return createQboSyncSource({
      client,
      homeCurrency: conn.homeCurrency,
      clock: this.deps.clock,
      logger: this.deps.logger,
      creditLinks: settingsCreditLinkStore(this.deps.db, conn.id, this.deps.clock),
      tombstones: sqliteTombstoneReader(this.deps.db, conn.id),
    });
  }

  /**
   * The browser sign-in through the loopback redirect: opens the authorize URL, checks state,
   * captures realmId, exchanges the code and stores the tokens. Creates the connection, or
   * reactivates one of the same company that needs a reconnect or was disconnected.
   */
  async connect(input: ConnectOptions = {}): Promise<ConnectionSummary> {
    const { db } = this.deps;
    const settings = getSettings(db);
    const clientId = input.clientId ?? settings.qboClientId ?? this.deps.config?.clientId ?? null;
    if (!clientId) {
      throw new SettleError('invalid_input', 'Enter the client ID of your Intuit app (developer.intuit.com → Keys & credentials) to connect QuickBooks.');
    }
    const clientSecret = input.clientSecret ?? (await this.clientSecret());
    if (!clientSecret) {
      throw new SettleError('invalid_input', 'Enter the client secret of your Intuit app to connect QuickBooks. Settle keeps it in the keychain.');
    }
    if (!this.deps.openExternal) throw new SettleError('unavailable', 'This Settle cannot open a browser for the QuickBooks sign-in; use `settle connect qbo --token-file` instead.');
    const loopbackUri = settings.oauthRedirectUri || DEFAULT_REDIRECT_URI;
    // With a relay (production keys), Intuit redirects to the relay, which forwards to the loopback.
    const oauth = this.makeOAuth(clientId, clientSecret, settings.qboRelayUrl ?? loopbackUri);
    const state = randomBytes(24).toString('base64url');
    const opener = this.deps.openExternal;
    const loopback = await startLoopback({
      redirectUri: loopbackUri,
      expectedState: state,
      timeoutMs: CONNECT_TIMEOUT_MS,
      authorizeUrl: oauth.authorizeUrl(state),
      openExternal: (url) => opener.open(url),
    });
    let params: URLSearchParams;
    try {
      params = (await loopback.result).params;
    } finally {
      await loopback.close();
    }
    const code = params.get('code') ?? '';
    const realmId = params.get('realmId') ?? '';
    if (!realmId) throw new SettleError('invalid_input', 'QuickBooks did not say which company was chosen (no realmId). Please connect again.');
    const tokens = await oauth.exchange(code, realmId);
    const conn = await this.adopt(tokens, clientId, input.clientId !== undefined || input.clientSecret !== undefined ? { clientId, clientSecret } : null, 'owner');
    return conn;
  }

  /** Headless connect (`settle connect qbo --token-file`): the same as the browser flow after the exchange. */
  async connectWithTokens(t: HeadlessTokens): Promise<ConnectionSummary> {
    const tokens: QboTokenSet = {
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresAt: t.expiresAt,
      refreshExpiresAt: null,
      realmId: t.realmId,
    };
    if (Number.isNaN(Date.parse(t.expiresAt))) throw new SettleError('invalid_input', 'expiresAt must be an ISO instant');
    return this.adopt(tokens, t.clientId, { clientId: t.clientId, clientSecret: t.clientSecret }, 'owner');
  }

  /** Revokes (best effort), deletes the tokens, keeps the data, marks the connection disconnected. */
  async disconnect(connectionId: string): Promise<ConnectionSummary> {
    const { db, clock } = this.deps;
    const conn = getConnectionRecord(db, connectionId);
    if (!conn) throw new SettleError('not_found', `No company "${connectionId}"`);
    if (conn.provider !== 'qbo') throw new SettleError('invalid_input', `${conn.name} is not a QuickBooks company`);
    const refreshToken = await this.tokens.storedRefreshToken(connectionId);
    if (refreshToken) {
      try {
        await (await this.oauth(clientIdOf(conn))).revoke(refreshToken);
      } catch (err) {
        this.deps.logger.warn('qbo revoke failed; forgetting the tokens anyway', { connectionId, error: err instanceof Error ? err.name : 'unknown' });
      }
    }
    await this.tokens.forget(connectionId);
    this.runtimes.delete(connectionId);
    if (conn.status !== 'disconnected') setConnectionStatus(db, connectionId, 'disconnected', clock.now().toISOString());
    appendAudit(db, clock, { actor: 'owner', action: 'connection.disconnect', entity: 'connection', entityId: connectionId });
    this.deps.events.emit('ledger.changed', { connectionId, reason: 'connection' });
    const after = getConnection(db, connectionId);
    if (!after) throw new SettleError('internal', 'The connection vanished while disconnecting');
    return after;
  }

  /** The last cross-check of a connection, if any. */
  lastCrossCheck(connectionId: string): CrossCheckInfo | null {
    return getSetting<CrossCheckInfo>(this.deps.db, crossCheckKey(connectionId)) ?? null;
  }

  /**
   * After a successful sync: compares QuickBooks' AgedReceivables (as of the company's today)
   * with the local ledger when the run was a backfill or the last check is a day old. Never
   * fails the sync; a check that cannot run is logged and tried again after the next sync.
   */
  async afterSync(outcome: SyncOutcome, signal?: AbortSignal): Promise<CrossCheckInfo | null> {
    if (outcome.status !== 'ok') return null;
    const conn = getConnectionRecord(this.deps.db, outcome.connectionId);
    if (!conn || conn.provider !== 'qbo' || conn.status !== 'active') return null;
    const last = this.lastCrossCheck(conn.id);
    const due = outcome.kind === 'full' || !last || this.deps.clock.now().getTime() - Date.parse(last.checkedAt) >= CROSS_CHECK_EVERY_MS;
    if (!due) return null;
    try {
      return await this.runCrossCheck(conn, signal);
    } catch (err) {
      this.deps.logger.warn('qbo cross-check failed', { connectionId: conn.id, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  /** Fetches the report, compares, stores the result under crossCheckKey. */
  async runCrossCheck(conn: ConnectionRecord, signal?: AbortSignal): Promise<CrossCheckInfo> {
    const { db, clock } = this.deps;
    const asOf = companyToday(clock);
    const report = await this.runtime(conn).client.agedReceivables(asOf, signal);
    const result = crossCheck(report, localReceivables(db, conn.id, asOf));
    const info: CrossCheckInfo = {
      checkedAt: clock.now().toISOString(),
      asOf: result.asOf ?? asOf,
      currency: result.currency,
      checked: result.checked,
      mismatches: result.mismatches.map((m) => ({ name: m.name, qboCents: m.qboCents, localCents: m.localCents })),
    };
    setSetting(db, crossCheckKey(conn.id), info, info.checkedAt);
    if (result.message) this.deps.logger.warn('qbo cross-check found differences', { connectionId: conn.id, customers: info.mismatches.length });
    return info;
  }

  // ---- internals ----

  private async adopt(
    tokens: QboTokenSet,
    clientId: string,
    keys: { clientId: string; clientSecret: string } | null,
    actor: 'owner' | 'system',
  ): Promise<ConnectionSummary> {
    const { db, clock } = this.deps;
    const realmId = tokens.realmId;
    const existing = listConnections(db)
      .map((c) => getConnectionRecord(db, c.id))
      .find((c) => c?.provider === 'qbo' && c.externalTenantId === realmId);
    if (existing && existing.status === 'active') {
      throw new SettleError('conflict', `This QuickBooks company is already connected as “${existing.name}”. Disconnect it first to connect it again.`);
    }
    // Read the company before writing anything, with the fresh token and nothing else.
    const probe = new QboClient({
      apiBase: this.apiBase,
      realmId,
      getAccessToken: () => Promise.resolve(tokens.accessToken),
      forceRefresh: () => Promise.resolve(),
      logger: this.deps.logger,
    });
    const info = await probe.companyInfo();
    const homeCurrency = (await probe.homeCurrency()) ?? info.homeCurrencyGuess ?? 'USD';
    const id = existing?.id ?? `qbo-${realmId}`;
    const at = clock.now().toISOString();
    // Keys first (the refresh needs them), then tokens, then the row the UI shows.
    if (keys) {
      await this.deps.secrets.set(QBO_CLIENT_SECRET_ACCOUNT, keys.clientSecret);
      setSettings(db, { qboClientId: keys.clientId }, at);
    }
    await this.tokens.save(id, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
    });
    try {
      db.transaction(() => {
        if (existing) {
          db.prepare('UPDATE connections SET name = ?, options_json = ?, updated_at = ? WHERE id = ?').run(
            info.companyName,
            JSON.stringify({ ...existing.options, clientId }),
            at,
            id,
          );
          setConnectionStatus(db, id, 'active', at);
        } else {
          createConnection(db, { id, provider: 'qbo', name: info.companyName, homeCurrency, externalTenantId: realmId, options: { clientId } }, at);
        }
        setSettings(db, { activeConnectionId: id }, at);
        appendAudit(db, clock, { actor, action: existing ? 'connection.reconnect' : 'connection.create', entity: 'connection', entityId: id, detail: { provider: 'qbo', realmId } });
      })();
    } catch (err) {
      if (!existing) await this.tokens.forget(id).catch(() => false);
      throw err;
    }
    this.runtimes.delete(id);
    this.deps.events.emit('ledger.changed', { connectionId: id, reason: 'connection' });
    const conn = getConnection(db, id);
    if (!conn) throw new SettleError('internal', 'The new connection vanished');
    return conn;
  }

  private runtime(conn: ConnectionRecord): Runtime {
    const have = this.runtimes.get(conn.id);
    if (have) return have;
    const realmId = conn.externalTenantId;
    if (!realmId) throw new SettleError('internal', `${conn.name} has no QuickBooks company id`);
    const limiter = new Limiter(QBO_LIMITS, { logger: this.deps.logger });
    const http = new HttpClient({ limiter, logger: this.deps.logger });
    const id = conn.id;
    const client = new QboClient({
      apiBase: this.apiBase,
      realmId,
      http: httpViaLimiter(http),
      logger: this.deps.logger,
      getAccessToken: () => this.tokens.getAccessToken(id),
      forceRefresh: (rejected) => this.tokens.forceRefresh(id, rejected),
      onRejected: (detail) => this.tokens.markNeedsReconnect(id, detail),
    });
    const rt = { client, http };
    this.runtimes.set(id, rt);
    return rt;
  }

  private async clientSecret(): Promise<string | null> {
    return this.deps.config?.clientSecret ?? (await this.deps.secrets.get(QBO_CLIENT_SECRET_ACCOUNT));
  }

  private async oauth(clientId: string | null): Promise<QboOAuth> {
    const id = clientId ?? getSettings(this.deps.db).qboClientId ?? this.deps.config?.clientId ?? null;
    const secret = await this.clientSecret();
    if (!id || !secret) {
      throw new SettleError('unavailable', 'The QuickBooks app keys (client ID and secret) are missing, so Settle cannot renew the sign-in. Reconnect QuickBooks in Settings → Connections.');
    }
    return this.makeOAuth(id, secret, getSettings(this.deps.db).oauthRedirectUri);
  }

  private makeOAuth(clientId: string, clientSecret: string, redirectUri: string): QboOAuth {
    return new QboOAuth({
      clientId,
      clientSecret,
      redirectUri,
      environment: this.environment,
      oauthBase: this.oauthBase,
      apiBase: this.apiBase,
      clock: this.deps.clock,
      logger: this.deps.logger,
    });
  }

}

function clientIdOf(conn: ConnectionRecord): string | null {
  const v = conn.options.clientId;
  return typeof v === 'string' && v ? v : null;
}

/** The date today in the company's (the clock's) time zone, YYYY-MM-DD. */
function companyToday(clock: Clock): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: clock.timeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(clock.now());
}

/** sync.status's per-connection extras: the last cross-check and the last run of each synced company. */
export function qboSyncStatusExtras(db: Db, qbo: QboService): Pick<SyncStatus, 'crossChecks' | 'lastRuns'> {
  const crossChecks: Record<string, CrossCheckInfo> = {};
  const lastRuns: Record<string, SyncRun> = {};
  for (const c of listConnections(db)) {
    if (c.provider !== 'qbo' && c.provider !== 'xero') continue;
    const run = lastRun(db, c.id);
    if (run) lastRuns[c.id] = run;
    const check = c.provider === 'qbo' ? qbo.lastCrossCheck(c.id) : null;
    if (check) crossChecks[c.id] = check;
  }
  return { crossChecks, lastRuns };
}
