// board.get, customers.get and invoices.get: the aging board of the active company and the
// drawer's detail of one customer or invoice, all read from the cached snapshot of the date asked.
import { SettleError } from '../../../shared/errors';
import type { BoardView, CustomerAmount, CustomerDetail, InvoiceDetail, QueueInvoice } from '../../../shared/model';
import { activeConnection } from '../connectors';
import type { Db } from '../db/open';
import { defineHandlers, type HandlerGroup } from '../handlers';
import { customerView } from '../scoring';
import { toScoreView } from '../scoring';
import { bucketFor, daysOverdue } from './aging';
import { queryBoard, summarize } from './board';
import { customerTimeline, getCustomerInfo } from './customers.repo';
import { balanceAsOf, getInvoiceRow, invoiceApplications } from './invoices.repo';
import type { Snapshot } from './snapshot';
import type { Snapshots } from './snapshots';
import type { InvoiceScore, OpenInvoice } from './types';

export interface LedgerDeps {
  db: Db;
  snapshots: Snapshots;
  today(): string;
  /** Promises due today in a company (the board's summary; follow-up owns them). */
  promisesDueToday(connectionId: string): number;
}

export function ledgerHandlers(deps: LedgerDeps): HandlerGroup[] {
  const { db, snapshots, today } = deps;
  return [
    defineHandlers('board', {
      get: (q = {}) => {
        const asOf = q.asOf ?? today();
        const conn = activeConnection(db);
        if (!conn) return emptyBoard(asOf);
        const snap = snapshots.get(conn.id, asOf);
        return {
          connection: conn,
          summary: { asOf, currencies: summarize(snap.index), promisesDueToday: deps.promisesDueToday(conn.id), lastSyncedAt: conn.lastSyncedAt },
          currencies: [...snap.index.currencies],
          queue: queryBoard(snap.index, q),
        };
      },
    }),
    defineHandlers('customers', {
      get: ({ customerId, asOf }) => customerDetail(db, snapshots, customerId, asOf ?? today()),
    }),
    defineHandlers('invoices', {
      get: ({ invoiceId, asOf }) => invoiceDetail(db, snapshots, invoiceId, asOf ?? today()),
    }),
  ];
}

function emptyBoard(asOf: string): BoardView {
  return {
    connection: null,
    summary: { asOf, currencies: [], promisesDueToday: 0, lastSyncedAt: null },
    currencies: [],
    queue: { total: 0, invoices: 0, offset: 0, rows: [] },
  };
}

function queueInvoice(inv: OpenInvoice, score: InvoiceScore | undefined, asOf: string): QueueInvoice {
  const days = daysOverdue(inv.dueDate, asOf);
  return {
    id: inv.id,
    number: inv.number,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    daysOverdue: days,
    bucket: bucketFor(days),
    totalCents: inv.totalCents,
    balanceCents: inv.balanceCents,
    currency: inv.currency,
    score: score?.score ?? 0,
    tier: score?.tier ?? 'low',
    nextAction: score?.nextAction ?? 'hold',
  };
}

function amountsOf(openInvoices: readonly QueueInvoice[]): CustomerAmount[] {
  const amounts = new Map<string, CustomerAmount>();
  for (const inv of openInvoices) {
    const a = amounts.get(inv.currency) ?? { currency: inv.currency, balanceCents: 0, overdueCents: 0 };
    a.balanceCents += inv.balanceCents;
    if (inv.daysOverdue > 0) a.overdueCents += inv.balanceCents;
    amounts.set(inv.currency, a);
  }
  return [...amounts.values()];
}

function customerDetail(db: Db, snapshots: Snapshots, customerId: number, asOf: string): CustomerDetail {
  const found = getCustomerInfo(db, customerId);
  if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
  const snap: Snapshot = snapshots.get(found.connectionId, asOf);
  const { facts, view } = customerView(snap, customerId);
  const openInvoices = snap.open
    .filter((inv) => inv.customerId === customerId)
    .map((inv) => queueInvoice(inv, snap.scoreOf(inv.id), snap.asOf))
    .sort((a, b) => b.score - a.score || b.daysOverdue - a.daysOverdue);
  const mainCurrency = found.customer.currency;
  const typical = facts.typicalInvoiceCents[mainCurrency];
  return {
    customer: found.customer,
    stats: {
      avgDaysToPay: facts.avgDaysToPay,
      avgDaysLate: facts.avgDaysLate,
      paidInvoices: facts.paidInvoices,
      typicalInvoice: typical === undefined ? null : { cents: typical, currency: mainCurrency },
    },
    amounts: amountsOf(openInvoices),
    score: view,
    openInvoices,
    timeline: customerTimeline(db, customerId),
  };
}

function invoiceDetail(db: Db, snapshots: Snapshots, invoiceId: number, on: string): InvoiceDetail {
  const row = getInvoiceRow(db, invoiceId);
  if (!row || row.deletedAt) throw new SettleError('not_found', `No invoice ${invoiceId}`);
  const applications = invoiceApplications(db, invoiceId);
  const balance = balanceAsOf(row, applications, on);
  const days = daysOverdue(row.dueDate, on);
  const isOpen = row.status !== 'void' && row.status !== 'draft' && row.issueDate <= on && balance > 0;
  const snap = snapshots.get(row.connectionId, on);
  const score = snap.scoreOf(invoiceId);
  const facts = snap.facts.get(row.customerId);
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customerId, name: row.customerName },
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    totalCents: row.totalCents,
    balanceCents: balance,
    status: row.status,
    memo: row.memo,
    daysOverdue: isOpen ? days : 0,
    bucket: isOpen ? bucketFor(days) : null,
    applications,
    score: score ? toScoreView(score, facts?.override ?? null, snap.computedAt, snap.asOf) : null,
  };
}
