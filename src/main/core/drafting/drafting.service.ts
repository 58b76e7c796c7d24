// Drafting wired into the core (issue 5): drafts.* (create by template or AI with streamed
// tokens, edit with a re-run fact-check, regenerate, cancel, submit for approval), ai.* (Settings →
// AI; the key is write-only and lives in the SecretStore) and templates.* (Settings → Templates).
// The pure pieces live in ./drafting; this module keeps their storage, audit and events together,
// like qbo.service.ts does for QuickBooks. Every creation, edit, submit, override and cancel is
// audited; the API key never reaches SQLite, the audit log, a result or an event.
import type { Hooks } from '../hooks';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { ParsedInput } from '../../../shared/contract';
import { SettleError } from '../../../shared/errors';
import type { AiSettingsView, AiTestResult, DraftFinding, DraftStatus, DraftView, TemplatesView } from '../../../shared/model';
import { appendAudit } from '../audit/log';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import { getCustomerInfo } from '../ledger/customers.repo';
import { getSetting, getSettings, setSetting } from '../settings/settings.repo';
import { AI_SETTINGS_KEY, AiSettingsSchema, llmConfigFrom, readAiSettings } from './ai-settings';
import { checkEdit, composeFromTemplate, composeWithAi, type ComposedDraft } from './compose';
import { factCheckDraft, type DraftCheck, type FactCheckResult } from './factcheck';
import { loadFacts, type DraftFacts, type FactPlan, type FactPromise, type FactsTarget } from './facts';
import { AI_KEY_NAME, createLlmClient, LlmError } from './llm';
import { CURRENT_PROMPT } from './prompts';
import { cleanBody, cleanSubject, PLACEHOLDERS, resolveTemplates, validateTemplate, type TemplateText } from './templates';
import { defaultTone, TONE_LABELS, TONES, type Tone } from './tone';
import type { EventHub } from '../events';
import type { Clock, Logger, SecretStore } from '../ports';

export const TEMPLATES_SETTING_KEY = 'drafting.templates';
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

interface DraftRow {
  id: number;
  connection_id: string;
  customer_id: number;
  scope: 'customer' | 'invoice';
  invoice_id: number | null;
  channel: 'email';
  tone: Tone;
  subject: string;
  body: string;
  source: 'ai' | 'template' | 'user';
  model: string | null;
  prompt_version: string | null;
  facts_json: string;
  facts_hash: string;
  factcheck_json: string;
  flagged: number;
  to_email: string | null;
  status: DraftStatus;
  override_reason: string | null;
  /** Migration 0005: the outbox's toggles. */
  pay_link: number;
  attach_pdf: number;
  created_at: string;
  updated_at: string;
}

