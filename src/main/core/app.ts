// The composition root: createCore builds every feature in dependency order and wires them,
// nothing more. Ports → db → kernel (events, hooks, snapshots) → connectors → sync → drafting →
// follow-up → outbox → approvals → the handler map → lifecycle. Everything the OS provides comes
// in through ports, so Electron, the CLI, browser mode and tests share it. docs/ARCHITECTURE.md.
import { join } from 'node:path';
import type { Envelope, Handlers, Input, Method, Output } from '../../shared/contract';
import { localDate } from '../../shared/dates';
import { SettleError } from '../../shared/errors';
import type { ConnectionSummary } from '../../shared/model';
import { createActivityService } from './audit/activity.service';
import { activeConnection, requireActive } from './connectors/companies';
import { connectionHandlers } from './connectors/connections.handlers';
import { listConnections } from './connectors/connections.repo';
import { DemoService } from './connectors/demo/demo.service';
import { QboService, type HeadlessTokens, type QboConfig } from './connectors/qbo/qbo.service';
import { localProvider, ProviderRegistry } from './connectors/registry';
import { XeroService, type XeroConfig, type XeroHeadlessTokens } from './connectors/xero/xero.service';
import { openDatabase, type Db } from './db/open';
import { dispatch } from './dispatch';
import { createDraftingService } from './drafting';
import { EventHub } from './events';
import { createFollowup } from './followup';
import { combineHandlers } from './handlers';
import { Hooks } from './hooks';
import { ledgerHandlers } from './ledger/ledger.handlers';
import { Snapshots } from './ledger/snapshots';
import { OutreachReconcile } from './outreach';
import { ApprovalsService } from './outreach/approvals';
import { OutboxService } from './outreach/outbox';
import { createEmailService, smtpPortFrom } from './outreach/senders';
import { silentLogger, systemClock, type Clock, type Logger, type Network, type Notifier, type OpenExternal, type SecretStore } from './ports';
import { scoringHandlers } from './scoring/scoring.handlers';
import { memorySecretStore } from './secrets/memory';
import { SignInLock } from './auth/sign-in';
import { settingsHandlers } from './settings/settings.handlers';
import { SyncService } from './sync/sync.service';

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

