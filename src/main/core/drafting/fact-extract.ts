// Finding every figure in a draft's text (factcheck.ts): addresses and links, invoice numbers and
// references, dates in every written form, amounts with and without a currency, percentages and
// "N days overdue", and (fact-guard.ts) every payment instruction and contact detail. Each
// candidate carries its span, its verdict (fact-judge.ts) and a rank that settles overlaps; names
// from the facts are reserved so figures inside them are not checked.
import { W, NUM_BARE, type FactIndex } from './fact-index';
import { judgeAmount, judgeDate, judgeInvoice, OK, parseAmount, validYmd, type Verdict, type Ymd } from './fact-judge';
import { guard, type GuardKind } from './fact-guard';
import { foldSpaces, monthKey } from './locale';

export type FindingKind = 'amount' | 'date' | 'invoice' | 'days' | 'percent' | 'email' | 'link' | 'account' | 'phone' | 'handle' | 'claim' | 'words' | 'hidden';

export interface Candidate extends Verdict {
  kind: FindingKind | 'reserved';
  start: number;
  end: number;
  rank: number;
}

const RANK: Record<Exclude<FindingKind, GuardKind> | 'link' | 'email' | 'amount' | 'invoice-known' | 'invoice-guess' | 'bare', number> = {
  link: 0,
  email: 0,
  'invoice-known': 1,
  date: 2,
  amount: 3,
  percent: 3,
  days: 4,
  bare: 5,
  invoice: 6,
  'invoice-guess': 6,
};

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const LINK = new RegExp(String.raw`(?<![${W}\p{N}])(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+`, 'giu');
const YMD = /(?<![\p{N}.,/-])(\d{4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{1,2})\.?(?![\p{N}]|[.,/-]\p{N})/gu;
const CJK = /(\d{4})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日/gu;
const NUMERIC = /(?<![\p{N}.,/-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\p{N}]|[.,/-]\p{N})/gu;
const DOTTED_NO_YEAR = /(?<![\p{N}.,/-])(\d{1,2})\.(\d{1,2})\.(?![\p{N}])/gu;
const PERCENT = new RegExp(String.raw`(?<![${W}\p{N}.,])\d+(?:[.,]\d+)?\s?(?:%|percent(?![${W}])|per\s?cent(?![${W}])|prozent(?![${W}])|pour\s?cent(?![${W}]))`, 'giu');
const DAYS_BEFORE = new RegExp(String.raw`(?<![${W}\p{N}.,])(\d{1,4})\s+(?:calendar\s+)?days?\s+(?:overdue|past\s+(?:the\s+|its\s+)?due(?:\s+date)?|late|in\s+arrears|outstanding)`, 'giu');
const DAYS_AFTER = new RegExp(String.raw`(?:overdue|late|past\s+due)\s+(?:by|for)\s+(\d{1,4})\s+days?(?![${W}])`, 'giu');
const INVOICE_WORD =
  new RegExp(String.raw`(?<![${W}\p{N}])(?:invoices?|inv\.?|rechnung(?:en)?|factures?|facturas?|fattur[ae]|factu(?:u)?r(?:en)?|fakturan?)\s*(?:no\.?|nr\.?|n[°º]\.?|num(?:ber|\.)?|#)?\s*[:#]?\s*(?<t>[${W}\p{N}][${W}\p{N}\-/._]*)`, 'dgiu');
const HASH = new RegExp(String.raw`(?<![${W}\p{N}&])#\s?(?<t>\p{N}[${W}\p{N}\-/]*)`, 'dgu');
const CODE_LIKE = new RegExp(String.raw`(?<![${W}\p{N}])(?:[A-Z]{2,5}-\d+|[A-Z]{2,5}\d{3,})(?![${W}\p{N}])`, 'gu');
const BARE = new RegExp(`(?<![${W}\\p{N}_.,'’/#:$€£¥-])(?:[-−])?(?<n>${NUM_BARE})(?![\\p{N}%]|[.,'’]\\p{N}|\\s?%)`, 'gu');

const twoDigitYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** Adds one candidate (an empty span is dropped). */
type Push = (kind: Candidate['kind'], start: number, end: number, v: Verdict, rank: number) => void;

/** Names from the facts (reserved), email addresses and links. */
function extractContacts(ix: FactIndex, text: string, push: Push): void {
  for (const name of ix.reserved) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) push('reserved', at, at + name.length, OK, -1);
  }

  for (const m of text.matchAll(EMAIL)) {
    const known = ix.emails.has(m[0].toLowerCase());
    push('email', m.index, m.index + m[0].length, known ? OK : { status: 'unknown', note: 'An address that is not in the facts' }, RANK.email);
  }
  for (const m of text.matchAll(LINK)) {
    const link = m[0].replace(/[.,;:!?]+$/, '');
    const known = ix.links.has(link) || ix.links.has(link.replace(/\/$/, ''));
    push('link', m.index, m.index + link.length, known ? OK : { status: 'unknown', note: 'Only the payment link from the ledger may appear' }, RANK.link);
  }
}

