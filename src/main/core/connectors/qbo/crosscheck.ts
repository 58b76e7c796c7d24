// Settle never silently disagrees with the books (issue 3 §5): after a backfill, and then at most
// daily, QuickBooks' AgedReceivables summary is compared customer by customer with the local
// ledger (receivables.repo.ts reads the local side). Tolerance is zero: one cent apart is a
// mismatch, reported with both figures.
import { formatMoney } from '../../../../shared/money';
import type { AgedReceivables } from './client';

export interface LocalReceivable {
  /** What the customer owes locally as of the report date, in minor units (open invoices less unapplied payments and unused credit, as QBO's Total counts it). */
  cents: number;
  name?: string;
  /** The customer's currency; a customer in another currency than the report's cannot be compared (QBO converts it at its own rates). */
  currency?: string;
}

export interface CrossCheckMismatch {
  customerExternalId: string;
  name: string;
  /** QBO's total for the customer (0 when the report leaves the customer out). */
  qboCents: number;
  localCents: number;
  /** local − QBO. */
  differenceCents: number;
}

export interface CrossCheckResult {
  asOf: string | null;
  currency: string;
  /** Customers compared. */
  checked: number;
  /** Customers in another currency, left out. */
  skipped: string[];
  mismatches: CrossCheckMismatch[];
  /** One line for the owner naming the customers, or null when the books agree. */
  message: string | null;
}

/**
 * Compares the report's per-customer totals with local balances keyed by customer external id.
 * A customer on one side only counts as 0 on the other (so a customer QBO says owes nothing but
 * who owes something locally is a mismatch, and vice versa).
 */
export function crossCheck(report: Pick<AgedReceivables, 'asOf' | 'currency' | 'customers'>, local: ReadonlyMap<string, LocalReceivable> | Record<string, LocalReceivable>): CrossCheckResult {
  const localMap = local instanceof Map ? local : new Map(Object.entries(local as Record<string, LocalReceivable>));
  const qbo = new Map<string, { name: string; cents: number }>();
  for (const c of report.customers) {
    const prev = qbo.get(c.externalId);
    qbo.set(c.externalId, { name: c.name, cents: (prev?.cents ?? 0) + c.totalCents });
  }
  const ids = new Set([...qbo.keys(), ...localMap.keys()]);
  const mismatches: CrossCheckMismatch[] = [];
  const skipped: string[] = [];
  let checked = 0;
  for (const id of ids) {
    const l = localMap.get(id);
    if (l?.currency && l.currency !== report.currency) {
      skipped.push(id);
      continue;
    }
    checked++;
    const q = qbo.get(id);
    const qboCents = q?.cents ?? 0;
    const localCents = l?.cents ?? 0;
    if (qboCents === localCents) continue;
    mismatches.push({ customerExternalId: id, name: q?.name ?? l?.name ?? id, qboCents, localCents, differenceCents: localCents - qboCents });
  }
  mismatches.sort((a, b) => Math.abs(b.differenceCents) - Math.abs(a.differenceCents) || a.name.localeCompare(b.name));
  let message: string | null = null;
  if (mismatches.length > 0) {
    const shown = mismatches
      .slice(0, 5)
      .map((m) => `${m.name} (QuickBooks ${formatMoney(m.qboCents, report.currency, 'en-US')}, Settle ${formatMoney(m.localCents, report.currency, 'en-US')})`);
    const more = mismatches.length > 5 ? ` and ${mismatches.length - 5} more` : '';
    message = `Settle's balances differ from QuickBooks' A/R aging${report.asOf ? ` as of ${report.asOf}` : ''} for ${shown.join(', ')}${more}.`;
  }
  return { asOf: report.asOf, currency: report.currency, checked, skipped, mismatches, message };
}
