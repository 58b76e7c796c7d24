// The board's in-memory index. The board must filter 100k invoices in well under 50 ms, which
// SQL round trips and per-query object churn cannot do, so after each recompute the core builds
// this index once: invoices grouped by customer (best score first) in flat typed arrays, names
// pre-lowercased and pre-ranked for sorting, and the summary figures computed. A query is then
// one linear scan plus a sort of the matching customers, and only the page being returned is
// turned into objects.
import type { ParsedInput } from '../../../shared/contract';
import type { IsoDate } from '../../../shared/dates';
import { toEpochDay } from '../../../shared/dates';
import type {
  BucketTotal,
  CurrencySummary,
  CustomerAmount,
  NextAction,
  QueueInvoice,
  QueueRow,
  QueueSort,
  Tier,
} from '../../../shared/model';
import { BUCKETS, NEXT_ACTIONS, TIERS } from '../../../shared/model';
import { applyOverride, scoreAll, tierForScore, unknownCustomerFacts } from '../scoring/model';
import { bucketIndex, dsoDays, epochDayCache, hasOpenBalance } from './aging';
import type { CustomerFacts, InvoiceScore, OpenInvoice } from './types';

/** The parsed `board.get` input. */
export type BoardQueryInput = NonNullable<ParsedInput<'board.get'>>;

export interface BoardInput {
  open: readonly OpenInvoice[];
  /** Scores by invoice id, or a list of them. Omitted: the index scores the invoices itself. */
  scores?: ReadonlyMap<number, InvoiceScore> | readonly InvoiceScore[];
  facts: ReadonlyMap<number, CustomerFacts>;
  asOf: IsoDate;
  /** Invoiced sales per currency over the last 90 days, in cents, for DSO. */
  salesByCurrency: ReadonlyMap<string, number>;
}

export interface BoardPage {
  /** Customers that matched. */
  total: number;
  /** Invoices that matched, across all customers. */
  invoices: number;
  offset: number;
  rows: QueueRow[];
}

const DATA = Symbol('board-index');

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

