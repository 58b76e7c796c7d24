// Local aging per Xero contact for the cross-check (crosscheck.ts): what each contact owes on open
// invoices, and how much of it is overdue. A read-only view over the ledger tables (invoices,
// customers), which ledger/ledger.repo.ts owns and writes: nothing here changes a row.
import type { Db } from '../../db/open';
import { perDb } from '../../db/prepared';
import type { LocalAging } from './crosscheck';

interface AgingRow {
  external_id: string;
  name: string;
  currency: string;
  outstanding: number;
  overdue: number;
}

const stmts = perDb((db) => ({
  aging: db.prepare<[string, string, string], AgingRow>(
    `SELECT c.external_id, c.name, c.currency, SUM(i.balance_cents) AS outstanding,
            SUM(CASE WHEN i.due_date < ? THEN i.balance_cents ELSE 0 END) AS overdue
     FROM invoices i JOIN customers c ON c.id = i.customer_id
     WHERE i.connection_id = ? AND c.connection_id = ? AND i.deleted_at IS NULL AND i.status = 'open'
     GROUP BY c.id`,
  ),
}));

/** Local outstanding (open invoice balances) and overdue (those due before `asOf`) per contact external id. */
export function localAging(db: Db, connectionId: string, asOf: string): Map<string, LocalAging> {
  const out = new Map<string, LocalAging>();
  for (const r of stmts(db).aging.all(asOf, connectionId, connectionId)) {
    if (r.outstanding === 0 && r.overdue === 0) continue;
    out.set(r.external_id, { name: r.name, currency: r.currency, outstandingCents: r.outstanding, overdueCents: r.overdue });
  }
  return out;
}
