// createCore wires the database, services and handlers behind the contract. Everything the OS
// provides comes in through ports, so Electron, the CLI, browser mode and tests share it.
import { join } from 'node:path';
import type { Envelope, Handlers, Input, Method, Output } from '../../shared/contract';
import { localDate } from '../../shared/dates';
import { SettleError } from '../../shared/errors';
import type { BoardView, ConnectionSummary, CustomerAmount, QueueInvoice, SyncRunOutcome } from '../../shared/model';
import { appendAudit } from './audit/log';
import { DEMO_CONNECTION_ID, DEMO_SEED_KEY, removeDemo, seedDemo, type DemoSeed } from './connectors/demo';
import { openDatabase, type Db } from './db/open';
import { getConnectionRecord, listConnections } from './connectors/connections.repo';
import { customerTimeline, getCustomerInfo } from './ledger/customers.repo';
import { balanceAsOf, getInvoiceRow, invoiceApplications } from './ledger/invoices.repo';
import { listOpenInvoices } from './ledger/ledger-queries.repo';
import { clearOverride, setOverride } from './scoring/overrides.repo';
import { replaceScores, scoresAsOf } from './scoring/scores.repo';
import { getSetting, getSettings, setSetting, setSettings } from './settings/settings.repo';
import { lastRun } from './sync/sync-runs.repo';
import { dispatch } from './dispatch';
import { createActivityService } from './audit/activity.service';
import { createApprovalsService } from './outreach/approvals/approvals.service';
import { ledgerAccessFor, OutboxService, smtpPortFrom } from './outreach/outbox/outbox.service';
import { createDraftingService } from './drafting/drafting.service';
import { createEmailService } from './outreach/senders/email.service';
import { EventHub } from './events';
import { bucketFor, daysOverdue } from './ledger/aging';
import { queryBoard, summarize } from './ledger/board';
import { takeSnapshot, type Snapshot } from './ledger/snapshot';
import type { InvoiceScore, OpenInvoice } from './ledger/types';
import {
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type Network,
  type Notifier,
  type OpenExternal,
  type SecretStore,
} from './ports';
import { FollowupService } from './followup/followup.service';
import { QboService, type HeadlessTokens, type QboConfig } from './connectors/qbo/qbo.service';
import { XeroService, type XeroConfig, type XeroHeadlessTokens } from './connectors/xero/xero.service';
import { customerScore, toScoreView, unknownCustomerFacts } from './scoring/model';
import { memorySecretStore } from './secrets/memory';
import { SignInLock } from './auth/sign-in';
import { syncStatusExtras } from './sync/crosscheck';
import { SyncEngine, type SyncOutcome } from './sync/engine';
import { ReportedNetwork } from './sync/reported-network';
import { SyncScheduler } from './sync/scheduler';

export interface CoreDeps {
  /** Folder holding settle.db (and backups). */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  secrets?: SecretStore;
  network?: Network;
  notifier?: Notifier;
  openExternal?: OpenExternal;
  /** Create the demo company on first start when no company exists (default true). */
  autoDemo?: boolean;
  /** Size of that first demo company (default: the generator's 900 invoices). */
  demoInvoices?: number;
  /** Sync on start, every N minutes and when the network returns (default false: tests, CLI). */
  autoSync?: boolean;
  /** QuickBooks endpoints and default keys; unset fields fall back to SETTLE_QBO_API_BASE / SETTLE_QBO_OAUTH_BASE, then Intuit's. */
  qbo?: QboConfig;
  /** Xero endpoints and a default client ID; unset fields fall back to SETTLE_XERO_API_BASE / SETTLE_XERO_IDENTITY_BASE, then Xero's. */
  xero?: XeroConfig;
  /** Where the env fallbacks are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Core {
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly db: Db;
  readonly dataDir: string;
  /** Validates and runs one contract call; never throws. */
  dispatch(method: string, input: unknown): Promise<Envelope<unknown>>;
  /** Typed in-process call for hosts (CLI); throws SettleError on failure. */
  call<M extends Method>(method: M, input?: Input<M>): Promise<Output<M>>;
  /** The owner's calendar date now. */
  today(): string;
  /** Headless connect (`settle connect qbo --token-file`): stores the keys and tokens in the SecretStore; no sync is started. */
  connectQboWithTokens(tokens: HeadlessTokens): Promise<ConnectionSummary>;
  /** Headless connect (`settle connect xero --token-file`): stores the tokens in the SecretStore; no sync is started. */
  connectXeroWithTokens(tokens: XeroHeadlessTokens): Promise<ConnectionSummary>;
  /** The company the board shows; throws not_found when there is none. */
  activeConnectionId(): string;
  /** First-run bootstrap (demo company) and a rescore when stored scores are stale. */
  start(): void;
  /** Stops the scheduler, aborts syncs and waits for them, then closes the database. */
  shutdown(): Promise<void>;
  /** Synchronous close: stops the scheduler, aborts syncs and closes the database (safe to call twice). */
  close(): void;
}

