// One draft from facts: by template or by the AI, with its provenance (source, model, prompt
// version, facts hash) and its fact-check, ready to be stored in `drafts` and audited. The
// recipient is taken from the facts (the ledger), never from the text or the model.
import type { DraftFacts } from './facts';
import { factsHash } from './facts';
import { buildFactIndex, factCheckDraft, type DraftCheck, type FactIndex } from './factcheck';
import type { DraftOptions, LlmClient } from './llm';
import { cleanBody, cleanSubject, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, renderDraft, type TemplateText } from './templates';
import type { Tone } from './tone';

export type DraftSource = 'ai' | 'template' | 'user';

export interface ComposedDraft {
  tone: Tone;
  subject: string;
  body: string;
  /** 'user' once the owner has edited the text. */
  source: DraftSource;
  model: string | null;
  promptVersion: string | null;
  factsHash: string;
  factcheck: DraftCheck;
  /** The customer's email from the ledger; null means the email channel is not available. */
  to: string | null;
}

function finish(facts: DraftFacts, text: { subject: string; body: string }, meta: Pick<ComposedDraft, 'source' | 'model' | 'promptVersion'>, index?: FactIndex): ComposedDraft {
  return {
    tone: facts.tone,
    subject: text.subject,
    body: text.body,
    ...meta,
    factsHash: factsHash(facts),
    factcheck: factCheckDraft(text, index ?? buildFactIndex(facts)),
    to: facts.customer.email,
  };
}

/** Template drafting: works with no AI configured. */
export function composeFromTemplate(facts: DraftFacts, templates?: Partial<Record<Tone, TemplateText>> | null): ComposedDraft {
  return finish(facts, renderDraft(facts, templates), { source: 'template', model: null, promptVersion: null });
}

/** AI drafting; throws LlmError (classified, offerTemplates) when the endpoint fails. */
export async function composeWithAi(
  facts: DraftFacts,
  llm: LlmClient,
  opts: DraftOptions & { templates?: Partial<Record<Tone, TemplateText>> | null } = {},
): Promise<ComposedDraft> {
  const fallbackSubject = opts.fallbackSubject ?? renderDraft(facts, opts.templates).subject;
  const out = await llm.draft(facts, facts.tone, { signal: opts.signal, onToken: opts.onToken, fallbackSubject });
  return finish(facts, { subject: out.subject, body: out.body }, { source: 'ai', model: out.model, promptVersion: out.promptVersion });
}

export type EditProblem = { field: 'subject' | 'body'; message: string };

/** Refuses an edit that cannot be sent (empty, multi-line subject, oversized), with a reason. */
export function checkEdit(text: { subject: string; body: string }): EditProblem[] {
  const problems: EditProblem[] = [];
  if (/[\r\n]/.test(text.subject)) problems.push({ field: 'subject', message: 'The subject must be one line' });
  if (text.subject.trim() === '') problems.push({ field: 'subject', message: 'The subject is empty' });
  if (text.subject.length > MAX_SUBJECT_CHARS) problems.push({ field: 'subject', message: `The subject is longer than ${MAX_SUBJECT_CHARS} characters` });
  if (text.body.trim() === '') problems.push({ field: 'body', message: 'The body is empty' });
  if (text.body.length > MAX_BODY_CHARS) problems.push({ field: 'body', message: `The body is longer than ${MAX_BODY_CHARS} characters` });
  return problems;
}

/** The owner's edit, re-checked against the same facts (the facts never change with an edit). */
export function applyEdit(draft: ComposedDraft, facts: DraftFacts, text: { subject: string; body: string }): ComposedDraft {
  const edited = { subject: cleanSubject(text.subject), body: cleanBody(text.body) };
  return { ...draft, ...edited, source: 'user', factcheck: factCheckDraft(edited, facts) };
}
