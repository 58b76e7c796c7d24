// Settings → AI (ai.*): the provider, base URL and model (a setting), the API key (write-only,
// in the SecretStore: it never reaches SQLite, the audit log, a result or an event) and the
// connection test. Drafting asks client() for the configured LLM client, or null when AI is off.
import type { ParsedInput } from '../../../shared/contract';
import { SettleError } from '../../../shared/errors';
import type { AiSettingsView, AiTestResult } from '../../../shared/model';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Clock, Logger, SecretStore } from '../ports';
import { getSetting, setSetting } from '../settings';
import { AI_SETTINGS_KEY, AiSettingsSchema, llmConfigFrom, readAiSettings, type AiSettings } from './ai-settings';
import { AI_KEY_NAME, createLlmClient, type LlmClient } from './llm';
import { CURRENT_PROMPT } from './prompts';

export interface AiSettingsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  env: Record<string, string | undefined>;
  /** For tests: the fetch the AI client uses. */
  fetch?: typeof fetch;
}

export class AiSettingsService {
  readonly handlers: HandlerGroup;

  constructor(private readonly deps: AiSettingsDeps) {
    this.handlers = defineHandlers('ai', {
      get: () => this.view(),
      set: (patch) => this.set(patch),
      setKey: ({ key }) => this.setKey(key),
      test: () => this.test(),
    });
  }

  /** The stored settings over the defaults (AI off). */
  settings(): AiSettings {
    return readAiSettings(getSetting(this.deps.db, AI_SETTINGS_KEY));
  }

  /** The configured client, or null when AI is off (template drafting). */
  client(): LlmClient | null {
    const { secrets, logger, env } = this.deps;
    const config = llmConfigFrom(this.settings(), env);
    return config ? createLlmClient(config, { secrets, logger, ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) }) : null;
  }

  private async view(): Promise<AiSettingsView> {
    const s = this.settings();
    const hasKey = await this.deps.secrets.get(AI_KEY_NAME).then(Boolean, () => false);
    return { ...s, hasKey, effectiveBaseURL: llmConfigFrom(s, this.deps.env)?.baseURL ?? null, promptVersion: CURRENT_PROMPT.version };
  }

  private async set(patch: ParsedInput<'ai.set'>): Promise<AiSettingsView> {
    const { db, clock } = this.deps;
    const merged = { ...this.settings(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    if (merged.provider === 'compatible' && !merged.baseURL) {
      throw new SettleError('invalid_input', 'baseURL: an OpenAI-compatible server needs its base URL, e.g. http://127.0.0.1:11434/v1');
    }
    const parsed = AiSettingsSchema.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SettleError('invalid_input', `${issue.path.join('.') || 'ai'}: ${issue.message}`);
    }
    db.transaction(() => {
      setSetting(db, AI_SETTINGS_KEY, parsed.data, clock.now().toISOString());
      appendAudit(db, clock, { actor: 'owner', action: 'ai.settings', entity: 'settings', entityId: AI_SETTINGS_KEY, detail: parsed.data });
    })();
    return this.view();
  }

  private async setKey(key: string | null): Promise<AiSettingsView> {
    const { db, clock, secrets } = this.deps;
    try {
      if (key === null) await secrets.delete(AI_KEY_NAME);
      else await secrets.set(AI_KEY_NAME, key);
    } catch {
      throw new SettleError('unavailable', 'Could not reach the system keychain to store the AI key.');
    }
    appendAudit(db, clock, { actor: 'owner', action: 'ai.key', entity: 'settings', entityId: AI_SETTINGS_KEY, detail: { stored: key !== null } });
    return this.view();
  }

  private async test(): Promise<AiTestResult> {
    const client = this.client();
    if (!client) return { ok: false, baseURL: null, kind: 'not_configured', message: 'AI is off: choose OpenAI or an OpenAI-compatible server first.' };
    const r = await client.testConnection();
    return r.ok
      ? { ok: true, baseURL: r.baseURL, model: r.model, models: r.models, latencyMs: r.latencyMs }
      : { ok: false, baseURL: r.baseURL, kind: r.kind, message: r.message };
  }
}
