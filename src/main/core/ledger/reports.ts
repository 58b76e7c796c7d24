// The CLI's reports (`settle aging`, `settle queue`). They read the same open invoices and the
// same scores as the board, so the figures always agree with what the app shows.
import type { Factor, NextAction, Tier } from '../../../shared/model';
import type { Db } from '../db/open';
import { customerFacts, listOpenInvoices } from './ledger-queries.repo';
import { scoreAll } from '../scoring';
import { agingReport as agingOf, daysOverdue, type AgingReport } from './aging';

export function agingReport(db: Db, connectionId: string, asOf: string): AgingReport {
  return agingOf(listOpenInvoices(db, connectionId, asOf), asOf);
}

export interface QueueEntry {
  invoiceId: number;
  customer: string;
  number: string;
  dueDate: string;
  daysOverdue: number;
  balanceCents: number;
  currency: string;
  score: number;
  tier: Tier;
  nextAction: NextAction;
  factors: Pick<Factor, 'name' | 'contribution'>[];
}

/** Open invoices by score, highest first; overdue only unless includeCurrent. */
export function queueReport(
  db: Db,
  connectionId: string,
  asOf: string,
  opts: { includeCurrent?: boolean; limit?: number } = {},
): QueueEntry[] {
  const open = listOpenInvoices(db, connectionId, asOf);
  const facts = customerFacts(db, connectionId, asOf);
  const scores = new Map(scoreAll(open, facts, asOf).map((s) => [s.invoiceId, s]));
  const rows: QueueEntry[] = [];
  for (const inv of open) {
    const days = daysOverdue(inv.dueDate, asOf);
    const s = scores.get(inv.id);
    if (!s || (days <= 0 && !opts.includeCurrent)) continue;
    rows.push({
      invoiceId: inv.id,
      customer: facts.get(inv.customerId)?.name ?? '',
      number: inv.number,
      dueDate: inv.dueDate,
      daysOverdue: days,
      balanceCents: inv.balanceCents,
      currency: inv.currency,
      score: s.score,
      tier: s.tier,
      nextAction: s.nextAction,
      factors: s.factors.map((f) => ({ name: f.name, contribution: f.contribution })),
    });
  }
  rows.sort((a, b) => b.score - a.score || b.daysOverdue - a.daysOverdue || a.invoiceId - b.invoiceId);
  return opts.limit === undefined ? rows : rows.slice(0, opts.limit);
}
