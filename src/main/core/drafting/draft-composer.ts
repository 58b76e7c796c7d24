// Writes a draft's text by template or by the AI, and keeps track of the AI runs in flight so a
// cancel (or shutdown) stops them. Any AI failure but the owner's own cancel falls back to the
// template, with a notice saying why.
import { SettleError } from '../../../shared/errors';
import type { EventHub } from '../events';
import type { Logger } from '../ports';
import { composeFromTemplate, composeWithAi, type ComposedDraft } from './compose';
import type { DraftFacts } from './facts';
import type { LlmClient } from './llm';
import { LlmError } from './llm';
import type { StoredTemplates } from './templates.service';

export type ComposeMode = 'auto' | 'template' | 'ai';

export interface ComposerDeps {
  events: EventHub;
  logger: Logger;
  /** The owner's templates, read at each draft. */
  templates(): StoredTemplates;
  /** The configured AI client, or null when AI is off. */
  llmClient(): LlmClient | null;
}

export class DraftComposer {
  /** In-flight AI drafting per draft, so a cancel (or shutdown) stops it. */
  private readonly inflight = new Map<number, AbortController>();

  constructor(private readonly deps: ComposerDeps) {}

  /** The template's text for these facts (what a new draft holds while the AI writes). */
  fromTemplate(facts: DraftFacts): ComposedDraft {
    return composeFromTemplate(facts, this.deps.templates());
  }

  /** Whether the AI is still writing this draft. */
  isWriting(draftId: number): boolean {
    return this.inflight.has(draftId);
  }

  /** Stops the AI writing this draft, if it is. */
  abort(draftId: number): void {
    this.inflight.get(draftId)?.abort();
  }

  abortAll(): void {
    for (const c of this.inflight.values()) c.abort();
  }

  /**
   * Composes by template or AI. The caller has stored the template text first, so the draft
   * exists (and has an id for drafts.token) while the AI streams; any AI failure keeps the
   * template with a notice. The owner's cancel throws a conflict.
   */
  async compose(id: number, facts: DraftFacts, mode: ComposeMode): Promise<{ draft: ComposedDraft; notice: string | null }> {
    const templates = this.deps.templates();
    const fromTemplate = composeFromTemplate(facts, templates);
    if (mode === 'template') return { draft: fromTemplate, notice: null };
    const client = this.deps.llmClient();
    if (!client) {
      return {
        draft: fromTemplate,
        notice: mode === 'ai' ? 'AI drafting is off (Settings → AI), so this reminder was drafted from your template.' : null,
      };
    }
    const controller = new AbortController();
    this.inflight.set(id, controller);
    try {
      const draft = await composeWithAi(facts, client, {
        templates,
        signal: controller.signal,
        onToken: (delta, partial) =>
          this.deps.events.emit('drafts.token', { draftId: id, customerId: facts.customer.id, delta, subject: partial.subject ?? '', body: partial.body }),
      });
      return { draft, notice: null };
    } catch (err) {
      if (!(err instanceof LlmError)) throw err;
      if (err.kind === 'aborted') throw new SettleError('conflict', 'Drafting was cancelled.');
      this.deps.logger.warn('AI drafting failed; using the template', { kind: err.kind, status: err.status });
      return { draft: fromTemplate, notice: `${err.message} This reminder was drafted from your template instead.` };
    } finally {
      this.inflight.delete(id);
    }
  }
}
