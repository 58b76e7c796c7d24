// Querying the board's in-memory index (board-index.ts builds it). The board must filter 100k
// invoices in well under 50 ms, which SQL round trips and per-query object churn cannot do, so
// after each recompute the core builds the index once: invoices grouped by customer (best score
// first) in flat typed arrays, names pre-lowercased and pre-ranked for sorting, and the summary
// figures computed. A query is then one linear scan plus a sort of the matching customers, and
// only the page being returned is turned into objects.
import type { ParsedInput } from '../../../shared/contract';
import type { CurrencySummary, CustomerAmount, QueueInvoice, QueueRow, QueueSort } from '../../../shared/model';
import { BUCKETS, NEXT_ACTIONS, TIERS } from '../../../shared/model';
import { DATA, SEP, TIER_CODE, type BoardIndex, type IndexData, type NumberSearch } from './board-index';

export { buildBoardIndex, type BoardIndex, type BoardInput } from './board-index';

/** The parsed `board.get` input. */
export type BoardQueryInput = NonNullable<ParsedInput<'board.get'>>;

export interface BoardPage {
  /** Customers that matched. */
  total: number;
  /** Invoices that matched, across all customers. */
  invoices: number;
  offset: number;
  rows: QueueRow[];
}

const DEFAULT_DIR: Record<QueueSort, 'asc' | 'desc'> = {
  priority: 'desc',
  amount: 'desc',
  overdue: 'desc',
  name: 'asc',
  last_contact: 'asc',
};
export const DEFAULT_LIMIT = 100;

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
