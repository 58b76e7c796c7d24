// The outbox never sends twice (issue 11 §2): when the SMTP server took the message data and its
// answer was lost (the connection dropped, or it never answered), the reminder may have gone out,
// so it becomes "may have been sent — confirm" with exactly one delivery, and no later pass sends
// it again on its own; the owner confirms it or sends it again. A failure before DATA (a 421
// greeting, a refused RCPT) is retried or failed as before, with nothing delivered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import type { Clock } from '../../../src/main/core/ports';
import { backoffMs } from '../../../src/main/core/outreach/outbox/outbox';
import type { QueueRow } from '../../../src/shared/model';
import type { OutboxItemView } from '../../../src/shared/outbox';
import { startFakeSmtp, type FakeSmtp } from '../../fakes/smtp-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

// Wednesday 15:00 UTC: inside the default send window.
let nowMs = Date.parse('2026-11-18T15:00:00Z');
const clock: Clock = { now: () => new Date(nowMs), timeZone: () => 'UTC' };
const DAY = 24 * 60 * 60 * 1000;

describe('the outbox when the SMTP answer is lost after DATA', () => {
  const USER = 'owner@juniper.example';
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let smtp: FakeSmtp;
  let rows: QueueRow[];
  let next = 0;

  /** Drafts, submits and approves (by email) a reminder to the next customer with an address. */
  const queueOne = async (): Promise<OutboxItemView> => {
    const c = rows[next++]!;
    const d = await call('drafts.create', { customerId: c.customerId, mode: 'template' });
    await call('drafts.submit', { draftId: d.id });
    await call('approvals.approve', { draftIds: [d.id], channel: 'smtp' });
    return (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === d.id)!;
  };

  /** Time passes well beyond any retry, and passes run: nothing more goes out on its own. */
  const laterPassesSendNothing = async (itemId: number, delivered: number): Promise<void> => {
    for (let i = 1; i <= 5; i++) {
      nowMs += backoffMs(i) + DAY;
      expect(await call('outbox.process')).toMatchObject({ sent: 0, retrying: 0, failed: 0, unconfirmed: 0 });
    }
    expect(smtp.messages).toHaveLength(delivered);
    expect(await call('outbox.get', { itemId })).toMatchObject({ state: 'unconfirmed', nextAttemptAt: null });
  };

  beforeAll(async () => {
    dir = tempDir();
    // A short socket timeout, so "never answers" ends in a test's time.
    core = createCore({ dataDir: dir.path, clock, env: {}, demoInvoices: 2000, smtp: { timeouts: { socketMs: 600 } } });
    core.start();
    call = inProcess(core);
    smtp = await startFakeSmtp({ users: { [USER]: 'pw-lost-answer' } });
    await call('email.set', { host: smtp.host, port: smtp.port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Juniper & Finch' });
    await call('email.setPassword', { password: 'pw-lost-answer' });
    const board = await call('board.get', { scope: 'overdue', limit: 500 });
    rows = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0);
    expect(rows.length).toBeGreaterThanOrEqual(8);
  });
  afterAll(async () => {
    await core.shutdown();
    await smtp.close();
    dir.cleanup();
  });
  beforeEach(() => smtp.reset());

  for (const fault of ['drop', 'silent'] as const) {
    const what = fault === 'drop' ? 'drops the connection' : 'never answers';
    it(`a server that ${what} after DATA: one delivery, "may have been sent — confirm", never retried`, async () => {
      const item = await queueOne();
      smtp.afterData(fault);
      expect(await call('outbox.process')).toMatchObject({ unconfirmed: 1, retrying: 0, failed: 0, sent: 0 });
      expect(smtp.messages).toHaveLength(1);
      const mail = smtp.messages[0]!;
      expect(mail.envelope.to).toEqual(item.recipients);

      const got = await call('outbox.get', { itemId: item.id });
      expect(got).toMatchObject({ state: 'unconfirmed', attempts: 1, nextAttemptAt: null, can: { confirmSent: true, requeue: true } });
      expect(got.lastError).toContain(fault === 'drop' ? 'dropped the connection' : 'did not answer');
      expect(got.lastError).toContain('may have gone out');
      const audit = readAudit(core.db, { entity: 'outbox', entityId: item.id });
      expect(audit.map((a) => a.action)).toEqual(['outbox.interrupted', 'outbox.queue']);
      expect(audit[0]!.detail).toMatchObject({ channel: 'smtp', attempts: 1, key: expect.any(String) as unknown, error: got.lastError });

      await laterPassesSendNothing(item.id, 1);

      // The owner checked the sent mail: it went out.
      const confirmed = await call('outbox.confirmSent', { itemId: item.id });
      expect(confirmed.state).toBe('sent');
      expect(smtp.messages).toHaveLength(1);
      expect(verifyAudit(core.db).ok).toBe(true);
    });
  }

  it('only the owner sends it again: a requeue goes out once more with the same Message-ID', async () => {
    const item = await queueOne();
    smtp.afterData('drop');
    expect(await call('outbox.process')).toMatchObject({ unconfirmed: 1 });
    await laterPassesSendNothing(item.id, 1);
    await call('outbox.requeue', { itemId: item.id });
    expect(await call('outbox.process')).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.messageId).toBe(smtp.messages[0]!.messageId);
    expect((await call('outbox.get', { itemId: item.id })).messageId).toBe(smtp.messages[0]!.messageId);
  });

  it('a failure before DATA is retried as before: a 421 greeting, then a refused RCPT (451 retried, 550 failed)', async () => {
    for (const fault of [
      { stage: 'connect', code: 421, message: 'Too busy, try later' },
      { stage: 'rcpt', code: 451, message: 'Greylisted, try again later' },
    ] as const) {
      smtp.reset();
      const item = await queueOne();
      smtp.failNext(fault);
      expect(await call('outbox.process')).toMatchObject({ retrying: 1, unconfirmed: 0, sent: 0 });
      expect(smtp.messages).toHaveLength(0);
      const waiting = await call('outbox.get', { itemId: item.id });
      expect(waiting).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: new Date(nowMs + backoffMs(1)).toISOString() });
      expect(waiting.lastError).toContain(String(fault.code));
      nowMs += backoffMs(1);
      expect(await call('outbox.process')).toMatchObject({ sent: 1 });
      expect(smtp.messages).toHaveLength(1);
      expect(readAudit(core.db, { entity: 'outbox', entityId: item.id }).map((a) => a.action)).toEqual(['outbox.sent', 'outbox.retry', 'outbox.queue']);
    }

    smtp.reset();
    const refused = await queueOne();
    smtp.failNext({ stage: 'rcpt', code: 550, message: 'No such mailbox' });
    expect(await call('outbox.process')).toMatchObject({ failed: 1, unconfirmed: 0 });
    expect(await call('outbox.get', { itemId: refused.id })).toMatchObject({ state: 'failed', can: { requeue: true } });
    expect(smtp.messages).toHaveLength(0);
  });
});
