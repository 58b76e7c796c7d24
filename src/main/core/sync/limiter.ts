// Per-tenant request budget for one provider (DESIGN §6, ledger-apis §1.9 and §2.9): at most
// `maxConcurrent` calls in flight, `perMinute` starts in any rolling 60 s, and for Xero a daily
// budget. The provider's own view wins when it speaks: `X-MinLimit-Remaining: 0` pauses until
// the window frees, `Retry-After` pauses everyone, and a day-limit 429 (or
// `X-DayLimit-Remaining: 0`) stops all calls with a DailyLimitError carrying the reset time.
// Time is injected (clock + sleep) so tests run instantly on a fake clock.
import { SettleError } from '../../../shared/errors';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';

export interface LimitPolicy {
  /** Shown in messages: "QuickBooks", "Xero". */
  provider: string;
  perMinute: number;
  maxConcurrent: number;
  /** Calls per rolling 24 h, when the provider meters them (Xero). */
  perDay?: number | null;
}

export const QBO_LIMITS: LimitPolicy = { provider: 'QuickBooks', perMinute: 500, maxConcurrent: 10, perDay: null };
export const XERO_LIMITS: LimitPolicy = { provider: 'Xero', perMinute: 60, maxConcurrent: 5, perDay: 5000 };
/** Xero's Starter tier (from 2026-03-02): 1,000 calls a day. */
export const XERO_STARTER_LIMITS: LimitPolicy = { ...XERO_LIMITS, perDay: 1000 };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** When the provider says the day is used up but not when it resets, probe again after this. */
const UNKNOWN_DAY_RESET = 60 * MINUTE;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout-backed sleep that rejects with the signal's reason when aborted. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface LimiterDeps {
  clock?: Clock;
  sleep?: Sleep;
  logger?: Logger;
  /** Called once for every call counted (after its slot is granted), e.g. to persist the day's count. */
  onCall?: (atMs: number) => void;
}

/** The provider's daily call budget is spent; nothing more is sent until `resetAt`. */
export class DailyLimitError extends SettleError {
  constructor(
    readonly provider: string,
    /** ISO instant the budget is expected back; null when unknown. */
    readonly resetAt: string | null,
  ) {
    super(
      'unavailable',
      `${provider}'s daily API limit for this company is used up, so Settle paused syncing` +
        (resetAt ? ` until ${resetAt}.` : ' until it resets.') +
        ' Everything already synced is still here.',
    );
    this.name = 'DailyLimitError';
  }
}

export interface LimiterStats {
  inFlight: number;
  /** The most calls ever in flight at once. */
  maxInFlight: number;
  /** Calls started (each attempt counts). */
  started: number;
  blockedUntil: string | null;
  dayRemaining: number | null;
  /** Calls this process started in the last 24 h (the daily window, as far as it knows). */
  dayUsed: number;
  /** While the day's budget is spent: the instant it is expected back. */
  dayBlockedUntil: string | null;
}

export class Limiter {
  private readonly readPolicy: () => LimitPolicy;
  private readonly clock: Clock;
  private readonly onCall: ((atMs: number) => void) | undefined;
  readonly sleep: Sleep;
  private readonly logger: Logger;
  private inFlight = 0;
  private maxInFlight = 0;
  private started = 0;
  private readonly waiting: (() => void)[] = [];
  /** Start times (ms) in the last minute / day, oldest first. */
  private readonly minuteStamps: number[] = [];
  private readonly dayStamps: number[] = [];
  private blockedUntil = 0;
  private dayBlockedUntil = 0;
  private dayRemaining: number | null = null;
  /** The day block came from this process's own count (not the provider), so a higher limit lifts it. */
  private dayBlockLocal = false;

  /** A fixed policy, or a function read at every call (a setting such as Xero's tier applies at once). */
  constructor(policy: LimitPolicy | (() => LimitPolicy), deps: LimiterDeps = {}) {
    this.readPolicy = typeof policy === 'function' ? policy : () => policy;
    checkPolicy(this.readPolicy());
    this.clock = deps.clock ?? systemClock;
    this.onCall = deps.onCall;
    this.sleep = deps.sleep ?? realSleep;
    this.logger = deps.logger ?? silentLogger;
  }

  get policy(): LimitPolicy {
    const p = this.readPolicy();
    checkPolicy(p);
    return p;
  }

  now(): number {
    return this.clock.now().getTime();
  }

  /**
   * Counts `count` calls made earlier (by a previous run of the app) at `atMs`, so a restart
   * does not hand out the day's budget twice. Only the daily window is affected.
   */
  seedDayCalls(count: number, atMs: number): void {
    if (!this.policy.perDay || count <= 0) return;
    const stamps = Array.from({ length: Math.floor(count) }, () => atMs);
    this.dayStamps.unshift(...stamps);
    this.dayStamps.sort((a, b) => a - b);
  }

