// Everything the core needs from the operating system comes in through these ports, so the
// core runs unchanged under Electron, plain Node (CLI, browser mode) and tests.

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** The owner's IANA time zone; "today" for aging is the calendar date there. */
  timeZone(): string | undefined;
}

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** What clicking a notification opens: a customer's drawer, the approvals or the promises page. */
export interface NotifierTarget {
  view?: 'customer' | 'approvals' | 'promises';
  customerId?: number;
  promiseId?: number;
}

export interface Notifier {
  notify(n: { title: string; body: string; target?: NotifierTarget }): void;
}

export interface OpenExternal {
  open(url: string): Promise<void>;
}

export interface Network {
  isOnline(): boolean;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};

/** A clock pinned to one instant (tests, `--as-of`). */
export function fixedClock(iso: string, timeZone = 'UTC'): Clock {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not an instant: ${iso}`);
  return { now: () => new Date(at), timeZone: () => timeZone };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