export const DB_FILE = 'settle.db';
const DEMO_DISMISSED_KEY = 'demo.dismissed';
const SYNCED = new Set(['qbo', 'xero']);
/** Snapshots kept in memory: today's plus one other as-of date the owner is looking at. */
const SNAPSHOT_CACHE = 2;

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const db = openDatabase(join(deps.dataDir, DB_FILE), {
    onBackup: (path) => logger.info('database backed up before migrating', { path }),
  });
  const events = new EventHub();
  const snapshots = new Map<string, Snapshot>();
  const secrets = deps.secrets ?? memorySecretStore();

  const nowIso = (): string => clock.now().toISOString();
  const today = (): string => localDate(clock.now(), clock.timeZone());

  const activeConnection = (): ConnectionSummary | null => {
    const all = listConnections(db);
    const chosen = getSettings(db).activeConnectionId;
    return (
      all.find((c) => c.id === chosen) ?? all.find((c) => c.status !== 'disconnected') ?? all[0] ?? null
    );
  };

  const requireActive = (): ConnectionSummary => {
    const conn = activeConnection();
    if (!conn) throw new SettleError('not_found', 'No company yet: explore the demo company or connect QuickBooks or Xero.');
    return conn;
  };

  const forget = (connectionId?: string): void => {
    for (const [key, snap] of snapshots) if (!connectionId || snap.connectionId === connectionId) snapshots.delete(key);
  };

  /** Persists today's scores in one transaction and caches the snapshot they came from. */
  const recompute = (connectionId: string): Snapshot => {
    forget(connectionId);
    followup.evaluate(connectionId); // promise statuses from synced payments, before facts are read
    outbox.reconcile(connectionId); // reminders not yet sent about invoices paid or changed: cancelled or held
    const asOf = today();
    const snap = takeSnapshot(db, connectionId, asOf, nowIso());
    replaceScores(db, connectionId, snap.scores, asOf, snap.computedAt);
    snapshots.set(`${connectionId}|${asOf}`, snap);
    return snap;
  };

  const snapshot = (connectionId: string, asOf: string): Snapshot => {
    const key = `${connectionId}|${asOf}`;
    const cached = snapshots.get(key);
    if (cached) return cached;
    // A new day (or a first look) rescores and stores today's scores; other dates stay in memory.
    if (asOf === today() && scoresAsOf(db, connectionId) !== asOf) return recompute(connectionId);
    const snap = takeSnapshot(db, connectionId, asOf, nowIso());
    if (snapshots.size >= SNAPSHOT_CACHE) {
      const oldest = snapshots.keys().next().value;
      if (oldest !== undefined) snapshots.delete(oldest);
    }
    snapshots.set(key, snap);
    return snap;
  };

  const queueInvoice = (inv: OpenInvoice, score: InvoiceScore | undefined, asOf: string): QueueInvoice => {
    const days = daysOverdue(inv.dueDate, asOf);
    return {
      id: inv.id,
      number: inv.number,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      daysOverdue: days,
      bucket: bucketFor(days),
      totalCents: inv.totalCents,
      balanceCents: inv.balanceCents,
      currency: inv.currency,
      score: score?.score ?? 0,
      tier: score?.tier ?? 'low',
      nextAction: score?.nextAction ?? 'hold',
    };
  };

  const customerView = (snap: Snapshot, customerId: number) => {
    const facts = snap.facts.get(customerId) ?? unknownCustomerFacts(customerId);
    const mine = snap.scores.filter((s) => s.customerId === customerId);
    const best = customerScore(mine, facts);
    return { facts, best, view: best ? toScoreView(best, facts.override, snap.computedAt, snap.asOf) : null };
  };

  const createDemo = (seed: Partial<DemoSeed>): ConnectionSummary => {
    events.emit('sync.progress', { connectionId: DEMO_CONNECTION_ID, phase: 'start', done: 0, total: null, message: 'Creating the demo company…' });
    try {
      const conn = seedDemo(db, clock, seed);
      const at = nowIso();
      setSetting(db, DEMO_DISMISSED_KEY, false, at);
      setSettings(db, { activeConnectionId: conn.id }, at);
      events.emit('sync.progress', { connectionId: conn.id, phase: 'score', done: 0, total: null, message: 'Scoring invoices…' });
      recompute(conn.id);
      appendAudit(db, clock, { actor: 'owner', action: 'demo.create', entity: 'connection', entityId: conn.id, detail: seed });
      events.emit('sync.progress', { connectionId: conn.id, phase: 'done', done: 1, total: 1, message: 'Demo company ready' });
      events.emit('ledger.changed', { connectionId: conn.id, reason: 'demo' });
      return conn;
    } catch (err) {
      events.emit('sync.progress', { connectionId: DEMO_CONNECTION_ID, phase: 'error', done: 0, total: null, message: 'Could not create the demo company' });
      throw err;
    }
  };

  // Both sign-ins redirect to the same loopback address: one at a time.
  const signIns = new SignInLock();
  const qbo = new QboService({ db, clock, logger, secrets, events, openExternal: deps.openExternal, signIns, config: deps.qbo, env: deps.env });
  const xero = new XeroService({ db, clock, logger, secrets, events, openExternal: deps.openExternal, signIns, config: deps.xero, env: deps.env });
  const followup = new FollowupService({
    db,
    clock,
    logger,
    events,
    notifier: deps.notifier,
    rescore: (connectionId) => void recompute(connectionId),
    activeConnectionId: () => requireActive().id,
    createDraft: (input, extras) => drafting.createWith(input, extras),
    recheck: (connectionId) => {
      const conn = listConnections(db).find((c) => c.id === connectionId);
      if (closed || !conn || !SYNCED.has(conn.provider) || conn.status === 'disconnected') return false;
      track(engine.run(connectionId, { full: false, trigger: 'manual' }));
      return true;
    },
  });
  const engine = new SyncEngine({
    db,
    clock,
    events,
    logger,
    // Then pending drafts about invoices paid or changed outside Settle are cancelled or superseded (issue #6).
    rescore: (connectionId) => void (recompute(connectionId), followup.reconcileDrafts(connectionId)),
    sourceFor: (conn) => (conn.provider === 'xero' ? xero.sourceFor(conn) : qbo.sourceFor(conn)),
    afterRun: (outcome, signal) => Promise.all([qbo.afterSync(outcome, signal), xero.afterSync(outcome, signal)]),
  });
  // Without the shell's sensor (browser mode, tests) the page reports the network (sync.online).
  const reportedNetwork = deps.network ? null : new ReportedNetwork();
  const scheduler = new SyncScheduler({
    run: (trigger, signal) => engine.runAll({ trigger, signal }),
    intervalMinutes: () => getSettings(db).syncIntervalMinutes,
    network: deps.network ?? reportedNetwork ?? undefined,
    logger,
  });
  /** Syncs started in the background (first sync after connecting), awaited on shutdown. */
  const background = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const quiet = p.catch((err: unknown) => logger.warn('background sync failed', { error: err instanceof Error ? err.message : String(err) }));
    background.add(quiet);
    void quiet.finally(() => background.delete(quiet));
  };
  const settleAll = async (): Promise<void> => {
    await Promise.allSettled([...background]);
  };
  let closed = false;

  const toOutcome = (o: SyncOutcome, startedMs: number): SyncRunOutcome => ({
    connectionId: o.connectionId,
    status: o.status,
    kind: o.kind,
    records: o.records,
    requests: o.requests,
    warnings: o.warningCount,
    warningLines: [...o.warnings],
    error: o.error,
    needsReconnect: o.needsReconnect,
    retryAt: o.retryAt,
    durationMs: Date.now() - startedMs,
  });

  /** One connection's sync as plain data; a company that cannot sync at all comes back 'skipped' with why. */
  const runSync = async (connectionId: string, opts: { full?: boolean; trigger: 'manual' | 'connect' | 'cli' }): Promise<SyncRunOutcome> => {
    const started = Date.now();
    try {
      const run = engine.run(connectionId, opts);
      track(run); // so a disconnect or shutdown can wait for it
      return toOutcome(await run, started);
    } catch (err) {
      if (!(err instanceof SettleError)) throw err;
      const conn = listConnections(db).find((c) => c.id === connectionId);
      return {
        connectionId,
        status: 'skipped',
        kind: null,
        records: 0,
        requests: 0,
        warnings: 0,
        warningLines: [],
        error: err.message,
        needsReconnect: conn?.status === 'needs_reconnect',
        retryAt: null,
        durationMs: Date.now() - started,
      };
    }
  };

  /** The first sync after connecting runs in the background; its progress goes out as sync.progress. */
  const afterConnect = (connectionId: string): void => {
    forget(connectionId);
    if (!closed) track(engine.run(connectionId, { full: false, trigger: 'connect' }));
  };

  const drafting = createDraftingService({
    db,
    clock,
    logger,
    secrets,
    events,
    env: deps.env ?? process.env,
    today,
    activeConnectionId: () => activeConnection()?.id ?? null,
  });
  const outbox = new OutboxService({
    db,
    clock,
    logger,
    events,
    notifier: deps.notifier,
    network: deps.network,
    ledgerFor: (id) => ledgerAccessFor(getConnectionRecord(db, id), { qbo: (c) => qbo.clientFor(c), xero: (c) => xero.clientFor(c) }),
    smtp: smtpPortFrom(db, secrets),
    createDraft: (input) => drafting.handlers['drafts.create'](input),
    getDraft: (draftId) => drafting.handlers['drafts.get']({ draftId }),
    activeConnectionId: () => activeConnection()?.id ?? null,
    pauses: (connectionId) => followup.activePauses(connectionId),
  });
  const approvals = createApprovalsService({
    db,
    clock,
    outbox,
    activeConnectionId: () => activeConnection()?.id ?? null,
    pauses: (connectionId) => followup.activePauses(connectionId),
  });
  const activity = createActivityService({ db, clock });
  const email = createEmailService({ db, clock, logger, secrets });

  const handlers: Handlers = {
    ...drafting.handlers,
    ...approvals.handlers,
    ...activity.handlers,
    ...email.handlers,
    ...outbox.handlers,
    // auto_low: a low-risk draft is approved by the rule on submit and waits 10 minutes in the outbox.
    'drafts.submit': async (input) => {
      const view = await drafting.handlers['drafts.submit'](input);
      return approvals.autoApprove(view.id) ? drafting.handlers['drafts.get']({ draftId: view.id }) : view;
    },
    'board.get': (q = {}) => {
      const asOf = q.asOf ?? today();
      const conn = activeConnection();
      if (!conn) {
        const empty: BoardView = {
          connection: null,
          summary: { asOf, currencies: [], promisesDueToday: 0, lastSyncedAt: null },
          currencies: [],
          queue: { total: 0, invoices: 0, offset: 0, rows: [] },
        };
        return empty;
      }
      const snap = snapshot(conn.id, asOf);
      return {
        connection: conn,
        summary: { asOf, currencies: summarize(snap.index), promisesDueToday: followup.dueToday(conn.id), lastSyncedAt: conn.lastSyncedAt },
        currencies: [...snap.index.currencies],
        queue: queryBoard(snap.index, q),
      };
    },

    'customers.get': ({ customerId, asOf }) => {
      const found = getCustomerInfo(db, customerId);
      if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
      const snap = snapshot(found.connectionId, asOf ?? today());
      const { facts, view } = customerView(snap, customerId);
      const openInvoices = snap.open
        .filter((inv) => inv.customerId === customerId)
        .map((inv) => queueInvoice(inv, snap.scoreOf(inv.id), snap.asOf))
        .sort((a, b) => b.score - a.score || b.daysOverdue - a.daysOverdue);
      const amounts = new Map<string, CustomerAmount>();
      for (const inv of openInvoices) {
        const a = amounts.get(inv.currency) ?? { currency: inv.currency, balanceCents: 0, overdueCents: 0 };
        a.balanceCents += inv.balanceCents;
        if (inv.daysOverdue > 0) a.overdueCents += inv.balanceCents;
        amounts.set(inv.currency, a);
      }
      const mainCurrency = found.customer.currency;
      const typical = facts.typicalInvoiceCents[mainCurrency];
      return {
        customer: found.customer,
        stats: {
          avgDaysToPay: facts.avgDaysToPay,
          avgDaysLate: facts.avgDaysLate,
          paidInvoices: facts.paidInvoices,
          typicalInvoice: typical === undefined ? null : { cents: typical, currency: mainCurrency },
        },
        amounts: [...amounts.values()],
        score: view,
        openInvoices,
        timeline: customerTimeline(db, customerId),
      };
    },

    'invoices.get': ({ invoiceId, asOf }) => {
      const row = getInvoiceRow(db, invoiceId);
      if (!row || row.deletedAt) throw new SettleError('not_found', `No invoice ${invoiceId}`);
      const on = asOf ?? today();
      const applications = invoiceApplications(db, invoiceId);
      const balance = balanceAsOf(row, applications, on);
      const days = daysOverdue(row.dueDate, on);
      const isOpen = row.status !== 'void' && row.status !== 'draft' && row.issueDate <= on && balance > 0;
      const snap = snapshot(row.connectionId, on);
      const score = snap.scoreOf(invoiceId);
      const facts = snap.facts.get(row.customerId);
      return {
        id: row.id,
        number: row.number,
        customer: { id: row.customerId, name: row.customerName },
        issueDate: row.issueDate,
        dueDate: row.dueDate,
        currency: row.currency,
        totalCents: row.totalCents,
        balanceCents: balance,
        status: row.status,
        memo: row.memo,
        daysOverdue: isOpen ? days : 0,
        bucket: isOpen ? bucketFor(days) : null,
        applications,
        score: score ? toScoreView(score, facts?.override ?? null, snap.computedAt, snap.asOf) : null,
      };
    },

    'scores.explain': (input) => {
      if ('invoiceId' in input) {
        const row = getInvoiceRow(db, input.invoiceId);
        if (!row || row.deletedAt) throw new SettleError('not_found', `No invoice ${input.invoiceId}`);
        const snap = snapshot(row.connectionId, today());
        const score = snap.scoreOf(input.invoiceId);
        if (!score) throw new SettleError('not_found', `Invoice ${row.number} has no open balance, so it has no score`);
        return toScoreView(score, snap.facts.get(row.customerId)?.override ?? null, snap.computedAt, snap.asOf);
      }
      const found = getCustomerInfo(db, input.customerId);
      if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${input.customerId}`);
      const { view } = customerView(snapshot(found.connectionId, today()), input.customerId);
      if (!view) throw new SettleError('not_found', `${found.customer.name} has nothing open, so there is no score`);
      return view;
    },

    'scores.override': ({ customerId, tier, reason }) => {
      const found = getCustomerInfo(db, customerId);
      if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
      // Refuse before writing: a failed call must leave no override, audit row or event behind.
      if (listOpenInvoices(db, found.connectionId, today(), { customerId }).length === 0) {
        throw new SettleError('not_found', `${found.customer.name} has nothing open, so there is no score`);
      }
      db.transaction(() => {
        const at = nowIso();
        if (tier === null) clearOverride(db, customerId);
        else setOverride(db, customerId, tier, reason, at);
        appendAudit(db, clock, { actor: 'owner', action: 'score.override', entity: 'customer', entityId: customerId, detail: { tier, reason } });
      })();
      const snap = recompute(found.connectionId);
      events.emit('ledger.changed', { connectionId: found.connectionId, reason: 'override' });
      const { view } = customerView(snap, customerId);
      if (!view) throw new SettleError('not_found', `${found.customer.name} has nothing open, so there is no score`);
      return view;
    },

    'scores.recompute': () => {
      const conn = requireActive();
      const snap = recompute(conn.id);
      events.emit('ledger.changed', { connectionId: conn.id, reason: 'sync' });
      return { scored: snap.scores.length, asOf: snap.asOf };
    },

    'settings.get': () => getSettings(db),

    'settings.set': (patch) => {
      if (patch.activeConnectionId && !listConnections(db).some((c) => c.id === patch.activeConnectionId)) {
        throw new SettleError('invalid_input', `activeConnectionId: no company ${patch.activeConnectionId}`);
      }
      const before = getSettings(db).activeConnectionId;
      const settings = setSettings(db, patch, nowIso());
      // Only a change of company changes what the board shows; theme and locale do not.
      if (settings.activeConnectionId !== before) {
        events.emit('ledger.changed', { connectionId: settings.activeConnectionId, reason: 'settings' });
      }
      return settings;
    },

    'demo.create': (input = {}) => createDemo({ seed: input.seed, invoices: input.invoices }),

    'demo.reset': () => createDemo(getSetting<DemoSeed>(db, DEMO_SEED_KEY) ?? {}),

    'demo.remove': () => {
      const at = nowIso();
      db.transaction(() => {
        removeDemo(db);
        setSetting(db, DEMO_DISMISSED_KEY, true, at);
        if (getSettings(db).activeConnectionId === DEMO_CONNECTION_ID) setSettings(db, { activeConnectionId: null }, at);
        appendAudit(db, clock, { actor: 'owner', action: 'demo.remove', entity: 'connection', entityId: DEMO_CONNECTION_ID });
      })();
      forget(DEMO_CONNECTION_ID);
      events.emit('ledger.changed', { connectionId: null, reason: 'remove' });
      return null;
    },

    'sync.status': () => ({
      online: (deps.network ?? reportedNetwork)?.isOnline() ?? true,
      running: engine.busy,
      connections: listConnections(db),
      lastRun: lastRun(db),
      ...syncStatusExtras(db),
      budgets: xero.budgets(),
    }),

    'sync.run': async (input = {}) => {
      const targets = input.connectionId
        ? [input.connectionId]
        : listConnections(db).filter((c) => SYNCED.has(c.provider) && c.status !== 'disconnected').map((c) => c.id);
      if (input.connectionId && !listConnections(db).some((c) => c.id === input.connectionId)) {
        throw new SettleError('not_found', `No company "${input.connectionId}"`);
      }
      if (targets.length === 0) throw new SettleError('not_found', 'No QuickBooks or Xero company to sync. Connect one in Settings → Connections.');
      const runs: SyncRunOutcome[] = [];
      for (const id of targets) runs.push(await runSync(id, { full: input.full ?? false, trigger: 'manual' }));
      return { runs };
    },

    'sync.online': ({ online }) => {
      reportedNetwork?.report(online);
      return null;
    },

    'connections.list': () => listConnections(db),

    'connections.connectQbo': async (input = {}) => {
      const conn = await qbo.connect(input);
      afterConnect(conn.id);
      return conn;
    },

    'connections.disconnect': async ({ connectionId }) => {
      if (engine.running === connectionId) {
        engine.abortAll();
        await settleAll();
      }
      const isXero = listConnections(db).find((c) => c.id === connectionId)?.provider === 'xero';
      const conn = isXero ? await xero.disconnect(connectionId) : await qbo.disconnect(connectionId);
      forget(connectionId);
      return conn;
    },

    'connections.connectXero': (input = {}) => xero.connect(input),

    'connections.addXeroTenants': async ({ pendingId, tenantIds }) => {
      const conns = await xero.addTenants(pendingId, tenantIds);
      for (const c of conns) afterConnect(c.id);
      return conns;
    },

    'connections.cancelXero': async ({ pendingId }) => {
      await xero.cancelPending(pendingId);
      return null;
    },

    'connections.xeroReminders': ({ connectionId }) => xero.reminders(connectionId),

    'promises.list': (input = {}) => followup.listPromises(input),
    'promises.create': (input) => followup.createPromise(input),
    'promises.cancel': ({ promiseId }) => followup.cancelPromise(promiseId),
    'disputes.open': (input) => followup.openDispute(input),
    'disputes.resolve': (input) => followup.resolveDispute(input),
    'disputes.list': (input = {}) => followup.listDisputes(input),
    'plans.preview': (input) => followup.previewPlan(input),
    'replies.triage': (input) => followup.triage(input),
    'replies.apply': (input) => followup.applyReply(input),
    'pauses.list': (input = {}) => followup.listPauses(input),
    'pauses.create': (input) => followup.pauseOutreach(input),
    'pauses.remove': ({ pauseId }) => followup.removePause(pauseId),
    'plans.list': (input = {}) => followup.listPlans(input),
    'plans.save': (input) => followup.savePlan(input),
    'plans.propose': (input) => followup.proposePlan(input),
    'plans.accept': ({ planId }) => followup.acceptPlan(planId),
    'plans.cancel': ({ planId }) => followup.cancelPlan(planId),
    'promises.followUp': ({ promiseId }) => followup.followUpPromise(promiseId),
    'notifications.list': () => followup.listNotifications(),
    'notifications.run': () => ({ shown: followup.tick() }),
  };

  return {
    handlers,
    events,
    db,
    dataDir: deps.dataDir,
    dispatch: (method, input) => dispatch(handlers, method, input, logger),
    async call(method, input) {
      const envelope = await dispatch(handlers, method, input, logger);
      if (!envelope.ok) throw new SettleError(envelope.error.code, envelope.error.message);
      return envelope.value as Output<typeof method>;
    },
    today,
    async connectQboWithTokens(tokens) {
      const conn = await qbo.connectWithTokens(tokens);
      forget(conn.id);
      return conn;
    },
    async connectXeroWithTokens(tokens) {
      const conn = await xero.connectWithTokens(tokens);
      forget(conn.id);
      return conn;
    },
    activeConnectionId: () => requireActive().id,
    start() {
      followup.start({ timer: deps.autoSync === true });
      outbox.start({ timer: deps.autoSync === true });
      if (deps.autoSync) scheduler.start();
      const conns = listConnections(db);
      if (conns.length === 0) {
        if ((deps.autoDemo ?? true) && getSetting<boolean>(db, DEMO_DISMISSED_KEY) !== true) {
          createDemo({ invoices: deps.demoInvoices });
        }
        return;
      }
      // Rescores a stale day and builds the board's snapshot now, so the first paint is fast.
      const active = activeConnection();
      if (active) snapshot(active.id, today());
    },
    async shutdown() {
      if (closed) return;
      closed = true;
      followup.stop();
      const stopping = scheduler.stop();
      engine.abortAll();
      drafting.abortAll();
      await Promise.allSettled([stopping, settleAll(), outbox.stop()]);
      snapshots.clear();
      if (db.open) db.close();
    },
    close() {
      closed = true;
      followup.stop();
      void outbox.stop();
      void scheduler.stop();
      engine.abortAll();
      drafting.abortAll();
      snapshots.clear();
      if (db.open) db.close();
    },
  };
}