export function createCore(deps: CoreDeps): Core {
  // ---- ports
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const secrets = deps.secrets ?? memorySecretStore();
  const env = deps.env ?? process.env;
  const today = (): string => localDate(clock.now(), clock.timeZone());
  const nowIso = (): string => clock.now().toISOString();

  // ---- db
  const db = openDatabase(join(deps.dataDir, DB_FILE), { onBackup: (path) => logger.info('database backed up before migrating', { path }) });

  // ---- kernel
  const events = new EventHub();
  const hooks = new Hooks();
  const snapshots = new Snapshots({ db, hooks, today, nowIso });
  const activeId = (): string | null => activeConnection(db)?.id ?? null;

  // ---- connectors (both sign-ins redirect to the same loopback address: one at a time)
  const connectorDeps = { db, clock, logger, secrets, events, openExternal: deps.openExternal, signIns: new SignInLock(), env: deps.env };
  const qbo = new QboService({ ...connectorDeps, config: deps.qbo });
  const xero = new XeroService({ ...connectorDeps, config: deps.xero });
  const providers = new ProviderRegistry(db, [qbo, xero, localProvider('demo', 'The demo company'), localProvider('csv', 'An imported company')]);
  const demo = new DemoService({ db, clock, events, snapshots });

  // ---- features, each after what it uses
  const sync = new SyncService({ db, clock, logger, events, hooks, snapshots, providers, network: deps.network });
  const drafting = createDraftingService({ db, clock, logger, secrets, events, hooks, env, today, activeConnectionId: activeId });
  const followup = createFollowup({
    db,
    clock,
    logger,
    events,
    notifier: deps.notifier,
    rescore: (id) => void snapshots.recompute(id),
    activeConnectionId: () => requireActive(db).id,
    createDraft: (input, extras) => drafting.createWith(input, extras),
    recheck: (id) => sync.recheck(id),
  });
  const pauses = (id: string) => followup.activePauses(id);
  const outbox = new OutboxService({
    db,
    clock,
    logger,
    events,
    notifier: deps.notifier,
    network: deps.network,
    ledgerFor: (id) => providers.ledgerOf(id),
    hasLedger: (id) => providers.hasLedger(id),
    smtp: smtpPortFrom(db, secrets),
    createDraft: (input) => drafting.create(input),
    activeConnectionId: activeId,
    pauses,
  });
  const approvals = new ApprovalsService({ db, clock, outbox, activeConnectionId: activeId, pauses });
  const reconcile = new OutreachReconcile({ db, clock, logger, events, notifier: deps.notifier });

  // ---- hooks: every cross-feature reaction, in the order it runs
  // Before today's scores are taken: promise statuses from synced payments, then unsent
  // reminders about invoices paid or changed are cancelled or held.
  hooks.on('beforeSnapshot', 'followup.promises', ({ connectionId }) => void followup.evaluate(connectionId));
  hooks.on('beforeSnapshot', 'outreach.reconcile', ({ connectionId }) => void reconcile.run(connectionId, { outbox: true }));
  // After a sync: drafts about invoices paid or changed outside Settle are cancelled or sent back.
  // The same reconcile pass as above, on the drafts side only: outbox items are reconciled before
  // every snapshot (a rescore or an override too, so nothing queued goes out about a paid
  // invoice), drafts only after a sync (a draft the owner is writing is not taken away by a
  // rescore). Both timings are today's; the outbox side has just run when afterSync fires.
  hooks.on('afterSync', 'outreach.drafts', ({ connectionId }) => void reconcile.run(connectionId, { drafts: true }));
  // auto_low: a low-risk draft is approved by the rule on submit and waits 10 minutes in the outbox.
  hooks.on('draftSubmitted', 'approvals.auto', ({ draftId }) => void approvals.autoApprove(draftId));

  // ---- the contract
  const handlers = combineHandlers(
    ...ledgerHandlers({ db, snapshots, today, promisesDueToday: (id) => followup.dueToday(id) }),
    scoringHandlers({ db, clock, events, snapshots, today }),
    settingsHandlers({ db, clock, events }),
    ...demo.handlers,
    connectionHandlers({ db, qbo, xero, providers, sync, snapshots }),
    ...sync.handlers,
    ...drafting.handlers,
    ...followup.handlers,
    ...outbox.handlers,
    ...approvals.handlers,
    ...createEmailService({ db, clock, logger, secrets }).handlers,
    ...createActivityService({ db, clock }).handlers,
  );

  // ---- lifecycle
  let closed = false;
  const stopSync = (): void => {
    closed = true;
    followup.stop();
    drafting.abortAll();
  };
  const release = (): void => {
    snapshots.forget();
    if (db.open) db.close();
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
    connectQboWithTokens: async (tokens) => forgetting(snapshots, await qbo.connectWithTokens(tokens)),
    connectXeroWithTokens: async (tokens) => forgetting(snapshots, await xero.connectWithTokens(tokens)),
    activeConnectionId: () => requireActive(db).id,
    start() {
      const timer = deps.autoSync === true;
      followup.start({ timer });
      outbox.start({ timer });
      sync.start({ timer });
      if (listConnections(db).length === 0) {
        if (deps.autoDemo ?? true) demo.bootstrap(deps.demoInvoices);
        return;
      }
      // Rescores a stale day and builds the board's snapshot now, so the first paint is fast.
      const active = activeConnection(db);
      if (active) snapshots.get(active.id, today());
    },
    async shutdown() {
      if (closed) return;
      stopSync();
      await Promise.allSettled([sync.shutdown(), outbox.stop()]);
      release();
    },
    close() {
      stopSync();
      void outbox.stop();
      sync.close();
      release();
    },
  };
}

/** A company connected headless: the cached pictures of it are stale. */
function forgetting(snapshots: Snapshots, conn: ConnectionSummary): ConnectionSummary {
  snapshots.forget(conn.id);
  return conn;
}
