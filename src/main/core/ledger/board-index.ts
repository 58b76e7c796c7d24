// The board's in-memory index, built once per recompute: invoices grouped by customer (best score
// first) in flat typed arrays, names pre-lowercased and pre-ranked for sorting, and the summary
// figures computed. Building it is three passes over typed arrays (scan, counting sort, lay-out);
// board.ts queries it. The board must filter 100k invoices in well under 50 ms, hence the layout.
import type { IsoDate } from '../../../shared/dates';
import { toEpochDay } from '../../../shared/dates';
import type { BucketTotal, CurrencySummary, NextAction, Tier } from '../../../shared/model';
import { BUCKETS, NEXT_ACTIONS, TIERS } from '../../../shared/model';
import { applyOverride, scoreAll, tierForScore, unknownCustomerFacts } from '../scoring';
import { bucketIndex, dsoDays, epochDayCache, hasOpenBalance } from './aging';
import type { CustomerFacts, InvoiceScore, OpenInvoice } from './types';

export interface BoardInput {
  open: readonly OpenInvoice[];
  /** Scores by invoice id, or a list of them. Omitted: the index scores the invoices itself. */
  scores?: ReadonlyMap<number, InvoiceScore> | readonly InvoiceScore[];
  facts: ReadonlyMap<number, CustomerFacts>;
  asOf: IsoDate;
  /** Invoiced sales per currency over the last 90 days, in cents, for DSO. */
  salesByCurrency: ReadonlyMap<string, number>;
}

export const DATA = Symbol('board-index');

/** Opaque: build with buildBoardIndex, read with queryBoard and summarize. */
export interface BoardIndex {
  readonly asOf: IsoDate;
  /** Currencies in the open ledger, largest outstanding first (the currency filter's options). */
  readonly currencies: readonly string[];
  /** Invoices and customers that can appear in the queue (open balance and a score). */
  readonly invoiceCount: number;
  readonly customerCount: number;
  readonly [DATA]: IndexData;
}

export interface IndexData {
  // Per queue invoice, at position p: grouped by customer, best score first within a customer.
  inv: OpenInvoice[];
  balance: Float64Array;
  score: Uint8Array;
  /** Effective tier (override applied) as an index into TIERS. */
  tier: Uint8Array;
  /** Index into NEXT_ACTIONS. */
  action: Uint8Array;
  days: Int32Array;
  /** Index into BUCKETS. */
  bucket: Uint8Array;
  /** Index into currencyCodes. */
  cur: Uint16Array;
  /** Invoice numbers by position; searched through `search`, built on the first search. */
  numbers: string[];
  search: NumberSearch | null;
  // Per customer, at index c.
  facts: CustomerFacts[];
  customerId: Float64Array;
  /** Positions start[c] (inclusive) to end[c] (exclusive) hold customer c's invoices. */
  start: Int32Array;
  end: Int32Array;
  nameLower: string[];
  /** Position in a locale-aware name order; equal names share a rank. */
  nameRank: Int32Array;
  /** Last contact as epoch ms; -Infinity when never contacted. */
  contactKey: Float64Array;
  currencyCodes: string[];
  currencyIndex: Map<string, number>;
  summary: CurrencySummary[];
}

/** All invoice numbers, lowercased, in one string separated by SEP, and where each starts. */
export interface NumberSearch {
  text: string;
  start: Int32Array;
}

// Codes are positions in TIERS and NEXT_ACTIONS, so the typed arrays decode through those lists.
export const TIER_CODE = Object.fromEntries(TIERS.map((t, i) => [t, i])) as Record<Tier, number>;
const ACTION_CODE = Object.fromEntries(NEXT_ACTIONS.map((a, i) => [a, i])) as Record<NextAction, number>;
/** Separates invoice numbers in the search text; a needle containing it cannot match. */
export const SEP = '\u0000';

