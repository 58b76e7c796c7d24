// The composition root: createCore builds every feature in dependency order and wires them,
// nothing more. Ports → db → kernel (events, hooks, snapshots) → connectors → sync → drafting →
// follow-up → outbox → approvals → hooks → the handler map → lifecycle. Everything the OS provides
// comes in through ports, so Electron, the CLI, browser mode and tests share it. See
// docs/ARCHITECTURE.md; each step below is one function, read top to bottom.
import { join } from 'node:path';
import type { Handlers, Output } from '../../shared/contract';
import { localDate } from '../../shared/dates';
import { SettleError } from '../../shared/errors';
import type { ConnectionSummary } from '../../shared/model';
import { createActivityService } from './audit';
import { SignInLock } from './auth';
import {
  activeConnection,
  connectionHandlers,
  DemoService,
  listConnections,
  localProvider,
  ProviderRegistry,
  QboService,
  requireActive,
  XeroService,
} from './connectors';
import type { Core, CoreDeps } from './core.types';
import { openDatabase } from './db/open';
import { dispatch } from './dispatch';
import { createDraftingService } from './drafting';
import { EventHub } from './events';
import { createFollowup } from './followup';
import { combineHandlers } from './handlers';
import { Hooks } from './hooks';
import { ledgerHandlers, Snapshots } from './ledger';
import { OutreachReconcile } from './outreach';
import { ApprovalsService } from './outreach/approvals';
import { OutboxService } from './outreach/outbox';
import { createEmailService, smtpPortFrom } from './outreach/senders';
import { silentLogger, systemClock } from './ports';
import { scoringHandlers } from './scoring';
import { memorySecretStore } from './secrets';
import { paymentDetailsHandlers, settingsHandlers } from './settings';
import { SyncService } from './sync';

export type { Core, CoreDeps } from './core.types';

export const DB_FILE = 'settle.db';

/** Ports, the database and the kernel every feature shares. */
function createKernel(deps: CoreDeps) {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const today = (): string => localDate(clock.now(), clock.timeZone());
  const nowIso = (): string => clock.now().toISOString();
  const db = openDatabase(join(deps.dataDir, DB_FILE), { onBackup: (path) => logger.info('database backed up before migrating', { path }) });
  const hooks = new Hooks();
  return {
    clock,
    logger,
    secrets: deps.secrets ?? memorySecretStore(),
    env: deps.env ?? process.env,
    db,
    events: new EventHub(),
    hooks,
    snapshots: new Snapshots({ db, hooks, today, nowIso }),
    today,
    activeId: (): string | null => activeConnection(db)?.id ?? null,
  };
}
type Kernel = ReturnType<typeof createKernel>;

/** The ledgers: QuickBooks and Xero (one browser sign-in at a time: they share the redirect), the demo. */
function createConnectors(deps: CoreDeps, { db, clock, logger, secrets, events, snapshots }: Kernel) {
  const shared = { db, clock, logger, secrets, events, openExternal: deps.openExternal, signIns: new SignInLock(), env: deps.env };
  const qbo = new QboService({ ...shared, config: deps.qbo });
  const xero = new XeroService({ ...shared, config: deps.xero });
  const providers = new ProviderRegistry(db, [qbo, xero, localProvider('demo', 'The demo company'), localProvider('csv', 'An imported company')]);
  return { qbo, xero, providers, demo: new DemoService({ db, clock, events, snapshots }) };
}
type Connectors = ReturnType<typeof createConnectors>;

/** The features, each built after what it uses. */
function createFeatures(deps: CoreDeps, k: Kernel, { providers }: Connectors) {
  const { db, clock, logger, events, hooks, snapshots, secrets, activeId } = k;
  const notifier = deps.notifier;
  const sync = new SyncService({ db, clock, logger, events, hooks, snapshots, providers, network: deps.network });
  const drafting = createDraftingService({ db, clock, logger, secrets, events, hooks, env: k.env, today: k.today, activeConnectionId: activeId });
  const followup = createFollowup({
    ...{ db, clock, logger, events, notifier },
    rescore: (id) => void snapshots.recompute(id),
    activeConnectionId: () => requireActive(db).id,
    createDraft: (input, extras) => drafting.createWith(input, extras),
    recheck: (id) => sync.recheck(id),
  });
  const pauses = (id: string) => followup.activePauses(id);
  const outbox = new OutboxService({
    ...{ db, clock, logger, events, notifier, network: deps.network, pauses, activeConnectionId: activeId },
    ledgerFor: (id) => providers.ledgerOf(id),
    hasLedger: (id) => providers.hasLedger(id),
    smtp: smtpPortFrom(db, secrets, deps.smtp),
    createDraft: (input) => drafting.create(input),
  });
  const approvals = new ApprovalsService({ db, clock, outbox, activeConnectionId: activeId, pauses });
  const reconcile = new OutreachReconcile({ db, clock, logger, events, notifier });
  return { sync, drafting, followup, outbox, approvals, reconcile };
}
type Features = ReturnType<typeof createFeatures>;

