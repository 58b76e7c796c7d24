// Seeding the demo company: writes the generated studio into the database as the connection 'demo',
// through the same upsert a real sync uses, so the demo exercises the real ingest path.
import { localDate } from '../../../../shared/dates';
import type { ConnectionSummary } from '../../../../shared/model';
import type { Db } from '../../db/open';
import { removeCompany } from '../companies';
import { createConnection, getConnection, markSynced } from '../connections.repo';
import { upsertBatch } from '../../ledger';
import { setSetting } from '../../settings';
import type { Clock } from '../../ports';
import { DEMO_DEFAULT_INVOICES, DEMO_DEFAULT_SEED, generateDemo } from './generate';


export const DEMO_CONNECTION_ID = 'demo';
/** Settings key holding {seed, invoices} of the last demo, so "reset" regenerates the same company. */
export const DEMO_SEED_KEY = 'demo.seed';

export interface DemoSeed {
  seed: number;
  invoices: number;
}

/**
 * Creates the demo company as of the clock's today, replacing any previous demo, in one
 * transaction: on any error the previous demo (if any) is still there, untouched.
 */
export function seedDemo(db: Db, clock: Clock, opts: Partial<DemoSeed> = {}): ConnectionSummary {
  const now = clock.now();
  const nowIso = now.toISOString();
  const today = localDate(now, clock.timeZone());
  const seed: DemoSeed = { seed: opts.seed ?? DEMO_DEFAULT_SEED, invoices: opts.invoices ?? DEMO_DEFAULT_INVOICES };
  // Generate before opening the transaction: it is pure and may throw on bad options.
  const { company, batch } = generateDemo({ ...seed, today });
  return db.transaction((): ConnectionSummary => {
    removeCompany(db, DEMO_CONNECTION_ID);
    createConnection(db, { id: DEMO_CONNECTION_ID, provider: 'demo', name: company.name, homeCurrency: company.homeCurrency }, nowIso);
    upsertBatch(db, DEMO_CONNECTION_ID, batch, { nowIso });
    markSynced(db, DEMO_CONNECTION_ID, nowIso);
    setSetting(db, DEMO_SEED_KEY, seed, nowIso);
    const summary = getConnection(db, DEMO_CONNECTION_ID);
    if (!summary) throw new Error('The demo connection vanished while it was being created');
    return summary;
  })();
}

/** Deletes the demo company and its ledger. Returns whether there was one. */
export function removeDemo(db: Db): boolean {
  return removeCompany(db, DEMO_CONNECTION_ID);
}