function contactKeyOf(lastContactAt: string | null): number {
  if (lastContactAt === null) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(lastContactAt);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * id -> score. Ledger ids are dense rowids, so a typed array beats a Map by a wide margin at
 * 100k; sparse ids (or a Map handed in) use a Map.
 */
function scoreLookup(input: BoardInput): (id: number) => InvoiceScore | undefined {
  const given = input.scores ?? scoreAll(input.open, input.facts, input.asOf);
  if (!Array.isArray(given)) {
    const map = given as ReadonlyMap<number, InvoiceScore>;
    return (id) => map.get(id);
  }
  const list = given as readonly InvoiceScore[];
  let maxId = 0;
  let dense = true;
  for (const s of list) {
    if (!Number.isInteger(s.invoiceId) || s.invoiceId < 0) dense = false;
    else if (s.invoiceId > maxId) maxId = s.invoiceId;
  }
  if (dense && maxId <= 4 * list.length + 1024) {
    const at = new Int32Array(maxId + 1).fill(-1);
    for (let j = 0; j < list.length; j++) at[list[j]!.invoiceId] = j;
    return (id) => {
      const j = Number.isInteger(id) && id >= 0 && id <= maxId ? at[id]! : -1;
      return j < 0 ? undefined : list[j];
    };
  }
  const map = new Map<number, InvoiceScore>();
  for (const s of list) map.set(s.invoiceId, s);
  return (id) => map.get(id);
}

/** Pass 1's output: the scalars of each queue candidate, in input order, and the summary cells. */
interface Scan {
  /** Number of candidates (invoices with an open balance and a score). */
  k: number;
  candOpen: Int32Array;
  candCust: Int32Array;
  candDays: Int32Array;
  candCur: Uint16Array;
  candPoints: Uint8Array;
  candTier: Uint8Array;
  candAction: Uint8Array;
  candId: Float64Array;
  custFacts: CustomerFacts[];
  perCustomer: number[];
  currencyCodes: string[];
  currencyIndex: Map<string, number>;
  /** Aging per currency as [cents per bucket, then count per bucket]. */
  agingCells: Float64Array[];
  overdueCustomers: Set<number>[];
}

function emptyScan(n: number): Scan {
  return {
    k: 0,
    candOpen: new Int32Array(n),
    candCust: new Int32Array(n),
    candDays: new Int32Array(n),
    candCur: new Uint16Array(n),
    candPoints: new Uint8Array(n),
    candTier: new Uint8Array(n),
    candAction: new Uint8Array(n),
    candId: new Float64Array(n),
    custFacts: [],
    perCustomer: [],
    currencyCodes: [],
    currencyIndex: new Map(),
    agingCells: [],
    overdueCustomers: [],
  };
}

/**
 * Pass 1, in input order (objects are read sequentially, once): the summary for every open
 * invoice, and for queue candidates the few scalars the index needs, in typed arrays.
 */
function scanOpen(input: BoardInput): Scan {
  const { open, facts } = input;
  const scoreOf = scoreLookup(input);
  const asOfDay = toEpochDay(input.asOf);
  const dayOf = epochDayCache();
  const nb = BUCKETS.length;
  const n = open.length;
  const sc = emptyScan(n);
  const { currencyIndex, currencyCodes, agingCells, overdueCustomers, custFacts, perCustomer } = sc;
  const { candOpen, candCust, candDays, candCur, candPoints, candTier, candAction, candId } = sc;
  const customerIndex = new Map<number, number>();
  let k = 0;
  for (let i = 0; i < n; i++) {
    const inv = open[i]!;
    if (!hasOpenBalance(inv)) continue;
    let c = currencyIndex.get(inv.currency);
    if (c === undefined) {
      c = currencyCodes.length;
      currencyIndex.set(inv.currency, c);
      currencyCodes.push(inv.currency);
      agingCells.push(new Float64Array(2 * nb));
      overdueCustomers.push(new Set());
    }
    const d = asOfDay - dayOf(inv.dueDate);
    const b = bucketIndex(d);
    const cells = agingCells[c]!;
    cells[b]! += inv.balanceCents;
    cells[nb + b]! += 1;
    if (d > 0) overdueCustomers[c]!.add(inv.customerId);

    let s = scoreOf(inv.id);
    if (s === undefined) continue;
    let ci = customerIndex.get(inv.customerId);
    if (ci === undefined) {
      ci = custFacts.length;
      customerIndex.set(inv.customerId, ci);
      custFacts.push(facts.get(inv.customerId) ?? unknownCustomerFacts(inv.customerId));
      perCustomer.push(0);
    }
    const f = custFacts[ci]!;
    // A score carries the override it was computed with; re-derive tier and action only when
    // the override changed since (rare, so usually no allocation).
    if ((f.override ? f.override.tier : tierForScore(s.score)) !== s.tier) s = applyOverride(s, f);
    perCustomer[ci]! += 1;
    candOpen[k] = i;
    candCust[k] = ci;
    candDays[k] = d;
    candCur[k] = c;
    candPoints[k] = s.score;
    candTier[k] = TIER_CODE[s.tier];
    candAction[k] = ACTION_CODE[s.nextAction];
    candId[k] = inv.id;
    k++;
  }
  sc.k = k;
  return sc;
}

/** Pass 2: counting sort by customer, then best score, oldest, lowest id first within each. */
function orderCandidates(sc: Scan): { order: Int32Array; start: Int32Array; end: Int32Array } {
  const { k, candCust, candPoints, candDays, candId, perCustomer } = sc;
  const m = sc.custFacts.length;
  const start = new Int32Array(m);
  const end = new Int32Array(m);
  for (let c = 0, at = 0; c < m; c++) {
    start[c] = at;
    end[c] = at;
    at += perCustomer[c]!;
  }
  const order = new Int32Array(k);
  for (let j = 0; j < k; j++) order[end[candCust[j]!]!++] = j;
  const byPriority = (a: number, b: number): number =>
    candPoints[b]! - candPoints[a]! || candDays[b]! - candDays[a]! || candId[a]! - candId[b]!;
  for (let c = 0; c < m; c++) {
    if (end[c]! - start[c]! > 1) order.subarray(start[c]!, end[c]!).sort(byPriority);
  }
  return { order, start, end };
}

type InvoiceColumns = Pick<IndexData, 'inv' | 'balance' | 'score' | 'tier' | 'action' | 'days' | 'bucket' | 'cur' | 'numbers'>;

/** Pass 3: lay the candidates out in that order (typed-array reads only, no object derefs). */
function layOut(open: readonly OpenInvoice[], sc: Scan, order: Int32Array): InvoiceColumns {
  const { k, candOpen, candPoints, candTier, candAction, candDays, candCur } = sc;
  const inv: OpenInvoice[] = new Array<OpenInvoice>(k);
  const balance = new Float64Array(k);
  const score = new Uint8Array(k);
  const tier = new Uint8Array(k);
  const action = new Uint8Array(k);
  const days = new Int32Array(k);
  const bucket = new Uint8Array(k);
  const cur = new Uint16Array(k);
  for (let p = 0; p < k; p++) {
    const j = order[p]!;
    inv[p] = open[candOpen[j]!]!;
    score[p] = candPoints[j]!;
    tier[p] = candTier[j]!;
    action[p] = candAction[j]!;
    days[p] = candDays[j]!;
    bucket[p] = bucketIndex(candDays[j]!);
    cur[p] = candCur[j]!;
  }
  // Sequential object reads again for what only the objects hold.
  const numbers: string[] = new Array<string>(k);
  for (let p = 0; p < k; p++) {
    const o = inv[p]!;
    balance[p] = o.balanceCents;
    numbers[p] = o.number;
  }
  return { inv, balance, score, tier, action, days, bucket, cur, numbers };
}

/** The per-customer columns queries read: id, name for search and sort, last contact. */
function customerColumns(custFacts: readonly CustomerFacts[]): Pick<IndexData, 'customerId' | 'nameLower' | 'nameRank' | 'contactKey'> {
  const m = custFacts.length;
  const customerId = new Float64Array(m);
  const nameLower: string[] = new Array<string>(m);
  const contactKey = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const f = custFacts[c]!;
    customerId[c] = f.id;
    // Composed (NFC) on both sides, so 'é' typed or stored as e + U+0301 still matches.
    nameLower[c] = f.name.toLowerCase().normalize('NFC');
    contactKey[c] = contactKeyOf(f.lastContactAt);
  }
  return { customerId, nameLower, nameRank: rankNames(custFacts), contactKey };
}

