// Drafting wired into the core (issue 5): drafts.* (create by template or AI with streamed
// tokens, edit with a re-run fact-check, regenerate, cancel, submit for approval, the outbox
// toggles), with ai.* (ai-settings.service.ts: Settings → AI; the key is write-only and lives in
// the SecretStore) and templates.* (templates.service.ts: Settings → Templates) alongside. The
// pure pieces live next to it (facts, compose, factcheck, templates, llm); storage is drafts.repo.ts.
// Every creation, edit, submit, override and cancel is audited; the API key never reaches SQLite,
// the audit log, a result or an event.
import type { ParsedInput } from '../../../shared/contract';
import { SettleError } from '../../../shared/errors';
import type { DraftCheckView, DraftStatus, DraftView } from '../../../shared/model';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Hooks } from '../hooks';
import { getCustomerInfo } from '../ledger';
import type { Clock, Logger, SecretStore } from '../ports';
import { getSettings } from '../settings';
import { AiSettingsService } from './ai-settings.service';
import { checkEdit, type ComposedDraft } from './compose';
import { DraftComposer } from './draft-composer';
import { diffSummary, findingsOf, toView } from './draft-view';
import {
  draftsOfConnection,
  draftsOfCustomer,
  getDraft,
  insertDraft,
  openDraftIds,
  setDraftOptions,
  setDraftStatus,
  writeDraftText,
  type Draft,
  type DraftText,
} from './drafts.repo';
import { factCheckDraft } from './factcheck';
import { loadFacts, type DraftFacts, type FactPlan, type FactPromise, type FactsTarget } from './facts';
import { cleanBody, cleanSubject } from './templates';
import { TemplatesService } from './templates.service';
import type { Tone } from './tone';

/** Drafts listed at most per call. */
const LIST_LIMIT = 200;

export interface DraftingDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** draftSubmitted runs after a submit commits (an auto-send rule may approve the draft at once). */
  hooks?: Hooks;
  secrets: SecretStore;
  events: EventHub;
  env?: Record<string, string | undefined>;
  /** The owner's calendar date now. */
  today(): string;
  /** The company the board shows (for drafts.list without a customer); null when there is none. */
  activeConnectionId(): string | null;
  /** For tests: the fetch the AI client uses. */
  fetch?: typeof fetch;
}

const EDITABLE: ReadonlySet<DraftStatus> = new Set(['draft', 'pending_approval']);

/** Extra facts a follow-up draft carries: the promise it follows up, or the plan it proposes (issue #6). */
export interface DraftExtras {
  promises?: readonly FactPromise[];
  plan?: FactPlan | null;
}

/** "This draft is pending approval and cannot be submitted": why a draft refuses an action. */
function refuse(status: DraftStatus, what: string): never {
  throw new SettleError('conflict', `This draft is ${status.replace('_', ' ')} and ${what}`);
}

/** A composed text with the facts it was written from, as the repo stores it. */
function textOf(facts: DraftFacts, d: ComposedDraft): DraftText {
  return {
    tone: d.tone,
    subject: d.subject,
    body: d.body,
    source: d.source,
    model: d.model,
    promptVersion: d.promptVersion,
    facts,
    factsHash: d.factsHash,
    factcheck: d.factcheck,
    toEmail: d.to,
  };
}

function provenance(d: ComposedDraft) {
  return { source: d.source, model: d.model, promptVersion: d.promptVersion, factsHash: d.factsHash, tone: d.tone, flagged: d.factcheck.flagged };
}

export class DraftingService {
  readonly handlers: HandlerGroup[];
  private readonly ai: AiSettingsService;
  private readonly templates: TemplatesService;
  private readonly composer: DraftComposer;

