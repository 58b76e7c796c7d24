// Settings → AI: off (templates only, the default, works with no account), OpenAI, or any
// OpenAI-compatible base URL (Ollama, LM Studio…) with a model. The key is not a setting: it
// lives in the SecretStore under AI_KEY_NAME. SETTLE_OPENAI_BASE_URL overrides the base URL
// (DESIGN §9), so tests and the CLI can point the core at the fake server.
import { z } from 'zod';
import { AI_KEY_NAME, OPENAI_BASE_URL, type LlmConfig } from './llm';

export const AI_SETTINGS_KEY = 'ai';

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Expected an http(s) URL without credentials, e.g. http://127.0.0.1:11434/v1');

export const AiSettingsSchema = z
  .object({
    provider: z.enum(['off', 'openai', 'compatible']),
    /** Used for 'compatible'; 'openai' always talks to api.openai.com unless the env overrides it. */
    baseURL: httpUrl.nullable(),
    model: z.string().trim().min(1).max(200),
  })
  .strict();
export type AiSettings = z.infer<typeof AiSettingsSchema>;

export const AiSettingsPatch = AiSettingsSchema.partial().strict();

export const DEFAULT_AI_SETTINGS: Readonly<AiSettings> = Object.freeze({ provider: 'off', baseURL: null, model: 'gpt-4o-mini' });

/** Stored settings over the defaults; anything unreadable falls back to the default (AI off). */
export function readAiSettings(stored: unknown): AiSettings {
  const merged = { ...DEFAULT_AI_SETTINGS, ...(stored && typeof stored === 'object' ? stored : {}) };
  const parsed = AiSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_AI_SETTINGS };
}

/** The client configuration, or null when AI is off (template drafting). */
export function llmConfigFrom(settings: AiSettings, env: Record<string, string | undefined> = {}): LlmConfig | null {
  if (settings.provider === 'off') return null;
  const override = env.SETTLE_OPENAI_BASE_URL?.trim();
  const baseURL = override || (settings.provider === 'openai' ? OPENAI_BASE_URL : settings.baseURL);
  if (!baseURL) return null;
  return { baseURL, model: settings.model, keyName: AI_KEY_NAME };
}
