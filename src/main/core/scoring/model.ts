// Scoring v1: turns an open invoice plus what we know about its customer into an explainable
// 0–100 risk score, a tier and a next action (DESIGN §8). Every point is traceable to one of seven
// factors, each shown with its raw value, a sentence, its weight and the points it added.
//
// The factors, each a curve from 0 to its full weight (numbers in weights.ts):
// - days_overdue: square root of days past due, full at 120; nothing before the due date.
// - days_to_pay: the customer's average days paid late against their terms, full at 60; paying on
//   time or early adds nothing; no history at all counts as a modest 30% ("neutral"), not as good.
// - relative_amount: this balance against the customer's usual (median) invoice in that currency,
//   0 at half or less, full at 3×, read from the ratio as shown (to tenths); no usual size yet
//   counts as 1×.
// - exposure: the customer's whole open balance in this currency as a share of the company's open
//   book in that currency (square root, full at 25%). A share rather than an amount, so the factor
//   means the same for a shop with 20 customers and a wholesaler with 5,000, and it counts invoices
//   not yet due too: they are money at risk if this customer stops paying.
// - since_contact: days nobody has chased this invoice, counted from the later of the last contact
//   and the due date (a contact before it fell due chased nothing), full at 60. Never contacted
//   means silent since the due date. Before the due date there is nothing to chase yet. An
//   instant counts on its UTC calendar date.
// - broken_promises (full at 2) and open_disputes (full at 1): wired in, 0 until follow-up lands.
//
// Contributions are rounded to tenths and the score is the rounded sum of the shown
// contributions, so the bars in the UI always add up to the number next to them.
// Tiers come from TIER_THRESHOLDS; the next action from the rules in decideAction below.
// The owner's override replaces the tier (never the score or the factors) and is read from
// CustomerFacts at scoring time, so it survives every recompute; the next action follows the
// effective tier, since that is what the override is for.
import type { IsoDate } from '../../../shared/dates';
import { toEpochDay } from '../../../shared/dates';
import type { Factor, FactorName, NextAction, Override, ScoreView, Tier } from '../../../shared/model';
import { epochDayCache, hasOpenBalance } from '../ledger';
import type { CustomerFacts, InvoiceScore, OpenInvoice } from '../ledger';
import { ACTION_RULES, CURVES, FACTOR_LABELS, FACTOR_ORDER, TIER_THRESHOLDS, WEIGHTS } from './weights';

export { ACTION_RULES, CURVES, FACTOR_LABELS, FACTOR_ORDER, TIER_THRESHOLDS, WEIGHTS };

/** What one invoice's exposure is measured against; scoreAll works these out itself. */
export interface ScoreContext {
  /** The customer's total open balance in the invoice's currency, this invoice included. */
  customerOpenCents: number;
  /** The company's total open balance in that currency. */
  bookOpenCents: number;
}

export function tierForScore(score: number): Tier {
  if (score >= TIER_THRESHOLDS.high) return 'high';
  if (score >= TIER_THRESHOLDS.medium) return 'medium';
  return 'low';
}

/** Everything about a customer that is the same for all their invoices, worked out once. */
interface CustomerPrep {
  facts: CustomerFacts;
  /** Epoch day of the last contact; NaN when never contacted (or unreadable). */
  contactDay: number;
  contacted: boolean;
  /** "Last contact 12 days ago", for the variant counted from a contact before the due date. */
  contactBeforeDueText: string;
  /** since_contact when contacted on or after the due date, and when not yet due. */
  sinceContact: Factor;
  notDue: Factor;
  daysToPay: Factor;
  broken: Factor;
  disputes: Factor;
  override: Tier | null;
  /** Open cents per currency index, then the exposure factor per currency index (scoreAll only). */
  openByCurrency: number[];
  exposure: (Factor | undefined)[];
}

/**
 * Factors that depend on one small value (days past due, a ratio in tenths, a customer) are
 * built once per run and shared between scores: 100k scores then cost a few hundred thousand
 * small objects instead of a million, which is most of scoreAll's time. Shared factors are
 * frozen, and so is every other factor, so no caller can mutate one score through another.
 */
