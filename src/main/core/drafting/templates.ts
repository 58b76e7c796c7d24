// Template drafting: what Settle writes with no AI configured, and the baseline the AI is
// compared against. Templates are editable in Settings, so the renderer is deliberately small:
// `{{name}}` inserts a value as text, `{{#name}}…{{/name}}` keeps a block only when the value is
// non-empty and `{{^name}}…{{/name}}` only when it is empty. No expressions, no code, no
// recursion: an inserted value is never scanned again, so a customer named "{{pay.link}}" stays
// that literal text. Unknown placeholders are refused when a template is saved.
import type { IsoDate } from '../../../shared/dates';
import type { DraftFacts, FactApplication, FactInvoice, FactPromise } from './facts';
import { day, money } from './locale';
import { TONES, type Tone } from './tone';

export { defaultTone, TONES, TONE_LABELS, type Tone, type ToneChoice, type ReminderHistory } from './tone';

export interface TemplateText {
  subject: string;
  body: string;
}
export type TemplateSet = Record<Tone, TemplateText>;

export interface RenderedDraft {
  subject: string;
  body: string;
}

export interface Placeholder {
  name: string;
  description: string;
}

/** Everything a template may use, with the help text Settings shows. */
export const PLACEHOLDERS: readonly Placeholder[] = [
  { name: 'customer.name', description: "The customer's name in the ledger" },
  { name: 'customer.contact', description: 'The contact person, or the customer name when there is none' },
  { name: 'company.name', description: 'Your company name' },
  { name: 'invoice.label', description: '"invoice INV-1042" or "invoices INV-1042 and INV-1043" (or "5 invoices")' },
  { name: 'invoice.numbers', description: 'All invoice numbers, comma-separated' },
  { name: 'invoice.count', description: 'How many invoices the reminder covers' },
  { name: 'invoice.list', description: 'One line per invoice: number, dates, days overdue, balance' },
  { name: 'invoice.number', description: 'The oldest invoice’s number' },
  { name: 'invoice.issue_date', description: 'The oldest invoice’s issue date' },
  { name: 'invoice.due_date', description: 'The oldest invoice’s due date' },
  { name: 'invoice.total', description: 'The oldest invoice’s total' },
  { name: 'invoice.balance', description: 'The oldest invoice’s open balance' },
  { name: 'days.overdue', description: 'Days past due of the oldest invoice' },
  { name: 'total.overdue', description: 'Open balance of the invoices covered, per currency' },
  { name: 'payments.list', description: 'Payments received on these invoices, one per line (may be empty)' },
  { name: 'credits.list', description: 'Credits applied to these invoices, one per line (may be empty)' },
  { name: 'promises.list', description: 'Promises to pay on record, one per line (may be empty)' },
  { name: 'plan.schedule', description: 'A proposed payment plan, one instalment per line (empty unless proposing one)' },
  { name: 'pay.link', description: 'The online payment link (may be empty)' },
  { name: 'today', description: "Today's date" },
];
const KNOWN = new Set(PLACEHOLDERS.map((p) => p.name));

/** Longest subject and body a template (or an edited draft) may have. */
export const MAX_SUBJECT_CHARS = 200;
export const MAX_BODY_CHARS = 20_000;

const SECTIONS = `{{#payments.list}}

Thank you for the payments received so far:
{{payments.list}}
{{/payments.list}}
{{#credits.list}}

Credits already applied:
{{credits.list}}
{{/credits.list}}
{{#promises.list}}

Payment you told us to expect:
{{promises.list}}
{{/promises.list}}
{{#plan.schedule}}

We can spread the balance over a payment plan:
{{plan.schedule}}
{{/plan.schedule}}
{{#pay.link}}

You can pay online here: {{pay.link}}
{{/pay.link}}`;

