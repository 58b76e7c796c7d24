// Reading a pasted customer reply, the text-level pieces reply triage (reply-rules.ts) is built on.
// - cleanReply drops the quoted previous email, the signature and contact lines, so that amounts,
//   dates and phone numbers in them are never read as the customer's words.
// - splitSentences re-joins wrapped lines and splits the body into sentences.
// - findInjections spots text addressed to software rather than to the owner.
// Dates, amounts and references are read by reply-dates.ts, reply-amounts.ts and reply-refs.ts.

export interface Span {
  start: number;
  end: number;
}

// ---- cleaning ----------------------------------------------------------------------------------

export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f\u2009]/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2012-\u2015]/g, '-')
    .replace(/\t/g, ' ');
}

const QUOTE_HEADERS: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Forwarded message|Reply message)\s*-{2,}/i,
  /^\s*_{8,}\s*$/,
  /^\s*(Le|Am|El|Il|Op)\s.{0,300}\b(a écrit|schrieb|escribió|ha scritto|schreef)\s*:?\s*$/i,
  /^\s*Sent from my \w+/i,
  /^\s*Get Outlook for /i,
];

const SIGN_OFF =
  /^\s*(thanks|thank you|many thanks|thanks again|thanks so much|thx|best|best regards|best wishes|kind regards|warm regards|warmest regards|regards|cheers|sincerely|yours sincerely|yours truly|yours faithfully|respectfully|br|kr|mfg|mit freundlichen gr(ü|ue)(ß|ss)en|viele gr(ü|ue)(ß|ss)e|cordialement|saludos|atentamente|un saludo|talk soon|thank you for your patience)[\s,.!-]*$/i;

const CONTACT_LINE =
  /^\s*(tel|telephone|phone|ph|mobile|mob|cell|fax|direct|office|t|m|p|f|e|w|email|e-mail|web|website|www)\s*[:.|]/i;

export interface CleanedReply {
  /** The customer's own words. */
  body: string;
  /** A quoted earlier message was found and dropped. */
  hadQuote: boolean;
  /** The signature that was dropped, if any. */
  signature: string | null;
}

/** Drops quoted history, the signature and contact lines; keeps the customer's own words. */
export function cleanReply(raw: string): CleanedReply {
  const lines = normalizeText(raw).split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? '';
    const fromHeader = /^\s*\*?From:\*?\s.+/i.test(line) && lines.slice(i + 1, i + 5).some((l) => /^\s*\*?(Sent|Date|To|Subject):/i.test(l));
    const wrappedOn = /^\s*On\b.{0,300}$/i.test(line) && /^.{0,200}\bwrote:\s*$/i.test(next) && i > 0;
    if (QUOTE_HEADERS.some((re) => re.test(line)) || fromHeader || wrappedOn) {
      cut = i;
      break;
    }
  }
  const hadQuote = cut < lines.length || lines.some((l) => /^\s*>/.test(l));
  let kept = lines.slice(0, cut).filter((l) => !/^\s*>/.test(l));

  let signature: string | null = null;
  for (let i = 1; i < kept.length; i++) {
    const line = kept[i]!;
    const rest = kept.slice(i + 1).filter((l) => l.trim().length > 0);
    // A sign-off is followed by a short block of short lines (name, title, address, phone),
    // not by more of the message ("Hi,\nThanks.\nWe will pay on Friday, as agreed with Sam.").
    const words = (l: string): number => l.trim().split(/\s+/).length;
    const signatureLike =
      rest.length <= 12 && rest.every((l) => words(l) < 8 && !(/[.!?]\s*$/.test(l.trim()) && words(l) >= 3));
    if (/^\s*--\s*$/.test(line) || (SIGN_OFF.test(line) && signatureLike)) {
      signature = kept.slice(i).join('\n').trim() || null;
      kept = kept.slice(0, i);
      break;
    }
  }
  kept = kept.filter((l) => !CONTACT_LINE.test(l));
  return { body: kept.join('\n').trim(), hadQuote, signature };
}

