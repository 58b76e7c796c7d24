// The outbox on the demo company (real settle.db, in-process transport, a clock the test moves):
// approval queues each draft in the same transaction with a unique key and its text frozen; a
// batch of 50 queues 50; a draft without an address or with an oversized body is refused per item
// with nothing written; the manual channel waits for "I sent it" with copy text and a mailto:
// link; a payment or a balance change seen in the ledger cancels or holds what was not sent yet,
// with a redraft path; auto-send waits 10 minutes, can be cancelled, and its daily cap survives a
// restart; the SMTP channel delivers exactly one message to the fake server and retries a 4xx
// reply with backoff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import type { Clock } from '../../../src/main/core/ports';
import { MAX_BODY_CHARS } from '../../../src/main/core/drafting/templates';
import { AUTO_SEND_DELAY_MS, backoffMs } from '../../../src/main/core/outreach/outbox/outbox';
import type { OutboxChanged } from '../../../src/shared/outbox';
import type { QueueRow } from '../../../src/shared/model';
import { startFakeSmtp, type FakeSmtp } from '../../fakes/smtp-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

// Wednesday 15:00 UTC: inside the default send window.
let nowMs = Date.parse('2026-11-18T15:00:00Z');
const clock: Clock = { now: () => new Date(nowMs), timeZone: () => 'UTC' };
const advance = (ms: number): void => {
  nowMs += ms;
};