/** The facts' invoice numbers, look-alikes, "invoice 1042", "#1042" and code-like tokens. */
function extractInvoices(ix: FactIndex, text: string, push: Push): void {
  if (ix.invoiceLiteral) {
    for (const m of text.matchAll(ix.invoiceLiteral)) push('invoice', m.index, m.index + m[0].length, OK, RANK['invoice-known']);
  }
  if (ix.invoiceShapes) {
    for (const m of text.matchAll(ix.invoiceShapes)) push('invoice', m.index, m.index + m[0].length, judgeInvoice(ix, m[0]), RANK.invoice);
  }
  for (const re of [INVOICE_WORD, HASH]) {
    for (const m of text.matchAll(re)) {
      const span = m.indices?.groups?.t;
      const raw = m.groups?.t;
      if (!span || !raw) continue;
      const token = raw.replace(/[._\-/]+$/, '');
      if (!/\d/.test(token)) continue;
      const start = re === HASH ? m.index : span[0];
      const tokenText = re === HASH ? text.slice(start, span[0] + token.length) : token;
      push('invoice', start, start + tokenText.length, judgeInvoice(ix, token), RANK['invoice-guess']);
    }
  }
  for (const m of text.matchAll(CODE_LIKE)) {
    if (ix.patterns.markers.has(m[0].slice(0, 3))) continue;
    push('invoice', m.index, m.index + m[0].length, judgeInvoice(ix, m[0]), RANK['invoice-guess']);
  }
}

/** Numeric dates (Y/M/D, CJK, D/M/Y or M/D/Y, "21.11.") and dates with a month name. */
function extractDates(ix: FactIndex, text: string, push: Push): void {
  for (const m of text.matchAll(YMD)) {
    push('date', m.index, m.index + m[0].length, judgeDate(ix, [{ y: Number(m[1]), m: Number(m[3]), d: Number(m[4]) }], true), RANK.date);
  }
  for (const m of text.matchAll(CJK)) {
    push('date', m.index, m.index + m[0].length, judgeDate(ix, [{ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }], true), RANK.date);
  }
  for (const m of text.matchAll(NUMERIC)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = twoDigitYear(m[4]!);
    const dmy: Ymd = { y, m: b, d: a };
    const mdy: Ymd = { y, m: a, d: b };
    const readings = ix.order === 'MDY' ? [mdy, dmy] : [dmy, mdy];
    push('date', m.index, m.index + m[0].length, judgeDate(ix, readings, ix.order !== 'YMD'), RANK.date);
  }
  if (ix.order === 'DMY' && ix.decimal === ',') {
    for (const m of text.matchAll(DOTTED_NO_YEAR)) {
      const r: Ymd = { y: null, m: Number(m[2]), d: Number(m[1]) };
      if (validYmd(r)) push('date', m.index, m.index + m[0].length, judgeDate(ix, [r], true), RANK.date);
    }
  }
  for (const re of [ix.patterns.textDmy, ix.patterns.textMdy]) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      const month = ix.months.get(monthKey(g.m!));
      if (month === undefined) continue;
      const r: Ymd = { y: g.y ? Number(g.y) : null, m: month + 1, d: Number(g.d) };
      push('date', m.index, m.index + m[0].length, judgeDate(ix, [r], true), RANK.date);
    }
  }
}

/** Amounts next to a currency marker (before or after), then bare figures that look like money. */
function extractAmounts(ix: FactIndex, text: string, push: Push): void {
  for (const re of [ix.patterns.prefix, ix.patterns.suffix]) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      const marker = foldSpaces(g.m!).replace(/ /g, '');
      const currencies = ix.patterns.byMarker.get(marker);
      // A sentence's full stop after a trailing marker ("… 1 234,50 kr.") is not part of the figure.
      const end = m.index + m[0].length - (re === ix.patterns.suffix && marker.endsWith('.') && ix.patterns.byMarker.has(marker.slice(0, -1)) ? 1 : 0);
      const verdict: Verdict = g.tail
        ? { status: 'mismatch', note: 'An amount with letters in it cannot be checked; write it in full' }
        : judgeAmount(ix, g.n!, currencies ?? null);
      push('amount', m.index, end, verdict, RANK.amount);
    }
  }
  for (const m of text.matchAll(BARE)) {
    const n = m.groups!.n!;
    const parsed = parseAmount(n, 2, ix.decimal);
    if (!parsed || (parsed.frac.length !== 2 && !/[,.'’]\d{3}(?:\D|$)/.test(n))) continue;
    push('amount', m.index, m.index + m[0].length, judgeAmount(ix, n, null), RANK.bare);
  }
}

/** Percentages (the facts have none) and "N days overdue" in either order. */
function extractPercentAndDays(ix: FactIndex, text: string, push: Push): void {
  for (const m of text.matchAll(PERCENT)) {
    push('percent', m.index, m.index + m[0].length, { status: 'unknown', note: 'The facts have no percentages' }, RANK.percent);
  }
  for (const re of [DAYS_BEFORE, DAYS_AFTER]) {
    for (const m of text.matchAll(re)) {
      const n = Number(m[1]);
      let v: Verdict = OK;
      if (!ix.days.has(n)) {
        let best: number | null = null;
        for (const d of ix.days) if (best === null || Math.abs(d - n) < Math.abs(best - n)) best = d;
        v = { status: 'mismatch', expected: best === null ? undefined : `${best} days`, note: 'No invoice is this many days overdue' };
      }
      push('days', m.index, m.index + m[0].length, v, RANK.days);
    }
  }
}

/** Every candidate figure in one text, in a fixed order (contacts, invoices, dates, amounts, the rest). */
export function extract(ix: FactIndex, text: string): Candidate[] {
  const out: Candidate[] = [];
  const push: Push = (kind, start, end, v, rank) => {
    if (end > start) out.push({ kind, start, end, rank, ...v });
  };
  extractContacts(ix, text, push);
  extractInvoices(ix, text, push);
  extractDates(ix, text, push);
  extractAmounts(ix, text, push);
  extractPercentAndDays(ix, text, push);
  // Closed-world for what moves money or contact: bank details, handles, phones, claims.
  guard(ix, text, push);
  return out;
}
