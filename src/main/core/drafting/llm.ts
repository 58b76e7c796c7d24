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

/** The three clocks of one AI draft: the whole draft, the first byte, and the silence between tokens. */
class StreamTimers {
  /** Why a clock fired (the owner-facing message), or null. */
  timedOut: string | null = null;
  private readonly total: ReturnType<typeof setTimeout>;
  private idle: ReturnType<typeof setTimeout>;

  constructor(
    private readonly controller: AbortController,
    private readonly where: string,
    private readonly ms: { connect: number; idle: number; total: number },
  ) {
    this.total = setTimeout(this.fire(`The AI endpoint at ${where} took longer than ${Math.round(ms.total / 1000)} s to write the draft.`), ms.total);
    this.idle = setTimeout(this.fire(`The AI endpoint at ${where} did not start answering in time.`), ms.connect);
  }

  /** Something arrived: the silence clock starts again. */
  resetIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(this.fire(`The AI endpoint at ${this.where} stopped sending for ${Math.round(this.ms.idle / 1000)} s.`), this.ms.idle);
  }

  clear(): void {
    clearTimeout(this.total);
    clearTimeout(this.idle);
  }

  private fire(why: string): () => void {
    return () => {
      this.timedOut = why;
      this.controller.abort();
    };
  }
}

/** The client over one OpenAI-compatible endpoint and model. */
class OpenAiCompatibleClient implements LlmClient {
  readonly baseURL: string;
  readonly model: string;
  readonly promptVersion: string;
  private readonly prompt: PromptModule;
  private readonly keyName: string;
  private readonly isOpenAi: boolean;
  private readonly timeouts: { connect: number; idle: number; total: number };

  constructor(
    private readonly config: LlmConfig,
    private readonly deps: LlmDeps,
  ) {
    this.prompt = deps.prompt ?? CURRENT_PROMPT;
    this.baseURL = config.baseURL.trim().replace(/\/+$/, '');
    this.model = config.model;
    this.promptVersion = this.prompt.version;
    this.keyName = config.keyName ?? AI_KEY_NAME;
    this.timeouts = { connect: config.connectTimeoutMs ?? 20_000, idle: config.idleTimeoutMs ?? 30_000, total: config.totalTimeoutMs ?? 120_000 };
    this.isOpenAi = /^https:\/\/api\.openai\.com(\/|$)/.test(this.baseURL);
  }

  async draft(facts: DraftFacts, tone: Tone, opts: DraftOptions = {}): Promise<LlmDraft> {
    if (!this.config.model.trim()) throw new LlmError('not_configured', 'Choose a model in Settings → AI.');
    const key = await this.readKey();
    const client = this.sdk(key);
    if (opts.signal?.aborted) throw new LlmError('aborted', 'Drafting was cancelled.');
    const { text, model } = await this.stream(client, key, facts, tone, opts);
    const parsed = parseDraftText(text);
    if (parsed.body === '') throw new LlmError('bad_response', 'The AI returned an empty draft. Try again or use a template.');
    if (parsed.body.length > MAX_BODY_CHARS) {
      throw new LlmError('bad_response', `The AI wrote more than ${MAX_BODY_CHARS.toLocaleString('en')} characters; a reminder should be short.`);
    }
    const subject = parsed.subject ?? cleanSubject(opts.fallbackSubject ?? renderTemplate(DEFAULT_TEMPLATES[tone], facts).subject);
    return { subject, body: parsed.body, model, promptVersion: this.prompt.version };
  }

  async testConnection(opts: { signal?: AbortSignal } = {}): Promise<ConnectionTest> {
    const { baseURL, config } = this;
    const started = Date.now();
    let key: string | null = null;
    try {
      if (!config.model.trim()) throw new LlmError('not_configured', 'Choose a model in Settings → AI.');
      key = await this.readKey();
      const models = await this.listModels(this.sdk(key), opts.signal);
      if (models && models.length > 0 && !models.includes(config.model)) {
        return failedTest(
          baseURL,
          new LlmError('model_not_found', `Connected to ${displayUrl(baseURL)}, but it has no model "${config.model}". Pick one of: ${models.slice(0, 20).join(', ')}.`),
          models,
        );
      }
      return { ok: true, baseURL: displayUrl(baseURL), model: config.model, models, latencyMs: Date.now() - started };
    } catch (err) {
      const e = classifyLlmError(err, { baseURL, model: config.model, key });
      this.deps.logger?.warn('AI connection test failed', { kind: e.kind, status: e.status, baseUrl: displayUrl(baseURL) });
      return failedTest(baseURL, e);
    }
  }

