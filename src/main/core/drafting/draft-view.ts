// Pure: a stored draft as the contract shows it (DraftView, with its findings per field and the
// reason for its default tone), and the bounded diff an edit is audited with.
import type { DraftFinding, DraftView } from '../../../shared/model';
import type { Draft } from './drafts.repo';
import type { DraftCheck, FactCheckResult } from './factcheck';
import type { DraftFacts } from './facts';
import { defaultTone } from './tone';

export function findingsOf(check: DraftCheck): DraftFinding[] {
  const of = (field: 'subject' | 'body', r: FactCheckResult): DraftFinding[] =>
    r.findings.map((f) => ({
      field,
      kind: f.kind,
      text: f.text,
      start: f.start,
      end: f.end,
      status: f.status,
      ...(f.expected !== undefined ? { expected: f.expected } : {}),
      ...(f.note !== undefined ? { note: f.note } : {}),
    }));
  return [...of('subject', check.subject), ...of('body', check.body)];
}

function toneReasonOf(facts: DraftFacts): string {
  const maxDays = Math.max(0, ...facts.invoices.map((i) => i.daysOverdue));
  return defaultTone({ tier: facts.tier, maxDaysOverdue: maxDays }).reason;
}

function factsViewOf(facts: DraftFacts): DraftView['facts'] {
  return {
    asOf: facts.asOf,
    locale: facts.locale,
    totals: facts.totals.map((t) => ({ ...t })),
    payments: facts.payments.map((p) => ({ ...p })),
    credits: facts.credits.map((c) => ({ ...c })),
    promises: facts.promises.map((p) => ({ date: p.date, cents: p.cents, currency: p.currency })),
  };
}

export function toView(d: Draft, notice?: string | null): DraftView {
  const { facts } = d;
  return {
    id: d.id,
    connectionId: d.connectionId,
    scope: d.scope,
    customer: { id: facts.customer.id, name: facts.customer.name, email: d.toEmail },
    invoices: facts.invoices.map((i) => ({
      id: i.id,
      number: i.number,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      daysOverdue: i.daysOverdue,
      currency: i.currency,
      totalCents: i.totalCents,
      balanceCents: i.balanceCents,
    })),
    channel: d.channel,
    tone: d.tone,
    toneReason: toneReasonOf(facts),
    subject: d.subject,
    body: d.body,
    source: d.source,
    model: d.model,
    promptVersion: d.promptVersion,
    status: d.status,
    facts: factsViewOf(facts),
    findings: findingsOf(d.factcheck),
    flagged: d.flagged,
    overrideReason: d.overrideReason,
    payLink: d.payLink,
    attachPdf: d.attachPdf,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(notice !== undefined ? { notice } : {}),
  };
}

/** A short, bounded summary of what changed in one field: where, what went, what came. */
export function diffSummary(before: string, after: string, clip = 200): { at: number; removed: string; inserted: string } | null {
  if (before === after) return null;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  const cut = (s: string): string => (s.length > clip ? `${s.slice(0, clip - 1)}…` : s);
  return { at: start, removed: cut(before.slice(start, endB)), inserted: cut(after.slice(start, endA)) };
}
