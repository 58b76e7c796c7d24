// drafts.repo.ts, the one owner of the drafts tables: its reads for other features return what
// the statements those features prepared themselves returned (so they can be swapped in), status
// changes are compare-and-set, and a draft that moved while the AI was writing it is not revived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import {
  countDraftsAwaitingApproval,
  draftCustomerSql,
  draftIdsByInvoiceNumber,
  draftsAwaitingApproval,
  editableDraftsOf,
  getDraftSummary,
  invoiceNumbersOfDrafts,
  setDraftStatus,
} from '../../../src/main/core/drafting';
import { getDraft, writeDraftText } from '../../../src/main/core/drafting/drafts.repo';
import { fixedClock } from '../../../src/main/core/ports';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import type { DraftView } from '../../../src/shared/model';
import { FAKE_MODEL, startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const KEY = 'sk-settle-repo-7c1e4b9a2d';
const NOW = '2026-11-21T15:00:00.000Z';

describe('drafts.repo', () => {
  let fake: FakeOpenAi;
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let connectionId: string;
  const customers: number[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
    dir = tempDir();
    core = createCore({ dataDir: dir.path, clock: fixedClock(NOW), secrets: memorySecretStore(), env: {}, demoInvoices: 300 });
    core.start();
    call = inProcess(core);
    connectionId = core.activeConnectionId();
    const board = await call('board.get', {});
    for (const row of board.queue.rows) {
      const detail = await call('customers.get', { customerId: row.customerId });
      if (detail.customer.email && detail.openInvoices.some((i) => i.daysOverdue > 0)) customers.push(row.customerId);
      if (customers.length === 3) break;
    }
    expect(customers.length).toBe(3);
  });

  afterAll(async () => {
    await core.shutdown();
    await fake.close();
    dir.cleanup();
  });

  it('reads for approvals, the outbox and follow-up match the statements they replace', async () => {
    const db = core.db;
    const a = await call('drafts.create', { customerId: customers[0]! });
    const b = await call('drafts.create', { customerId: customers[1]! });
    await call('drafts.submit', { draftId: b.id });

    const summary = getDraftSummary(db, b.id)!;
    const raw = db.prepare<[number], { facts_json: string; to_email: string | null; status: string; pay_link: number }>('SELECT * FROM drafts WHERE id = ?').get(b.id)!;
    expect(summary).toMatchObject({ id: b.id, connectionId, customerId: customers[1], status: 'pending_approval', toEmail: raw.to_email, payLink: raw.pay_link === 1 });
    expect(summary.facts).toEqual(JSON.parse(raw.facts_json));
    expect(summary).not.toHaveProperty('factcheck');
    expect(getDraftSummary(db, 999_999)).toBeNull();

    const ids = (sql: string, ...args: unknown[]): number[] => db.prepare<unknown[], number>(sql).pluck().all(...args);
    expect(draftsAwaitingApproval(db, connectionId).map((d) => d.id)).toEqual(
      ids("SELECT id FROM drafts WHERE connection_id = ? AND status = 'pending_approval'", connectionId),
    );
    expect(editableDraftsOf(db, connectionId).map((d) => d.id)).toEqual(
      ids("SELECT id FROM drafts WHERE connection_id = ? AND status IN ('draft', 'pending_approval')", connectionId),
    );
    expect(editableDraftsOf(db, connectionId).map((d) => d.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(countDraftsAwaitingApproval(db)).toBe(
      db.prepare<[], number>(`SELECT COUNT(*) FROM drafts d JOIN connections c ON c.id = d.connection_id WHERE d.status = 'pending_approval' AND c.status != 'disconnected'`).pluck().get(),
    );
  });

  it('answers the audit query: drafts by invoice number, their numbers, and the customer of a draft', async () => {
    const db = core.db;
    const d = await call('drafts.create', { customerId: customers[2]! });
    const number = d.invoices[0]!.number;
    expect(draftIdsByInvoiceNumber(db, number)).toContain(String(d.id));
    expect(draftIdsByInvoiceNumber(db, 'no-such-number-%')).toEqual([]);
    const numbers = invoiceNumbersOfDrafts(db, [d.id]).map((r) => r.number);
    expect(numbers.sort()).toEqual(d.invoices.map((i) => i.number).sort());
    const customer = db.prepare<[number], number>(`SELECT ${draftCustomerSql('?')}`).pluck().get(d.id);
    expect(customer).toBe(customers[2]);
  });

  it('moves a status only from the one its caller read', async () => {
    const db = core.db;
    const d = await call('drafts.create', { customerId: customers[0]! });
    expect(setDraftStatus(db, d.id, 'pending_approval', 'approved', NOW)).toBe(false);
    expect(getDraft(db, d.id)!.status).toBe('draft');
    expect(setDraftStatus(db, d.id, 'draft', 'cancelled', NOW)).toBe(true);
    expect(setDraftStatus(db, d.id, 'draft', 'superseded', NOW)).toBe(false);
    expect(getDraft(db, d.id)!.status).toBe('cancelled');
    const stored = getDraft(db, d.id)!;
    expect(writeDraftText(db, d.id, 'draft', 'draft', stored, NOW)).toBe(false);
    expect(getDraft(db, d.id)!.status).toBe('cancelled');
  });

  it('keeps the reason unless given one', async () => {
    const db = core.db;
    const d = await call('drafts.create', { customerId: customers[1]! });
    expect(setDraftStatus(db, d.id, 'draft', 'pending_approval', NOW, 'a reason')).toBe(true);
    expect(setDraftStatus(db, d.id, 'pending_approval', 'draft', NOW)).toBe(true);
    expect(getDraft(db, d.id)!.overrideReason).toBe('a reason');
    expect(setDraftStatus(db, d.id, 'draft', 'superseded', NOW, null)).toBe(true);
    expect(getDraft(db, d.id)!.overrideReason).toBeNull();
  });

  it('does not revive a draft approved while the AI was rewriting it, nor mark a cancelled one failed', async () => {
    await call('ai.set', { provider: 'compatible', baseURL: fake.baseURL, model: FAKE_MODEL });
    await call('ai.setKey', { key: KEY });
    const template = await call('drafts.create', { customerId: customers[2]!, mode: 'template' });
    await call('drafts.submit', { draftId: template.id });
    const content = `Subject: ${template.subject}\n\n${template.body}`;

    // Approved (by another pass) while the regenerate streams: the regenerate is refused.
    fake.reply({ content, chunkSize: 20, chunkDelayMs: 15 });
    const firstToken = new Promise<void>((resolve) => {
      const off = core.events.on('drafts.token', () => (off(), resolve()));
    });
    const regenerating = call('drafts.regenerate', { draftId: template.id, mode: 'ai' });
    await firstToken;
    expect(setDraftStatus(core.db, template.id, 'pending_approval', 'approved', NOW)).toBe(true);
    await expect(regenerating).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/approved/) as unknown });
    const after: DraftView = await call('drafts.get', { draftId: template.id });
    expect(after).toMatchObject({ status: 'approved', subject: template.subject, body: template.body, source: 'template' });

    // Cancelled by the owner while the AI writes a new draft: it stays cancelled.
    fake.reply({ content, chunkSize: 20, chunkDelayMs: 15 });
    const token = new Promise<number>((resolve) => {
      const off = core.events.on('drafts.token', (t) => (off(), resolve(t.draftId)));
    });
    const creating = call('drafts.create', { customerId: customers[2]!, mode: 'ai' });
    const draftId = await token;
    expect((await call('drafts.cancel', { draftId })).status).toBe('cancelled');
    await expect(creating).rejects.toMatchObject({ code: 'conflict', message: 'Drafting was cancelled.' });
    expect((await call('drafts.get', { draftId })).status).toBe('cancelled');
    await call('ai.set', { provider: 'off' });
  });
});