  /** The endpoint's models; null when it has no /models (a one-token completion then proves the same). */
  private async listModels(client: OpenAI, signal: AbortSignal | undefined): Promise<string[] | null> {
    try {
      const models: string[] = [];
      for await (const m of client.models.list({ signal })) models.push(m.id);
      return models;
    } catch (err) {
      // Some compatible servers have no /models: a one-token completion proves the same.
      if (!(err instanceof NotFoundError)) throw err;
      await client.chat.completions.create({ model: this.config.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 }, { signal });
      return null;
    }
  }

  /** Streams the answer, passing each piece to onToken; throws a classified LlmError. */
  private async stream(client: OpenAI, key: string | null, facts: DraftFacts, tone: Tone, opts: DraftOptions): Promise<{ text: string; model: string }> {
    const { config } = this;
    const internal = new AbortController();
    const onUserAbort = (): void => internal.abort();
    opts.signal?.addEventListener('abort', onUserAbort, { once: true });
    const timers = new StreamTimers(internal, displayUrl(this.baseURL), this.timeouts);
    let text = '';
    let model = config.model;
    try {
      const stream = await client.chat.completions.create(
        {
          model: config.model,
          messages: this.prompt.build(facts, tone),
          stream: true,
          ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
          ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
        },
        { signal: internal.signal },
      );
      timers.resetIdle();
      for await (const chunk of stream) {
        timers.resetIdle();
        if (chunk.model) model = chunk.model;
        const delta = chunk.choices[0]?.delta?.content ?? '';
        if (!delta) continue;
        text += delta;
        if (text.length > MAX_RAW_CHARS) {
          throw new LlmError('bad_response', `The AI wrote more than ${MAX_BODY_CHARS.toLocaleString('en')} characters; a reminder should be short. Try again or use a template.`);
        }
        this.emitToken(opts, delta, text);
      }
      // The SDK ends a stream quietly when it is aborted: a timeout or a cancel is not an answer.
      if (internal.signal.aborted) throw new APIUserAbortError();
    } catch (err) {
      throw this.streamFailure(err, timers.timedOut, opts.signal, key);
    } finally {
      timers.clear();
      opts.signal?.removeEventListener('abort', onUserAbort);
    }
    return { text, model };
  }

  private emitToken(opts: DraftOptions, delta: string, text: string): void {
    if (!opts.onToken) return;
    try {
      opts.onToken(delta, partialOf(text));
    } catch (err) {
      this.deps.logger?.warn('drafts.token listener failed', { error: err instanceof Error ? err.message : 'unknown' });
    }
  }

  /** Our own clocks and the owner's cancel first, then whatever the SDK threw; logged without the key. */
  private streamFailure(err: unknown, timedOut: string | null, signal: AbortSignal | undefined, key: string | null): LlmError {
    const classified =
      timedOut !== null
        ? new LlmError('timeout', timedOut)
        : signal?.aborted
          ? new LlmError('aborted', 'Drafting was cancelled.')
          : classifyLlmError(err, { baseURL: this.baseURL, model: this.config.model, key });
    this.deps.logger?.warn('AI draft failed', { kind: classified.kind, status: classified.status, baseUrl: displayUrl(this.baseURL), model: this.config.model });
    return classified;
  }

  private async readKey(): Promise<string | null> {
    let key: string | null;
    try {
      key = await this.deps.secrets.get(this.keyName);
    } catch {
      throw new LlmError('keychain', 'Could not read the AI key from the system keychain.');
    }
    if (!key && this.isOpenAi) throw new LlmError('not_configured', 'Add your OpenAI API key in Settings → AI, or switch AI off to draft from templates.');
    return key || null;
  }

  private sdk(key: string | null): OpenAI {
    if (!/^https?:\/\//.test(this.baseURL)) throw new LlmError('not_configured', 'The AI base URL must start with http:// or https://.');
    return new OpenAI({
      baseURL: this.baseURL,
      // Keyless local servers: a placeholder satisfies the SDK and the header is then removed.
      apiKey: key ?? 'keyless',
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: this.config.maxRetries ?? 0,
      timeout: this.timeouts.connect,
      logLevel: 'off',
      ...(key ? {} : { defaultHeaders: { Authorization: null } }),
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    });
  }
}

function failedTest(baseURL: string, e: LlmError, models?: string[]): ConnectionTest {
  return { ok: false, baseURL: displayUrl(baseURL), kind: e.kind, message: e.message, ...(models ? { models } : {}) };
}

/** A client for one endpoint and model; the key is read from the SecretStore at each call. */
export function createLlmClient(config: LlmConfig, deps: LlmDeps): LlmClient {
  return new OpenAiCompatibleClient(config, deps);
}
