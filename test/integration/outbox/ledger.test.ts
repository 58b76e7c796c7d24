// The outbox against the QuickBooks and Xero emulators (real settle.db, the app's own clients,
// limiter and token handling): approve → queue → the ledger's own invoice email, with QBO
// `requestid` / Xero `Idempotency-Key` so a retried send is replayed, not repeated; the re-check
// holds a send when the invoice was paid after approval; an item left in `sending` by a crash is
// never re-sent on its own and a re-queue replays what had gone; the write-back survives QBO's
// 5010 stale SyncToken and stays within Xero's 250-character History note; QBO's InvoiceLink goes
// into an emailed reminder when the pay-link toggle is on.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import type { Clock } from '../../../src/main/core/ports';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import type { OutboxItemView } from '../../../src/shared/outbox';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { tinyPdf } from '../../fakes/pdf';
import { startFakeSmtp } from '../../fakes/smtp-server';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { headlessTokens } from '../qbo/helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface World {
  core: Core;
  call: InProcess;
  dir: string;
  secrets: MemorySecretStore;
  clock: Clock;
  deps: Parameters<typeof createCore>[0];
}

function openCore(deps: Parameters<typeof createCore>[0]): { core: Core; call: InProcess } {
  const core = createCore(deps);
  core.start();
  cleanups.push(() => core.shutdown());
  return { core, call: inProcess(core) };
}

async function qboWorld(): Promise<World & { qbo: QboServer }> {
  const qbo = await startQboServer({ today: '2025-06-15', invoices: 300, rateLimit: false });
  cleanups.push(() => qbo.close());
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const secrets = memorySecretStore();
  const clock: Clock = { now: () => qbo.now(), timeZone: () => 'America/Los_Angeles' };
  const deps = { dataDir: tmp.path, clock, autoDemo: false, autoSync: false, secrets, env: {}, qbo: { apiBase: qbo.apiBase, oauthBase: qbo.oauthBase, environment: 'sandbox' as const } };
  const { core, call } = openCore(deps);
  await core.connectQboWithTokens(headlessTokens(qbo));
  const run = await call('sync.run', {});
  expect(run.runs[0]!.status).toBe('ok');
  return { qbo, core, call, dir: tmp.path, secrets, clock, deps };
}

async function xeroWorld(): Promise<World & { x: XeroServer }> {
  const x = await startXeroServer({ today: '2025-06-15', tenants: 1, invoices: 200, rateLimit: false });
  cleanups.push(() => x.close());
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const secrets = memorySecretStore();
  const clock: Clock = { now: () => x.now(), timeZone: () => 'UTC' };
  const deps = { dataDir: tmp.path, clock, autoDemo: false, autoSync: false, secrets, env: {}, xero: { apiBase: x.apiBase, identityBase: x.identityBase } };
  const { core, call } = openCore(deps);
  const t = x.issueTokens();
  await core.connectXeroWithTokens({
    accessToken: t.access_token,
    refreshToken: t.refresh_token!,
    expiresAt: new Date(x.now().getTime() + t.expires_in * 1000).toISOString(),
    tenantId: x.tenantId,
    clientId: x.clientId,
  });
  const run = await call('sync.run', {});
  expect(run.runs[0]!.status).toBe('ok');
  return { x, core, call, dir: tmp.path, secrets, clock, deps };
}

/** Drafts, submits and approves a reminder for the `nth` overdue customer with an address (optionally with several invoices). */
async function approveOne(
  w: { call: InProcess },
  opts: { channel: 'ledger' | 'smtp' | 'manual'; nth?: number; minInvoices?: number; payLink?: boolean; attachPdf?: boolean },
): Promise<OutboxItemView> {
  const board = await w.call('board.get', { scope: 'overdue', limit: 500 });
  const rows = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0 && r.invoices.filter((i) => i.daysOverdue > 0).length >= (opts.minInvoices ?? 1));
  const row = rows[opts.nth ?? 0]!;
  expect(row).toBeDefined();
  const d = await w.call('drafts.create', { customerId: row.customerId, mode: 'template' });
  if (opts.payLink || opts.attachPdf) await w.call('drafts.setOptions', { draftId: d.id, payLink: opts.payLink ?? false, attachPdf: opts.attachPdf ?? false });
  await w.call('drafts.submit', { draftId: d.id, ...(d.flagged > 0 ? { overrideReason: 'Checked by hand' } : {}) });
  const result = await w.call('approvals.approve', { draftIds: [d.id], channel: opts.channel });
  expect(result.results[0]).toMatchObject({ ok: true });
  return (await w.call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === d.id)!;
}

const externalId = (core: Core, invoiceId: number): string =>
  core.db.prepare('SELECT external_id FROM invoices WHERE id = ?').pluck().get(invoiceId) as string;