describe('the outbox on the demo company', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let rows: QueueRow[];
  let next = 0;
  const events: OutboxChanged[] = [];

  const open = (): void => {
    core = createCore({ dataDir: dir.path, clock, env: {}, demoInvoices: 8000 });
    core.start();
    core.events.on('outbox.changed', (p) => events.push(p));
    call = inProcess(core);
  };

  /** Drafts (template) and submits reminders for the next `n` customers with an address; returns the draft ids. */
  const submitNext = async (n: number): Promise<number[]> => {
    const ids: number[] = [];
    for (const c of rows.slice(next, next + n)) {
      const d = await call('drafts.create', { customerId: c.customerId, mode: 'template' });
      await call('drafts.submit', { draftId: d.id });
      ids.push(d.id);
    }
    next += n;
    return ids;
  };
  const count = (sql: string, ...params: unknown[]): number => core.db.prepare(sql).pluck().get(...params) as number;
  const auditCount = (): number => count('SELECT COUNT(*) FROM audit_log');

  beforeAll(async () => {
    dir = tempDir();
    open();
    const board = await call('board.get', { scope: 'overdue', limit: 500 });
    rows = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0);
    expect(rows.length).toBeGreaterThanOrEqual(75);
  });

  afterAll(async () => {
    await core.shutdown();
    dir.cleanup();
  });

  it('approving 50 drafts queues 50 items in one call, each with its own key and the approved text', async () => {
    const ids = await submitNext(50);
    const result = await call('approvals.approve', { draftIds: ids, channel: 'manual' });
    expect(result.done).toBe(50);
    const view = await call('outbox.list', { limit: 500 });
    expect(view.counts.queued).toBe(50);
    expect(view.items).toHaveLength(50);
    const keys = core.db.prepare('SELECT idempotency_key FROM outbox').pluck().all() as string[];
    expect(new Set(keys).size).toBe(50);
    for (const item of view.items.slice(0, 5)) {
      const draft = await call('drafts.get', { draftId: item.draftId });
      expect(draft.status).toBe('approved');
      expect(item).toMatchObject({ state: 'queued', channel: 'manual', approvedBy: 'owner', subject: draft.subject, body: draft.body, attempts: 0 });
      expect(item.recipients).toEqual([draft.customer.email]);
      expect(item.invoices.map((i) => i.number)).toEqual(draft.invoices.map((i) => i.number));
      expect(item.invoices.map((i) => i.balanceCents)).toEqual(draft.invoices.map((i) => i.balanceCents));
    }
    expect(readAudit(core.db, { limit: 1000 }).filter((r) => r.action === 'outbox.queue')).toHaveLength(50);
    // Events carry ids and a reason only.
    const queued = events.filter((e) => e.reason === 'queued');
    expect(queued).toHaveLength(50);
    for (const e of queued) expect(Object.keys(e).sort()).toEqual(['connectionId', 'itemIds', 'reason']);
    expect(verifyAudit(core.db).ok).toBe(true);
  });

  it('the manual channel waits for "I sent it" with the text to copy and a mailto: link, then records the send', async () => {
    const processed = await call('outbox.process');
    expect(processed).toMatchObject({ awaitingOwner: 50, sent: 0 });
    const [item] = (await call('outbox.list', { state: 'awaiting_owner', limit: 1 })).items;
    expect(item!.manual!.text).toContain(item!.subject);
    expect(item!.manual!.text).toContain(item!.body.trim().split('\n')[0]);
    expect(new URL(item!.manual!.mailto).searchParams.get('subject')).toBe(item!.subject);
    expect(item!.can).toMatchObject({ confirmSent: true, cancel: true, requeue: false });
    const notesBefore = count("SELECT COUNT(*) FROM notes WHERE customer_id = ? AND kind = 'reminder'", item!.customer.id);
    const sent = await call('outbox.confirmSent', { itemId: item!.id });
    expect(sent).toMatchObject({ state: 'sent', messageId: expect.stringContaining('manual:') as unknown, sentAt: clock.now().toISOString() });
    // The reminder is contact history now (quiet period, reminders per invoice).
    expect(count("SELECT COUNT(*) FROM notes WHERE customer_id = ? AND kind = 'reminder'", item!.customer.id)).toBe(notesBefore + item!.invoices.length);
    const audit = readAudit(core.db, { entity: 'outbox', entityId: item!.id });
    expect(audit.map((a) => a.action)).toEqual(['outbox.sent', 'outbox.confirm', 'outbox.queue']);
    expect(audit[0]!.detail).toMatchObject({ channel: 'manual', recipients: item!.recipients });
    await expect(call('outbox.confirmSent', { itemId: item!.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses, per item and with nothing written, a draft without an address, an oversized body and a channel the company lacks', async () => {
    const [good, noEmail, huge, ledger] = await submitNext(4);
    core.db.prepare('UPDATE drafts SET to_email = NULL WHERE id = ?').run(noEmail);
    core.db.prepare('UPDATE drafts SET body = ? WHERE id = ?').run('x'.repeat(MAX_BODY_CHARS + 1), huge);
    const before = { audit: auditCount(), outbox: count('SELECT COUNT(*) FROM outbox') };
    const smtp = await call('approvals.approve', { draftIds: [noEmail!], channel: 'smtp' });
    expect(smtp.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/no email address/) as unknown });
    const viaLedger = await call('approvals.approve', { draftIds: [noEmail!], channel: 'ledger' });
    expect(viaLedger.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/no email address/) as unknown });
    const big = await call('approvals.approve', { draftIds: [huge!], channel: 'manual' });
    expect(big.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`longer than ${MAX_BODY_CHARS}`)) as unknown });
    const noLedger = await call('approvals.approve', { draftIds: [ledger!], channel: 'ledger' });
    expect(noLedger.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/no QuickBooks or Xero ledger/) as unknown });
    expect(auditCount()).toBe(before.audit);
    expect(count('SELECT COUNT(*) FROM outbox')).toBe(before.outbox);
    for (const id of [noEmail!, huge!, ledger!]) expect((await call('drafts.get', { draftId: id })).status).toBe('pending_approval');
    // In a batch the others still go; copying into the mail app needs no address from the ledger.
    const mixed = await call('approvals.approve', { draftIds: [good!, noEmail!, huge!], channel: 'manual' });
    expect(mixed.done).toBe(2);
    expect(mixed.results.filter((r) => r.ok).map((r) => r.draftId)).toEqual([good, noEmail]);
    const manual = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === noEmail)!;
    expect(manual.recipients).toEqual([]);
    expect(manual.manual!.mailto.startsWith('mailto:?subject=')).toBe(true);
    await call('approvals.reject', { draftIds: [huge!, ledger!] });
  });

  it('a payment seen in the ledger cancels what was not sent yet; a changed balance holds it for a redraft', async () => {
    const [paidDraft, changedDraft] = await submitNext(2);
    await call('approvals.approve', { draftIds: [paidDraft!, changedDraft!], channel: 'manual' });
    const items = (await call('outbox.list', { state: 'queued' })).items;
    const paid = items.find((i) => i.draftId === paidDraft)!;
    const changed = items.find((i) => i.draftId === changedDraft)!;
    const conn = core.activeConnectionId();
    const today = clock.now().toISOString().slice(0, 10);
    // The ledger moves (as a sync writes it): every invoice of one is paid, one of the other's is part paid.
    const pay = (invoiceId: number, cents: number, paidInFull: boolean): void => {
      const inv = core.db.prepare('SELECT customer_id AS customerId, currency, balance_cents AS balance FROM invoices WHERE id = ?').get(invoiceId) as {
        customerId: number;
        currency: string;
        balance: number;
      };
      const paymentId = core.db
        .prepare(
          `INSERT INTO payments (connection_id, external_id, customer_id, date, currency, amount_cents, reference, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'CHK-77', ?) RETURNING id`,
        )
        .pluck()
        .get(conn, `test-pay-${invoiceId}`, inv.customerId, today, inv.currency, cents, clock.now().toISOString()) as number;
      core.db.prepare('INSERT INTO payment_applications (payment_id, invoice_id, applied_on, amount_cents) VALUES (?, ?, ?, ?)').run(paymentId, invoiceId, today, cents);
      core.db
        .prepare('UPDATE invoices SET balance_cents = ?, status = ? WHERE id = ?')
        .run(inv.balance - cents, paidInFull ? 'paid' : 'open', invoiceId);
    };
    for (const inv of paid.invoices) pay(inv.id, inv.balanceCents, true);
    const first = changed.invoices[0]!;
    pay(first.id, Math.floor(first.balanceCents / 2), false);
    await call('scores.recompute');

    const afterPaid = await call('outbox.get', { itemId: paid.id });
    expect(afterPaid.state).toBe('cancelled');
    expect(afterPaid.blockReason).toContain(`Paid in the ledger on ${today}`);
    const afterChanged = await call('outbox.get', { itemId: changed.id });
    expect(afterChanged.state).toBe('blocked');
    expect(afterChanged.blockReason).toContain(first.number);
    expect(afterChanged.can.redraft).toBe(true);
    const byLedger = readAudit(core.db, { entity: 'outbox', entityId: paid.id })[0]!;
    expect(byLedger).toMatchObject({ actor: 'sync', action: 'outbox.cancel' });
    // Nothing held or cancelled is processed.
    await call('outbox.process');
    expect((await call('outbox.get', { itemId: paid.id })).state).toBe('cancelled');
    expect((await call('outbox.get', { itemId: changed.id })).state).toBe('blocked');

    const redraft = await call('outbox.redraft', { itemId: changed.id });
    expect(redraft.status).toBe('draft');
    expect(redraft.invoices.find((i) => i.id === first.id)?.balanceCents).toBe(first.balanceCents - Math.floor(first.balanceCents / 2));
    expect((await call('outbox.get', { itemId: changed.id })).state).toBe('cancelled');
    await call('drafts.cancel', { draftId: redraft.id });
  });

  it('a dispute opened after approval holds the reminder instead of sending it', async () => {
    const [id] = await submitNext(1);
    await call('approvals.approve', { draftIds: [id!], channel: 'manual' });
    const item = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === id)!;
    const inv = item.invoices[0]!;
    await call('disputes.open', { customerId: item.customer.id, invoiceIds: [inv.id], reason: 'quality' });
    await call('outbox.process');
    const held = await call('outbox.get', { itemId: item.id });
    expect(held.state).toBe('blocked');
    expect(held.blockReason).toBe(`${inv.number} is disputed now.`);
  });

  it('the owner can cancel a queued reminder; a sent one cannot be cancelled', async () => {
    const [id] = await submitNext(1);
    await call('approvals.approve', { draftIds: [id!], channel: 'manual' });
    const item = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === id)!;
    const cancelled = await call('outbox.cancel', { itemId: item.id, reason: 'Spoke to them on the phone' });
    expect(cancelled).toMatchObject({ state: 'cancelled', blockReason: 'Spoke to them on the phone' });
    expect(readAudit(core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ actor: 'owner', action: 'outbox.cancel' });
    const sent = (await call('outbox.list', { state: 'sent', limit: 1 })).items[0]!;
    await expect(call('outbox.cancel', { itemId: sent.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  describe('auto-send (auto_low)', () => {
    let lowRows: QueueRow[];

    beforeAll(async () => {
      // Only the tier decides here: every other rule is opened wide.
      await call('rules.set', {
        phase: 'auto_low',
        autoLowThreshold: 1e9,
        autoLowDailyCap: 2,
        amountThreshold: 1e9,
        quietDays: 0,
        maxRemindersPer30Days: 30,
        sendWindow: { startHour: 0, endHour: 24, days: [1, 2, 3, 4, 5, 6, 7] },
      });
      const board = await call('board.get', { scope: 'overdue', limit: 500, tiers: ['low'] });
      const used = new Set(rows.slice(0, next).map((r) => r.customerId));
      lowRows = board.queue.rows.filter((r) => r.email && !used.has(r.customerId));
      expect(lowRows.length).toBeGreaterThanOrEqual(5);
    });

    const submitLow = async (): Promise<number> => {
      const c = lowRows.shift()!;
      const d = await call('drafts.create', { customerId: c.customerId, mode: 'template' });
      return (await call('drafts.submit', { draftId: d.id })).id;
    };
    const itemOf = async (draftId: number) => (await call('outbox.list', { limit: 500 })).items.find((i) => i.draftId === draftId);

    it('approves a low-risk draft by rule on submit and holds it 10 minutes, cancellable', async () => {
      const a = await submitLow();
      expect((await call('drafts.get', { draftId: a })).status).toBe('approved');
      const item = (await itemOf(a))!;
      expect(item).toMatchObject({ approvedBy: 'rule', state: 'queued', notBefore: new Date(nowMs + AUTO_SEND_DELAY_MS).toISOString() });
      expect(readAudit(core.db, { entity: 'draft', entityId: a })[0]).toMatchObject({ actor: 'rule', action: 'draft.approve' });
      expect(await call('outbox.process')).toMatchObject({ awaitingOwner: 0, sent: 0 });
      advance(AUTO_SEND_DELAY_MS - 1000);
      expect((await call('outbox.get', { itemId: item.id })).state).toBe('queued');
      expect((await call('outbox.cancel', { itemId: item.id })).state).toBe('cancelled');
      advance(2000);
      await call('outbox.process');
      expect((await call('outbox.get', { itemId: item.id })).state).toBe('cancelled');
    });

    it('counts the daily cap from the table, so a restart does not reset it', async () => {
      const b = await submitLow();
      const c = await submitLow();
      const d = await submitLow();
      expect((await call('drafts.get', { draftId: b })).status).toBe('approved');
      expect((await call('drafts.get', { draftId: c })).status).toBe('approved');
      // The cancelled one does not count; b and c fill the cap of 2.
      expect((await call('drafts.get', { draftId: d })).status).toBe('pending_approval');

      await core.shutdown();
      open();
      const e = await submitLow();
      expect((await call('drafts.get', { draftId: e })).status).toBe('pending_approval');
      const view = await call('approvals.list');
      expect(view.items.find((i) => i.draft.id === e)?.eligible).toBe(false);

      // Ten minutes on, the rule's reminders go (manual channel: they wait for the owner).
      advance(AUTO_SEND_DELAY_MS);
      expect(await call('outbox.process')).toMatchObject({ awaitingOwner: 2 });
      await call('rules.set', { phase: 'approve' });
      await call('approvals.reject', { draftIds: [d, e] });
    });
  });

  describe('through SMTP (the fake mail server)', () => {
    let smtp: FakeSmtp;
    const USER = 'owner@juniper.example';

    beforeAll(async () => {
      smtp = await startFakeSmtp({ users: { [USER]: 'pw-outbox-test' } });
      await call('email.set', { host: smtp.host, port: smtp.port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Juniper & Finch' });
      await call('email.setPassword', { password: 'pw-outbox-test' });
    });
    afterAll(async () => {
      await smtp.close();
    });

    it('defaults to email once it is set up, and delivers exactly one message with the approved text and Message-ID', async () => {
      expect((await call('outbox.settings')).defaultChannel).toBe('smtp');
      const [id] = await submitNext(1);
      await call('approvals.approve', { draftIds: [id!] });
      const item = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === id)!;
      expect(item.channel).toBe('smtp');
      expect(await call('outbox.process')).toMatchObject({ sent: 1 });
      expect(smtp.messages).toHaveLength(1);
      const mail = smtp.messages[0]!;
      expect(mail.envelope.to).toEqual(item.recipients);
      expect(mail.subject).toBe(item.subject);
      expect(mail.text.replace(/\r\n/g, '\n').trim()).toBe(item.body.trim());
      const sent = await call('outbox.get', { itemId: item.id });
      expect(sent.state).toBe('sent');
      expect(mail.messageId).toBe(sent.messageId);
      // A second pass sends nothing more.
      await call('outbox.process');
      expect(smtp.messages).toHaveLength(1);
      expect(readAudit(core.db, { entity: 'outbox', entityId: item.id })[0]!.detail).toMatchObject({ channel: 'smtp', messageId: sent.messageId, recipients: item.recipients });
    });

    it('attaches each invoice as a PDF when asked (the local ledger prints it for the demo company); the mail app link cannot', async () => {
      smtp.reset();
      const [id, viaApp] = await submitNext(2);
      for (const draftId of [id!, viaApp!]) expect((await call('drafts.setOptions', { draftId, attachPdf: true })).attachPdf).toBe(true);
      const refused = await call('approvals.approve', { draftIds: [viaApp!], channel: 'manual' });
      expect(refused.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/PDF/) as unknown });
      await call('approvals.reject', { draftIds: [viaApp!] });
      await call('approvals.approve', { draftIds: [id!], channel: 'smtp' });
      const item = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === id)!;
      expect(item.attachPdf).toBe(true);
      expect(await call('outbox.process')).toMatchObject({ sent: 1 });
      const mail = smtp.messages[0]!;
      expect(mail.attachments.map((a) => a.filename)).toEqual(item.invoices.map((i) => `${i.number}.pdf`));
      for (const [i, a] of mail.attachments.entries()) {
        expect(a.contentType).toMatch(/application\/pdf/);
        const text = a.content.toString('latin1');
        expect(text.startsWith('%PDF-1.4')).toBe(true);
        expect(text).toContain(`Invoice ${item.invoices[i]!.number}`);
        expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      }
    });

    it('retries a 4xx reply with backoff and then sends once; a 5xx fails for good until re-queued', async () => {
      smtp.reset();
      const [t, p] = await submitNext(2);
      await call('approvals.approve', { draftIds: [t!, p!], channel: 'smtp' });
      const list = (await call('outbox.list', { state: 'queued' })).items;
      const transient = list.find((i) => i.draftId === t)!;
      const permanent = list.find((i) => i.draftId === p)!;
      await call('outbox.cancel', { itemId: permanent.id });
      smtp.failNext({ stage: 'rcpt', code: 451, message: 'Greylisted, try again later' });
      expect(await call('outbox.process')).toMatchObject({ retrying: 1, sent: 0 });
      const waiting = await call('outbox.get', { itemId: transient.id });
      expect(waiting).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: new Date(nowMs + backoffMs(1)).toISOString() });
      expect(waiting.lastError).toContain('451');
      expect(smtp.messages).toHaveLength(0);
      // Not before its time…
      expect(await call('outbox.process')).toMatchObject({ sent: 0 });
      advance(backoffMs(1));
      expect(await call('outbox.process')).toMatchObject({ sent: 1 });
      expect(smtp.messages).toHaveLength(1);
      expect((await call('outbox.get', { itemId: transient.id })).attempts).toBe(2);
      expect(readAudit(core.db, { entity: 'outbox', entityId: transient.id }).map((a) => a.action)).toEqual(['outbox.sent', 'outbox.retry', 'outbox.queue']);

      const [q] = await submitNext(1);
      await call('approvals.approve', { draftIds: [q!], channel: 'smtp' });
      const item = (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === q)!;
      smtp.failNext({ stage: 'rcpt', code: 550, message: 'No such mailbox' });
      expect(await call('outbox.process')).toMatchObject({ failed: 1 });
      const failed = await call('outbox.get', { itemId: item.id });
      expect(failed).toMatchObject({ state: 'failed', can: { requeue: true } });
      expect(failed.lastError).toContain('550');
      await call('outbox.requeue', { itemId: item.id });
      expect(await call('outbox.process')).toMatchObject({ sent: 1 });
      expect(smtp.messages).toHaveLength(2);
    });
  });
});
