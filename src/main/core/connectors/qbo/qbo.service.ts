// QuickBooks Online wired into the core: per connection a limited transport (QBO_LIMITS; no auth:
// the QBO client renews the token itself after a 401), one TokenManager('qbo') keyed
// by connection, the QBO SyncSource for the engine, and the connect / reconnect / disconnect
// flows. Tokens and the client secret live ONLY in the SecretStore: never SQLite, logs, events
// or anything returned to a caller.
import type { LedgerAccess } from '../ledger-access';
import type { LedgerProvider } from '../registry';
import { qboLedger } from './ledger-access';
import { randomBytes } from 'node:crypto';
import { SettleError } from '../../../../shared/errors';
import type { ConnectionSummary, CrossCheckInfo } from '../../../../shared/model';
import { appendAudit } from '../../audit';
import { flagNeedsReconnect, markDisconnected } from '../../sync';
import { DEFAULT_REDIRECT_URI, startLoopback } from '../../auth/loopback';
import { SignInLock } from '../../auth/sign-in';
import { TokenManager } from '../../auth/tokens';
import { QboClient } from './client';
import { settingsCreditLinkStore } from './credit-links';
import { crossCheck } from './crosscheck';
import { INTUIT_API_BASES, QboOAuth, qboBasesFromEnv, type QboTokenSet } from './oauth';
import { localReceivables } from './receivables.repo';
import { createQboSyncSource } from './source';
import { sqliteTombstoneReader } from './tombstones';
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
import { limitedTransport, type HttpClient } from '../../sync';
import { QBO_LIMITS } from '../../sync';
import type { SyncOutcome, SyncSource } from '../../sync';

/** The SecretStore account of the Intuit app's client secret. */
export const QBO_CLIENT_SECRET_ACCOUNT = 'qbo:client-secret';
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

export interface QboServiceDeps extends ConnectorServiceDeps {
  config?: QboConfig;
}

interface Runtime {
  client: QboClient;
  http: HttpClient;
}

export interface ConnectOptions {
  clientId?: string;
  clientSecret?: string;
  /** Reconnecting this connection: the sign-in must return its company (realmId), else nothing is written. */
  connectionId?: string;
}

export interface HeadlessTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  realmId: string;
  clientId: string;
  clientSecret: string;
}

export class QboService implements LedgerProvider {
  readonly provider = 'qbo' as const;
  readonly syncs = true;
  readonly tokens: TokenManager;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly apiBase: string;
  private readonly oauthBase: string | null;
  private readonly environment: 'production' | 'sandbox';
  private readonly signIns: SignInLock;

  constructor(private readonly deps: QboServiceDeps) {
    this.signIns = deps.signIns ?? new SignInLock();
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

  /** The API client of a QuickBooks company (the outbox's re-check, send and write-back); null for any other provider. */
  clientFor(conn: ConnectionRecord): QboClient | null {
    return conn.provider === 'qbo' ? this.runtime(conn).client : null;
  }

  /** The ledger port of one of its companies (the outbox's re-check, ledger email, notes, PDF). */
  ledgerFor(conn: ConnectionRecord): LedgerAccess | null {
    const client = this.clientFor(conn);
    return client ? qboLedger(client, conn.homeCurrency) : null;
  }

  /** The engine's source for one of its companies (null for any other provider). */
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
    const opener = this.deps.openExternal;
    if (!opener) throw new SettleError('unavailable', 'This Settle cannot open a browser for the QuickBooks sign-in; use `settle connect qbo --token-file` instead.');
    const target = input.connectionId === undefined ? null : getConnectionRecord(db, input.connectionId);
    if (input.connectionId !== undefined && (!target || target.provider !== 'qbo')) {
      throw new SettleError('not_found', `No QuickBooks company "${input.connectionId}" to reconnect`);
    }
    const release = this.signIns.acquire('QuickBooks');
    try {
      return await this.signIn(opener, clientId, clientSecret, target, input.clientId !== undefined || input.clientSecret !== undefined);
    } finally {
      release();
    }
  }

  /** The browser part of connect, under the sign-in lock; `target` is the connection being reconnected. */
  private async signIn(opener: OpenExternal, clientId: string, clientSecret: string, target: ConnectionRecord | null, newKeys: boolean): Promise<ConnectionSummary> {
    const settings = getSettings(this.deps.db);
    const loopbackUri = settings.oauthRedirectUri || DEFAULT_REDIRECT_URI;
    // With a relay (production keys), Intuit redirects to the relay, which forwards to the loopback.
    const oauth = this.makeOAuth(clientId, clientSecret, settings.qboRelayUrl ?? loopbackUri);
    const state = randomBytes(24).toString('base64url');
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
    if (target && target.externalTenantId !== realmId) {
      // Refused before the code is exchanged: no tokens exist, nothing is written.
      throw new SettleError(
        'conflict',
        `That sign-in chose a different QuickBooks company, not “${target.name}”. To reconnect “${target.name}”, choose it in the QuickBooks sign-in; to add the other company, use Connect QuickBooks.`,
      );
    }
    const tokens = await oauth.exchange(code, realmId);
    return this.adopt(tokens, clientId, newKeys ? { clientId, clientSecret } : null, 'owner');
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
    const { db } = this.deps;
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
    return markDisconnected(this.deps, connectionId);
  }

  /** The last cross-check of a connection, if any. */
  lastCrossCheck(connectionId: string): CrossCheckInfo | null {
    return lastCrossCheck(this.deps.db, 'qbo', connectionId);
  }

  /**
   * After a successful sync: compares QuickBooks' AgedReceivables (as of the company's today)
   * with the local ledger when the run was a backfill or the last check is a day old. Never
   * fails the sync; a check that cannot run is logged and tried again after the next sync.
   */
  afterSync(outcome: SyncOutcome, signal?: AbortSignal): Promise<CrossCheckInfo | null> {
    return crossCheckAfterSync(this.deps, 'qbo', outcome, (conn) => this.runCrossCheck(conn, signal));
  }

  /** Fetches the report, compares, stores the result (sync/crosscheck.ts). */
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
    saveCrossCheck(db, 'qbo', conn.id, info);
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
          saveConnectionOptions(db, id, { ...existing.options, clientId }, at, info.companyName);
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
    const { http, connectorHttp } = limitedTransport(QBO_LIMITS, { logger: this.deps.logger });
    const client = new QboClient({ apiBase: this.apiBase, realmId, http: connectorHttp, logger: this.deps.logger, ...this.tokens.clientAuth(conn.id) });
    const rt = { client, http };
    this.runtimes.set(conn.id, rt);
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
