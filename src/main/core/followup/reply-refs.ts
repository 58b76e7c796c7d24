// Reading a pasted customer reply: the invoice numbers it mentions, and the payment reference
// (check number, transaction id, confirmation number) and method it names.
import type { PaymentMethod } from '../../../shared/followup';
import { spansOf, type Span } from './reply-text';

const INVOICE_REF = /\b(?:invoices?|inv)\.?\s*(?:no\.?|number|num|nr\.?|#)?\s*[:#]?\s*#?\s*([A-Z]{0,5}-?\d[\w/-]*)/gi;
const INVOICE_CODE = /\bINV[-_ ]?\d[\w-]*/gi;

/** Invoice numbers mentioned in the text; known numbers are matched exactly first. */
export function findInvoiceNumbers(text: string, known: readonly string[] = []): { numbers: string[]; spans: Span[] } {
  const numbers: string[] = [];
  const spans: Span[] = [];
  const add = (n: string, span: Span): void => {
    spans.push(span);
    const canon = n.trim();
    if (!numbers.some((x) => x.toLowerCase() === canon.toLowerCase())) numbers.push(canon);
  };
  for (const k of known) {
    if (!k) continue;
    const re = new RegExp(`(?<![\\w-])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'gi');
    for (const s of spansOf(text, re)) add(k, s);
  }
  for (const m of text.matchAll(INVOICE_CODE)) add(m[0].toUpperCase().replace(/[_ ]/, '-'), { start: m.index!, end: m.index! + m[0].length });
  for (const m of text.matchAll(INVOICE_REF)) {
    const n = m[1]!;
    if (!/\d/.test(n)) continue;
    const start = m.index! + m[0].lastIndexOf(n);
    if (!spans.some((s) => start >= s.start && start < s.end)) add(n.replace(/[.,]$/, ''), { start, end: start + n.length });
    else spans.push({ start, end: start + n.length });
  }
  return { numbers, spans };
}

const REFERENCE_PATTERNS: { re: RegExp; method: PaymentMethod | null }[] = [
  { re: /\b(?:check|cheque|chk)\s*(?:no\.?|number|num|#)?\s*(?:is\s+)?[:#]?\s*#?\s*(\d[\w-]{2,})/gi, method: 'check' },
  {
    re: /\b(?:transaction|txn|trans\.|confirmation|conf\.?|reference|ref\.?|trace|remittance|utr|wire|ach|e-?transfer|payment|transfer)\s*(?:id|no\.?|number|num|#|code|ref)?\s*(?:is\s+)?[:#]?\s*#?\s*([A-Z0-9][A-Z0-9-]{3,})/gi,
    method: null,
  },
];

const METHOD_WORDS: { re: RegExp; method: PaymentMethod }[] = [
  { re: /\b(check|cheque)\s*(#|no\b|number|was|is|has|went|for)|\b(a|the|our|by|via|per)\s+(check|cheque)\b/i, method: 'check' },
  { re: /\bACH\b/, method: 'ach' },
  { re: /\bwire(d)?\b/i, method: 'wire' },
  { re: /\bzelle\b/i, method: 'zelle' },
  { re: /\bpaypal\b/i, method: 'paypal' },
  { re: /\bvenmo\b/i, method: 'venmo' },
  { re: /\bstripe\b/i, method: 'stripe' },
  { re: /\b(credit card|debit card|card)\b/i, method: 'card' },
  { re: /\b(bank transfer|e-?transfer|BACS|SEPA|direct deposit|transfer(red)?)\b/i, method: 'bank_transfer' },
  { re: /\bcash\b/i, method: 'cash' },
];

/** A payment reference (check number, transaction id, confirmation number) and the method. */
export function findReference(
  text: string,
  invoiceNumbers: readonly string[] = [],
): { reference: string | null; method: PaymentMethod | null; spans: Span[] } {
  let reference: string | null = null;
  let method: PaymentMethod | null = null;
  const spans: Span[] = [];
  for (const { re, method: m } of REFERENCE_PATTERNS) {
    for (const match of text.matchAll(re)) {
      const ref = match[1]!.replace(/[-.]+$/, '');
      if (!/\d/.test(ref)) continue;
      if (/^INV/i.test(ref) || invoiceNumbers.some((n) => n.toLowerCase() === ref.toLowerCase())) continue;
      const start = match.index! + match[0].lastIndexOf(match[1]!);
      spans.push({ start, end: start + match[1]!.length });
      if (reference === null) {
        reference = ref;
        if (m) method = m;
      }
    }
  }
  if (method === null) method = METHOD_WORDS.find((w) => w.re.test(text))?.method ?? null;
  return { reference, method, spans };
}