/**
 * Builds the index for one as-of date. Every invoice with an open balance counts in the summary;
 * the queue holds those that also have a score. Overrides are read from `facts`, so an index
 * rebuilt after the owner overrides a tier shows it even before the next recompute.
 */
export function buildBoardIndex(input: BoardInput): BoardIndex {
  const sc = scanOpen(input);
  const { order, start, end } = orderCandidates(sc);
  const columns = layOut(input.open, sc, order);
  const customers = customerColumns(sc.custFacts);
  const { currencyCodes, currencyIndex, agingCells, overdueCustomers } = sc;
  const summary = currencyCodes.map((code, c) =>
    currencySummary(code, agingCells[c]!, overdueCustomers[c]!.size, input.salesByCurrency.get(code) ?? 0),
  );
  summary.sort((a, b) => b.outstandingCents - a.outstandingCents || (a.currency < b.currency ? -1 : 1));

  const data: IndexData = {
    ...columns,
    search: null,
    facts: sc.custFacts,
    start,
    end,
    ...customers,
    currencyCodes,
    currencyIndex,
    summary,
  };
  return {
    asOf: input.asOf,
    currencies: summary.map((s) => s.currency),
    invoiceCount: sc.k,
    customerCount: sc.custFacts.length,
    [DATA]: data,
  };
}

/** Ranks names once with the same collation as localeCompare, so queries sort by integers. */
function rankNames(facts: readonly CustomerFacts[]): Int32Array {
  const collator = new Intl.Collator();
  const byName = Array.from(facts.keys()).sort((a, b) => collator.compare(facts[a]!.name, facts[b]!.name));
  const rank = new Int32Array(facts.length);
  let r = 0;
  for (let p = 0; p < byName.length; p++) {
    if (p > 0 && collator.compare(facts[byName[p - 1]!]!.name, facts[byName[p]!]!.name) !== 0) r = p;
    rank[byName[p]!] = r;
  }
  return rank;
}

function currencySummary(currency: string, cells: Float64Array, customersOverdue: number, sales: number): CurrencySummary {
  const nb = BUCKETS.length;
  const buckets: BucketTotal[] = BUCKETS.map((bucket, b) => ({ bucket, cents: cells[b]!, count: cells[nb + b]! }));
  let outstanding = 0;
  let count = 0;
  for (let b = 0; b < nb; b++) {
    outstanding += cells[b]!;
    count += cells[nb + b]!;
  }
  return {
    currency,
    outstandingCents: outstanding,
    overdueCents: outstanding - cells[0]!,
    openInvoices: count,
    overdueInvoices: count - cells[nb]!,
    customersOverdue,
    dsoDays: dsoDays(outstanding, sales, 90),
    buckets,
  };
}