export const DEFAULT_TEMPLATES: Readonly<TemplateSet> = Object.freeze({
  friendly: {
    subject: 'Friendly reminder: {{invoice.label}} from {{company.name}}',
    body: `Hi {{customer.contact}},

I hope all is well. This is a friendly reminder that we have not yet received payment for the following:

{{invoice.list}}

Total due: {{total.overdue}}
${SECTIONS}

If you have already sent payment, thank you, and please ignore this note. If anything is unclear, just reply to this email.

Best regards,
{{company.name}}`,
  },
  firm: {
    subject: 'Payment overdue: {{invoice.label}}',
    body: `Dear {{customer.contact}},

Our records show that the following remains unpaid past its due date:

{{invoice.list}}

The total of {{total.overdue}} is now overdue. Please arrange payment within the next 7 days, or reply to let us know when we can expect it.
${SECTIONS}

If there is a problem with any of these invoices, please tell us so we can resolve it.

Regards,
{{company.name}}`,
  },
  final: {
    subject: 'Final notice: {{invoice.label}} overdue',
    body: `Dear {{customer.contact}},

This is a final notice about the following overdue balance:

{{invoice.list}}

Total overdue: {{total.overdue}}
${SECTIONS}

Please pay the full amount within 7 days, or contact us today to agree a payment date. If we do not hear from you, we will have to consider further steps to recover the amount owed.

{{company.name}}`,
  },
});

// ---- parsing ---------------------------------------------------------------------------------

type Node =
  | { type: 'text'; text: string }
  | { type: 'var'; name: string }
  | { type: 'section'; name: string; inverted: boolean; children: Node[] };

export interface TemplateIssue {
  field: 'subject' | 'body';
  /** Offsets in the field's text, for the settings editor to underline. */
  start: number;
  end: number;
  message: string;
}

class TemplateSyntaxError extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
    message: string,
  ) {
    super(message);
  }
}

