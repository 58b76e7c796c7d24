// AI drafting over any OpenAI-compatible endpoint (OpenAI, Ollama, LM Studio…), through the
// `openai` package's chat completions with streaming. The API key is read from the SecretStore at
// each call and goes nowhere else: not in logs, errors, results or settings. Failures are
// classified (unreachable, bad key, timeout, unknown model, rate limit…) with a message the owner
// can act on, and every one of them lets the UI offer template drafting instead.
//
// The model is asked for "Subject: …", a blank line, then the body, rather than JSON: it streams
// into the editor readably, small local models keep to it better than to JSON escaping, and the
// parser still accepts JSON or a fenced block when a model insists. The result carries no
// recipient: who a reminder goes to comes from the ledger, never from model output.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import type { Logger, SecretStore } from '../ports';
import type { DraftFacts } from './facts';
import { CURRENT_PROMPT, type PromptModule } from './prompts';
import { cleanBody, cleanSubject, DEFAULT_TEMPLATES, MAX_BODY_CHARS, renderTemplate } from './templates';
import type { Tone } from './tone';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** SecretStore account holding the API key. */
export const AI_KEY_NAME = 'ai:openai';

export interface LlmConfig {
  /** e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio). */
  baseURL: string;
  model: string;
  /** SecretStore account of the key (default 'ai:openai'); without a stored key, local servers are called keyless. */
  keyName?: string;
  /** Until the response starts (connect + headers). Default 20 s. */
  connectTimeoutMs?: number;
  /** Longest silence between streamed tokens. Default 30 s. */
  idleTimeoutMs?: number;
  /** The whole draft. Default 120 s. */
  totalTimeoutMs?: number;
  /** Retries of connection errors and 5xx by the SDK. Default 0: the owner is waiting. */
  maxRetries?: number;
  /** Sent only when set: some models reject a temperature or max_tokens. */
  temperature?: number;
  maxTokens?: number;
}

export interface LlmDeps {
  secrets: SecretStore;
  logger?: Logger;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  prompt?: PromptModule;
}

export type LlmErrorKind =
  | 'not_configured'
  | 'keychain'
  | 'unreachable'
  | 'auth'
  | 'timeout'
  | 'model_not_found'
  | 'rate_limited'
  | 'bad_request'
  | 'server_error'
  | 'bad_response'
  | 'aborted';

/** A classified AI failure. Its message is safe to show and log (never contains the key). */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Every failure but the owner's own cancel offers template drafting instead. */
  get offerTemplates(): boolean {
    return this.kind !== 'aborted';
  }
}

/** What streamed so far, parsed: the subject once its line is complete, and the body. */
export interface PartialDraft {
  subject: string | null;
  body: string;
}

export interface DraftOptions {
  signal?: AbortSignal;
  /** Each streamed piece, in order, with the draft parsed so far (for `drafts.token`). */
  onToken?: (delta: string, partial: PartialDraft) => void;
  /** Used when the model gives no subject line (default: the tone's template subject). */
  fallbackSubject?: string;
}

/** An AI draft. Deliberately no recipient, sender or attachment field: the model cannot set them. */
export interface LlmDraft {
  subject: string;
  body: string;
  /** The model that answered, as the endpoint reports it. */
  model: string;
  promptVersion: string;
}

export type ConnectionTest =
  | { ok: true; baseURL: string; model: string; models: string[] | null; latencyMs: number }
  | { ok: false; baseURL: string; kind: LlmErrorKind; message: string; models?: string[] };

export interface LlmClient {
  readonly baseURL: string;
  readonly model: string;
  readonly promptVersion: string;
  draft(facts: DraftFacts, tone: Tone, opts?: DraftOptions): Promise<LlmDraft>;
  testConnection(opts?: { signal?: AbortSignal }): Promise<ConnectionTest>;
}

// ---- parsing the model's answer -----------------------------------------------------------------