/** Every cross-feature reaction, in the order it runs (docs/ARCHITECTURE.md, "Hooks"). */
function registerHooks({ hooks }: Kernel, { followup, reconcile, approvals }: Features): void {
  // Before today's scores are taken: promise statuses from synced payments, then unsent
  // reminders about invoices paid or changed are cancelled or held.
  hooks.on('beforeSnapshot', 'followup.promises', ({ connectionId }) => void followup.evaluate(connectionId));
  hooks.on('beforeSnapshot', 'outreach.reconcile', ({ connectionId }) => void reconcile.run(connectionId, { outbox: true }));
  // After a sync: drafts about invoices paid or changed outside Settle are cancelled or sent back.
  // The same reconcile pass as above, on the drafts side only: outbox items are reconciled before
  // every snapshot (a rescore or an override too, so nothing queued goes out about a paid
  // invoice), drafts only after a sync (a draft the owner is writing is not taken away by a
  // rescore). The outbox side has just run when afterSync fires.
  hooks.on('afterSync', 'outreach.drafts', ({ connectionId }) => void reconcile.run(connectionId, { drafts: true }));
  // auto_low: a low-risk draft is approved by the rule on submit and waits 10 minutes in the outbox.
  hooks.on('draftSubmitted', 'approvals.auto', ({ draftId }) => void approvals.autoApprove(draftId));
}

/** The contract: every feature's handler groups, checked complete and without duplicates. */
function contractHandlers(k: Kernel, c: Connectors, f: Features): Handlers {
  const { db, clock, logger, events, snapshots, secrets, today } = k;
  return combineHandlers(
    ...ledgerHandlers({ db, snapshots, today, promisesDueToday: (id) => f.followup.dueToday(id) }),
    scoringHandlers({ db, clock, events, snapshots, today }),
    settingsHandlers({ db, clock, events }),
    paymentDetailsHandlers({ db, clock }),
    ...c.demo.handlers,
    connectionHandlers({ db, qbo: c.qbo, xero: c.xero, providers: c.providers, sync: f.sync, snapshots }),
    ...f.sync.handlers,
    ...f.drafting.handlers,
    ...f.followup.handlers,
    ...f.outbox.handlers,
    ...f.approvals.handlers,
    ...createEmailService({ db, clock, logger, secrets }).handlers,
    ...createActivityService({ db, clock }).handlers,
  );
}

/** start, shutdown and close, in the order the features need. */
function lifecycle(deps: CoreDeps, k: Kernel, c: Connectors, f: Features): Pick<Core, 'start' | 'shutdown' | 'close'> {
  let closed = false;
  const stopWork = (): void => {
    closed = true;
    f.followup.stop();
    f.drafting.abortAll();
  };
  const release = (): void => {
    k.snapshots.forget();
    if (k.db.open) k.db.close();
  };
  return {
    start() {
      const timer = deps.autoSync === true;
      f.followup.start({ timer });
      f.outbox.start({ timer });
      f.sync.start({ timer });
      if (listConnections(k.db).length === 0) {
        if (deps.autoDemo ?? true) c.demo.bootstrap(deps.demoInvoices);
        return;
      }
      // Rescores a stale day and builds the board's snapshot now, so the first paint is fast.
      const active = activeConnection(k.db);
      if (active) k.snapshots.get(active.id, k.today());
    },
    async shutdown() {
      if (closed) return;
      stopWork();
      await Promise.allSettled([f.sync.shutdown(), f.outbox.stop()]);
      release();
    },
    close() {
      stopWork();
      void f.outbox.stop();
      f.sync.close();
      release();
    },
  };
}

/** A company connected headless: the cached pictures of it are stale. */
function forgetting(snapshots: Snapshots, conn: ConnectionSummary): ConnectionSummary {
  snapshots.forget(conn.id);
  return conn;
}

export function createCore(deps: CoreDeps): Core {
  const kernel = createKernel(deps);
  const connectors = createConnectors(deps, kernel);
  const features = createFeatures(deps, kernel, connectors);
  registerHooks(kernel, features);
  const handlers = contractHandlers(kernel, connectors, features);
  const { db, events, logger, snapshots } = kernel;
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
    today: kernel.today,
    connectQboWithTokens: async (tokens) => forgetting(snapshots, await connectors.qbo.connectWithTokens(tokens)),
    connectXeroWithTokens: async (tokens) => forgetting(snapshots, await connectors.xero.connectWithTokens(tokens)),
    activeConnectionId: () => requireActive(db).id,
    ...lifecycle(deps, kernel, connectors, features),
  };
}