const TAG = /\{\{\s*([#^/]?)\s*([^{}]*?)\s*\}\}/g;

/** Parses one field; throws TemplateSyntaxError at the first problem. */
function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[]; start: number; end: number }[] = [];
  const out = (): Node[] => stack[stack.length - 1]?.children ?? root;
  let pos = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(source); m; m = TAG.exec(source)) {
    const [whole, sigil = '', rawName = ''] = m;
    let start = m.index;
    let end = start + whole.length;
    const stray = source.slice(pos, start).search(/\{\{|\}\}/);
    if (stray >= 0) throw new TemplateSyntaxError(pos + stray, pos + stray + 2, 'Unbalanced braces: write placeholders as {{name}}');
    const name = rawName.trim();
    if (!KNOWN.has(name)) {
      throw new TemplateSyntaxError(start, end, name ? `Unknown placeholder {{${name}}}` : 'Empty placeholder {{}}');
    }
    // A section tag alone on its line takes the line with it, so templates can stay readable.
    if (sigil) {
      const lineStart = source.lastIndexOf('\n', start - 1) + 1;
      const nl = source.indexOf('\n', end);
      const lineEnd = nl === -1 ? source.length : nl;
      if (source.slice(lineStart, start).trim() === '' && source.slice(end, lineEnd).trim() === '') {
        start = lineStart;
        end = nl === -1 ? source.length : nl + 1;
      }
    }
    if (start > pos) out().push({ type: 'text', text: source.slice(pos, start) });
    if (sigil === '') out().push({ type: 'var', name });
    else if (sigil === '/') {
      const open = stack.pop();
      if (!open) throw new TemplateSyntaxError(m.index, m.index + whole.length, `{{/${name}}} closes nothing`);
      if (open.name !== name) {
        throw new TemplateSyntaxError(m.index, m.index + whole.length, `{{/${name}}} closes {{#${open.name}}}: close the inner block first`);
      }
    } else {
      const section: Node = { type: 'section', name, inverted: sigil === '^', children: [] };
      out().push(section);
      stack.push({ name, children: section.children, start: m.index, end: m.index + whole.length });
    }
    pos = end;
  }
  const stray = source.slice(pos).search(/\{\{|\}\}/);
  if (stray >= 0) throw new TemplateSyntaxError(pos + stray, pos + stray + 2, 'Unbalanced braces: write placeholders as {{name}}');
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateSyntaxError(unclosed.start, unclosed.end, `{{#${unclosed.name}}} is never closed with {{/${unclosed.name}}}`);
  if (pos < source.length) root.push({ type: 'text', text: source.slice(pos) });
  return root;
}

function issuesOf(field: 'subject' | 'body', source: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  try {
    parse(source);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    issues.push({ field, start: err.start, end: err.end, message: err.message });
  }
  return issues;
}

/** Problems that stop a template from being saved; empty when it is fine. */
export function validateTemplate(t: TemplateText): TemplateIssue[] {
  const issues = [...issuesOf('subject', t.subject), ...issuesOf('body', t.body)];
  const nl = t.subject.search(/[\r\n]/);
  if (nl >= 0) issues.push({ field: 'subject', start: nl, end: nl + 1, message: 'The subject must be one line' });
  if (t.subject.trim() === '') issues.push({ field: 'subject', start: 0, end: 0, message: 'The subject is empty' });
  if (t.body.trim() === '') issues.push({ field: 'body', start: 0, end: 0, message: 'The body is empty' });
  if (t.subject.length > MAX_SUBJECT_CHARS) {
    issues.push({ field: 'subject', start: MAX_SUBJECT_CHARS, end: t.subject.length, message: `The subject is longer than ${MAX_SUBJECT_CHARS} characters` });
  }
  if (t.body.length > MAX_BODY_CHARS) {
    issues.push({ field: 'body', start: MAX_BODY_CHARS, end: t.body.length, message: `The body is longer than ${MAX_BODY_CHARS} characters` });
  }
  return issues;
}

/** Owner templates over the defaults; a stored template that no longer validates is ignored. */
export function resolveTemplates(stored?: Partial<Record<Tone, TemplateText>> | null): TemplateSet {
  const out = { ...DEFAULT_TEMPLATES } as TemplateSet;
  for (const tone of TONES) {
    const t = stored?.[tone];
    if (t && typeof t.subject === 'string' && typeof t.body === 'string' && validateTemplate(t).length === 0) out[tone] = t;
  }
  return out;
}

// ---- values ------------------------------------------------------------------------------------

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function dueNote(days: number): string {
  if (days > 0) return `${days} ${days === 1 ? 'day' : 'days'} overdue`;
  return days === 0 ? 'due today' : 'not yet due';
}

function invoiceLine(inv: FactInvoice, locale: string): string {
  const amount =
    inv.balanceCents === inv.totalCents
      ? `amount due ${money(inv.balanceCents, inv.currency, locale)}`
      : `balance ${money(inv.balanceCents, inv.currency, locale)} of ${money(inv.totalCents, inv.currency, locale)}`;
  return `• ${inv.number}: issued ${day(inv.issueDate, locale)}, due ${day(inv.dueDate, locale)} (${dueNote(inv.daysOverdue)}), ${amount}`;
}

function applicationLine(a: FactApplication, what: 'payment' | 'credit', locale: string): string {
  const amount = money(a.cents, a.currency, locale);
  return what === 'payment'
    ? `• ${day(a.date, locale)}: ${amount} received for ${a.invoiceNumber}`
    : `• ${day(a.date, locale)}: credit of ${amount} applied to ${a.invoiceNumber}`;
}

/** A promise, and on a broken-promise follow-up what arrived by its deadline (so the template says it was missed). */
function promiseLine(p: FactPromise, locale: string): string {
  const line = `• ${money(p.cents, p.currency, locale)} by ${day(p.date, locale)}`;
  const o = p.outcome;
  if (!o) return line;
  const received = o.paidByDeadlineCents > 0 ? `only ${money(o.paidByDeadlineCents, p.currency, locale)} received` : 'nothing received';
  return `${line}: missed, ${received} by ${day(o.deadline, locale)}`;
}

/** Every placeholder's text for these facts, figures formatted for the facts' locale. */
export function placeholderValues(facts: DraftFacts): Record<string, string> {
  const { locale } = facts;
  const first = facts.invoices[0];
  const numbers = facts.invoices.map((i) => i.number);
  const plural = numbers.length > 1;
  const label =
    numbers.length > 3 ? `${numbers.length} invoices` : `${plural ? 'invoices' : 'invoice'} ${joinAnd(numbers)}`;
  const date = (d: IsoDate | undefined): string => (d ? day(d, locale) : '');
  return {
    'customer.name': facts.customer.name,
    'customer.contact': facts.customer.contactName ?? facts.customer.name,
    'company.name': facts.company.name,
    'invoice.label': label,
    'invoice.numbers': numbers.join(', '),
    'invoice.count': String(numbers.length),
    'invoice.list': facts.invoices.map((i) => invoiceLine(i, locale)).join('\n'),
    'invoice.number': first?.number ?? '',
    'invoice.issue_date': date(first?.issueDate),
    'invoice.due_date': date(first?.dueDate),
    'invoice.total': first ? money(first.totalCents, first.currency, locale) : '',
    'invoice.balance': first ? money(first.balanceCents, first.currency, locale) : '',
    'days.overdue': first ? String(Math.max(0, first.daysOverdue)) : '',
    'total.overdue': joinAnd(facts.totals.map((t) => money(t.balanceCents, t.currency, locale))),
    'payments.list': facts.payments.map((p) => applicationLine(p, 'payment', locale)).join('\n'),
    'credits.list': facts.credits.map((c) => applicationLine(c, 'credit', locale)).join('\n'),
    'promises.list': facts.promises.map((p) => promiseLine(p, locale)).join('\n'),
    'plan.schedule': facts.plan
      ? facts.plan.instalments.map((i) => `• ${money(i.cents, facts.plan!.currency, locale)} on ${day(i.date, locale)}`).join('\n')
      : '',
    'pay.link': facts.payLink ?? '',
    today: day(facts.asOf, locale),
  };
}

function renderNodes(nodes: readonly Node[], values: Record<string, string>): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += n.text;
    else if (n.type === 'var') out += values[n.name] ?? '';
    else if ((values[n.name] ?? '') !== '' !== n.inverted) out += renderNodes(n.children, values);
  }
  return out;
}