const SUBJECT_LINE = /^\s*(?:[*_#>]+\s*)?(?:subject|subj\.?|re|betreff|objet|asunto|oggetto|onderwerp|assunto|ämne|emne)\s*[*_]*\s*[:：]\s*[*_]*\s*(.*?)\s*[*_]*\s*$/i;

/** Drops a Markdown code fence around the answer (closed or, mid-stream, not yet). */
function unfence(text: string): string {
  const m = /^\s*```[\w-]*[ \t]*\n([\s\S]*?)(?:\n?```\s*)?$/.exec(text);
  return m ? m[1]! : text;
}

/**
 * Splits a model's answer into subject and body. Accepts "Subject: …" on the first line (also in
 * Markdown bold or another language), a JSON object {subject, body} (other keys ignored), or
 * plain text (no subject). Never throws.
 */
export function parseDraftText(raw: string): PartialDraft {
  const text = unfence(raw.replace(/\r\n?/g, '\n')).trim();
  if (text.startsWith('{')) {
    try {
      const obj = JSON.parse(text) as unknown;
      if (obj && typeof obj === 'object') {
        const { subject, body } = obj as { subject?: unknown; body?: unknown };
        if (typeof body === 'string') return { subject: typeof subject === 'string' ? cleanSubject(subject) || null : null, body: cleanBody(body) };
      }
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const nl = text.indexOf('\n');
  const firstLine = nl < 0 ? text : text.slice(0, nl);
  const m = SUBJECT_LINE.exec(firstLine);
  if (!m) return { subject: null, body: cleanBody(text) };
  const rest = nl < 0 ? '' : text.slice(nl + 1).replace(/^\s*(?:body|message)\s*:\s*\n?/i, '');
  return { subject: cleanSubject(m[1]!) || null, body: cleanBody(rest) };
}

/** The partial view while streaming: nothing until the first line (maybe the subject) is complete. */
function partialOf(text: string): PartialDraft {
  const trimmed = unfence(text.replace(/^\s+/, ''));
  if (!trimmed.includes('\n') || trimmed.startsWith('{')) return { subject: null, body: '' };
  return parseDraftText(text);
}

// ---- errors ---------------------------------------------------------------------------------------

/** The base URL without credentials, for messages. */
export function displayUrl(baseURL: string): string {
  try {
    const u = new URL(baseURL);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

function redact(text: string, key: string | null): string {
  let out = text.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]');
  if (key && key.length >= 4) out = out.split(key).join('[redacted]');
  return out.length > 200 ? `${out.slice(0, 199)}…` : out;
}

function serverMessage(err: APIError, key: string | null): string {
  const body = err.error as { message?: unknown } | undefined;
  const msg = typeof body?.message === 'string' ? body.message : '';
  return msg ? `: ${redact(msg, key)}` : '';
}

/** Turns anything the SDK (or our own timers) threw into a classified LlmError. */
export function classifyLlmError(err: unknown, ctx: { baseURL: string; model: string; key?: string | null }): LlmError {
  if (err instanceof LlmError) return err;
  const where = displayUrl(ctx.baseURL);
  const key = ctx.key ?? null;
  if (err instanceof APIUserAbortError) return new LlmError('aborted', 'Drafting was cancelled.');
  if (err instanceof APIConnectionTimeoutError) return new LlmError('timeout', `The AI endpoint at ${where} did not answer in time.`);
  if (err instanceof APIConnectionError) {
    return new LlmError('unreachable', `Could not reach the AI endpoint at ${where}. Check the base URL and that the server is running.`);
  }
  if (err instanceof AuthenticationError) {
    return new LlmError('auth', `The AI endpoint at ${where} rejected the API key (401). Check the key in Settings → AI.`, 401);
  }
  if (err instanceof PermissionDeniedError) {
    return new LlmError('auth', `The API key is not allowed to use ${ctx.model} at ${where} (403).`, 403);
  }
  if (err instanceof NotFoundError) {
    return new LlmError(
      'model_not_found',
      `The model "${ctx.model}" was not found at ${where} (404). Check the model name, and that the base URL ends in /v1.`,
      404,
    );
  }
  if (err instanceof RateLimitError) {
    const code = (err.error as { code?: unknown } | undefined)?.code;
    return new LlmError(
      'rate_limited',
      code === 'insufficient_quota'
        ? 'The AI account has run out of quota (429). Check billing with the provider.'
        : `The AI endpoint is rate limiting requests (429); try again in a minute${serverMessage(err, key)}.`,
      429,
    );
  }
  if (err instanceof APIError) {
    const status = typeof err.status === 'number' ? err.status : null;
    if (status !== null && status >= 500) {
      return new LlmError('server_error', `The AI endpoint had an internal error (${status})${serverMessage(err, key)}.`, status);
    }
    if (status !== null) return new LlmError('bad_request', `The AI endpoint refused the request (${status})${serverMessage(err, key)}.`, status);
    return new LlmError('server_error', `The AI stream broke off${serverMessage(err, key)}.`);
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new LlmError('aborted', 'Drafting was cancelled.');
  }
  return new LlmError('server_error', `Unexpected failure talking to the AI endpoint at ${where}.`);
}

// ---- the client -------------------------------------------------------------------------------------

/** A hard ceiling on what we accept from a model, well above any sane reminder. */
const MAX_RAW_CHARS = MAX_BODY_CHARS + 2_000;

export function createLlmClient(config: LlmConfig, deps: LlmDeps): LlmClient {
  const prompt = deps.prompt ?? CURRENT_PROMPT;
  const baseURL = config.baseURL.trim().replace(/\/+$/, '');
  const keyName = config.keyName ?? AI_KEY_NAME;
  const connectTimeoutMs = config.connectTimeoutMs ?? 20_000;
  const idleTimeoutMs = config.idleTimeoutMs ?? 30_000;
  const totalTimeoutMs = config.totalTimeoutMs ?? 120_000;
  const isOpenAi = /^https:\/\/api\.openai\.com(\/|$)/.test(baseURL);

  async function readKey(): Promise<string | null> {
    let key: string | null;
    try {
      key = await deps.secrets.get(keyName);
    } catch {
      throw new LlmError('keychain', 'Could not read the AI key from the system keychain.');
    }
    if (!key && isOpenAi) throw new LlmError('not_configured', 'Add your OpenAI API key in Settings → AI, or switch AI off to draft from templates.');
    return key || null;
  }

  function sdk(key: string | null): OpenAI {
    if (!/^https?:\/\//.test(baseURL)) throw new LlmError('not_configured', 'The AI base URL must start with http:// or https://.');
    return new OpenAI({
      baseURL,
      // Keyless local servers: a placeholder satisfies the SDK and the header is then removed.
      apiKey: key ?? 'keyless',
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: config.maxRetries ?? 0,
      timeout: connectTimeoutMs,
      logLevel: 'off',
      ...(key ? {} : { defaultHeaders: { Authorization: null } }),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }

  return {
    baseURL,
    model: config.model,
    promptVersion: prompt.version,

    async draft(facts, tone, opts = {}) {
      if (!config.model.trim()) throw new LlmError('not_configured', 'Choose a model in Settings → AI.');
      const key = await readKey();
      const client = sdk(key);
      const ctx = { baseURL, model: config.model, key };
      const internal = new AbortController();
      let timedOut: string | null = null;
      const fire = (why: string) => () => {
        timedOut = why;
        internal.abort();
      };
      const onUserAbort = (): void => internal.abort();
      if (opts.signal?.aborted) throw new LlmError('aborted', 'Drafting was cancelled.');
      opts.signal?.addEventListener('abort', onUserAbort, { once: true });
      const total = setTimeout(fire(`The AI endpoint at ${displayUrl(baseURL)} took longer than ${Math.round(totalTimeoutMs / 1000)} s to write the draft.`), totalTimeoutMs);
      let idle = setTimeout(fire(`The AI endpoint at ${displayUrl(baseURL)} did not start answering in time.`), connectTimeoutMs);
      const resetIdle = (): void => {
        clearTimeout(idle);
        idle = setTimeout(fire(`The AI endpoint at ${displayUrl(baseURL)} stopped sending for ${Math.round(idleTimeoutMs / 1000)} s.`), idleTimeoutMs);
      };

      let text = '';
      let model = config.model;
      try {
        const stream = await client.chat.completions.create(
          {
            model: config.model,
            messages: prompt.build(facts, tone),
            stream: true,
            ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
            ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
          },
          { signal: internal.signal },
        );
        resetIdle();
        for await (const chunk of stream) {
          resetIdle();
          if (chunk.model) model = chunk.model;
          const delta = chunk.choices[0]?.delta?.content ?? '';
          if (!delta) continue;
          text += delta;
          if (text.length > MAX_RAW_CHARS) {
            throw new LlmError('bad_response', `The AI wrote more than ${MAX_BODY_CHARS.toLocaleString('en')} characters; a reminder should be short. Try again or use a template.`);
          }
          if (opts.onToken) {
            try {
              opts.onToken(delta, partialOf(text));
            } catch (err) {
              deps.logger?.warn('drafts.token listener failed', { error: err instanceof Error ? err.message : 'unknown' });
            }
          }
        }
        // The SDK ends a stream quietly when it is aborted: a timeout or a cancel is not an answer.
        if (internal.signal.aborted) throw new APIUserAbortError();
      } catch (err) {
        const classified =
          timedOut !== null
            ? new LlmError('timeout', timedOut)
            : opts.signal?.aborted
              ? new LlmError('aborted', 'Drafting was cancelled.')
              : classifyLlmError(err, ctx);
        deps.logger?.warn('AI draft failed', { kind: classified.kind, status: classified.status, baseUrl: displayUrl(baseURL), model: config.model });
        throw classified;
      } finally {
        clearTimeout(total);
        clearTimeout(idle);
        opts.signal?.removeEventListener('abort', onUserAbort);
      }

      const parsed = parseDraftText(text);
      if (parsed.body === '') throw new LlmError('bad_response', 'The AI returned an empty draft. Try again or use a template.');
      if (parsed.body.length > MAX_BODY_CHARS) {
        throw new LlmError('bad_response', `The AI wrote more than ${MAX_BODY_CHARS.toLocaleString('en')} characters; a reminder should be short.`);
      }
      const subject = parsed.subject ?? cleanSubject(opts.fallbackSubject ?? renderTemplate(DEFAULT_TEMPLATES[tone], facts).subject);
      return { subject, body: parsed.body, model, promptVersion: prompt.version };
    },

    async testConnection(opts = {}) {
      const started = Date.now();
      const fail = (e: LlmError, models?: string[]): ConnectionTest => ({
        ok: false,
        baseURL: displayUrl(baseURL),
        kind: e.kind,
        message: e.message,
        ...(models ? { models } : {}),
      });
      let key: string | null = null;
      try {
        if (!config.model.trim()) throw new LlmError('not_configured', 'Choose a model in Settings → AI.');
        key = await readKey();
        const client = sdk(key);
        let models: string[] | null = null;
        try {
          models = [];
          for await (const m of client.models.list({ signal: opts.signal })) models.push(m.id);
        } catch (err) {
          // Some compatible servers have no /models: a one-token completion proves the same.
          if (!(err instanceof NotFoundError)) throw err;
          models = null;
          await client.chat.completions.create(
            { model: config.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 },
            { signal: opts.signal },
          );
        }
        if (models && models.length > 0 && !models.includes(config.model)) {
          return fail(
            new LlmError('model_not_found', `Connected to ${displayUrl(baseURL)}, but it has no model "${config.model}". Pick one of: ${models.slice(0, 20).join(', ')}.`),
            models,
          );
        }
        return { ok: true, baseURL: displayUrl(baseURL), model: config.model, models, latencyMs: Date.now() - started };
      } catch (err) {
        const e = classifyLlmError(err, { baseURL, model: config.model, key });
        deps.logger?.warn('AI connection test failed', { kind: e.kind, status: e.status, baseUrl: displayUrl(baseURL) });
        return fail(e);
      }
    },
  };
}
