// What a host gives the core (CoreDeps) and what it gets back (Core): the same for the Electron
// shell, the CLI, browser mode and the tests. The composition root (app.ts) builds it.
import type { Envelope, Handlers, Input, Method, Output } from '../../shared/contract';
import type { ConnectionSummary } from '../../shared/model';
import type { HeadlessTokens, QboConfig } from './connectors/qbo';
import type { XeroConfig, XeroHeadlessTokens } from './connectors/xero';
import type { Db } from './db/open';
import type { EventHub } from './events';
import type { SmtpSenderOptions } from './outreach/senders';
import type { Clock, Logger, Network, Notifier, OpenExternal, SecretStore } from './ports';

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
  /** For tests: the SMTP client's timeouts and trusted CAs for the outbox's sends. */
  smtp?: Pick<SmtpSenderOptions, 'timeouts' | 'tls'>;
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
