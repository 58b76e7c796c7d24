// The payment-instruction and contact guard (issue 11 §1): the fact-check is closed-world for
// everything that moves money or contact. Bank identifiers (IBAN, SWIFT/BIC, account, sort,
// routing and BSB numbers, cards, crypto wallets), links and bare domains, payment handles, email
// addresses in any spelling, phone numbers, amounts in words or without a currency, and claims
// that a balance is settled, waived or discounted are found here; each passes only when it is one
// of the facts (the owner's Settings → Payment details, the ledger's pay link, the addresses of
// the draft), otherwise it is flagged for a person to check.
import type { FactIndex } from './fact-index';
import { judgeAmount, OK, type Verdict } from './fact-judge';

/** What the guard's findings are about (fact-extract.ts adds them to the other kinds). */
export type GuardKind = 'account' | 'phone' | 'handle' | 'claim' | 'words' | 'hidden' | 'email' | 'link' | 'amount';

type Push = (kind: GuardKind, start: number, end: number, v: Verdict, rank: number) => void;

/** Lower ranks win ties of the same length: a date or invoice number before a look-alike account. */
const RANK = { identifier: 0, handle: 0, email: 0, domain: 1, claim: 1, words: 1, money: 5, phone: 7, digits: 8 } as const;

const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\p{L}\p{N}])/gu;
const SWIFT = /\b(?:swift|bic)(?:\s*(?:code|no\.?|number))?(?:\s+(?:is|are|ist|est|es))?\s*[:#-]?\s*(?<c>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![\p{L}\p{N}])/dgiu;
const CRYPTO = /(?<![\p{L}\p{N}])(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33})(?![\p{L}\p{N}])/gu;
/** Six or more digits, spaced or dashed: account, sort, routing, BSB and card numbers alike. */
const DIGIT_RUN = /(?<![\p{L}\p{N}.,])\d(?:[ -]?\d){5,}(?![\p{L}\p{N}]|[.,]\d)/gu;
const PHONE = /(?<![\p{L}\p{N}+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\p{L}\p{N}]|[.,]\d)/gu;
const TLDS =
  'com|net|org|io|co|me|app|pay|biz|info|uk|us|de|fr|eu|ca|au|nz|ch|nl|es|it|be|at|ie|se|no|dk|fi|pl|pt|in|sg|hk|jp|link|xyz|online|site|shop|store|money|finance|bank|cash|to|ly|gg|so';
