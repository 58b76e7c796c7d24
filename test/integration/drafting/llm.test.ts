// llm.ts against the OpenAI-compatible fake: streaming in order, the result's shape, keyless
// local servers, and every failure classified (unreachable, 401, timeouts, unknown model, 429,
// 5xx, a broken stream, the owner's cancel) without the key ever showing up.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AI_KEY_NAME, createLlmClient, LlmError, type LlmConfig, type PartialDraft } from '../../../src/main/core/drafting/llm';
import { closedPort, FAKE_KEY, FAKE_MODEL, startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai-server';
import { sampleFacts } from '../../unit/core/drafting/fixtures';
import { memorySecrets, recordingLogger } from './helpers';

const DRAFT = 'Subject: Invoice INV-1042 is overdue\n\nHi Jane,\n\nINV-1042 for $1,234.50 was due on Oct 22, 2026.\n\nThanks,\nBirch Studio';

describe('LlmClient against the fake', () => {
  let fake: FakeOpenAi;
  const facts = sampleFacts();
  const config = (over: Partial<LlmConfig> = {}): LlmConfig => ({ baseURL: fake.baseURL, model: FAKE_MODEL, ...over });
  const secrets = memorySecrets({ [AI_KEY_NAME]: FAKE_KEY });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.respondWith(null);
    fake.setApiKey(FAKE_KEY);
    secrets.store.set(AI_KEY_NAME, FAKE_KEY);
  });

  it('streams tokens in order and returns subject, body, model and prompt version', async () => {
    fake.reply({ content: DRAFT, chunkSize: 5, model: 'gpt-fake-1-2026' });
    const deltas: string[] = [];
    const partials: PartialDraft[] = [];
    const llm = createLlmClient(config(), { secrets });
    const out = await llm.draft(facts, 'friendly', { onToken: (d, p) => (deltas.push(d), partials.push(p)) });

    expect(deltas.join('')).toBe(DRAFT);
    expect(deltas.length).toBe(Math.ceil(DRAFT.length / 5));
    expect(out).toEqual({
      subject: 'Invoice INV-1042 is overdue',
      body: 'Hi Jane,\n\nINV-1042 for $1,234.50 was due on Oct 22, 2026.\n\nThanks,\nBirch Studio',
      model: 'gpt-fake-1-2026',
      promptVersion: 'reminder.v2',
    });
    // The partial view never shows the subject line as body text, and only grows.
    expect(partials.every((p) => !p.body.includes('Subject:'))).toBe(true);
    expect(partials.at(-1)).toEqual({ subject: out.subject, body: out.body });
    const bodies = partials.map((p) => p.body.length);
    expect(bodies).toEqual([...bodies].sort((a, b) => a - b));

    const [req] = fake.chatRequests();
    expect(req!.stream).toBe(true);
    expect(req!.model).toBe(FAKE_MODEL);
    expect(req!.bearer).toBe(FAKE_KEY);
    expect(req!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req!.body).not.toHaveProperty('temperature');
  });

  it('falls back to the template subject when the model gives none', async () => {
    fake.reply('Hi Jane,\n\nPlease pay INV-1042.');
    const out = await createLlmClient(config(), { secrets }).draft(facts, 'firm');
    expect(out.subject).toBe('Payment overdue: invoices INV-1042 and INV-1043');
    expect(out.body).toBe('Hi Jane,\n\nPlease pay INV-1042.');
  });

  it('calls a keyless local server without an Authorization header', async () => {
    fake.setApiKey(null);
    secrets.store.delete(AI_KEY_NAME);
    fake.reply(DRAFT);
    await createLlmClient(config(), { secrets }).draft(facts, 'friendly');
    expect(fake.chatRequests()[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses OpenAI itself without a key, before any request', async () => {
    secrets.store.delete(AI_KEY_NAME);
    const llm = createLlmClient({ baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini' }, { secrets });
    await expect(llm.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'not_configured' });
    expect((await llm.testConnection()).ok).toBe(false);
  });

  it('classifies a bad key (401) and keeps the key out of messages and logs', async () => {
    secrets.store.set(AI_KEY_NAME, 'sk-wrong-key-1234567890');
    const logger = recordingLogger();
    const llm = createLlmClient(config(), { secrets, logger });
    const err = (await llm.draft(facts, 'friendly').catch((e: unknown) => e)) as LlmError;
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, offerTemplates: true });
    expect(err.message).toMatch(/rejected the API key/);
    expect(err.message).not.toMatch(/sk-|1234567890/);
    expect(logger.lines.join('\n')).not.toMatch(/sk-wrong|1234567890/);
    expect(logger.lines.join('\n')).toMatch(/"kind":"auth"/);
    const test = await llm.testConnection();
    expect(test).toMatchObject({ ok: false, kind: 'auth' });
    expect(JSON.stringify(test)).not.toMatch(/sk-wrong|1234567890/);
  });

  it('classifies an unreachable endpoint', async () => {
    const port = await closedPort();
    const llm = createLlmClient({ baseURL: `http://127.0.0.1:${port}/v1`, model: FAKE_MODEL }, { secrets });
    const err = (await llm.draft(facts, 'friendly').catch((e: unknown) => e)) as LlmError;
    expect(err).toMatchObject({ kind: 'unreachable', offerTemplates: true });
    expect(err.message).toContain(`http://127.0.0.1:${port}/v1`);
    expect(await llm.testConnection()).toMatchObject({ ok: false, kind: 'unreachable' });
  });

  it('times out a server that never answers, and one that stalls mid-stream', async () => {
    fake.reply({ hang: true });
    const started = Date.now();
    const llm = createLlmClient(config({ connectTimeoutMs: 300, idleTimeoutMs: 300 }), { secrets });
    await expect(llm.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);

    fake.reply({ content: DRAFT, stallAfterChunks: 3 });
    const tokens: string[] = [];
    const err = (await llm.draft(facts, 'friendly', { onToken: (d) => tokens.push(d) }).catch((e: unknown) => e)) as LlmError;
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(err.message).toMatch(/stopped sending/);
    expect(tokens).toHaveLength(3);

    fake.reply({ content: DRAFT, chunkDelayMs: 40, chunkSize: 2 });
    await expect(createLlmClient(config({ totalTimeoutMs: 300 }), { secrets }).draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('classifies an unknown model, rate limits, server errors and broken streams', async () => {
    const llm = createLlmClient(config({ model: 'no-such-model' }), { secrets });
    await expect(llm.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'model_not_found', status: 404 });

    const ok = createLlmClient(config(), { secrets });
    fake.reply({ status: 429, error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
    await expect(ok.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'rate_limited' });
    fake.reply({ status: 500, error: { message: 'The server had an error', type: 'server_error' } });
    await expect(ok.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'server_error', status: 500 });
    fake.reply({ content: DRAFT, streamError: { message: 'overloaded' } });
    await expect(ok.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'server_error' });
    fake.reply({ content: DRAFT, dropAfterChunks: 2 });
    await expect(ok.draft(facts, 'friendly')).rejects.toBeInstanceOf(LlmError);
    fake.reply('   ');
    await expect(ok.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'bad_response' });
    fake.reply('Subject: x\n\n' + 'blah '.repeat(5_000));
    await expect(ok.draft(facts, 'friendly')).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('stops when the owner cancels, without offering templates', async () => {
    fake.reply({ content: DRAFT, chunkDelayMs: 30, chunkSize: 3 });
    const ac = new AbortController();
    const tokens: string[] = [];
    const pending = createLlmClient(config(), { secrets }).draft(facts, 'friendly', {
      signal: ac.signal,
      onToken: (d) => {
        tokens.push(d);
        if (tokens.length === 2) ac.abort();
      },
    });
    const err = (await pending.catch((e: unknown) => e)) as LlmError;
    expect(err).toMatchObject({ kind: 'aborted', offerTemplates: false });
    expect(tokens.length).toBeLessThan(5);
  });

  it('tests the connection: models listed, the model missing, or /models absent', async () => {
    const ok = await createLlmClient(config(), { secrets }).testConnection();
    expect(ok).toMatchObject({ ok: true, model: FAKE_MODEL, models: [FAKE_MODEL] });

    const missing = await createLlmClient(config({ model: 'llama3' }), { secrets }).testConnection();
    expect(missing).toMatchObject({ ok: false, kind: 'model_not_found', models: [FAKE_MODEL] });
    expect(missing.ok === false && missing.message).toMatch(/no model "llama3"/);

    const noModels = await startFakeOpenAi({ apiKey: null, models: ['local'], modelsEndpoint: false });
    try {
      noModels.reply('OK');
      const res = await createLlmClient({ baseURL: noModels.baseURL, model: 'local' }, { secrets: memorySecrets() }).testConnection();
      expect(res).toMatchObject({ ok: true, models: null });
      expect(noModels.chatRequests()[0]).toMatchObject({ stream: false, model: 'local' });
    } finally {
      await noModels.close();
    }
  });
});