describe('the ledger channel on QuickBooks', () => {
  it("sends each invoice through QBO's /send with a requestid; a dropped answer is retried and replayed, not sent twice", async () => {
    const w = await qboWorld();
    const item = await approveOne(w, { channel: 'ledger' });
    expect(item.channelLabel).toMatch(/standard invoice email/);
    w.qbo.requests.reset();
    // The first /send is processed, then its answer is lost: the client retries with the same requestid.
    w.qbo.faults.pathPattern = /\/send$/;
    w.qbo.faults.queue = ['dropAfterCommit'];
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    const sent = await w.call('outbox.get', { itemId: item.id });
    expect(sent.state).toBe('sent');
    const key = w.core.db.prepare('SELECT idempotency_key FROM outbox WHERE id = ?').pluck().get(item.id) as string;
    const sends = w.qbo.requests.log.filter((r) => r.path.endsWith('/send'));
    expect(sends.length).toBe(item.invoices.length + 1);
    expect(sends[0]!.query.requestid).toBe(`${key}-1`);
    expect(sends[1]!.query.requestid).toBe(`${key}-1`);
    // One email per invoice in the emulator's outbox, however many tries.
    const docs = w.qbo.outbox.map((o) => o.docNumber).sort();
    expect(docs).toEqual(item.invoices.map((i) => i.number).sort());
    // The re-check read each invoice once before sending.
    const reads = w.qbo.requests.log.filter((r) => /\/invoice\/[^/]+$/.test(r.path));
    expect(reads).toHaveLength(item.invoices.length);
    const audit = readAudit(w.core.db, { entity: 'outbox', entityId: item.id })[0]!;
    expect(audit).toMatchObject({ action: 'outbox.sent', detail: { channel: 'ledger', messageId: sent.messageId } });
    expect(verifyAudit(w.core.db).ok).toBe(true);
  });

  it('holds the send when QuickBooks shows the invoice paid after approval, and offers a redraft', async () => {
    const w = await qboWorld();
    const item = await approveOne(w, { channel: 'ledger' });
    const inv = item.invoices[0]!;
    w.qbo.payInvoice(externalId(w.core, inv.id));
    w.qbo.requests.reset();
    expect(await w.call('outbox.process')).toMatchObject({ blocked: 1, sent: 0 });
    const held = await w.call('outbox.get', { itemId: item.id });
    expect(held).toMatchObject({ state: 'blocked', can: { redraft: true, cancel: true } });
    expect(held.blockReason).toContain(`${inv.number} has been paid`);
    expect(w.qbo.outbox).toHaveLength(0);
    expect(w.qbo.requests.log.filter((r) => r.path.endsWith('/send'))).toHaveLength(0);
    expect(readAudit(w.core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ actor: 'system', action: 'outbox.block' });
  });

  it('never re-sends on its own an item Settle stopped in the middle of; a re-queue replays what had gone', async () => {
    const w = await qboWorld();
    const item = await approveOne(w, { channel: 'ledger', minInvoices: 2 });
    expect(item.invoices.length).toBeGreaterThanOrEqual(2);
    const key = w.core.db.prepare('SELECT idempotency_key FROM outbox WHERE id = ?').pluck().get(item.id) as string;
    // The previous run sent the first invoice, then died before recording anything.
    const token = w.qbo.issueTokens().access_token;
    const first = externalId(w.core, item.invoices[0]!.id);
    const res = await fetch(`${w.qbo.apiBase}/v3/company/${w.qbo.realmId}/invoice/${first}/send?requestid=${key}-1&minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    w.core.db.prepare("UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = ?").run(item.id);
    await w.core.shutdown();

    const { core, call } = openCore(w.deps);
    const after = await call('outbox.get', { itemId: item.id });
    expect(after).toMatchObject({ state: 'unconfirmed', stateLabel: 'May have been sent — confirm', can: { confirmSent: true, requeue: true } });
    expect(readAudit(core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ action: 'outbox.interrupted' });
    expect(await call('outbox.process')).toMatchObject({ sent: 0 });
    expect(w.qbo.outbox).toHaveLength(1);

    await call('outbox.requeue', { itemId: item.id });
    expect(readAudit(core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ actor: 'owner', action: 'outbox.requeue' });
    expect(await call('outbox.process')).toMatchObject({ sent: 1 });
    // Each invoice emailed exactly once: the first was replayed from its requestid.
    const docs = w.qbo.outbox.map((o) => o.docNumber).sort();
    expect(docs).toEqual(item.invoices.map((i) => i.number).sort());
  });

  it('writes the note back to PrivateNote, re-reading after a 5010 stale SyncToken, and keeps the other edit', async () => {
    const w = await qboWorld();
    await w.call('outbox.configure', { writeBack: { connectionId: w.core.activeConnectionId(), enabled: true } });
    const item = await approveOne(w, { channel: 'ledger' });
    const ext = externalId(w.core, item.invoices[0]!.id);
    // Someone edits the invoice in QuickBooks just as Settle writes its note.
    let edited = false;
    w.qbo.faults.pathPattern = {
      test: (path: string) => {
        if (!edited && path.endsWith('/invoice')) {
          edited = true;
          w.qbo.updateInvoice(ext, { CustomerMemo: { value: 'Edited by Jane meanwhile' } });
        }
        return false;
      },
    } as unknown as RegExp;
    w.qbo.requests.reset();
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    const done = await w.call('outbox.get', { itemId: item.id });
    expect(done.writeBack).toMatchObject({ state: 'done', error: null });
    const updates = w.qbo.requests.log.filter((r) => r.method === 'POST' && r.path.endsWith('/invoice'));
    expect(updates.map((u) => u.status)).toEqual([400, ...item.invoices.map(() => 200)]);
    const inv = w.qbo.get('Invoice', ext)!;
    expect(inv.PrivateNote).toMatch(/Settle: payment reminder sent \d{4}-\d{2}-\d{2} by invoice email/);
    expect((inv as { CustomerMemo?: { value: string } }).CustomerMemo?.value).toBe('Edited by Jane meanwhile');
    expect(readAudit(w.core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ action: 'outbox.writeback', detail: { ok: true, provider: 'qbo' } });
  });

  it('waits without using up tries while QuickBooks needs a reconnect', async () => {
    const w = await qboWorld();
    const item = await approveOne(w, { channel: 'ledger' });
    w.core.db.prepare("UPDATE connections SET status = 'needs_reconnect' WHERE id = ?").run(w.core.activeConnectionId());
    w.qbo.requests.reset();
    expect(await w.call('outbox.process')).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    const waiting = await w.call('outbox.get', { itemId: item.id });
    expect(waiting).toMatchObject({ state: 'queued', attempts: 0 });
    expect(waiting.lastError).toMatch(/reconnect/);
    expect(w.qbo.requests.log.filter((r) => r.path.startsWith('/v3/'))).toHaveLength(0);
    w.core.db.prepare("UPDATE connections SET status = 'active' WHERE id = ?").run(w.core.activeConnectionId());
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
  });

  it('records a failed write-back without failing the send', async () => {
    const w = await qboWorld();
    await w.call('outbox.configure', { writeBack: { connectionId: w.core.activeConnectionId(), enabled: true } });
    const item = await approveOne(w, { channel: 'ledger' });
    const ext = externalId(w.core, item.invoices[0]!.id);
    // The invoice is deleted in QuickBooks between the send and the note.
    let deleted = false;
    w.qbo.faults.pathPattern = {
      test: (path: string) => {
        if (!deleted && path.endsWith('/invoice')) {
          deleted = true;
          w.qbo.deleteInvoice(ext);
        }
        return false;
      },
    } as unknown as RegExp;
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    const after = await w.call('outbox.get', { itemId: item.id });
    expect(after.state).toBe('sent');
    expect(after.writeBack.state).toBe('failed');
    expect(after.writeBack.error).toContain(item.invoices[0]!.number);
    expect(readAudit(w.core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ action: 'outbox.writeback', detail: { ok: false } });
  });

  it('a payment that a sync brings in cancels the reminder not yet sent, saying when it was paid', async () => {
    const w = await qboWorld();
    const item = await approveOne(w, { channel: 'manual' });
    for (const inv of item.invoices) w.qbo.payInvoice(externalId(w.core, inv.id), { date: w.qbo.today(), reference: 'CHK-2041' });
    await w.call('sync.run', {});
    const after = await w.call('outbox.get', { itemId: item.id });
    expect(after.state).toBe('cancelled');
    expect(after.blockReason).toContain(`Paid in the ledger on ${w.qbo.today()}`);
    expect(readAudit(w.core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ actor: 'sync', action: 'outbox.cancel' });
    expect(await w.call('outbox.process')).toMatchObject({ awaitingOwner: 0, sent: 0 });
  });

  it("emails QuickBooks' InvoiceLink and the invoice PDF (bytes intact) when the toggles are on", async () => {
    const w = await qboWorld();
    const smtp = await startFakeSmtp();
    cleanups.push(() => smtp.close());
    await w.call('email.set', { host: smtp.host, port: smtp.port, tls: 'none', fromAddress: 'owner@juniper.example' });
    const item = await approveOne(w, { channel: 'smtp', payLink: true, attachPdf: true });
    expect(item).toMatchObject({ payLink: true, attachPdf: true });
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    const link = `${w.qbo.url}/portal/invoice/${w.qbo.realmId}/${externalId(w.core, item.invoices[0]!.id)}`;
    expect(mail.text).toContain(link);
    expect(mail.attachments.map((a) => a.filename)).toEqual(item.invoices.map((i) => `${i.number}.pdf`));
    for (const [i, a] of mail.attachments.entries()) {
      // The emulator's PDF carries the binary marker line: it must arrive byte for byte.
      expect(a.content.equals(tinyPdf(`Invoice ${item.invoices[i]!.number}`))).toBe(true);
    }
  });
});

describe('the ledger channel on Xero', () => {
  it('emails through Invoices/{id}/Email with an Idempotency-Key, so a retry after a lost answer is replayed', async () => {
    const w = await xeroWorld();
    const item = await approveOne(w, { channel: 'ledger' });
    w.x.requests.reset();
    w.x.faults.pathPattern = /\/Email$/;
    w.x.faults.queue = ['dropAfterCommit'];
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    const emails = w.x.requests.log.filter((r) => r.path.endsWith('/Email'));
    // Without the key the client would not retry a lost POST at all; with it the retry is replayed.
    expect(emails.length).toBe(item.invoices.length + 1);
    expect(w.x.outbox.map((o) => o.invoiceNumber).sort()).toEqual(item.invoices.map((i) => i.number).sort());
    expect((await w.call('outbox.get', { itemId: item.id })).state).toBe('sent');
  });

  it('holds the send when Xero shows the invoice paid after approval', async () => {
    const w = await xeroWorld();
    const item = await approveOne(w, { channel: 'ledger' });
    w.x.payInvoice(externalId(w.core, item.invoices[0]!.id));
    expect(await w.call('outbox.process')).toMatchObject({ blocked: 1 });
    expect((await w.call('outbox.get', { itemId: item.id })).blockReason).toContain(item.invoices[0]!.number);
    expect(w.x.outbox).toHaveLength(0);
  });

  it("attaches Xero's own invoice PDF (Accept: application/pdf) and its online invoice link to an email", async () => {
    const w = await xeroWorld();
    const smtp = await startFakeSmtp();
    cleanups.push(() => smtp.close());
    await w.call('email.set', { host: smtp.host, port: smtp.port, tls: 'none', fromAddress: 'owner@juniper.example' });
    const board = await w.call('board.get', { scope: 'overdue', limit: 500 });
    const row = board.queue.rows.find((r) => r.email && r.oldestDaysOverdue > 0)!;
    const d = await w.call('drafts.create', { customerId: row.customerId, mode: 'template' });
    await w.call('drafts.setOptions', { draftId: d.id, attachPdf: true, payLink: true });
    await w.call('drafts.submit', { draftId: d.id, ...(d.flagged > 0 ? { overrideReason: 'Checked by hand' } : {}) });
    await w.call('approvals.approve', { draftIds: [d.id], channel: 'smtp' });
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    const mail = smtp.messages[0]!;
    expect(mail.attachments).toHaveLength(d.invoices.length);
    for (const [i, a] of mail.attachments.entries()) {
      expect(a.filename).toBe(`${d.invoices[i]!.number}.pdf`);
      expect(a.content.equals(tinyPdf(`Invoice ${d.invoices[i]!.number}`))).toBe(true);
    }
    const pdfReads = w.x.requests.log.filter((r) => r.method === 'GET' && /\/Invoices\/[^/]+$/.test(r.path));
    expect(pdfReads.length).toBe(2 * d.invoices.length); // the re-check, then the PDF
    expect(mail.text).toMatch(/Pay online:/);
  });

  it('keeps the History note within 250 characters, however long the address', async () => {
    const w = await xeroWorld();
    // A long (valid) address on the contact, synced before drafting.
    const board = await w.call('board.get', { scope: 'overdue', limit: 500 });
    const row = board.queue.rows.find((r) => r.email && r.oldestDaysOverdue > 0)!;
    const contactId = w.core.db.prepare('SELECT external_id FROM customers WHERE id = ?').pluck().get(row.customerId) as string;
    const longEmail = `accounts.payable.department.${'x'.repeat(30)}@${'billing-and-collections.'.repeat(6)}example`;
    w.x.updateContact(contactId, { EmailAddress: longEmail });
    await w.call('sync.run', {});
    await w.call('outbox.configure', { writeBack: { connectionId: w.core.activeConnectionId(), enabled: true } });
    const item = await approveOne(w, { channel: 'ledger' });
    expect(item.recipients).toEqual([longEmail]);
    expect(await w.call('outbox.process')).toMatchObject({ sent: 1 });
    expect((await w.call('outbox.get', { itemId: item.id })).writeBack).toMatchObject({ state: 'done' });
    for (const inv of item.invoices) {
      const notes = w.x.history(externalId(w.core, inv.id)).filter((h) => h.Details?.startsWith('Settle:'));
      expect(notes).toHaveLength(1);
      expect(notes[0]!.Details!.length).toBeLessThanOrEqual(250);
    }
  });
});
