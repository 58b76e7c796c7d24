// What the QuickBooks and Xero services both need from the core (qbo.service.ts, xero.service.ts).
import type { SignInLock } from '../auth/sign-in';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import type { Clock, Logger, OpenExternal, SecretStore } from '../ports';

export interface ConnectorServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  events: Pick<EventHub, 'emit'>;
  openExternal?: OpenExternal;
  /** Shared by both services: one browser sign-in at a time (they use the same loopback address). */
  signIns?: SignInLock;
  env?: NodeJS.ProcessEnv;
}