  /**
   * Waits for a free slot and a free place in the minute window, then counts one call.
   * Returns the release function (call it once the response is read). Throws
   * DailyLimitError without waiting when the day's budget is spent, and the signal's reason
   * when aborted.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.slot(signal);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.waiting.shift()?.();
    };
    try {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.now();
        this.checkDay(now);
        const wait = Math.max(this.blockedUntil - now, this.minuteWait(now));
        if (wait <= 0) break;
        await this.sleep(wait, signal);
      }
      const at = this.now();
      this.minuteStamps.push(at);
      if (this.policy.perDay) this.dayStamps.push(at);
      if (this.dayRemaining !== null) this.dayRemaining--;
      this.started++;
      this.onCall?.(at);
      return release;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Reads the provider's remaining-budget headers (Xero's X-*Limit-Remaining). */
  observe(headers: Headers): void {
    const now = this.now();
    const minute = intHeader(headers, 'x-minlimit-remaining');
    if (minute !== null && minute <= 0) {
      this.prune(now);
      const frees = (this.minuteStamps[0] ?? now) + MINUTE;
      this.pauseUntil(Math.max(frees, now + 1000));
    }
    const day = intHeader(headers, 'x-daylimit-remaining');
    if (day !== null) {
      this.dayRemaining = day;
      if (day <= 0) this.blockDay(this.estimateDayReset(now));
    }
  }

  /** Nobody calls this tenant before `untilMs` (Retry-After). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.blockedUntil) {
      this.blockedUntil = untilMs;
      this.logger.info('rate limit pause', { provider: this.policy.provider, until: new Date(untilMs).toISOString() });
    }
  }

  /**
   * The day's budget is spent until `untilMs`; returns the error to throw. `exact` (the
   * provider's Retry-After) replaces any estimate; an estimate only ever extends the block.
   */
  blockDay(untilMs: number | null, exact = false, local = false): DailyLimitError {
    const until = untilMs ?? this.now() + UNKNOWN_DAY_RESET;
    this.dayBlockLocal = local;
    this.dayBlockedUntil = exact && untilMs !== null ? until : Math.max(this.dayBlockedUntil, until);
    this.dayRemaining = 0;
    return new DailyLimitError(this.policy.provider, new Date(this.dayBlockedUntil).toISOString());
  }

  stats(): LimiterStats {
    const now = this.now();
    this.prune(now);
    return {
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      started: this.started,
      blockedUntil: this.blockedUntil > now ? new Date(this.blockedUntil).toISOString() : null,
      dayRemaining: this.dayRemaining,
      dayUsed: this.dayStamps.length,
      dayBlockedUntil: this.dayBlockedUntil > now ? new Date(this.dayBlockedUntil).toISOString() : null,
    };
  }

  // ---- internals ----

  private slot(signal?: AbortSignal): Promise<void> {
    if (this.inFlight < this.policy.maxConcurrent && this.waiting.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.take();
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private take(): void {
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  private prune(now: number): void {
    while (this.minuteStamps.length > 0 && (this.minuteStamps[0] as number) <= now - MINUTE) this.minuteStamps.shift();
    while (this.dayStamps.length > 0 && (this.dayStamps[0] as number) <= now - DAY) this.dayStamps.shift();
  }

  /** How long until one more call fits in the rolling minute. */
  private minuteWait(now: number): number {
    this.prune(now);
    const n = this.minuteStamps.length;
    if (n < this.policy.perMinute) return 0;
    return (this.minuteStamps[n - this.policy.perMinute] as number) + MINUTE - now;
  }

  private checkDay(now: number): void {
    const perDay = this.policy.perDay;
    if (now < this.dayBlockedUntil && this.dayBlockLocal && perDay && this.dayUsed(now) < perDay) {
      // Only our own count blocked the day, and the limit went up (a tier change): go on.
      this.dayBlockedUntil = 0;
      this.dayRemaining = null;
      this.dayBlockLocal = false;
    }
    if (now < this.dayBlockedUntil) throw new DailyLimitError(this.policy.provider, new Date(this.dayBlockedUntil).toISOString());
    if (this.dayBlockedUntil !== 0) {
      // The reset time passed: the provider's count is unknown again until it speaks.
      this.dayBlockedUntil = 0;
      this.dayRemaining = null;
    }
    // Calls already sent since the provider last said how many were left.
    if (this.dayRemaining !== null && this.dayRemaining <= 0) throw this.blockDay(this.estimateDayReset(now));
    if (perDay && this.dayStamps.length >= perDay) {
      this.prune(now);
      if (this.dayStamps.length >= perDay) throw this.blockDay((this.dayStamps[this.dayStamps.length - perDay] as number) + DAY, false, true);
    }
  }

  private dayUsed(now: number): number {
    this.prune(now);
    return this.dayStamps.length;
  }

  /** The earliest moment a rolling 24 h window frees a call, from what this process sent. */
  private estimateDayReset(now: number): number | null {
    this.prune(now);
    const oldest = this.dayStamps[0];
    return oldest === undefined ? null : oldest + DAY;
  }
}

function checkPolicy(policy: LimitPolicy): void {
  if (!(policy.perMinute >= 1 && policy.maxConcurrent >= 1)) throw new RangeError('A limit policy needs perMinute and maxConcurrent of at least 1');
}

function intHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || !/^\s*-?\d+\s*$/.test(raw)) return null;
  return Number(raw);
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