interface RunCache {
  overdue: Map<number, Factor>;
  relative: Map<number, Factor>;
  neverContacted: Map<number, Factor>;
}

function newRunCache(): RunCache {
  return { overdue: new Map(), relative: new Map(), neverContacted: new Map() };
}

const TENTH = 10;

function tenthsOf(fraction: number, weight: number): number {
  const f = fraction <= 0 ? 0 : fraction >= 1 ? 1 : fraction;
  return Math.round(f * weight * TENTH);
}

function round1(x: number): number {
  // `|| 0` turns -0 into 0: -0 does not survive JSON and reads oddly in a factor.
  return Math.round(x * 10) / 10 || 0;
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function makeFactor(name: FactorName, value: number, display: string, tenths: number): Factor {
  return Object.freeze({
    name,
    label: FACTOR_LABELS[name],
    value,
    display,
    weight: WEIGHTS[name],
    contribution: tenths / TENTH,
  });
}

/** The calendar day of a contact stamp (ISO date or instant, UTC date of an instant); NaN if none. */
function contactDayOf(lastContactAt: string | null): number {
  if (lastContactAt === null || lastContactAt.length < 10) return Number.NaN;
  try {
    return toEpochDay(lastContactAt.slice(0, 10));
  } catch {
    return Number.NaN;
  }
}

function overdueFactor(cache: RunCache, d: number): Factor {
  let f = cache.overdue.get(d);
  if (f === undefined) {
    const text =
      d > 0 ? `${days(d)} past due` : d === 0 ? 'Due today' : d === -1 ? 'Due tomorrow' : `Due in ${days(-d)}`;
    const full = CURVES.overdueFullDays;
    const tenths = d <= 0 ? 0 : tenthsOf(Math.sqrt(Math.min(d, full) / full), WEIGHTS.days_overdue);
    f = makeFactor('days_overdue', d, text, tenths);
    cache.overdue.set(d, f);
  }
  return f;
}

const UNKNOWN_SIZE = makeFactor(
  'relative_amount',
  1,
  'No usual invoice size yet, counted as 1×',
  tenthsOf((1 - CURVES.relativeLow) / (CURVES.relativeHigh - CURVES.relativeLow), WEIGHTS.relative_amount),
);

/** Points come from the ratio rounded to tenths, the same figure the sentence shows. */
function relativeFactor(cache: RunCache, balanceCents: number, typicalCents: number | undefined): Factor {
  if (typicalCents === undefined || !(typicalCents > 0)) return UNKNOWN_SIZE;
  const ratioTenths = Math.round((balanceCents / typicalCents) * 10);
  let f = cache.relative.get(ratioTenths);
  if (f === undefined) {
    const ratio = ratioTenths / 10;
    f = makeFactor(
      'relative_amount',
      ratio,
      `${ratio.toFixed(1)}× their usual invoice`,
      tenthsOf((ratio - CURVES.relativeLow) / (CURVES.relativeHigh - CURVES.relativeLow), WEIGHTS.relative_amount),
    );
    cache.relative.set(ratioTenths, f);
  }
  return f;
}

function silenceTenths(silence: number): number {
  return tenthsOf(silence / CURVES.silenceFullDays, WEIGHTS.since_contact);
}

const NEVER_NOT_DUE = makeFactor('since_contact', 0, 'Never contacted; not due yet', 0);

/** since_contact: silence runs from the later of the last contact and the due date. */
function sinceContactFactor(cache: RunCache, prep: CustomerPrep, d: number, dueDay: number): Factor {
  if (!prep.contacted) {
    if (d <= 0) return NEVER_NOT_DUE;
    let f = cache.neverContacted.get(d);
    if (f === undefined) {
      f = makeFactor('since_contact', d, 'Never contacted', silenceTenths(d));
      cache.neverContacted.set(d, f);
    }
    return f;
  }
  if (d <= 0) return prep.notDue;
  if (prep.contactDay >= dueDay) return prep.sinceContact;
  return makeFactor('since_contact', d, prep.contactBeforeDueText, silenceTenths(d));
}

function daysToPayFactor(avgDaysLate: number | null): Factor {
  const w = WEIGHTS.days_to_pay;
  if (avgDaysLate === null || !Number.isFinite(avgDaysLate)) {
    return makeFactor('days_to_pay', 0, 'No payment history yet, counted as neutral', tenthsOf(CURVES.unknownHistoryShare, w));
  }
  const late = Math.round(avgDaysLate);
  const display =
    late >= 1 ? `Usually pays ${days(late)} late` : late <= -1 ? `Usually pays ${days(-late)} early` : 'Usually pays on time';
  return makeFactor('days_to_pay', round1(avgDaysLate), display, tenthsOf(avgDaysLate / CURVES.lateFullDays, w));
}

function countFactor(name: FactorName, n: number, one: string, many: string, none: string, full: number): Factor {
  const count = n > 0 ? Math.floor(n) : 0;
  const display = count === 0 ? none : count === 1 ? `1 ${one}` : `${count} ${many}`;
  return makeFactor(name, count, display, tenthsOf(count / full, WEIGHTS[name]));
}

function exposureFactor(customerOpenCents: number, bookOpenCents: number, currency: string): Factor {
  const share = bookOpenCents > 0 && customerOpenCents > 0 ? Math.min(1, customerOpenCents / bookOpenCents) : 0;
  const pct = round1(share * 100);
  const display =
    share === 0
      ? `No open ${currency} balance on record`
      : pct < 0.1
        ? `Owes under 0.1% of your open ${currency}`
        : `Owes ${pct}% of your open ${currency}`;
  return makeFactor('exposure', pct, display, tenthsOf(Math.sqrt(share / CURVES.exposureFullShare), WEIGHTS.exposure));
}

function prepareCustomer(facts: CustomerFacts, asOfDay: number): CustomerPrep {
  const contactDay = contactDayOf(facts.lastContactAt);
  const contacted = !Number.isNaN(contactDay);
  const ago = contacted ? Math.max(0, asOfDay - contactDay) : 0;
  const contactText = !contacted
    ? 'Never contacted'
    : ago === 0
      ? 'Contacted today'
      : ago === 1
        ? 'Last contact yesterday'
        : `Last contact ${ago} days ago`;
  return {
    facts,
    contactDay,
    contacted,
    contactBeforeDueText: `${contactText}, before this fell due`,
    sinceContact: makeFactor('since_contact', ago, contactText, silenceTenths(ago)),
    notDue: makeFactor('since_contact', 0, contactText, 0),
    daysToPay: daysToPayFactor(facts.avgDaysLate),
    broken: countFactor(
      'broken_promises',
      facts.brokenPromises,
      'broken promise',
      'broken promises',
      'No broken promises',
      CURVES.brokenPromisesFull,
    ),
    disputes: countFactor(
      'open_disputes',
      facts.openDisputes,
      'open dispute',
      'open disputes',
      'No open disputes',
      CURVES.openDisputesFull,
    ),
    override: facts.override ? facts.override.tier : null,
    openByCurrency: [],
    exposure: [],
  };
}

/** Facts for a customer the caller knows nothing about: no history, never contacted. */
export function unknownCustomerFacts(id: number): CustomerFacts {
  return {
    id,
    name: `Customer ${id}`,
    email: null,
    termsDays: null,
    avgDaysToPay: null,
    avgDaysLate: null,
    paidInvoices: 0,
    typicalInvoiceCents: {},
    lastContactAt: null,
    brokenPromises: 0,
    openDisputes: 0,
    override: null,
  };
}

/**
 * The next-action rules, first match wins:
 * hold (an open dispute, or not yet past due) → escalate (High tier and more than 90 days past due)
 * → payment_plan (60+ days past due, a chronic payer averaging 30+ days late, and 5%+ of the open
 * book) → call (High tier, or a contact 21+ days ago went unanswered while 30+ days past due)
 * → email. Inputs are the factors' shown values, so the rules can be re-run from a stored score.
 */
function decideAction(
  daysPastDue: number,
  silenceDays: number,
  exposurePercent: number,
  daysLateValue: number,
  openDisputes: number,
  contacted: boolean,
  tier: Tier,
): NextAction {
  if (openDisputes > 0 || daysPastDue <= 0) return 'hold';
  if (tier === 'high' && daysPastDue > ACTION_RULES.escalateAfterDays) return 'escalate';
  if (
    daysPastDue >= ACTION_RULES.planAfterDays &&
    daysLateValue >= ACTION_RULES.planChronicLateDays &&
    exposurePercent >= ACTION_RULES.planExposurePercent
  ) {
    return 'payment_plan';
  }
  if (tier === 'high') return 'call';
  // Silence counts from max(last contact, due date); with 30+ days past due, 21+ days of silence
  // means the last contact itself is at least 21 days old and nothing came of it.
  if (
    contacted &&
    daysPastDue >= ACTION_RULES.unansweredMinOverdueDays &&
    silenceDays >= ACTION_RULES.unansweredAfterDays
  ) {
    return 'call';
  }
  return 'email';
}

// Positions in FACTOR_ORDER, for reading a stored score's factors back.
const IDX = {
  days_overdue: 0,
  days_to_pay: 1,
  relative_amount: 2,
  exposure: 3,
  since_contact: 4,
  broken_promises: 5,
  open_disputes: 6,
} as const satisfies Record<FactorName, number>;

function scoreWith(
  cache: RunCache,
  inv: OpenInvoice,
  prep: CustomerPrep,
  dueDay: number,
  asOfDay: number,
  exposure: Factor,
): InvoiceScore {
  const d = asOfDay - dueDay;
  const overdue = overdueFactor(cache, d);
  const relative = relativeFactor(cache, inv.balanceCents, prep.facts.typicalInvoiceCents[inv.currency]);
  const since = sinceContactFactor(cache, prep, d, dueDay);
  // Sum the shown contributions in integer tenths, so the bars add up exactly to the score.
  const totalTenths = Math.round(
    (overdue.contribution +
      prep.daysToPay.contribution +
      relative.contribution +
      exposure.contribution +
      since.contribution +
      prep.broken.contribution +
      prep.disputes.contribution) *
      TENTH,
  );
  const score = Math.round(totalTenths / TENTH);
  const tier = prep.override ?? tierForScore(score);
  return {
    invoiceId: inv.id,
    customerId: inv.customerId,
    score,
    tier,
    nextAction: decideAction(
      d,
      since.value,
      exposure.value,
      prep.daysToPay.value,
      prep.disputes.value,
      prep.contacted,
      tier,
    ),
    factors: [overdue, prep.daysToPay, relative, exposure, since, prep.broken, prep.disputes],
  };
}

/** Scores one invoice. `facts.override` sets the returned tier (and so the action), never the score. */
export function scoreInvoice(inv: OpenInvoice, facts: CustomerFacts, ctx: ScoreContext, asOf: IsoDate): InvoiceScore {
  const asOfDay = toEpochDay(asOf);
  const prep = prepareCustomer(facts, asOfDay);
  const exposure = exposureFactor(ctx.customerOpenCents, ctx.bookOpenCents, inv.currency);
  return scoreWith(newRunCache(), inv, prep, toEpochDay(inv.dueDate), asOfDay, exposure);
}

/**
 * Scores every invoice with an open balance, in input order (others are skipped). Works out each
 * customer's open balance per currency and each currency's open book in one pass first, then
 * scores in a second; per-customer facts, sentences and exposure are computed once per customer.
 */
export function scoreAll(
  open: readonly OpenInvoice[],
  facts: ReadonlyMap<number, CustomerFacts>,
  asOf: IsoDate,
): InvoiceScore[] {
  const asOfDay = toEpochDay(asOf);
  const dayOf = epochDayCache();
  const currencyIndex = new Map<string, number>();
  const bookOpen: number[] = [];
  const preps = new Map<number, CustomerPrep>();
  const n = open.length;
  const invCurrency = new Uint16Array(n);
  const invPrep: (CustomerPrep | null)[] = new Array<CustomerPrep | null>(n).fill(null);

  for (let i = 0; i < n; i++) {
    const inv = open[i]!;
    if (!hasOpenBalance(inv)) continue;
    let c = currencyIndex.get(inv.currency);
    if (c === undefined) {
      c = bookOpen.length;
      currencyIndex.set(inv.currency, c);
      bookOpen.push(0);
    }
    let prep = preps.get(inv.customerId);
    if (prep === undefined) {
      prep = prepareCustomer(facts.get(inv.customerId) ?? unknownCustomerFacts(inv.customerId), asOfDay);
      preps.set(inv.customerId, prep);
    }
    const byCur = prep.openByCurrency;
    while (byCur.length <= c) byCur.push(0);
    byCur[c]! += inv.balanceCents;
    bookOpen[c]! += inv.balanceCents;
    invCurrency[i] = c;
    invPrep[i] = prep;
  }

  const cache = newRunCache();
  const out: InvoiceScore[] = [];
  for (let i = 0; i < n; i++) {
    const prep = invPrep[i];
    if (!prep) continue;
    const inv = open[i]!;
    const c = invCurrency[i]!;
    let exposure = prep.exposure[c];
    if (exposure === undefined) {
      exposure = exposureFactor(prep.openByCurrency[c]!, bookOpen[c]!, inv.currency);
      prep.exposure[c] = exposure;
    }
    out.push(scoreWith(cache, inv, prep, dayOf(inv.dueDate), asOfDay, exposure));
  }
  return out;
}

/**
 * The action for a stored score under a given tier, re-derived from the factors' shown values
 * (and whether the customer was ever contacted). Used when an override changes the tier.
 */
export function nextActionFor(factors: readonly Factor[], facts: CustomerFacts | null | undefined, tier: Tier): NextAction {
  const value = (name: FactorName): number => {
    const f = factors[IDX[name]]?.name === name ? factors[IDX[name]] : factors.find((x) => x.name === name);
    return f ? f.value : 0;
  };
  return decideAction(
    value('days_overdue'),
    value('since_contact'),
    value('exposure'),
    value('days_to_pay'),
    value('open_disputes'),
    facts ? !Number.isNaN(contactDayOf(facts.lastContactAt)) : false,
    tier,
  );
}

/**
 * Re-applies the customer's current override to a stored score (e.g. right after the owner sets
 * one): tier and action follow, score and factors stay. Returns the same object when nothing changes.
 */
export function applyOverride(score: InvoiceScore, facts: CustomerFacts | null | undefined): InvoiceScore {
  const tier = facts?.override?.tier ?? tierForScore(score.score);
  const nextAction = nextActionFor(score.factors, facts, tier);
  if (tier === score.tier && nextAction === score.nextAction) return score;
  return { ...score, tier, nextAction };
}

function daysOverdueOf(s: InvoiceScore): number {
  const f = s.factors[IDX.days_overdue];
  return f && f.name === 'days_overdue' ? f.value : 0;
}

/**
 * A customer's score is that of their highest-scoring open invoice (its factors explain the
 * customer); ties go to the older debt, then the lower invoice id. Null without open invoices.
 */
export function customerScore(
  scores: readonly InvoiceScore[],
  facts: CustomerFacts | null | undefined,
): InvoiceScore | null {
  let best: InvoiceScore | null = null;
  for (const s of scores) {
    if (
      best === null ||
      s.score > best.score ||
      (s.score === best.score &&
        (daysOverdueOf(s) > daysOverdueOf(best) ||
          (daysOverdueOf(s) === daysOverdueOf(best) && s.invoiceId < best.invoiceId)))
    ) {
      best = s;
    }
  }
  return best === null ? null : applyOverride(best, facts);
}

/**
 * The ScoreView DTO for a score. Pass the override the score was computed with (applyOverride
 * first if it changed since); the factors are copied so the view can be handed out freely.
 */
export function toScoreView(score: InvoiceScore, override: Override | null, computedAt: string, asOf: IsoDate): ScoreView {
  const computedTier = tierForScore(score.score);
  return {
    score: score.score,
    tier: override ? override.tier : computedTier,
    computedTier,
    nextAction: score.nextAction,
    factors: score.factors.map((f) => ({ ...f })),
    override: override ? { ...override } : null,
    computedAt,
    asOf,
  };
}
