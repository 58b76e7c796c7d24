// createCore wires the database, services and handlers behind the contract. Everything the OS
// provides comes in through ports, so Electron, the CLI, browser mode and tests share it.
import { join } from 'node:path';
import type { Envelope, Handlers } from '../../shared/contract';
import { SettleError } from '../../shared/errors';
import { openDatabase, type Db } from './db/open';
import { dispatch } from './dispatch';
import { EventHub } from './events';
import { silentLogger, systemClock, type Clock, type Logger, type Network, type Notifier, type OpenExternal, type SecretStore } from './ports';

export interface CoreDeps {
  /** Folder holding settle.db (and logs, backups). */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  secrets?: SecretStore;
  network?: Network;
  notifier?: Notifier;
  openExternal?: OpenExternal;
  /** Create the demo company on first start when no company exists (default true). */
  autoDemo?: boolean;
}

export interface Core {
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly db: Db;
  /** Validates and runs one contract call; never throws. */
  dispatch(method: string, input: unknown): Promise<Envelope<unknown>>;
  /** First-run bootstrap (demo company) and a recompute when scores are stale. */
  start(): void;
  close(): void;
}

export const DB_FILE = 'settle.db';

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const db = openDatabase(join(deps.dataDir, DB_FILE));
  const events = new EventHub();
  void clock;

  const todo = (): never => {
    throw new SettleError('unavailable', 'Not implemented yet');
  };
  const handlers: Handlers = {
    'board.get': todo,
    'customers.get': todo,
    'invoices.get': todo,
    'scores.explain': todo,
    'scores.override': todo,
    'settings.get': todo,
    'settings.set': todo,
    'demo.create': todo,
    'demo.reset': todo,
    'demo.remove': todo,
    'sync.status': todo,
  };

  return {
    handlers,
    events,
    db,
    dispatch: (method, input) => dispatch(handlers, method, input, logger),
    start() {},
    close() {
      if (db.open) db.close();
    },
  };
}