const DOMAIN = new RegExp(
  String.raw`(?<![\p{L}\p{N}@./\-_])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:${TLDS})(?![\p{L}\p{N}\-])(?:\/[^\s<>"'()\[\]{}]*)?`,
  'giu',
);
const AT_WORD = String.raw`(?:\s*[([{<]\s*at\s*[)\]}>]\s*|\s*@\s*)`;
const DOT_WORD = String.raw`(?:\s*[([{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)`;
/** "billing (at) evil (dot) com", "billing [at] evil.com", "billing at evil dot com". */
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+(?:${AT_WORD}|\s+at\s+)[\p{L}\p{N}-]+(?:(?:${DOT_WORD}|\.)[\p{L}\p{N}-]+)*(?:${DOT_WORD})[\p{L}]{2,}` +
    String.raw`|(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+\s*[([{<]\s*at\s*[)\]}>]\s*[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}`,
  'giu',
);
const PAY_SERVICES = String.raw`pay\s?pal|venmo|cash\s?app|zelle|wise|revolut|monzo|skrill|payoneer|alipay|wechat\s?pay|apple\s?cash|interac|m-?pesa`;
/** A payment service named with a handle, tag or address after it ("Venmo @joe", "Cash App $joe"). */
const SERVICE_HANDLE = new RegExp(
  String.raw`\b(?:${PAY_SERVICES})\b(?:[^\n.]{0,30}?[@$£]\s?[\p{L}\p{N}_.-]{2,}|\s*(?:id|user(?:name)?|handle|account)?\s*[:=]\s*[\p{L}\p{N}_.@-]{3,})`,
  'giu',
);
/** "$joe" (not "$US 1,234", a currency marker). */
const CASHTAG = /(?<![\p{L}\p{N}$])\$(?!(?:US|USD|AUD?|CAD?|NZD?|HKD?|SGD?|MXN?|C|A|R)(?![\p{L}\p{N}]))[A-Za-z][\p{L}\p{N}_]{1,19}(?![\p{L}\p{N}])/gu;
const AT_HANDLE = /(?<![\p{L}\p{N}._%+-])@[A-Za-z][\p{L}\p{N}_.-]{2,29}(?![\p{L}\p{N}@])/gu;
const NUMBER_WORD =
  'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion';
const CURRENCY_WORD =
  'dollars?|bucks|euros?|pounds?(?:\\s+sterling)?|quid|pence|cents?|francs?|yen|yuan|rupees?|kronor|krona|kroner|rand|pesos?|reais|real|zloty|dirhams?';
const AMOUNT_IN_WORDS = new RegExp(
  // Starts at the first number word of a run only, so a long run of them is read once.
  String.raw`(?<!\b(?:a|an|and|${NUMBER_WORD})[\s-]+)\b(?:(?:a|an|${NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:${NUMBER_WORD}))*)\s+(?:(?:us|u\.s\.|australian|canadian|new\s+zealand|singapore|hong\s+kong)\s+)?(?:${CURRENCY_WORD})\b`,
  'giu',
);
/** A figure after a money word, with no currency marker: "please pay 500 today". */
const MONEY_CONTEXT =
  /\b(?:pay|paid|paying|owe[sd]?|owing|balance|total|amount|sum|transfer|wire|send|remit|outstanding)\b(?:\s+(?:us|me|only|just|the|a|an|of|now|is|was|be|to|by|at\s+least|around|about|approximately|remaining|due))*\s+(?<n>\d[\d,.' ]*\d|\d)(?![\d/:-]|[.,]\d|\s*(?:days?|invoices?|weeks?|months?|years?|hours?|%|percent|st|nd|rd|th|instalments?|installments?|payments?|am|pm|a\.m\.|p\.m\.|business|working)\b)/dgiu;
const CLAIMS = [
  /\bnothing\s+(?:is\s+|remains\s+|more\s+is\s+)?(?:owed|owing|outstanding|due|to\s+pay)\b/giu,
  /\b(?:no\s+(?:longer|further)\s+(?:owe[sd]?|owing|due|outstanding|payable)|not\s+(?:owe[sd]?|owing|outstanding|payable))\b/giu,
  /\b(?:do(?:es)?\s+not|don't|doesn't|no\s+longer)\s+(?:need\s+to\s+pay|have\s+to\s+pay|owe)\b/giu,
  /\bowe(?:s)?\s+(?:us\s+)?nothing\b/giu,
  /\b(?:has|have|is|are|was|were)\s+(?:now\s+|already\s+)?(?:been\s+)?(?:settled|cleared|waived|written\s+off|forgiven|cancell?ed|paid\s+in\s+full|paid\s+off)\b/giu,
  /\b(?:waive[sd]?|waiving|write\s+off|writing\s+off|forgive|forgiving|in\s+full\s+and\s+final\s+settlement)\b/giu,
  /\b(?:discount(?:s|ed)?|rebate|reduced\s+to|reduction\s+of|knock(?:ed)?\s+off)\b/giu,
  // Letters around, not \b: \b is ASCII-only even with the u flag ("annulé").
  /(?<!\p{L})(?:erlassen|beglichen|abgeschrieben|rabatt|réglée?s?|annulée?s?|remise|condonad[oa]|descuento)(?!\p{L})/giu,
];

/** Invisible characters, and digits of other scripts, that could hide an identifier from the checks above. */
const HIDDEN = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]+|(?:(?![0-9])\p{Nd})+/gu;

const compact = (s: string): string => s.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** The facts' identifiers: what the owner's payment details and the draft's contacts allow. */
export interface GuardFacts {
  /** Every letter and digit of the owner's bank details, upper case (identifiers are looked up inside). */
  bank: string;
  /** Digits-only phone numbers the owner gave. */
  phones: string[];
  /** Hosts of the allowed links and of the allowed addresses ("birch.example"). */
  hosts: Set<string>;
}

export function guardFacts(ix: Pick<FactIndex, 'facts' | 'emails' | 'links'>): GuardFacts {
  const p = ix.facts.payment;
  const hosts = new Set<string>();
  for (const link of ix.links) {
    try {
      hosts.add(new URL(link).hostname.toLowerCase().replace(/^www\./, ''));
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  for (const email of ix.emails) hosts.add(email.slice(email.lastIndexOf('@') + 1));
  return { bank: compact(`${p?.bankDetails ?? ''}`), phones: p?.phone ? [digitsOf(p.phone)] : [], hosts };
}

const flag = (note: string): Verdict => ({ status: 'unknown', note });

/** An identifier passes when it is written in the owner's bank details (spaces and case aside). */
function judgeIdentifier(g: GuardFacts, text: string, what: string): Verdict {
  const id = compact(text);
  return id.length > 0 && g.bank.includes(id) ? OK : flag(`${what} that is not in your payment details`);
}

function judgePhone(g: GuardFacts, text: string): Verdict {
  const d = digitsOf(text);
  const tail = (s: string): string => s.slice(-9);
  if (g.phones.some((p) => p === d || (d.length >= 9 && p.length >= 9 && tail(p) === tail(d)))) return OK;
  if (d.length >= 6 && g.bank.includes(d)) return OK;
  return flag('A phone number that is not in your payment details');
}

function judgeHost(g: GuardFacts, text: string): Verdict {
  const host = text.toLowerCase().split('/')[0]!.replace(/^www\./, '');
  const path = text.slice(host.length).replace(/\/$/, '');
  if (g.hosts.has(host) && path === '') return OK;
  return flag('A web address that is not the ledger pay link or in your payment details');
}

/** Bank identifiers, crypto wallets, long digit runs and phone numbers. */
function guardNumbers(g: GuardFacts, text: string, push: Push): void {
  for (const m of text.matchAll(IBAN)) push('account', m.index, m.index + m[0].length, judgeIdentifier(g, m[0], 'An IBAN'), RANK.identifier);
  for (const m of text.matchAll(SWIFT)) {
    const [s, e] = m.indices!.groups!.c!;
    push('account', s, e, judgeIdentifier(g, m.groups!.c!, 'A SWIFT/BIC code'), RANK.identifier);
  }
  for (const m of text.matchAll(CRYPTO)) push('account', m.index, m.index + m[0].length, judgeIdentifier(g, m[0], 'A crypto wallet address'), RANK.identifier);
  for (const m of text.matchAll(DIGIT_RUN)) {
    push('account', m.index, m.index + m[0].length, judgeIdentifier(g, m[0], 'A number like an account, sort code or card'), RANK.digits);
  }
  for (const m of text.matchAll(PHONE)) {
    const n = digitsOf(m[0]).length;
    if (n >= 7 && n <= 15) push('phone', m.index, m.index + m[0].length, judgePhone(g, m[0]), RANK.phone);
  }
}

/** Bare domains, addresses written to dodge a filter, and payment handles. */
function guardContacts(ix: FactIndex, g: GuardFacts, text: string, push: Push): void {
  for (const m of text.matchAll(DOMAIN)) {
    const span = m[0].replace(/[.,;:!?]+$/, '');
    push('link', m.index, m.index + span.length, judgeHost(g, span), RANK.domain);
  }
  for (const m of text.matchAll(OBFUSCATED_EMAIL)) {
    const plain = m[0]
      .replace(new RegExp(AT_WORD, 'giu'), '@')
      .replace(/\s+at\s+/giu, '@')
      .replace(new RegExp(DOT_WORD, 'giu'), '.')
      .replace(/\s+/g, '')
      .toLowerCase();
    push('email', m.index, m.index + m[0].length, ix.emails.has(plain) ? OK : flag('An address written to look like something else'), RANK.email);
  }
  const handle = (re: RegExp): void => {
    for (const m of text.matchAll(re)) {
      const inBank = g.bank.includes(compact(m[0].replace(/^.*?[@$£]/u, '')));
      push('handle', m.index, m.index + m[0].length, inBank ? OK : flag('A payment handle that is not in your payment details'), RANK.handle);
    }
  };
  handle(SERVICE_HANDLE);
  handle(CASHTAG);
  handle(AT_HANDLE);
}

/** Amounts in words, figures after money words without a currency, and claims about the balance. */
function guardClaims(ix: FactIndex, text: string, push: Push): void {
  for (const m of text.matchAll(AMOUNT_IN_WORDS)) {
    push('words', m.index, m.index + m[0].length, flag('An amount in words cannot be checked: write it in figures'), RANK.words);
  }
  for (const m of text.matchAll(MONEY_CONTEXT)) {
    const start = m.indices!.groups!.n![0];
    const n = m.groups!.n!;
    push('amount', start, start + n.length, judgeAmount(ix, n, null), RANK.money);
  }
  for (const re of CLAIMS) {
    for (const m of text.matchAll(re)) {
      push('claim', m.index, m.index + m[0].length, flag('A claim about the balance that the facts do not support'), RANK.claim);
    }
  }
}

/** Every payment instruction and contact detail in one text, each judged against the facts. */
export function guard(ix: FactIndex, text: string, push: Push): void {
  const g = ix.guard;
  for (const m of text.matchAll(HIDDEN)) {
    push('hidden', m.index, m.index + m[0].length, flag('Invisible characters or unusual digits that could hide a figure'), RANK.identifier);
  }
  guardNumbers(g, text, push);
  guardContacts(ix, g, text, push);
  guardClaims(ix, text, push);
}