const ABBREVIATION =
  /(?:^|[\s(])(no|nr|inc|ltd|co|corp|llc|e\.g|i\.e|approx|mr|mrs|ms|dr|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|vs|etc|ref|acct|inv|p\.o|u\.s|conf|txn|chk|ca|a\.m|p\.m)\.$/i;

/** Sentences of the body: paragraphs re-joined (mail clients wrap lines), then split at . ! ? */
export function splitSentences(body: string): string[] {
  const out: string[] = [];
  const paragraphs = body.split(/\n\s*\n/);
  for (const para of paragraphs) {
    const lines = para.split('\n').map((l) => l.trim()).filter(Boolean);
    // Short lines without end punctuation (greetings, auto-reply subjects) stay their own sentence.
    const joined: string[] = [];
    for (const l of lines) {
      const prev = joined[joined.length - 1];
      if (prev !== undefined && !/[.!?:]$/.test(prev) && prev.length > 40) joined[joined.length - 1] = `${prev} ${l}`;
      else joined.push(l);
    }
    for (const line of joined) {
      const pieces = line.split(/(?<=[.!?])\s+(?=\S)/);
      let cur = '';
      for (const piece of pieces) {
        cur = cur ? `${cur} ${piece}` : piece;
        if (ABBREVIATION.test(cur)) continue;
        out.push(cur.trim());
        cur = '';
      }
      if (cur.trim()) out.push(cur.trim());
    }
  }
  return out.filter((s) => s.length > 0);
}

// ---- injections -------------------------------------------------------------------------------

export type InjectionKind = 'instruction' | 'contact_change';

const INSTRUCTION_PATTERNS: RegExp[] = [
  /(^|[\n.!?]\s*)\s*\[?(system|assistant|developer|admin|administrator|settle|ai|bot|instructions?)\]?\s*[:>]/i,
  /<\/?\s*(system|instructions?|prompt)\s*>/i,
  /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|your)\s+(instructions|messages|rules|prompts?)/i,
  /\b(mark|set|record|flag|show|update)\s+(all|every|each|the|these|those|our|my)?\s*(open\s+)?(invoices?|balances?|accounts?|ledger)\b.{0,40}\b(as\s+)?(paid|settled|closed|cleared|zero|0)\b/i,
  /\b(delete|remove|void|write off|cancel|clear)\s+(all|every)\b/i,
  /\byou are now\b|\bnew instructions\b|\bas an ai\b|\blanguage model\b/i,
];

const CONTACT_CHANGE =
  /\b(change|update|replace|switch|use)\s+(the\s+|your\s+|our\s+|my\s+)?(recipient|e-?mail address|e-?mail|bank (details|account)|account details|payee|contact( details)?|remittance address)\b|\bsend (all\s+)?(future\s+)?(e-?mails?|reminders|invoices|statements)\s+to\b|\bour (new\s+)?bank (details|account) (has|have) changed\b/i;

export interface FoundInjection {
  kind: InjectionKind;
  text: string;
}

/** Text that reads like an instruction to software, or a request to change where money or mail goes. */
export function findInjections(sentences: readonly string[]): FoundInjection[] {
  const found: FoundInjection[] = [];
  for (const s of sentences) {
    if (INSTRUCTION_PATTERNS.some((re) => re.test(s))) found.push({ kind: 'instruction', text: s });
    if (CONTACT_CHANGE.test(s)) found.push({ kind: 'contact_change', text: s });
  }
  return found;
}

// ---- spans --------------------------------------------------------------------------------------

/** The text with each span overwritten by `ch` (same length, so offsets still hold). */
export function mask(text: string, spans: readonly Span[], ch = '#'): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ch.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

/** Where `re` (or its capture `group`) matches in the text. */
export function spansOf(text: string, re: RegExp, group = 0): Span[] {
  const spans: Span[] = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (const m of text.matchAll(g)) {
    const whole = m.index ?? 0;
    if (group === 0) spans.push({ start: whole, end: whole + m[0].length });
    else if (m[group] !== undefined) {
      const off = m[0].indexOf(m[group]!);
      spans.push({ start: whole + off, end: whole + off + m[group]!.length });
    }
  }
  return spans;
}
