// Xero's daily call budget per organisation (1,000 a day on the Starter tier, 5,000 otherwise):
// the calls made are counted per organisation and UTC day in the settings table, so a restart
// neither forgets the day's budget nor spends it twice, and sync.status shows what is left.
import type { ApiBudget, XeroTier } from '../../../../shared/xero';
import type { Db } from '../../db/open';
import { getSetting, setSetting } from '../../settings';
import { XERO_LIMITS, XERO_STARTER_LIMITS, type Limiter } from '../../sync';

/** The calls one organisation made on one UTC day (settings key xeroCallsKey). */
interface DayCalls {
  day: string;
  count: number;
}

/** The settings key of an organisation's calls today: one row per tenant, its value names the UTC day. */
export const xeroCallsKey = (tenantId: string): string => `xero.calls.${tenantId}`;

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The limiter policy of a tier. */
export const policyFor = (tier: XeroTier) => (tier === 'starter' ? XERO_STARTER_LIMITS : XERO_LIMITS);

/** Calls this organisation made on the UTC day of `nowMs` (0 for another day or none). */
export function callsToday(db: Db, tenantId: string | null, nowMs: number): number {
  if (!tenantId) return 0;
  const stored = getSetting<DayCalls>(db, xeroCallsKey(tenantId));
  return stored && stored.day === utcDay(nowMs) && Number.isSafeInteger(stored.count) ? stored.count : 0;
}

/** Counts one call that reached the network. */
export function countCall(db: Db, tenantId: string, atMs: number): void {
  const day = utcDay(atMs);
  const count = callsToday(db, tenantId, atMs) + 1;
  setSetting(db, xeroCallsKey(tenantId), { day, count } satisfies DayCalls, new Date(atMs).toISOString());
}

/** Tells a fresh limiter what today's calls were before this process started. */
export function seedDayCalls(db: Db, limiter: Limiter, tenantId: string): void {
  const now = limiter.now();
  limiter.seedDayCalls(callsToday(db, tenantId, now), Date.parse(`${utcDay(now)}T00:00:00Z`));
}

/** One organisation's budget today: the calls counted this UTC day, out of the tier's limit. */
export function dayBudget(db: Db, tenantId: string | null, limiter: Limiter | undefined, tier: XeroTier): ApiBudget {
  const limit = policyFor(tier).perDay ?? 0;
  const s = limiter?.stats();
  const counted = callsToday(db, tenantId, limiter ? limiter.now() : Date.now());
  // Xero's X-DayLimit-Remaining wins when it has spoken (it also counts other processes).
  const used = s?.dayRemaining === null || s === undefined ? counted : Math.max(counted, limit - s.dayRemaining);
  return { usedToday: Math.min(limit, Math.max(0, used)), limit, tier, resetsAt: s?.dayBlockedUntil ?? null };
}
