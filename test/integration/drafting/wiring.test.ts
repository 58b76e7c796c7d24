// Drafting wired into the core, through the in-process transport: template drafts of the demo
// company are clean, an owner's wrong amount is flagged and blocks submitting unless overridden
// with a reason (audited), AI drafts stream in order from the OpenAI fake and record their model
// and prompt version, AI failures fall back to the template with a clear message, the key never
// leaves the SecretStore, and a customer without an email cannot be submitted.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, DB_FILE, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import { AI_KEY_NAME } from '../../../src/main/core/drafting/llm';
import { CURRENT_PROMPT } from '../../../src/main/core/drafting/prompts';
import { fixedClock } from '../../../src/main/core/ports';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import type { DraftView } from '../../../src/shared/model';
import { closedPort, FAKE_MODEL, startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai-server';
import { events, inProcess, type EventLog, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const KEY = 'sk-settle-wiring-5e3a9c1d7f';
const WRONG_KEY = 'sk-settle-wrong-0b8d2e4f6a';

describe('drafting wired into the core', () => {
  let fake: FakeOpenAi;
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let log: EventLog;
  let secrets: MemorySecretStore;
  /** Every value any method returned, to prove the key is in none of them. */
  const outputs: unknown[] = [];
  let customerId: number;

  const traced: InProcess = Object.assign(
    (async (method: string, input?: unknown) => {
      const out = await call.raw(method, input);
      outputs.push(out);
      return out;
    }) as InProcess,
    { raw: (m: string, i?: unknown) => call.raw(m, i) },
  );

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
    dir = tempDir();
    secrets = memorySecretStore();
    core = createCore({ dataDir: dir.path, clock: fixedClock('2026-11-21T15:00:00Z'), secrets, env: {}, demoInvoices: 300 });
    core.start();
    call = inProcess(core);
    log = events(core);
    const board = await call('board.get', {});
    for (const row of board.queue.rows) {
      const detail = await call('customers.get', { customerId: row.customerId });
      if (detail.customer.email && detail.openInvoices.some((i) => i.daysOverdue > 0)) {
        customerId = row.customerId;
        break;
      }
    }
    expect(customerId).toBeGreaterThan(0);
  });

  afterAll(async () => {
    log.stop();
    await core.shutdown();
    await fake.close();
    dir.cleanup();
  });

  beforeEach(() => {
    log.clear();
    fake.requests.length = 0;
  });

  it('drafts from the template with no AI configured: zero flags, audited with its provenance', async () => {
    expect(await traced('ai.get')).toMatchObject({ provider: 'off', hasKey: false, effectiveBaseURL: null });
    const draft = await traced('drafts.create', { customerId });
    expect(draft).toMatchObject({ source: 'template', model: null, promptVersion: null, status: 'draft', flagged: 0, channel: 'email' });
    expect(draft.findings.length).toBeGreaterThan(0);
    expect(draft.findings.every((f) => f.status === 'ok')).toBe(true);
    expect(draft.invoices.length).toBeGreaterThan(0);
    for (const inv of draft.invoices) expect(draft.body).toContain(inv.number);
    expect(structuredClone(draft)).toStrictEqual(draft);
    expect(JSON.parse(JSON.stringify(draft))).toStrictEqual(draft);
    expect(log.of('drafts.token')).toEqual([]);

    const [audit] = readAudit(core.db, { entity: 'draft', entityId: draft.id });
    expect(audit).toMatchObject({ action: 'draft.create', detail: { source: 'template', model: null, promptVersion: null, customerId } });
    expect((audit!.detail as { factsHash: string }).factsHash).toMatch(/^[0-9a-f]{64}$/);
    expect({ ...(await traced('drafts.get', { draftId: draft.id })), notice: null }).toEqual(draft);
    expect((await traced('drafts.list', { customerId })).map((d) => d.id)).toContain(draft.id);
  });

  it('flags a wrong amount planted by an edit; submit is refused until overridden with a reason', async () => {
    const draft = await traced('drafts.create', { customerId, mode: 'template', tone: 'firm' });
    expect(draft.tone).toBe('firm');
    const amount = draft.findings.find((f) => f.field === 'body' && f.kind === 'amount')!;
    expect(amount).toBeDefined();
    const wrong = amount.text.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 3) % 10));
    const body = draft.body.slice(0, amount.start) + wrong + draft.body.slice(amount.end);

    // The unsaved check and the saved edit agree.
    const check = await traced('drafts.check', { draftId: draft.id, subject: draft.subject, body });
    expect(check.flagged).toBe(1);
    const edited = await traced('drafts.update', { draftId: draft.id, subject: draft.subject, body });
    expect(edited).toMatchObject({ source: 'user', flagged: 1, status: 'draft' });
    const flag = edited.findings.find((f) => f.status !== 'ok')!;
    expect(flag).toMatchObject({ field: 'body', kind: 'amount', text: wrong, start: amount.start });
    const editAudit = readAudit(core.db, { entity: 'draft', entityId: draft.id }).find((r) => r.action === 'draft.edit');
    expect(editAudit?.detail).toMatchObject({ subject: null, flaggedBefore: 0, flaggedAfter: 1, body: { at: expect.any(Number) as unknown } });

    await expect(traced('drafts.submit', { draftId: draft.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/does not match the ledger/) as unknown });
    await expect(traced('drafts.submit', { draftId: draft.id, overrideReason: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await traced('drafts.get', { draftId: draft.id })).status).toBe('draft');

    const submitted = await traced('drafts.submit', { draftId: draft.id, overrideReason: 'Includes the late fee we agreed' });
    expect(submitted).toMatchObject({ status: 'pending_approval', overrideReason: 'Includes the late fee we agreed', flagged: 1 });
    const actions = readAudit(core.db, { entity: 'draft', entityId: draft.id }).map((r) => r.action);
    expect(actions).toEqual(['draft.submit', 'draft.override', 'draft.edit', 'draft.create']);
    const override = readAudit(core.db, { entity: 'draft', entityId: draft.id }).find((r) => r.action === 'draft.override');
    expect(override?.detail).toMatchObject({ flagged: 1, reason: 'Includes the late fee we agreed' });
    expect((await traced('drafts.list', { status: 'pending_approval' })).map((d) => d.id)).toContain(draft.id);
    expect(verifyAudit(core.db)).toMatchObject({ ok: true });
  });

  it('a clean edit submits without a reason, and cancel works before approval', async () => {
    const draft = await traced('drafts.create', { customerId });
    const fixed = await traced('drafts.update', { draftId: draft.id, subject: draft.subject, body: `${draft.body}\n\nKind regards` });
    expect(fixed.flagged).toBe(0);
    expect((await traced('drafts.submit', { draftId: draft.id })).status).toBe('pending_approval');
    const other = await traced('drafts.create', { customerId });
    expect((await traced('drafts.cancel', { draftId: other.id })).status).toBe('cancelled');
    await expect(traced('drafts.update', { draftId: other.id, subject: 'x', body: 'y' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('streams an AI draft from the fake as drafts.token events, in order, and records model and prompt version', async () => {
    await traced('ai.set', { provider: 'compatible', baseURL: fake.baseURL, model: FAKE_MODEL });
    const view = await traced('ai.setKey', { key: KEY });
    expect(view).toMatchObject({ provider: 'compatible', hasKey: true, effectiveBaseURL: fake.baseURL, promptVersion: CURRENT_PROMPT.version });
    expect(await traced('ai.test')).toMatchObject({ ok: true, model: FAKE_MODEL });

    // The model writes the template's text, so its figures are the ledger's.
    const template = await traced('drafts.create', { customerId, mode: 'template' });
    const content = `Subject: ${template.subject}\n\n${template.body}`;
    fake.reply({ content, chunkSize: 7, model: 'gpt-fake-2026' });
    log.clear();
    const draft = await traced('drafts.create', { customerId, mode: 'ai' });
    expect(draft).toMatchObject({ source: 'ai', model: 'gpt-fake-2026', promptVersion: CURRENT_PROMPT.version, flagged: 0, subject: template.subject, body: template.body });
    expect(draft.notice ?? null).toBeNull();

    const tokens = log.of('drafts.token');
    expect(tokens.length).toBe(Math.ceil(content.length / 7));
    expect(tokens.every((t) => t.draftId === draft.id && t.customerId === customerId)).toBe(true);
    expect(tokens.map((t) => t.delta).join('')).toBe(content);
    expect(tokens.at(-1)).toMatchObject({ subject: template.subject, body: template.body });
    const [req] = fake.chatRequests();
    expect(req!.bearer).toBe(KEY);

    const audit = readAudit(core.db, { entity: 'draft', entityId: draft.id }).find((r) => r.action === 'draft.create');
    expect(audit?.detail).toMatchObject({ source: 'ai', model: 'gpt-fake-2026', promptVersion: CURRENT_PROMPT.version });

    // Regenerating in another tone streams again into the same draft.
    fake.reply({ content, chunkSize: 50 });
    const again = await traced('drafts.regenerate', { draftId: draft.id, tone: 'final' });
    expect(again).toMatchObject({ id: draft.id, tone: 'final', source: 'ai' });
  });

  it('falls back to the template with a clear message for a bad key or an unreachable endpoint', async () => {
    await traced('ai.set', { provider: 'compatible', baseURL: fake.baseURL, model: FAKE_MODEL });
    await traced('ai.setKey', { key: WRONG_KEY });
    const bad = await traced('drafts.create', { customerId, mode: 'ai' });
    expect(bad).toMatchObject({ source: 'template', model: null, flagged: 0 });
    expect(bad.notice).toMatch(/key/i);
    expect(bad.notice).toMatch(/drafted from your template instead/);
    expect(await traced('ai.test')).toMatchObject({ ok: false, kind: 'auth' });

    const port = await closedPort();
    await traced('ai.set', { baseURL: `http://127.0.0.1:${port}/v1` });
    const down = await traced('drafts.create', { customerId, mode: 'auto' });
    expect(down.source).toBe('template');
    expect(down.notice).toMatch(/127\.0\.0\.1/);
    expect(down.notice).toMatch(/template instead/);
    await traced('ai.setKey', { key: KEY });
    await traced('ai.set', { provider: 'off' });
  });

  it('never lets the key out: not in outputs, events, settle.db bytes or the audit log', async () => {
    expect(await secrets.get(AI_KEY_NAME)).toBe(KEY);
    const everything = JSON.stringify({ outputs, events: log.all, audit: readAudit(core.db, { limit: 100_000 }) });
    for (const k of [KEY, WRONG_KEY]) expect(everything).not.toContain(k);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [DB_FILE, `${DB_FILE}-wal`]) {
      const path = join(dir.path, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      for (const k of [KEY, WRONG_KEY]) expect(bytes.includes(Buffer.from(k)), `${file} holds the key`).toBe(false);
    }
  });

  it('refuses to submit for a customer with no email, with a clear message', async () => {
    core.db.prepare('UPDATE customers SET email = NULL WHERE id = ?').run(customerId);
    const draft: DraftView = await traced('drafts.create', { customerId });
    expect(draft.customer.email).toBeNull();
    await expect(traced('drafts.submit', { draftId: draft.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/has no email address/) as unknown,
    });
    expect((await traced('drafts.get', { draftId: draft.id })).status).toBe('draft');
  });

  it('validates templates and resets them', async () => {
    await expect(traced('templates.set', { tone: 'friendly', subject: 'Hi {{nope}}', body: 'Body' })).rejects.toMatchObject({ code: 'invalid_input' });
    const set = await traced('templates.set', { tone: 'friendly', subject: 'About {{invoice.label}}', body: 'Hello {{customer.contact}},\n\n{{invoice.list}}' });
    expect(set.templates.find((t) => t.tone === 'friendly')).toMatchObject({ custom: true, subject: 'About {{invoice.label}}' });
    expect(set.placeholders.length).toBeGreaterThan(5);
    const reset = await traced('templates.reset', { tone: 'friendly' });
    expect(reset.templates.find((t) => t.tone === 'friendly')?.custom).toBe(false);
  });
});
