// Reply triage by rules (no model): classifies a customer's reply from the signals of its
// sentences (reply-signals.ts) and extracts the facts each class needs — promised dates and
// amounts, the dispute reason, the claimed payment's date, amount and reference, the return date
// of an out-of-office notice. Text addressed to software is reported and never read.
import type { PromiseExtraction, ReplyClass } from '../../../shared/followup';
import { findAmounts, type FoundAmount } from './reply-amounts';
import { findDates, type FoundDate } from './reply-dates';
import { findInvoiceNumbers, findReference } from './reply-refs';
import {
  AUTO_REPLY,
  OUT_OF_OFFICE,
  PARTIAL,
  RETURN_CUE,
  disputeReasonOf,
  hasPaidSignal,
  hasPromiseSignal,
  isQuestion,
  snippet,
} from './reply-signals';
import { cleanReply, findInjections, normalizeText, splitSentences, type Span } from './reply-text';
import { MAX_REPLY_CHARS, type ReplyInput, type ReplyTriage } from './reply-types';

// ---- extraction ---------------------------------------------------------------------------------

interface Commitment {
  date: FoundDate | null;
  amount: FoundAmount | null;
  partial: boolean;
}

function clauses(sentence: string): string[] {
  return sentence
    .split(/,\s+|;\s*|\s+-\s+|\s+(?:and|but|then|plus)\s+(?=\S)/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

interface ReadCtx {
  input: ReplyInput;
  invoiceMask: (text: string) => Span[];
}

function datesIn(text: string, ctx: ReadCtx, direction: 'future' | 'past'): FoundDate[] {
  return findDates(text, { ref: ctx.input.receivedOn, direction, dateOrder: ctx.input.dateOrder ?? null });
}

function amountsIn(text: string, ctx: ReadCtx, dates: readonly FoundDate[], extra: readonly Span[] = []): FoundAmount[] {
  return findAmounts(text, ctx.input.currency, [...dates, ...ctx.invoiceMask(text), ...extra]);
}

/** Promises in the promise sentences, pairing each amount with its date clause by clause. */
function readCommitments(sentences: readonly string[], ctx: ReadCtx): Commitment[] {
  const out: Commitment[] = [];
  for (const sentence of sentences) {
    let inPromise = false;
    for (const clause of clauses(sentence)) {
      if (disputeReasonOf(clause) !== null) continue;
      const dates = datesIn(clause, ctx, 'future');
      const amounts = amountsIn(clause, ctx, dates);
      const promiseVerb = hasPromiseSignal(clause);
      const partial = PARTIAL.test(clause);
      const date = dates[0] ?? null;
      const amount = amounts[0] ?? null;
      const last = out[out.length - 1];
      if (promiseVerb) inPromise = true;
      if (!inPromise && !promiseVerb) continue;
      if (!promiseVerb && amount === null && !partial) {
        // A trailing clause may only supply the date the promise clause lacked.
        if (last && last.date === null && date !== null) last.date = date;
        continue;
      }
      if (!promiseVerb && last && amount !== null && last.amount === null && date === null && !partial) {
        last.amount = amount;
        continue;
      }
      if (date === null && amount === null && !partial && !promiseVerb) continue;
      out.push({ date, amount, partial });
    }
  }
  // Drop empty promise clauses when another one carries the facts ("We will pay. Expect it Friday.").
  const useful = out.filter((c) => c.date !== null || c.amount !== null || c.partial);
  if (useful.length === 2) {
    const [a, b] = useful as [Commitment, Commitment];
    if (a.date === null && b.amount === null && a.amount !== null && b.date !== null && !a.partial && !b.partial) {
      return [{ date: b.date, amount: a.amount, partial: false }];
    }
    if (a.amount === null && b.date === null && a.date !== null && b.amount !== null && !a.partial && !b.partial) {
      return [{ date: a.date, amount: b.amount, partial: false }];
    }
  }
  return useful.length > 0 ? useful : out.slice(0, 1);
}

// ---- triage by rules ----------------------------------------------------------------------------

/** The customer's words, sentence by sentence, with what each class of reply found in them. */
interface ReadReply {
  sentences: string[];
  body: string;
  ctx: ReadCtx;
  inv: { numbers: string[]; spans: Span[] };
  /** The sentences signalling each class (the evidence). */
  signals: Record<ReplyClass, string[]>;
  /** The classes present, strongest first. */
  present: ReplyClass[];
}

/** Injections anywhere (quoted text included) are reported, each once. */
function injectionWarnings(text: string): ReplyTriage['warnings'] {
  const warnings: ReplyTriage['warnings'] = [];
  for (const inj of findInjections(splitSentences(text))) {
    const message =
      inj.kind === 'instruction'
        ? `The reply contains text addressed to software ("${snippet(inj.text)}"). It was ignored: nothing in a reply can change the ledger, recipients or rules.`
        : `The reply asks to change contact or payment details ("${snippet(inj.text)}"). Settle never changes these from a reply; confirm with the customer by phone before changing anything.`;
    if (!warnings.some((w) => w.message === message)) warnings.push({ kind: inj.kind, message });
  }
  return warnings;
}

/** Only the customer's words are read: quoted mail, the signature and injected sentences are dropped. */
function readReply(input: ReplyInput, text: string): ReadReply {
  const cleaned = cleanReply(text);
  const flagged = new Set(findInjections(splitSentences(cleaned.body)).map((i) => i.text));
  const sentences = splitSentences(cleaned.body).filter((s) => !flagged.has(s));
  const body = sentences.join('\n');
  const inv = findInvoiceNumbers(body, input.invoiceNumbers ?? []);
  const ctx: ReadCtx = { input, invoiceMask: (t) => findInvoiceNumbers(t, input.invoiceNumbers ?? []).spans };

  const signals: Record<ReplyClass, string[]> = {
    promise_to_pay: sentences.filter(hasPromiseSignal),
    dispute: sentences.filter((s) => disputeReasonOf(s) !== null),
    already_paid: sentences.filter(hasPaidSignal),
    question: sentences.filter(isQuestion),
    out_of_office: sentences.filter((s) => OUT_OF_OFFICE.test(s) || AUTO_REPLY.test(s)),
    other: [],
  };
  const auto = sentences.some((s) => AUTO_REPLY.test(s));
  const present: ReplyClass[] = [];
  if (auto && signals.out_of_office.length > 0) present.push('out_of_office');
  if (signals.dispute.length > 0) present.push('dispute');
  if (signals.already_paid.length > 0) present.push('already_paid');
  if (signals.promise_to_pay.length > 0) present.push('promise_to_pay');
  if (!present.includes('out_of_office') && signals.out_of_office.length > 0) present.push('out_of_office');
  if (signals.question.length > 0) present.push('question');
  return { sentences, body, ctx, inv, signals, present };
}

/** The promises, and the questions they leave for the owner (no day, no exact amount, an ambiguous date). */
function readPromises(r: ReadReply, questionsForOwner: string[]): PromiseExtraction[] {
  const promises: PromiseExtraction[] = [];
  const commitments = readCommitments(r.signals.promise_to_pay, r.ctx);
  if (commitments.length === 1 && commitments[0]!.date === null) {
    // The promise sentence names no day: use the one date elsewhere in the reply, if exactly one.
    const elsewhere = r.sentences
      .filter((s) => !r.signals.dispute.includes(s))
      .flatMap((s) => datesIn(s, r.ctx, 'future'));
    if (elsewhere.length === 1) commitments[0]!.date = elsewhere[0]!;
  }
  for (const c of commitments) {
    if (c.date?.problem) questionsForOwner.push(c.date.problem);
    if (c.amount === null && (c.partial || commitments.length > 1)) {
      const what = c.date ? ` for ${c.date.date ?? c.date.text}` : '';
      questionsForOwner.push(`The customer offers part of the balance${what} without an exact amount. How much did they promise?`);
    }
    if (c.date === null) questionsForOwner.push('The customer promises to pay but gives no date. When did they promise to pay?');
    promises.push({
      date: c.date?.date ?? null,
      dateText: c.date?.text ?? null,
      amountCents: c.amount?.cents ?? null,
      currency: c.amount?.currency ?? r.ctx.input.currency,
      amountText: c.amount?.text ?? null,
      note: c.date?.note ?? null,
    });
  }
  return promises;
}

/** The dispute: its most specific reason ('other' last) and the sentence stating it. */
function readDispute(disputeS: readonly string[]): ReplyTriage['dispute'] {
  if (disputeS.length === 0) return null;
  const specific = disputeS
    .map((s) => ({ s, r: disputeReasonOf(s)! }))
    .sort((a, b) => (a.r === 'other' ? 1 : 0) - (b.r === 'other' ? 1 : 0));
  return { reason: specific[0]!.r, snippet: snippet(specific[0]!.s) };
}

/** The claimed payment: its date, amount, reference and method, from the paid sentences first. */
function readAlreadyPaid(r: ReadReply): ReplyTriage['alreadyPaid'] {
  const paidS = r.signals.already_paid;
  if (paidS.length === 0) return null;
  const { ctx, inv } = r;
  const ref = findReference(paidS.join('\n'), inv.numbers);
  const dates = paidS.flatMap((s) => datesIn(s, ctx, 'past'));
  let amounts = paidS.flatMap((s) => {
    const ds = datesIn(s, ctx, 'past');
    return amountsIn(s, ctx, ds, findReference(s, inv.numbers).spans);
  });
  if (amounts.length === 0) {
    const all = r.sentences.flatMap((s) => amountsIn(s, ctx, datesIn(s, ctx, 'past'), findReference(s, inv.numbers).spans));
    if (all.length === 1) amounts = all;
  }
  if (dates.length === 0) {
    const all = r.sentences.flatMap((s) => datesIn(s, ctx, 'past'));
    if (all.length === 1) dates.push(all[0]!);
  }
  const date = dates.find((d) => d.date !== null) ?? dates[0] ?? null;
  const bodyRef = ref.reference === null ? findReference(r.body, inv.numbers) : ref;
  return {
    date: date?.date ?? null,
    dateText: date?.text ?? null,
    amountCents: amounts[0]?.cents ?? null,
    currency: amounts[0]?.currency ?? ctx.input.currency,
    reference: bodyRef.reference,
    method: ref.method ?? bodyRef.method,
  };
}

/** The return date of an out-of-office notice, if it gives one. */
function readOutOfOffice(r: ReadReply): ReplyTriage['outOfOffice'] {
  if (!r.present.includes('out_of_office')) return null;
  const candidates = r.sentences.filter((s) => r.signals.out_of_office.includes(s) || RETURN_CUE.test(s));
  const dates = candidates.flatMap((s) => datesIn(s, r.ctx, 'future')).filter((d) => d.date !== null);
  const d = dates[0] ?? null;
  return { returnDate: d?.date ?? null, dateText: d?.text ?? null };
}

/** Classifies a reply and extracts its facts with rules only (no model). */
export function triageByRules(input: ReplyInput): ReplyTriage {
  const questionsForOwner: string[] = [];
  const text = normalizeText(input.text ?? '').slice(0, MAX_REPLY_CHARS);
  const warnings = injectionWarnings(text);
  const r = readReply(input, text);
  const cls: ReplyClass = r.present[0] ?? 'other';

  const promises = r.present.includes('promise_to_pay') ? readPromises(r, questionsForOwner) : [];
  const dispute = readDispute(r.signals.dispute);
  const alreadyPaid = readAlreadyPaid(r);
  const outOfOffice = readOutOfOffice(r);
  const questionS = r.signals.question;
  const question = questionS.length > 0 ? { snippet: snippet(questionS[0]!) } : null;

  for (const amt of [...promises.map((p) => p.currency), alreadyPaid?.currency].filter(Boolean)) {
    if (amt !== input.currency) {
      warnings.push({ kind: 'currency', message: `The reply mentions ${amt}, but the customer is billed in ${input.currency}.` });
      break;
    }
  }

  let confidence: ReplyTriage['confidence'] = 'high';
  if (cls === 'other') confidence = 'low';
  else if (questionsForOwner.length > 0) confidence = 'medium';
  else if (cls === 'promise_to_pay' && promises.some((p) => p.date === null)) confidence = 'medium';

  return {
    class: cls,
    also: r.present.slice(1),
    source: 'rules',
    confidence,
    promises,
    dispute,
    alreadyPaid,
    outOfOffice,
    question,
    invoiceNumbers: r.inv.numbers,
    questionsForOwner: [...new Set(questionsForOwner)],
    warnings,
    evidence: [...new Set(r.signals[cls].map(snippet))],
  };
}
