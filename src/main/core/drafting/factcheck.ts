// The fact-check (DESIGN §1.5, §8): every amount, invoice number, date, "N days overdue",
// percentage, email address and link in a draft's final text (the owner's edits included) is
// found and matched against the draft's facts, with its offsets so the editor can underline it.
//
// - Amounts: a number next to a currency marker (symbol, ISO code or word) in either position,
//   read with the locale's separators ("$1,234.50", "1.234,50 €", "USD 1234.5", "CHF 1'234.50",
//   "₹12,34,567.50", "¥1,500"). OK when it equals a fact amount in the same currency; the wrong
//   currency, or a value no fact has, is a mismatch. A bare "1,234.50" is matched against every
//   currency.
// - Dates: ISO, Y/M/D, D/M/Y or M/D/Y (numeric, read with the locale; a day/month that could be
//   either is 'ambiguous' unless the locale's reading, or failing a locale order either reading,
//   is a fact date), and month names in the locale or English ("21 Nov 2026", "November 21st,
//   2026", "21. November 2026", "21 de nov. de 2026"), with or without the year.
// - Invoice numbers: the facts' numbers wherever they appear, "#1042" or "invoice 1042" when the
//   digits name exactly one of them, and anything shaped like an invoice number that is not one
//   ('unknown').
// - Customer, contact and company names are facts too: figures inside them are not checked.
// Overlaps go to the longest span, then to a reading that checks out, then by kind.
//
// The fact-check is built in three parts: fact-index.ts (what the facts allow), fact-extract.ts
// (every figure in the text, each with a verdict from fact-judge.ts) and, here, the choice between
// overlapping readings.
import type { DraftFacts } from './facts';
import { buildFactIndex, type FactIndex } from './fact-index';
import { extract, type Candidate, type FindingKind } from './fact-extract';
import type { FindingStatus } from './fact-judge';

export { buildFactIndex, type FactIndex } from './fact-index';
export { parseAmount, type FindingStatus } from './fact-judge';
export type { FindingKind } from './fact-extract';

export interface Finding {
  kind: FindingKind;
  /** The text as it appears in the draft. */
  text: string;
  /** UTF-16 offsets into the checked text (String.slice(start, end) === text). */
  start: number;
  end: number;
  status: FindingStatus;
  /** What the facts say instead, formatted for the locale (mismatch, ambiguous, sometimes unknown). */
  expected?: string;
  /** A short explanation for the editor's tooltip. */
  note?: string;
}

export interface FactCheckResult {
  findings: Finding[];
  /** Findings that are not 'ok': these block approval unless the owner overrides with a reason. */
  flagged: number;
}

export interface DraftCheck {
  subject: FactCheckResult;
  body: FactCheckResult;
  flagged: number;
  clean: boolean;
}

/** Keeps reserved spans, then the longest candidates, preferring ones that check out, then by kind. */
function resolve(text: string, candidates: Candidate[]): Finding[] {
  const taken = new Uint8Array(text.length + 1);
  const free = (c: Candidate): boolean => {
    for (let i = c.start; i < c.end; i++) if (taken[i]) return false;
    return true;
  };
  const order = [...candidates].sort(
    (a, b) =>
      (a.kind === 'reserved' ? 0 : 1) - (b.kind === 'reserved' ? 0 : 1) ||
      b.end - b.start - (a.end - a.start) ||
      (a.status === 'ok' ? 0 : 1) - (b.status === 'ok' ? 0 : 1) ||
      a.rank - b.rank ||
      a.start - b.start,
  );
  const findings: Finding[] = [];
  for (const c of order) {
    if (!free(c)) continue;
    taken.fill(1, c.start, c.end);
    if (c.kind === 'reserved') continue;
    const f: Finding = { kind: c.kind, text: text.slice(c.start, c.end), start: c.start, end: c.end, status: c.status };
    if (c.expected !== undefined) f.expected = c.expected;
    if (c.note !== undefined) f.note = c.note;
    findings.push(f);
  }
  return findings.sort((a, b) => a.start - b.start);
}

function isIndex(x: DraftFacts | FactIndex): x is FactIndex {
  return (x as FactIndex).patterns !== undefined && (x as FactIndex).facts !== undefined;
}

/** Checks one text (a subject or a body) against the facts (or a prebuilt index of them). */
export function factCheck(text: string, facts: DraftFacts | FactIndex): FactCheckResult {
  const ix = isIndex(facts) ? facts : buildFactIndex(facts);
  const findings = resolve(text, extract(ix, text));
  return { findings, flagged: findings.filter((f) => f.status !== 'ok').length };
}

/** Checks a whole draft: subject and body, each with its own offsets. */
export function factCheckDraft(draft: { subject: string; body: string }, facts: DraftFacts | FactIndex): DraftCheck {
  const ix = isIndex(facts) ? facts : buildFactIndex(facts);
  const subject = factCheck(draft.subject, ix);
  const body = factCheck(draft.body, ix);
  const flagged = subject.flagged + body.flagged;
  return { subject, body, flagged, clean: flagged === 0 };
}