/** One line, no control characters, collapsed spaces, at most MAX_SUBJECT_CHARS. */
export function cleanSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const flat = subject.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SUBJECT_CHARS ? `${flat.slice(0, MAX_SUBJECT_CHARS - 1).trimEnd()}…` : flat;
}

/** Tidies a rendered or generated body: LF line ends, no trailing spaces, at most one blank line in a row. */
export function cleanBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Renders a template; throws (invalid_input-worthy) on a template that does not validate. */
export function renderTemplate(template: TemplateText, facts: DraftFacts): RenderedDraft {
  const issues = validateTemplate(template);
  if (issues.length > 0) throw new Error(`Template ${issues[0]!.field}: ${issues[0]!.message}`);
  const values = placeholderValues(facts);
  return {
    subject: cleanSubject(renderNodes(parse(template.subject), values)),
    body: cleanBody(renderNodes(parse(template.body), values)),
  };
}

/** The template draft for the facts' tone, from the owner's templates over the defaults. */
export function renderDraft(facts: DraftFacts, templates?: Partial<Record<Tone, TemplateText>> | null): RenderedDraft {
  return renderTemplate(resolveTemplates(templates)[facts.tone], facts);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The HTML part of an email from its plain-text body: every character escaped, paragraphs on
 * blank lines, <br> within them. No links or markup survive; mail clients link URLs themselves.
 */
export function toHtml(body: string): string {
  const paragraphs = cleanBody(body)
    .split(/\n{2,}/)
    .filter((p) => p !== '')
    .map((p) => `<p>${p.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/\n/g, '<br>\n')}</p>`);
  return paragraphs.join('\n');
}
