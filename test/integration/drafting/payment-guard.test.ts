// The payment-instruction and contact guard end to end (issue 11 §1): a scripted model answer
// becomes an AI draft of the demo company, is submitted with "Auto-send low risk" on, and must
// never reach the outbox unless the owner overrides it with a reason, and even then the rule
// does not send it: only the owner can approve a draft with a flag. A clean answer for the same
// low-risk customer is auto-approved, so the block comes from the guard, not the set-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai-server';
import { tempDir } from '../../support/tmp';
import { openCore, type Opened } from '../core/helpers';
import { CLEAN, DEV, HELD_OUT } from './payment-guard.corpus';

const KEY = 'sk-settle-guard-3f81c0';
/** The kinds a payment instruction or contact detail is reported as. */
const GUARDED = new Set(['account', 'phone', 'handle', 'claim', 'words', 'hidden', 'email', 'link', 'amount', 'percent']);

const answer = (sentence: string): string => `Subject: A note about your account\n\nHello,\n\n${sentence}\n\nThank you,\nThe accounts team`;

describe('payment-instruction and contact guard, model answer to outbox', () => {
  let fake: FakeOpenAi;
  let dir: ReturnType<typeof tempDir>;
  let o: Opened;
  let customerId: number;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
    dir = tempDir();
    o = openCore(dir.path, { demoInvoices: 300, secrets: memorySecretStore(), env: {} });
    await o.call('ai.set', { provider: 'compatible', baseURL: fake.baseURL, model: 'gpt-fake-1' });
    await o.call('ai.setKey', { key: KEY });
    // Auto-send low risk with every other rule opened wide: only the fact-check can stop it.
    await o.call('rules.set', {
      phase: 'auto_low',
      autoLowThreshold: 1e9,
      autoLowDailyCap: 1000,
      amountThreshold: 1e9,
      quietDays: 0,
      maxRemindersPer30Days: 30,
      sendWindow: { startHour: 0, endHour: 24, days: [1, 2, 3, 4, 5, 6, 7] },
    });
    // One customer with an address, made low risk by the owner's override, so the rule may act.
    const row = (await o.call('board.get', { scope: 'overdue', limit: 500 })).queue.rows.find((r) => r.email && !r.disputed);
    expect(row).toBeDefined();
    customerId = row!.customerId;
    await o.call('scores.override', { customerId, tier: 'low', reason: 'Pays reliably' });
  });
  afterAll(async () => {
    o.core.close();
    dir.cleanup();
    await fake.close();
  });

  const outboxDraftIds = async (): Promise<number[]> => (await o.call('outbox.list', { limit: 500 })).items.map((i) => i.draftId);

  it.each([...DEV, ...HELD_OUT].map((s) => [s]))('never sends without an owner: %s', async (sentence) => {
    fake.reply(answer(sentence));
    const draft = await o.call('drafts.create', { customerId, mode: 'ai' });
    expect(draft.source).toBe('ai');
    const flags = draft.findings.filter((f) => f.status !== 'ok');
    expect(flags.length, JSON.stringify(draft.findings)).toBeGreaterThan(0);
    expect(flags.some((f) => GUARDED.has(f.kind)), JSON.stringify(flags)).toBe(true);

    await expect(o.call('drafts.submit', { draftId: draft.id })).rejects.toMatchObject({ code: 'conflict' });
    const submitted = await o.call('drafts.submit', { draftId: draft.id, overrideReason: 'Checked with the customer' });
    expect(submitted.status).toBe('pending_approval'); // the rule never approves a flagged draft
    expect(await outboxDraftIds()).not.toContain(draft.id);
    await o.call('drafts.cancel', { draftId: draft.id });
  });

  it("lets the owner's own payment details through (Settings → Payment details), and nothing else", async () => {
    await o.call('paymentDetails.set', {
      bankDetails: 'IBAN GB29 NWBK 6016 1331 9268 19, BIC NWBKGB2L',
      phone: '+44 20 7946 0958',
      replyTo: 'accounts@harborlane.com',
      payLink: 'https://pay.harborlane.com/settle',
    });
    try {
      fake.reply(
        answer(
          'You can pay by transfer to IBAN GB29 NWBK 6016 1331 9268 19 (BIC NWBKGB2L) or online at https://pay.harborlane.com/settle. Questions: accounts@harborlane.com or +44 20 7946 0958.',
        ),
      );
      const draft = await o.call('drafts.create', { customerId, mode: 'ai' });
      expect(draft.findings.filter((f) => f.status !== 'ok')).toEqual([]);
      expect(draft.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['account', 'link', 'email', 'phone']));
      expect((await o.call('drafts.submit', { draftId: draft.id })).status).toBe('approved');
      const item = (await o.call('outbox.list', { limit: 500 })).items.find((i) => i.draftId === draft.id)!;
      await o.call('outbox.cancel', { itemId: item.id });

      // One changed digit in the same IBAN is someone else's account.
      fake.reply(answer('Pay by transfer to IBAN GB29 NWBK 6016 1331 9268 18.'));
      const changed = await o.call('drafts.create', { customerId, mode: 'ai' });
      expect(changed.findings.filter((f) => f.status !== 'ok').map((f) => f.kind)).toEqual(['account']);
      await o.call('drafts.cancel', { draftId: changed.id });
    } finally {
      await o.call('paymentDetails.set', { bankDetails: null, phone: null, replyTo: null, payLink: null });
    }
  });

  it.each(CLEAN.map((s) => [s]))('lets a clean answer through to auto-send: %s', async (sentence) => {
    fake.reply(answer(sentence));
    const draft = await o.call('drafts.create', { customerId, mode: 'ai' });
    expect(draft.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    const submitted = await o.call('drafts.submit', { draftId: draft.id });
    expect(submitted.status).toBe('approved');
    expect(await outboxDraftIds()).toContain(draft.id);
    const item = (await o.call('outbox.list', { limit: 500 })).items.find((i) => i.draftId === draft.id)!;
    await o.call('outbox.cancel', { itemId: item.id });
  });
});
