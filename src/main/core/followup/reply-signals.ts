// What a sentence of a customer's reply signals (a promise to pay, a payment already made, a
// dispute and its reason, an out-of-office notice, a question), read with patterns, for reply
// triage by rules (reply-rules.ts).
import type { DisputeReason } from '../../../shared/followup';

const PROMISE_PATTERNS: RegExp[] = [
  /\b(?:i|we|i'll|we'll|i'm|we're|they|our (?:team|office|accounts(?: payable)?|ap|finance(?: team)?))\b.{0,30}?\b(?:will|'ll|shall|can|could|going to|gonna|plan to|planning to|intend to|expect to|hope to|aim to|able to|promise to|try to|are|am|'re|'m)\s+(?:(?:be|definitely|certainly|probably|surely|then|also|now|finally|able to|try to|get)\s+)*(?:pay|paying|send|sending|transfer|transferring|wire|wiring|remit|remitting|settle|settling|clear|process|make\s+(?:the|a|this|that)?\s*payment|mail|post|issue|release|do\s+(?:the\s+|a\s+)?(?:payment|transfer)|do\s+(?=[$€£]?\d))/i,
  /\b(?:payment|the payment|a payment|cheque|check|transfer|wire|funds|money|the (?:balance|rest|remainder|remaining(?: balance)?|amount|invoice|outstanding(?: amount| balance)?)|it|this|that)\s+(?:will|should|shall|is going to|is scheduled to|is due to)\s+(?:(?:be|definitely|then|also|probably)\s+)*(?:go|going|sent|made|make|paid|processed|released|transferred|issued|mailed|posted|arrive|reach|clear|cleared|out|in|settled|done|with you)\b/i,
  /\b(?:payment|check|cheque|transfer|wire|it)\s+(?:goes|is going|will go|is being sent|is being processed|is scheduled|has been scheduled|is set up|is queued|is approved for)\b/i,
  /\b(?:scheduled|queued|set up|arranged|approved)\s+(?:the\s+|a\s+|your\s+)?(?:payment|transfer|wire)\b/i,
  /\b(?:expect|you(?:'ll| will| should) (?:get|receive|have|see))\s+(?:it|the\s+\w+|your\s+\w+|our\s+\w+|payment|money|funds)\b/i,
  /^(?:will|shall|can|gonna|going to)\s+(?:pay|send|transfer|wire|mail|post|settle)\b/i,
];

const CONDITIONAL =
  /\b(?:before we can|unless|pending (?:the|your|a)|(?:until|if|once|as soon as|when|after) (?:you|we) (?:send|provide|fix|correct|issue|receive|get|have|resolve|credit)|(?:of|after|upon|on) receiv(?:ing|e|t of))\b/i;

const PAID_PATTERNS: RegExp[] = [
  /\b(?:already|just)\s+(?:been\s+)?(?:paid|transferred|wired|remitted|settled|processed|made (?:the|this|that|a) payment|taken care of)\b/i,
  /\b(?:have|has|had|'ve)\s+(?:already\s+)?(?:been\s+)?(?:paid|transferred|wired|remitted|settled|cleared|made (?:the|this|that|a)\s+payment)\b/i,
  /\b(?:have|has|had|'ve)\s+(?:already\s+)?(?:sent|mailed|posted)\s+(?:you\s+)?(?:the\s+|a\s+|our\s+|your\s+)?(?:payment|check|cheque|money|funds|transfer|wire|it)\b/i,
  /\b(?:i|we)\s+(?:already\s+)?(?:paid|transferred|wired|remitted|settled|made (?:the|this|that|a|our) payment|cut (?:a|the) (?:check|cheque)|did (?:the|a) transfer)\b/i,
  /\b(?:i|we)\s+(?:already\s+)?(?:sent|mailed|posted)\s+(?:you\s+)?(?:the\s+|a\s+|our\s+|your\s+)?(?:payment|check|cheque|money|funds|transfer|wire|it|[$€£]|\d)/i,
  /\b(?:payment|check|cheque|transfer|wire|funds|money|it|this|invoice)\s+(?:was|were|went|has gone|have gone|has been|was already)\s+(?:already\s+)?(?:sent|made|paid|processed|mailed|posted|out|through|transferred|wired|issued|released|initiated|settled|cashed|deposited|cleared)\b/i,
  /\b(?:check|cheque|payment|transfer|wire)\s*(?:#\s*|no\.?\s*|number\s*)?[\w-]*\d[\w-]*\s+(?:was|has been|went)\s+(?:sent|made|mailed|posted|out|issued|cashed|deposited|cleared)\b/i,
  /\b(?:check|cheque|payment)\s+is\s+in\s+the\s+(?:mail|post)\b/i,
  /^\s*(?:paid|sent|transferred|wired|remitted|mailed)\b(?!\s+(?:you|to you)\s+(?:a|an|the)\s+(?:e-?mail|message|note|reply))/i,
  /\bpaid in full\b/i,
];

const NEGATION = /\b(?:not|n't|never|yet to|no)\b[^.]*$/i;

const DISPUTE_PATTERNS: { reason: DisputeReason; re: RegExp }[] = [
  {
    reason: 'duplicate',
    re: /\b(?:charged|billed|invoiced)\s+(?:us\s+|me\s+)?(?:twice|two times|double)\b|\bduplicate(?:d)?\s+(?:invoice|charge|bill|billing|entry)\b|\bdouble[- ](?:billed|charged|billing|invoiced)\b|\bare the same (?:work|invoice|charge|service|order)\b/i,
  },
  {
    reason: 'not_received',
    re: /\b(?:never|not|haven't|havent|didn't|did not|have not|has not|hasn't|yet to)\s+(?:yet\s+)?(?:received|receive|got|gotten|arrived|been delivered|delivered)\b.{0,40}\b(?:goods|order|shipment|delivery|items?|parts|products?|materials|equipment|service|work|package|pallets?)\b|\b(?:goods|order|shipment|delivery|items?|parts|products?|package)\s+(?:never|has not|hasn't|have not|haven't|did not|didn't)\s+(?:arrive|arrived|come|came|shown up|been delivered)\b/i,
  },
  {
    reason: 'quality',
    re: /\b(?:damaged|defective|faulty|poor quality|substandard|not working|doesn't work|does not work|stopped working|unusable|not fit for purpose|not up to (?:standard|spec))\b/i,
  },
  {
    reason: 'not_ordered',
    re: /\b(?:never|didn't|did not)\s+(?:order|ordered|request|requested|authori[sz]e|authori[sz]ed|sign(?:ed)? up for)\b|\bnot (?:our|my) (?:invoice|order)\b/i,
  },
  {
    reason: 'cancelled',
    re: /\b(?:cancel+ed|terminated|ended)\s+(?:the\s+|our\s+|this\s+|my\s+|that\s+)?(?:order|service|subscription|contract|account|agreement|membership)\b/i,
  },
  {
    reason: 'returned',
    re: /\b(?:returned|sent back)\s+(?:the\s+|all\s+|those\s+|these\s+|your\s+)?(?:goods|items?|order|products?|equipment|parts|shipment)\b/i,
  },
  {
    reason: 'pricing',
    re: /\b(?:wrong|incorrect|inaccurate)\s+(?:amount|price|pricing|rate|total|figure|quantity|invoice)\b|\bovercharg\w*|\bwe were quoted\b|\b(?:invoice|charge|amount|price|total|rate|fee)\s+(?:is|was|are)\s+(?:wrong|incorrect)\b|\b(?:is|was|are) wrong\b|\bnever (?:agreed|approved)\b|\bnot what we agreed\b|\bdiscount\b.{0,30}\b(?:missing|not applied|agreed)\b|\bshould (?:be|have been) [$€£]?\d/i,
  },
  {
    reason: 'other',
    re: /\bdisput(?:e|ed|ing)\b|\bdisagree\b|\b(?:won't|will not|refuse to|not going to|are not going to)\s+(?:be\s+)?pay(?:ing)?\b|\b(?:don't|do not|doesn't|does not)\s+owe\b|\bcontest(?:ing)?\b|\bnot (?:responsible|liable)\b|\bowe (?:you )?nothing\b/i,
  },
];

export const AUTO_REPLY =
  /\b(?:automatic reply|auto[- ]?reply|autoreply|auto-response|automatische antwort|r[ée]ponse automatique|respuesta autom[aá]tica|this is an automated (?:message|response|reply))\b/i;
export const OUT_OF_OFFICE =
  /\bout of (?:the )?office\b|\bOOO\b|\b(?:on|taking)\s+(?:annual |parental |maternity |paternity |sick |medical |extended )?(?:leave|vacation|holidays?|PTO)\b|\baway from (?:the office|my desk|my e-?mail)\b|\blimited (?:access to )?(?:e-?mail|internet)\b|\bcurrently (?:away|travell?ing|unavailable|out)\b|\bnicht im b(?:ü|ue)ro\b|\babwesend\b|\babsent(?:e)? du bureau\b|\bfuera de la oficina\b|\bno longer with (?:the company|us)\b/i;
export const RETURN_CUE = /\b(?:until|till|back|return|returning|bis|jusqu|hasta)\b/i;

const QUESTION_START = /^(?:can|could|would|will|do|does|did|is|are|was|were|what|which|when|where|why|how|who|may)\s+(?:you|we|i|it|this|that|there|the)\b/i;
const REQUEST =
  /\b(?:please|pls|kindly)\s+(?:send|resend|re-send|forward|provide|share|e-?mail|confirm|explain|advise)\b(?!\s+(?:the\s+)?(?:payment|money))|\b(?:we|i)\s+need\s+(?:a|the|your)\s+(?:copy|w-?9|statement|receipt|invoice|breakdown|details|po|purchase order)\b/i;

export const PARTIAL = /\b(?:half|part|some|a portion|portion|partial|most|the rest|the remainder|remainder|rest|the balance later)\b/i;

function matchesAny(s: string, res: readonly RegExp[]): boolean {
  return res.some((re) => re.test(s));
}

/** The sentence says a payment was already made (not negated, not a future "will have paid"). */
export function hasPaidSignal(s: string): boolean {
  for (const re of PAID_PATTERNS) {
    const m = re.exec(s);
    if (!m) continue;
    const before = s.slice(Math.max(0, m.index - 30), m.index);
    const inside = m[0];
    if (NEGATION.test(before) || /\b(?:not|n't|never)\b/i.test(inside)) continue;
    if (/\b(?:will|'ll|going to|shall)\s+(?:be\s+|have\s+)?$/i.test(before)) continue;
    return true;
  }
  return false;
}

/** The sentence promises to pay, without a condition. */
export function hasPromiseSignal(s: string): boolean {
  return matchesAny(s, PROMISE_PATTERNS) && !CONDITIONAL.test(s);
}

/** The first dispute reason the sentence states, most specific first; null when it disputes nothing. */
export function disputeReasonOf(s: string): DisputeReason | null {
  for (const { reason, re } of DISPUTE_PATTERNS) if (re.test(s)) return reason;
  return null;
}

/** A question or a request to the owner. */
export function isQuestion(s: string): boolean {
  return /\?\s*$/.test(s) || QUESTION_START.test(s) || REQUEST.test(s);
}

/** The sentence on one line, at most 240 characters, to quote to the owner. */
export function snippet(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 240 ? `${t.slice(0, 237)}…` : t;
}