const stmts = perDb((db) => ({
  insert: db
    .prepare<
      [string, number, string, number | null, string, string, string, string, string | null, string | null, string, string, string, number, string | null, string, string],
      number
    >(
      `INSERT INTO drafts (connection_id, customer_id, scope, invoice_id, tone, subject, body, source, model, prompt_version,
                           facts_json, facts_hash, factcheck_json, flagged, to_email, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  link: db.prepare<[number, number]>('INSERT OR IGNORE INTO draft_invoices (draft_id, invoice_id) VALUES (?, ?)'),
  get: db.prepare<[number], DraftRow>('SELECT * FROM drafts WHERE id = ?'),
  setText: db.prepare<{ id: number; tone: string; subject: string; body: string; source: string; model: string | null; promptVersion: string | null; factsJson: string; factsHash: string; factcheckJson: string; flagged: number; toEmail: string | null; status: string; at: string }>(
    `UPDATE drafts SET tone = @tone, subject = @subject, body = @body, source = @source, model = @model, prompt_version = @promptVersion,
            facts_json = @factsJson, facts_hash = @factsHash, factcheck_json = @factcheckJson, flagged = @flagged, to_email = @toEmail,
            status = @status, updated_at = @at
     WHERE id = @id`,
  ),
  setStatus: db.prepare<[string, string | null, string, number]>('UPDATE drafts SET status = ?, override_reason = ?, updated_at = ? WHERE id = ?'),
  setOptions: db.prepare<[number, number, string, number]>('UPDATE drafts SET pay_link = ?, attach_pdf = ?, updated_at = ? WHERE id = ?'),
  openFor: db.prepare<[number, string, number | null], number>(
    "SELECT id FROM drafts WHERE customer_id = ? AND scope = ? AND invoice_id IS ? AND status = 'draft'",
  ).pluck(),
  listByCustomer: db.prepare<[number, string | null, string | null, number], DraftRow>(
    'SELECT * FROM drafts WHERE customer_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?',
  ),
  listByConnection: db.prepare<[string, string | null, string | null, number], DraftRow>(
    'SELECT * FROM drafts WHERE connection_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?',
  ),
}));

function findingsOf(check: DraftCheck): DraftFinding[] {
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

function toView(row: DraftRow, notice?: string | null): DraftView {
  const facts = JSON.parse(row.facts_json) as DraftFacts;
  const check = JSON.parse(row.factcheck_json) as DraftCheck;
  return {
    id: row.id,
    connectionId: row.connection_id,
    scope: row.scope,
    customer: { id: facts.customer.id, name: facts.customer.name, email: row.to_email },
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
    channel: row.channel,
    tone: row.tone,
    toneReason: toneReasonOf(facts),
    subject: row.subject,
    body: row.body,
    source: row.source,
    model: row.model,
    promptVersion: row.prompt_version,
    status: row.status,
    facts: {
      asOf: facts.asOf,
      locale: facts.locale,
      totals: facts.totals.map((t) => ({ ...t })),
      payments: facts.payments.map((p) => ({ ...p })),
      credits: facts.credits.map((c) => ({ ...c })),
      promises: facts.promises.map((p) => ({ date: p.date, cents: p.cents, currency: p.currency })),
    },
    findings: findingsOf(check),
    flagged: row.flagged,
    overrideReason: row.override_reason,
    payLink: row.pay_link === 1,
    attachPdf: row.attach_pdf === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
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

const EDITABLE: ReadonlySet<DraftStatus> = new Set(['draft', 'pending_approval']);

/** Extra facts a follow-up draft carries: the promise it follows up, or the plan it proposes (issue #6). */
export interface DraftExtras {
  promises?: readonly FactPromise[];
  plan?: FactPlan | null;
}

export interface DraftingService {
  handlers: HandlerGroup[];
  abortAll(): void;
  /** drafts.create: a fresh draft from the ledger's current facts. */
  create(input: ParsedInput<'drafts.create'>): Promise<DraftView>;
  /** drafts.create with extra facts the fact-check accepts (follow-up's plans and broken promises). */
  createWith(input: ParsedInput<'drafts.create'>, extras: DraftExtras): Promise<DraftView>;
  /** drafts.get. */
  get(draftId: number): DraftView;
}

export function createDraftingService(deps: DraftingDeps): DraftingService {
  const { db, clock, events, secrets } = deps;
  const env = deps.env ?? {};
  const nowIso = (): string => clock.now().toISOString();
  /** In-flight AI drafting per draft, so a cancel (or shutdown) stops it. */
  const inflight = new Map<number, AbortController>();

  const requireRow = (draftId: number): DraftRow => {
    const row = stmts(db).get.get(draftId);
    if (!row) throw new SettleError('not_found', `No draft ${draftId}`);
    return row;
  };

  const storedTemplates = (): Partial<Record<Tone, TemplateText>> => getSetting<Partial<Record<Tone, TemplateText>>>(db, TEMPLATES_SETTING_KEY) ?? {};

  const aiSettings = () => readAiSettings(getSetting(db, AI_SETTINGS_KEY));

  const llmClient = () => {
    const config = llmConfigFrom(aiSettings(), env);
    return config ? createLlmClient(config, { secrets, logger: deps.logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) }) : null;
  };

  const factsFor = (target: FactsTarget, tone?: Tone, extras: DraftExtras = {}): DraftFacts =>
    loadFacts(db, target, deps.today(), { locale: getSettings(db).locale, ...(tone ? { tone } : {}), ...extras });

  const writeText = (id: number, facts: DraftFacts, d: ComposedDraft, status: DraftStatus): void => {
    stmts(db).setText.run({
      id,
      tone: d.tone,
      subject: d.subject,
      body: d.body,
      source: d.source,
      model: d.model,
      promptVersion: d.promptVersion,
      factsJson: JSON.stringify(facts),
      factsHash: d.factsHash,
      factcheckJson: JSON.stringify(d.factcheck),
      flagged: d.factcheck.flagged,
      toEmail: d.to,
      status,
      at: nowIso(),
    });
  };

  const provenance = (d: ComposedDraft) => ({
    source: d.source,
    model: d.model,
    promptVersion: d.promptVersion,
    factsHash: d.factsHash,
    tone: d.tone,
    flagged: d.factcheck.flagged,
  });

  /**
   * Composes by template or AI. The template text is written first, so the draft exists (and has an
   * id for drafts.token) while the AI streams; any AI failure keeps the template with a notice.
   */
  const compose = async (
    id: number,
    facts: DraftFacts,
    mode: 'auto' | 'template' | 'ai',
  ): Promise<{ draft: ComposedDraft; notice: string | null }> => {
    const templates = storedTemplates();
    const fromTemplate = composeFromTemplate(facts, templates);
    if (mode === 'template') return { draft: fromTemplate, notice: null };
    const client = llmClient();
    if (!client) {
      return {
        draft: fromTemplate,
        notice: mode === 'ai' ? 'AI drafting is off (Settings → AI), so this reminder was drafted from your template.' : null,
      };
    }
    const controller = new AbortController();
    inflight.set(id, controller);
    try {
      const draft = await composeWithAi(facts, client, {
        templates,
        signal: controller.signal,
        onToken: (delta, partial) =>
          events.emit('drafts.token', { draftId: id, customerId: facts.customer.id, delta, subject: partial.subject ?? '', body: partial.body }),
      });
      return { draft, notice: null };
    } catch (err) {
      if (!(err instanceof LlmError)) throw err;
      if (err.kind === 'aborted') throw new SettleError('conflict', 'Drafting was cancelled.');
      deps.logger.warn('AI drafting failed; using the template', { kind: err.kind, status: err.status });
      return { draft: fromTemplate, notice: `${err.message} This reminder was drafted from your template instead.` };
    } finally {
      inflight.delete(id);
    }
  };

  const view = (id: number, notice?: string | null): DraftView => toView(requireRow(id), notice);

  const aiView = async (): Promise<AiSettingsView> => {
    const s = aiSettings();
    const hasKey = await secrets.get(AI_KEY_NAME).then(Boolean, () => false);
    return { ...s, hasKey, effectiveBaseURL: llmConfigFrom(s, env)?.baseURL ?? null, promptVersion: CURRENT_PROMPT.version };
  };

  const templatesView = (): TemplatesView => {
    const stored = storedTemplates();
    const resolved = resolveTemplates(stored);
    return {
      templates: TONES.map((tone) => ({
        tone,
        label: TONE_LABELS[tone],
        subject: resolved[tone].subject,
        body: resolved[tone].body,
        custom: resolved[tone] === stored[tone],
      })),
      placeholders: PLACEHOLDERS.map((p) => ({ ...p })),
    };
  };

  const create = async (input: ParsedInput<'drafts.create'>, extras: DraftExtras = {}): Promise<DraftView> => {
    const target: FactsTarget = 'invoiceId' in input ? { invoiceId: input.invoiceId } : { customerId: input.customerId };
    const facts = factsFor(target, input.tone, extras);
    const found = getCustomerInfo(db, facts.customer.id);
    if (!found) throw new SettleError('not_found', `No customer ${facts.customer.id}`);
    const invoiceId = facts.scope === 'invoice' ? facts.invoices[0]!.id : null;
    const s = stmts(db);
    // The template first: the row exists (with an id) before any AI streaming starts.
    const first = composeFromTemplate(facts, storedTemplates());
    const at = nowIso();
    const { id, superseded } = db.transaction(() => {
      const older = s.openFor.all(facts.customer.id, facts.scope, invoiceId);
      for (const o of older) s.setStatus.run('superseded', null, at, o);
      const newId = s.insert.get(
        found.connectionId,
        facts.customer.id,
        facts.scope,
        invoiceId,
        first.tone,
        first.subject,
        first.body,
        first.source,
        first.model,
        first.promptVersion,
        JSON.stringify(facts),
        first.factsHash,
        JSON.stringify(first.factcheck),
        first.factcheck.flagged,
        first.to,
        at,
        at,
      );
      if (newId === undefined) throw new SettleError('internal', 'Could not store the draft');
      for (const inv of facts.invoices) s.link.run(newId, inv.id);
      return { id: newId, superseded: older };
    })();
    let result: { draft: ComposedDraft; notice: string | null };
    try {
      result = await compose(id, facts, input.mode ?? 'auto');
    } catch (err) {
      s.setStatus.run('failed', null, nowIso(), id);
      throw err;
    }
    db.transaction(() => {
      writeText(id, facts, result.draft, 'draft');
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
    return view(id, result.notice);
  };

  const handlers: HandlerGroup[] = [
    defineHandlers('drafts', {
      create: (input) => create(input),
      get: ({ draftId }) => view(draftId),
      list: (input = {}) => {
        const status = input.status ?? null;
        if (input.customerId !== undefined) return stmts(db).listByCustomer.all(input.customerId, status, status, LIST_LIMIT).map((r) => toView(r));
        const connectionId = deps.activeConnectionId();
        const rows = connectionId === null ? [] : stmts(db).listByConnection.all(connectionId, status, status, LIST_LIMIT);
        return rows.map((r) => toView(r));
      },
      check: ({ draftId, subject, body }) => {
        const row = requireRow(draftId);
        const facts = JSON.parse(row.facts_json) as DraftFacts;
        const check = factCheckDraft({ subject, body }, facts);
        return { findings: findingsOf(check), flagged: check.flagged };
      },
      update: ({ draftId, subject, body }) => {
        const row = requireRow(draftId);
        if (!EDITABLE.has(row.status)) throw new SettleError('conflict', `This draft is ${row.status.replace('_', ' ')} and can no longer be edited`);
        const problems = checkEdit({ subject, body });
        if (problems.length > 0) throw new SettleError('invalid_input', problems.map((p) => p.message).join('; '));
        const text = { subject: cleanSubject(subject), body: cleanBody(body) };
        if (text.subject === row.subject && text.body === row.body) return toView(row);
        const facts = JSON.parse(row.facts_json) as DraftFacts;
        const check = factCheckDraft(text, facts);
        db.transaction(() => {
          writeText(
            draftId,
            facts,
            { tone: row.tone, ...text, source: 'user', model: row.model, promptVersion: row.prompt_version, factsHash: row.facts_hash, factcheck: check, to: row.to_email },
            // An edit after submitting takes the draft back out of the approval queue.
            'draft',
          );
          appendAudit(db, clock, {
            actor: 'owner',
            action: 'draft.edit',
            entity: 'draft',
            entityId: draftId,
            detail: {
              subject: diffSummary(row.subject, text.subject),
              body: diffSummary(row.body, text.body),
              flaggedBefore: row.flagged,
              flaggedAfter: check.flagged,
              ...(row.status !== 'draft' ? { statusBefore: row.status } : {}),
            },
          });
        })();
        return view(draftId);
      },
      regenerate: async ({ draftId, tone, mode }) => {
        const row = requireRow(draftId);
        if (!EDITABLE.has(row.status)) throw new SettleError('conflict', `This draft is ${row.status.replace('_', ' ')} and can no longer be rewritten`);
        if (inflight.has(draftId)) throw new SettleError('conflict', 'This draft is still being written');
        const target: FactsTarget = row.scope === 'invoice' && row.invoice_id !== null ? { invoiceId: row.invoice_id } : { customerId: row.customer_id };
        const old = JSON.parse(row.facts_json) as DraftFacts;
        // A follow-up or plan proposal keeps the promise or plan it was drafted about.
        const facts = factsFor(target, tone ?? row.tone, { promises: old.promises, ...(old.plan ? { plan: old.plan } : {}) });
        const previous = mode ?? (row.source === 'template' ? 'template' : 'auto');
        const result = await compose(draftId, facts, previous);
        db.transaction(() => {
          writeText(draftId, facts, result.draft, 'draft');
          appendAudit(db, clock, {
            actor: 'owner',
            action: 'draft.regenerate',
            entity: 'draft',
            entityId: draftId,
            detail: { ...provenance(result.draft), factsHashBefore: row.facts_hash, toneBefore: row.tone, ...(result.notice ? { fallback: result.notice } : {}) },
          });
        })();
        return view(draftId, result.notice);
      },
      cancel: ({ draftId }) => {
        const row = requireRow(draftId);
        if (row.status === 'cancelled') return toView(row);
        if (!EDITABLE.has(row.status)) throw new SettleError('conflict', `This draft is ${row.status.replace('_', ' ')} and cannot be cancelled`);
        inflight.get(draftId)?.abort();
        db.transaction(() => {
          stmts(db).setStatus.run('cancelled', row.override_reason, nowIso(), draftId);
          appendAudit(db, clock, { actor: 'owner', action: 'draft.cancel', entity: 'draft', entityId: draftId, detail: { statusBefore: row.status } });
        })();
        return view(draftId);
      },
      submit: ({ draftId, overrideReason }) => {
        const row = requireRow(draftId);
        if (row.status === 'pending_approval') return toView(row);
        if (row.status !== 'draft') throw new SettleError('conflict', `This draft is ${row.status.replace('_', ' ')} and cannot be submitted`);
        if (inflight.has(draftId)) throw new SettleError('conflict', 'This draft is still being written');
        if (!row.to_email) {
          const name = (JSON.parse(row.facts_json) as DraftFacts).customer.name;
          throw new SettleError(
            'conflict',
            `${name} has no email address in the ledger, so this reminder cannot be sent by email. Add one in your accounting software and sync, then draft again.`,
          );
        }
        if (row.flagged > 0 && !overrideReason) {
          throw new SettleError(
            'conflict',
            `${row.flagged === 1 ? '1 figure does' : `${row.flagged} figures do`} not match the ledger. Fix ${row.flagged === 1 ? 'it' : 'them'}, or submit anyway with a reason.`,
          );
        }
        const reason = row.flagged > 0 ? (overrideReason ?? null) : null;
        db.transaction(() => {
          stmts(db).setStatus.run('pending_approval', reason, nowIso(), draftId);
          if (reason) {
            appendAudit(db, clock, {
              actor: 'owner',
              action: 'draft.override',
              entity: 'draft',
              entityId: draftId,
              detail: { flagged: row.flagged, reason, factsHash: row.facts_hash },
            });
          }
          appendAudit(db, clock, {
            actor: 'owner',
            action: 'draft.submit',
            entity: 'draft',
            entityId: draftId,
            detail: { channel: row.channel, to: row.to_email, flagged: row.flagged, overrideReason: reason, source: row.source, factsHash: row.facts_hash },
          });
        })();
        deps.hooks?.run('draftSubmitted', { draftId });
        return view(draftId);
      },
      setOptions: ({ draftId, payLink, attachPdf }) => {
        const d = requireRow(draftId);
        if (d.status !== 'draft' && d.status !== 'pending_approval') {
          throw new SettleError('conflict', `This draft is ${d.status.replace('_', ' ')} and can no longer be changed`);
        }
        const pay = payLink === undefined ? d.pay_link : Number(payLink);
        const pdf = attachPdf === undefined ? d.attach_pdf : Number(attachPdf);
        if (pay !== d.pay_link || pdf !== d.attach_pdf) {
          db.transaction(() => {
            stmts(db).setOptions.run(pay, pdf, nowIso(), draftId);
            appendAudit(db, clock, { actor: 'owner', action: 'draft.options', entity: 'draft', entityId: draftId, detail: { payLink: pay === 1, attachPdf: pdf === 1 } });
          })();
        }
        return view(draftId);
      },
    }),
    defineHandlers('ai', {
      get: () => aiView(),
      set: async (patch) => {
        const merged = { ...aiSettings(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        if (merged.provider === 'compatible' && !merged.baseURL) {
          throw new SettleError('invalid_input', 'baseURL: an OpenAI-compatible server needs its base URL, e.g. http://127.0.0.1:11434/v1');
        }
        const parsed = AiSettingsSchema.safeParse(merged);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new SettleError('invalid_input', `${issue.path.join('.') || 'ai'}: ${issue.message}`);
        }
        db.transaction(() => {
          setSetting(db, AI_SETTINGS_KEY, parsed.data, nowIso());
          appendAudit(db, clock, { actor: 'owner', action: 'ai.settings', entity: 'settings', entityId: AI_SETTINGS_KEY, detail: parsed.data });
        })();
        return aiView();
      },
      setKey: async ({ key }) => {
        try {
          if (key === null) await secrets.delete(AI_KEY_NAME);
          else await secrets.set(AI_KEY_NAME, key);
        } catch {
          throw new SettleError('unavailable', 'Could not reach the system keychain to store the AI key.');
        }
        appendAudit(db, clock, { actor: 'owner', action: 'ai.key', entity: 'settings', entityId: AI_SETTINGS_KEY, detail: { stored: key !== null } });
        return aiView();
      },
      test: async (): Promise<AiTestResult> => {
        const client = llmClient();
        if (!client) return { ok: false, baseURL: null, kind: 'not_configured', message: 'AI is off: choose OpenAI or an OpenAI-compatible server first.' };
        const r = await client.testConnection();
        return r.ok
          ? { ok: true, baseURL: r.baseURL, model: r.model, models: r.models, latencyMs: r.latencyMs }
          : { ok: false, baseURL: r.baseURL, kind: r.kind, message: r.message };
      },
    }),
    defineHandlers('templates', {
      get: () => templatesView(),
      set: ({ tone, subject, body }) => {
        const issues = validateTemplate({ subject, body });
        if (issues.length > 0) {
          throw new SettleError('invalid_input', issues.map((i) => `${i.field === 'subject' ? 'Subject' : 'Body'}: ${i.message}`).join('; '));
        }
        const stored = { ...storedTemplates(), [tone]: { subject, body } };
        db.transaction(() => {
          setSetting(db, TEMPLATES_SETTING_KEY, stored, nowIso());
          appendAudit(db, clock, { actor: 'owner', action: 'template.set', entity: 'template', entityId: tone, detail: { subject, bodyChars: body.length } });
        })();
        return templatesView();
      },
      reset: ({ tone }) => {
        const stored = { ...storedTemplates() };
        if (stored[tone]) {
          delete stored[tone];
          db.transaction(() => {
            setSetting(db, TEMPLATES_SETTING_KEY, stored, nowIso());
            appendAudit(db, clock, { actor: 'owner', action: 'template.reset', entity: 'template', entityId: tone });
          })();
        }
        return templatesView();
      },
    }),
  ];

  return {
    handlers,
    create: (input) => create(input),
    createWith: (input, extras) => create(input, extras),
    get: (draftId) => view(draftId),
    abortAll: () => {
      for (const c of inflight.values()) c.abort();
    },
  };
}