interface IndexData {
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
interface NumberSearch {
  text: string;
  start: Int32Array;
}

const DEFAULT_DIR: Record<QueueSort, 'asc' | 'desc'> = {
  priority: 'desc',
  amount: 'desc',
  overdue: 'desc',
  name: 'asc',
  last_contact: 'asc',
};
export const DEFAULT_LIMIT = 100;

// Codes are positions in TIERS and NEXT_ACTIONS, so the typed arrays decode through those lists.
const TIER_CODE = Object.fromEntries(TIERS.map((t, i) => [t, i])) as Record<Tier, number>;
const ACTION_CODE = Object.fromEntries(NEXT_ACTIONS.map((a, i) => [a, i])) as Record<NextAction, number>;
/** Separates invoice numbers in the search text; a needle containing it cannot match. */
const SEP = '\u0000';

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

/**
 * Builds the index for one as-of date. Every invoice with an open balance counts in the summary;
 * the queue holds those that also have a score. Overrides are read from `facts`, so an index
 * rebuilt after the owner overrides a tier shows it even before the next recompute.
 */
export function buildBoardIndex(input: BoardInput): BoardIndex {
  const { open, facts, asOf } = input;
  const scoreOf = scoreLookup(input);
  const asOfDay = toEpochDay(asOf);
  const dayOf = epochDayCache();
  const nb = BUCKETS.length;

  const currencyIndex = new Map<string, number>();
  const currencyCodes: string[] = [];
  // Aging per currency as [cents per bucket, then count per bucket].
  const agingCells: Float64Array[] = [];
  const overdueCustomers: Set<number>[] = [];

  // Pass 1, in input order (objects are read sequentially, once): the summary for every open
  // invoice, and for queue candidates the few scalars the index needs, in typed arrays.
  const n = open.length;
  const candOpen = new Int32Array(n);
  const candCust = new Int32Array(n);
  const candDays = new Int32Array(n);
  const candCur = new Uint16Array(n);
  const candPoints = new Uint8Array(n);
  const candTier = new Uint8Array(n);
  const candAction = new Uint8Array(n);
  const candId = new Float64Array(n);
  const customerIndex = new Map<number, number>();
  const custFacts: CustomerFacts[] = [];
  const perCustomer: number[] = [];
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

  // Pass 2: counting sort by customer, then best score, oldest, lowest id first within each.
  const m = custFacts.length;
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

  // Pass 3: lay the candidates out in that order (typed-array reads only, no object derefs).
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

  const summary = currencyCodes.map((code, c) =>
    currencySummary(code, agingCells[c]!, overdueCustomers[c]!.size, input.salesByCurrency.get(code) ?? 0),
  );
  summary.sort((a, b) => b.outstandingCents - a.outstandingCents || (a.currency < b.currency ? -1 : 1));

  const data: IndexData = {
    inv,
    balance,
    score,
    tier,
    action,
    days,
    bucket,
    cur,
    numbers,
    search: null,
    facts: custFacts,
    customerId,
    start,
    end,
    nameLower,
    nameRank: rankNames(custFacts),
    contactKey,
    currencyCodes,
    currencyIndex,
    summary,
  };
  return {
    asOf,
    currencies: summary.map((s) => s.currency),
    invoiceCount: k,
    customerCount: m,
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

/** The per-currency figures and aging buckets, as computed when the index was built. */
export function summarize(index: BoardIndex): CurrencySummary[] {
  return index[DATA].summary.map((s) => ({ ...s, buckets: s.buckets.map((b) => ({ ...b })) }));
}

/**
 * The search text, built on the first search and kept: one indexOf pass over a single string
 * finds every matching number far faster than 100k `includes` calls, and boards that are never
 * searched never pay for it.
 */
function numberSearch(d: IndexData): NumberSearch {
  if (d.search) return d.search;
  const { numbers } = d;
  const joined = numbers.join(SEP);
  let text = joined.toLowerCase();
  // A few characters change length when lowercased (e.g. İ); lower each number on its own then.
  const lowered = text.length === joined.length ? null : numbers.map((x) => x.toLowerCase());
  if (lowered) text = lowered.join(SEP);
  const start = new Int32Array(numbers.length + 1);
  for (let p = 0, at = 0; p < numbers.length; p++) {
    start[p] = at;
    at += (lowered ? lowered[p]! : numbers[p]!).length + 1;
  }
  start[numbers.length] = text.length + 1;
  d.search = { text, start };
  return d.search;
}

/** Marks the positions whose invoice number contains `needle` (already lowercased). */
function numberHits(d: IndexData, needle: string): Uint8Array {
  const hits = new Uint8Array(d.inv.length);
  if (needle.includes(SEP) || d.inv.length === 0) return hits;
  const { text, start } = numberSearch(d);
  let pos = text.indexOf(needle);
  while (pos >= 0) {
    // The number holding `pos`: the last start <= pos.
    let lo = 0;
    let hi = d.inv.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    hits[lo] = 1;
    // Numbers cannot contain SEP, so the match lies inside this number; go on after it.
    pos = text.indexOf(needle, start[lo + 1]!);
  }
  return hits;
}

/** The filter part of a query, resolved against one index. */
interface Filter {
  /** Smallest days past due that matches: 1 for the overdue scope, no limit for open. */
  minDays: number;
  bucket: number;
  cur: number;
  tierMask: number;
  needle: string;
  /** Positions whose invoice number contains the needle; null without a search. */
  numberHit: Uint8Array | null;
}

function resolveFilter(d: IndexData, q: BoardQueryInput): Filter | null {
  const bucket = q.bucket ? BUCKETS.indexOf(q.bucket) : -1;
  // A 'current' bucket means not yet due, which only the open scope contains.
  const openScope = q.scope === 'open' || q.bucket === 'current';
  let cur = -1;
  if (q.currency) {
    const c = d.currencyIndex.get(q.currency);
    if (c === undefined) return null;
    cur = c;
  }
  // No tiers (or an empty list) means every tier.
  let tierMask = 0b111;
  if (q.tiers && q.tiers.length > 0) {
    tierMask = 0;
    for (const t of q.tiers) tierMask |= 1 << TIER_CODE[t];
  }
  const needle = (q.search ?? '').trim().toLowerCase().normalize('NFC');
  return {
    minDays: openScope ? Number.NEGATIVE_INFINITY : 1,
    bucket,
    cur,
    tierMask,
    needle,
    numberHit: needle === '' ? null : numberHits(d, needle),
  };
}

function matches(d: IndexData, f: Filter, p: number, nameHit: boolean): boolean {
  return (
    d.days[p]! >= f.minDays &&
    (f.bucket < 0 || d.bucket[p] === f.bucket) &&
    (f.cur < 0 || d.cur[p] === f.cur) &&
    ((1 << d.tier[p]!) & f.tierMask) !== 0 &&
    (nameHit || f.numberHit![p] === 1)
  );
}

function nameMatches(d: IndexData, f: Filter, c: number): boolean {
  return f.needle === '' || d.nameLower[c]!.includes(f.needle);
}

/**
 * One page of the queue: a row per customer with at least one matching invoice, holding only the
 * matching invoices (best score first). A customer whose name contains the search brings all
 * their invoices that pass the other filters; otherwise only invoices whose number contains it.
 * The tier filter applies to the effective (overridden) tier. Row figures (score, tier, action,
 * amounts, oldest days) describe the matching invoices. `query.asOf` is not read: an index is
 * built for one date (`index.asOf`) and the caller rebuilds it for another.
 *
 * Sorts (ties always end in customer id, so paging is stable): priority = score, then largest
 * single-currency overdue amount; amount = largest single-currency overdue amount, then largest
 * single-currency balance; overdue = oldest days past due; name = locale order; last_contact =
 * oldest contact first (never contacted first of all). Sorts other than priority break ties by
 * score, highest first. `dir` reverses the sort's own keys, never the tie-breaks.
 */
export function queryBoard(index: BoardIndex, query: BoardQueryInput = {}): BoardPage {
  const d = index[DATA];
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const f = resolveFilter(d, query);
  if (f === null) return { total: 0, invoices: 0, offset, rows: [] };

  const m = d.start.length;
  const matched = new Int32Array(m);
  const rowScore = new Float64Array(m);
  const rowOverdue = new Float64Array(m);
  const rowBalance = new Float64Array(m);
  const rowOldest = new Float64Array(m);
  // Per-currency sums for the customer being scanned; `touched` lists the slots to reset.
  const nCur = d.currencyCodes.length;
  const sumOverdue = new Float64Array(nCur);
  const sumBalance = new Float64Array(nCur);
  const touched = new Int32Array(nCur);
  let total = 0;
  let invoiceHits = 0;

  for (let c = 0; c < m; c++) {
    const nameHit = nameMatches(d, f, c);
    let first = -1;
    let oldest = Number.NEGATIVE_INFINITY;
    let nTouched = 0;
    for (let p = d.start[c]!, e = d.end[c]!; p < e; p++) {
      if (!matches(d, f, p, nameHit)) continue;
      invoiceHits++;
      if (first < 0) first = p;
      const days = d.days[p]!;
      if (days > oldest) oldest = days;
      const cu = d.cur[p]!;
      // Balances are positive, so a zero sum means this currency is new for this customer.
      if (sumBalance[cu] === 0) touched[nTouched++] = cu;
      const cents = d.balance[p]!;
      sumBalance[cu]! += cents;
      if (days > 0) sumOverdue[cu]! += cents;
    }
    if (first < 0) continue;
    let maxOverdue = 0;
    let maxBalance = 0;
    for (let t = 0; t < nTouched; t++) {
      const cu = touched[t]!;
      if (sumOverdue[cu]! > maxOverdue) maxOverdue = sumOverdue[cu]!;
      if (sumBalance[cu]! > maxBalance) maxBalance = sumBalance[cu]!;
      sumOverdue[cu] = 0;
      sumBalance[cu] = 0;
    }
    matched[total++] = c;
    rowScore[c] = d.score[first]!;
    rowOverdue[c] = maxOverdue;
    rowBalance[c] = maxBalance;
    rowOldest[c] = oldest;
  }

  const sort: QueueSort = query.sort ?? 'priority';
  const sign = (query.dir ?? DEFAULT_DIR[sort]) === 'asc' ? 1 : -1;
  const byId = (a: number, b: number): number => d.customerId[a]! - d.customerId[b]!;
  const byScoreThenId = (a: number, b: number): number => rowScore[b]! - rowScore[a]! || byId(a, b);
  let cmp: (a: number, b: number) => number;
  switch (sort) {
    case 'priority':
      cmp = (a, b) => sign * (rowScore[a]! - rowScore[b]!) || sign * (rowOverdue[a]! - rowOverdue[b]!) || byId(a, b);
      break;
    case 'amount':
      cmp = (a, b) =>
        sign * (rowOverdue[a]! - rowOverdue[b]!) || sign * (rowBalance[a]! - rowBalance[b]!) || byScoreThenId(a, b);
      break;
    case 'overdue':
      cmp = (a, b) => sign * (rowOldest[a]! - rowOldest[b]!) || byScoreThenId(a, b);
      break;
    case 'name':
      cmp = (a, b) => sign * (d.nameRank[a]! - d.nameRank[b]!) || byScoreThenId(a, b);
      break;
    case 'last_contact':
      cmp = (a, b) => compareKeys(d.contactKey[a]!, d.contactKey[b]!, sign) || byScoreThenId(a, b);
      break;
  }
  const hits = matched.subarray(0, total);
  hits.sort(cmp);

  const rows: QueueRow[] = [];
  for (let r = offset, e = Math.min(total, offset + limit); r < e; r++) rows.push(materialize(d, f, hits[r]!));
  return { total, invoices: invoiceHits, offset, rows };
}

/** Compares keys that may be -Infinity (never contacted) without producing NaN. */
function compareKeys(a: number, b: number, sign: number): number {
  if (a === b) return 0;
  return a < b ? -sign : sign;
}

/** Builds one queue row from the index, with the invoices that match the filter. */
function materialize(d: IndexData, f: Filter, c: number): QueueRow {
  const facts = d.facts[c]!;
  const nameHit = nameMatches(d, f, c);
  const invoices: QueueInvoice[] = [];
  const amounts = new Map<string, CustomerAmount>();
  let oldest = Number.NEGATIVE_INFINITY;
  let first = -1;
  for (let p = d.start[c]!, e = d.end[c]!; p < e; p++) {
    if (!matches(d, f, p, nameHit)) continue;
    if (first < 0) first = p;
    const o = d.inv[p]!;
    const days = d.days[p]!;
    if (days > oldest) oldest = days;
    invoices.push({
      id: o.id,
      number: o.number,
      issueDate: o.issueDate,
      dueDate: o.dueDate,
      daysOverdue: days,
      bucket: BUCKETS[d.bucket[p]!]!,
      totalCents: o.totalCents,
      balanceCents: o.balanceCents,
      currency: o.currency,
      score: d.score[p]!,
      tier: TIERS[d.tier[p]!]!,
      nextAction: NEXT_ACTIONS[d.action[p]!]!,
    });
    let amount = amounts.get(o.currency);
    if (!amount) {
      amount = { currency: o.currency, balanceCents: 0, overdueCents: 0 };
      amounts.set(o.currency, amount);
    }
    amount.balanceCents += o.balanceCents;
    if (days > 0) amount.overdueCents += o.balanceCents;
  }
  return {
    customerId: facts.id,
    name: facts.name,
    email: facts.email,
    score: d.score[first]!,
    tier: TIERS[d.tier[first]!]!,
    tierOverridden: facts.override !== null,
    nextAction: NEXT_ACTIONS[d.action[first]!]!,
    amounts: [...amounts.values()].sort(
      (a, b) => b.overdueCents - a.overdueCents || b.balanceCents - a.balanceCents || (a.currency < b.currency ? -1 : 1),
    ),
    oldestDaysOverdue: oldest,
    lastContactAt: facts.lastContactAt,
    // Both come from the facts: the soonest open promise, and open disputes (follow-up's tables).
    promise: facts.nextPromise ?? null,
    disputed: facts.openDisputes > 0,
    invoices,
  };
}