  constructor(private readonly deps: DraftingDeps) {
    const { db, clock, logger, secrets, events } = deps;
    this.ai = new AiSettingsService({ db, clock, logger, secrets, env: deps.env ?? {}, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    this.templates = new TemplatesService({ db, clock });
    this.composer = new DraftComposer({ events, logger, templates: () => this.templates.stored(), llmClient: () => this.ai.client() });
    this.handlers = [this.draftHandlers(), this.ai.handlers, this.templates.handlers];
  }

  /** drafts.create: a fresh draft from the ledger's current facts. */
  create(input: ParsedInput<'drafts.create'>): Promise<DraftView> {
    return this.createDraft(input, {});
  }

  /** drafts.create with extra facts the fact-check accepts (follow-up's plans and broken promises). */
  createWith(input: ParsedInput<'drafts.create'>, extras: DraftExtras): Promise<DraftView> {
    return this.createDraft(input, extras);
  }

  /** drafts.get. */
  get(draftId: number): DraftView {
    return this.view(draftId);
  }

  /** Stops every AI draft being written (shutdown). */
  abortAll(): void {
    this.composer.abortAll();
  }

  private draftHandlers(): HandlerGroup {
    return defineHandlers('drafts', {
      create: (input) => this.create(input),
      get: ({ draftId }) => this.view(draftId),
      list: (input = {}) => this.list(input),
      check: ({ draftId, subject, body }) => this.check(draftId, { subject, body }),
      update: ({ draftId, subject, body }) => this.update(draftId, { subject, body }),
      regenerate: ({ draftId, tone, mode }) => this.regenerate(draftId, tone, mode),
      cancel: ({ draftId }) => this.cancel(draftId),
      submit: ({ draftId, overrideReason }) => this.submit(draftId, overrideReason),
      setOptions: ({ draftId, payLink, attachPdf }) => this.setOptions(draftId, payLink, attachPdf),
    });
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  private require(draftId: number): Draft {
    const d = getDraft(this.deps.db, draftId);
    if (!d) throw new SettleError('not_found', `No draft ${draftId}`);
    return d;
  }

  private view(draftId: number, notice?: string | null): DraftView {
    return toView(this.require(draftId), notice);
  }

  private factsFor(target: FactsTarget, tone?: Tone, extras: DraftExtras = {}): DraftFacts {
    const { db } = this.deps;
    return loadFacts(db, target, this.deps.today(), { locale: getSettings(db).locale, ...(tone ? { tone } : {}), ...extras });
  }

  /**
   * Stores new text as a 'draft' if the draft is still `from` (compare-and-set); a draft that was
   * approved, cancelled or superseded meanwhile (while the AI wrote) is refused, not revived.
   */
  private writeText(draftId: number, from: DraftStatus, text: DraftText, what: string): void {
    if (!writeDraftText(this.deps.db, draftId, from, 'draft', text, this.nowIso())) refuse(this.require(draftId).status, what);
  }

  // ---- create ---------------------------------------------------------------------------------------

  private async createDraft(input: ParsedInput<'drafts.create'>, extras: DraftExtras): Promise<DraftView> {
    const { db, clock } = this.deps;
    const target: FactsTarget = 'invoiceId' in input ? { invoiceId: input.invoiceId } : { customerId: input.customerId };
    const facts = this.factsFor(target, input.tone, extras);
    const found = getCustomerInfo(db, facts.customer.id);
    if (!found) throw new SettleError('not_found', `No customer ${facts.customer.id}`);
    const { id, superseded } = this.insertFirst(found.connectionId, facts);
    let result: Awaited<ReturnType<DraftComposer['compose']>>;
    try {
      result = await this.composer.compose(id, facts, input.mode ?? 'auto');
    } catch (err) {
      setDraftStatus(db, id, 'draft', 'failed', this.nowIso(), null);
      throw err;
    }
    db.transaction(() => {
      this.writeText(id, 'draft', textOf(facts, result.draft), 'can no longer be written');
      appendAudit(db, clock, {
        actor: 'owner',
        action: 'draft.create',
        entity: 'draft',
        entityId: id,
        detail: {
          customerId: facts.customer.id,
          scope: facts.scope,
          invoices: facts.invoices.map((i) => i.number),
          ...provenance(result.draft),
          ...(result.notice ? { fallback: result.notice } : {}),
          ...(superseded.length ? { superseded } : {}),
        },
      });
    })();
    return this.view(id, result.notice);
  }

  /** Stores the template's text first, so the row exists (with an id) before any AI streaming starts. */
  private insertFirst(connectionId: string, facts: DraftFacts): { id: number; superseded: number[] } {
    const { db } = this.deps;
    const invoiceId = facts.scope === 'invoice' ? facts.invoices[0]!.id : null;
    const first = this.composer.fromTemplate(facts);
    const at = this.nowIso();
    return db.transaction(() => {
      // An open draft about the same thing is superseded by this one.
      const older = openDraftIds(db, facts.customer.id, facts.scope, invoiceId);
      for (const o of older) setDraftStatus(db, o, 'draft', 'superseded', at, null);
      const draft = { connectionId, customerId: facts.customer.id, scope: facts.scope, invoiceId, ...textOf(facts, first) };
      const id = insertDraft(db, draft, facts.invoices.map((i) => i.id), at);
      if (id === undefined) throw new SettleError('internal', 'Could not store the draft');
      return { id, superseded: older };
    })();
  }

  // ---- reading and checking ---------------------------------------------------------------------------

  private list(input: NonNullable<ParsedInput<'drafts.list'>>): DraftView[] {
    const { db } = this.deps;
    const status = input.status ?? null;
    if (input.customerId !== undefined) return draftsOfCustomer(db, input.customerId, status, LIST_LIMIT).map((d) => toView(d));
    const connectionId = this.deps.activeConnectionId();
    const drafts = connectionId === null ? [] : draftsOfConnection(db, connectionId, status, LIST_LIMIT);
    return drafts.map((d) => toView(d));
  }

  private check(draftId: number, text: { subject: string; body: string }): DraftCheckView {
    const check = factCheckDraft(text, this.require(draftId).facts);
    return { findings: findingsOf(check), flagged: check.flagged };
  }

  // ---- changing the text ----------------------------------------------------------------------------

  private update(draftId: number, input: { subject: string; body: string }): DraftView {
    const { db, clock } = this.deps;
    const d = this.require(draftId);
    if (!EDITABLE.has(d.status)) refuse(d.status, 'can no longer be edited');
    const problems = checkEdit(input);
    if (problems.length > 0) throw new SettleError('invalid_input', problems.map((p) => p.message).join('; '));
    const text = { subject: cleanSubject(input.subject), body: cleanBody(input.body) };
    if (text.subject === d.subject && text.body === d.body) return toView(d);
    const check = factCheckDraft(text, d.facts);
    const edited: DraftText = { ...text, tone: d.tone, source: 'user', model: d.model, promptVersion: d.promptVersion, facts: d.facts, factsHash: d.factsHash, factcheck: check, toEmail: d.toEmail };
    db.transaction(() => {
      // An edit after submitting takes the draft back out of the approval queue.
      this.writeText(draftId, d.status, edited, 'can no longer be edited');
      appendAudit(db, clock, {
        actor: 'owner',
        action: 'draft.edit',
        entity: 'draft',
        entityId: draftId,
        detail: {
          subject: diffSummary(d.subject, text.subject),
          body: diffSummary(d.body, text.body),
          flaggedBefore: d.flagged,
          flaggedAfter: check.flagged,
          ...(d.status !== 'draft' ? { statusBefore: d.status } : {}),
        },
      });
    })();
    return this.view(draftId);
  }

  private async regenerate(draftId: number, tone?: Tone, mode?: 'auto' | 'template' | 'ai'): Promise<DraftView> {
    const { db, clock } = this.deps;
    const d = this.require(draftId);
    if (!EDITABLE.has(d.status)) refuse(d.status, 'can no longer be rewritten');
    if (this.composer.isWriting(draftId)) throw new SettleError('conflict', 'This draft is still being written');
    const target: FactsTarget = d.scope === 'invoice' && d.invoiceId !== null ? { invoiceId: d.invoiceId } : { customerId: d.customerId };
    // A follow-up or plan proposal keeps the promise or plan it was drafted about.
    const old = d.facts;
    const facts = this.factsFor(target, tone ?? d.tone, { promises: old.promises, ...(old.plan ? { plan: old.plan } : {}) });
    const previous = mode ?? (d.source === 'template' ? 'template' : 'auto');
    const result = await this.composer.compose(draftId, facts, previous);
    db.transaction(() => {
      this.writeText(draftId, d.status, textOf(facts, result.draft), 'can no longer be rewritten');
      appendAudit(db, clock, {
        actor: 'owner',
        action: 'draft.regenerate',
        entity: 'draft',
        entityId: draftId,
        detail: { ...provenance(result.draft), factsHashBefore: d.factsHash, toneBefore: d.tone, ...(result.notice ? { fallback: result.notice } : {}) },
      });
    })();
    return this.view(draftId, result.notice);
  }

  // ---- status -----------------------------------------------------------------------------------------

  private cancel(draftId: number): DraftView {
    const { db, clock } = this.deps;
    const d = this.require(draftId);
    if (d.status === 'cancelled') return toView(d);
    if (!EDITABLE.has(d.status)) refuse(d.status, 'cannot be cancelled');
    this.composer.abort(draftId);
    db.transaction(() => {
      if (!setDraftStatus(db, draftId, d.status, 'cancelled', this.nowIso())) refuse(this.require(draftId).status, 'cannot be cancelled');
      appendAudit(db, clock, { actor: 'owner', action: 'draft.cancel', entity: 'draft', entityId: draftId, detail: { statusBefore: d.status } });
    })();
    return this.view(draftId);
  }

  /** Why a draft cannot be submitted as it is; null when it can. */
  private submitProblem(d: Draft, overrideReason: string | undefined): string | null {
    if (d.status !== 'draft') return `This draft is ${d.status.replace('_', ' ')} and cannot be submitted`;
    if (this.composer.isWriting(d.id)) return 'This draft is still being written';
    if (!d.toEmail) {
      return `${d.facts.customer.name} has no email address in the ledger, so this reminder cannot be sent by email. Add one in your accounting software and sync, then draft again.`;
    }
    if (d.flagged > 0 && !overrideReason) {
      return `${d.flagged === 1 ? '1 figure does' : `${d.flagged} figures do`} not match the ledger. Fix ${d.flagged === 1 ? 'it' : 'them'}, or submit anyway with a reason.`;
    }
    return null;
  }

  private submit(draftId: number, overrideReason: string | undefined): DraftView {
    const { db, clock } = this.deps;
    const d = this.require(draftId);
    if (d.status === 'pending_approval') return toView(d);
    const problem = this.submitProblem(d, overrideReason);
    if (problem !== null) throw new SettleError('conflict', problem);
    const reason = d.flagged > 0 ? (overrideReason ?? null) : null;
    db.transaction(() => {
      if (!setDraftStatus(db, draftId, 'draft', 'pending_approval', this.nowIso(), reason)) refuse(this.require(draftId).status, 'cannot be submitted');
      if (reason) {
        appendAudit(db, clock, {
          actor: 'owner',
          action: 'draft.override',
          entity: 'draft',
          entityId: draftId,
          detail: { flagged: d.flagged, reason, factsHash: d.factsHash },
        });
      }
      appendAudit(db, clock, {
        actor: 'owner',
        action: 'draft.submit',
        entity: 'draft',
        entityId: draftId,
        detail: { channel: d.channel, to: d.toEmail, flagged: d.flagged, overrideReason: reason, source: d.source, factsHash: d.factsHash },
      });
    })();
    this.deps.hooks?.run('draftSubmitted', { draftId });
    return this.view(draftId);
  }

  private setOptions(draftId: number, payLink: boolean | undefined, attachPdf: boolean | undefined): DraftView {
    const { db, clock } = this.deps;
    const d = this.require(draftId);
    if (!EDITABLE.has(d.status)) refuse(d.status, 'can no longer be changed');
    const pay = payLink ?? d.payLink;
    const pdf = attachPdf ?? d.attachPdf;
    if (pay !== d.payLink || pdf !== d.attachPdf) {
      db.transaction(() => {
        setDraftOptions(db, draftId, pay, pdf, this.nowIso());
        appendAudit(db, clock, { actor: 'owner', action: 'draft.options', entity: 'draft', entityId: draftId, detail: { payLink: pay, attachPdf: pdf } });
      })();
    }
    return this.view(draftId);
  }
}

export function createDraftingService(deps: DraftingDeps): DraftingService {
  return new DraftingService(deps);
}
