// A scored picture of one company's open ledger as of one date: the open invoices, what we
// know of each customer, every score and the board index. Built in one pass from SQLite and
// shared by the board, the drawer, the CLI reports and the persisted scores.
import { addDays } from '../../../shared/dates';
import type { Db } from '../db/open';
import { customerFacts, listOpenInvoices, salesByCurrency } from './ledger-queries.repo';
import { scoreAll } from '../scoring';
import { buildBoardIndex, type BoardIndex } from './board';
import type { CustomerFacts, InvoiceScore, OpenInvoice } from './types';

export interface Snapshot {
  connectionId: string;
  asOf: string;
  computedAt: string;
  open: OpenInvoice[];
  facts: Map<number, CustomerFacts>;
  scores: InvoiceScore[];
  index: BoardIndex;
  scoreOf(invoiceId: number): InvoiceScore | undefined;
}

/** DSO looks at the last 90 days of sales, the convention the ledgers' dashboards use. */
export const DSO_PERIOD_DAYS = 90;

export function takeSnapshot(db: Db, connectionId: string, asOf: string, computedAt: string): Snapshot {
  const open = listOpenInvoices(db, connectionId, asOf);
  const facts = customerFacts(db, connectionId, asOf);
  const scores = scoreAll(open, facts, asOf);
  const sales = salesByCurrency(db, connectionId, addDays(asOf, -(DSO_PERIOD_DAYS - 1)), asOf);
  const index = buildBoardIndex({ open, scores, facts, asOf, salesByCurrency: sales });
  let byId: Map<number, InvoiceScore> | null = null;
  return {
    connectionId,
    asOf,
    computedAt,
    open,
    facts,
    scores,
    index,
    scoreOf(invoiceId) {
      byId ??= new Map(scores.map((s) => [s.invoiceId, s]));
      return byId.get(invoiceId);
    },
  };
}
