// The Activity page's core (issue 5, item 7) against a real settle.db through the in-process
// transport: real actions (draft → submit → approve, a tier override, a dispute, rules) read
// back in plain words with the ledger's names; family, customer, date and text filters; keyset
// paging; rows that outlive their customer; and the CSV export checked by an independent parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { appendAudit } from '../../../src/main/core/audit/log';
import type { Clock } from '../../../src/main/core/ports';
import { parseCsv } from '../../support/csv';
import { describeActivity, familyOf, type ActivityItem } from '../../../src/shared/activity';
import type { QueueRow } from '../../../src/shared/model';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

/** A clock the test moves forward, so rows land on different days. */
function steppingClock(start: string, timeZone = 'UTC'): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), timeZone: () => timeZone, set: (iso) => void (now = new Date(iso)) };
}

describe('audit.list, audit.export and audit.verify', () => {
  const dir = tempDir();
  const clock = steppingClock('2026-11-18T15:00:00Z');
  let core: Core;
  let call: InProcess;
  let target: QueueRow;
  let other: QueueRow;
  let draftId: number;
  let invoiceNumbers: string[];

  const all = async (input: Parameters<InProcess>[1] = {}): Promise<ActivityItem[]> => {
    const out: ActivityItem[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await call('audit.list', { ...(input as object), ...(cursor ? { cursor } : {}), limit: 7 });
      out.push(...page.items);
      if (page.nextCursor === null) return out;
      cursor = page.nextCursor;
    }
  };

  beforeAll(async () => {
    core = createCore({ dataDir: dir.path, clock, env: {}, autoDemo: false });
    call = inProcess(core);
    await call('demo.create', { invoices: 400 });
    await call('rules.set', { phase: 'approve' });
    const board = await call('board.get', { scope: 'overdue', limit: 500 });
    const withEmail = board.queue.rows.filter((r) => r.email);
    [target, other] = withEmail as [QueueRow, QueueRow];

    clock.set('2026-11-19T10:00:00Z');
    const draft = await call('drafts.create', { customerId: target.customerId, mode: 'template' });
    draftId = draft.id;
    invoiceNumbers = draft.invoices.map((i) => i.number);
    const updated = await call('drafts.update', { draftId, subject: `${draft.subject} (updated)`, body: draft.body });
    await call('drafts.submit', updated.flagged > 0 ? { draftId, overrideReason: 'Checked by hand' } : { draftId });
    clock.set('2026-11-20T09:30:00Z');
    const approved = await call('approvals.approve', { draftIds: [draftId] });
    expect(approved.done).toBe(1);
    clock.set('2026-11-21T08:00:00Z');
    await call('scores.override', { customerId: other.customerId, tier: 'low', reason: 'Pays every quarter, fine' });
  });

  afterAll(async () => {
    await core.shutdown();
    dir.cleanup();
  });

  it('lists newest first, in plain words, with the customer and invoice numbers from the ledger', async () => {
    const items = await all();
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    const approve = items.find((i) => i.action === 'draft.approve')!;
    expect(approve.customer).toEqual({ id: target.customerId, name: target.name, deleted: false });
    expect(approve.invoices).toEqual(expect.arrayContaining(invoiceNumbers));
    expect(approve.who).toBe('owner');
    expect(approve.family).toBe('approvals');
    expect(describeActivity(approve, 'en-US')).toBe(`Approved reminder to ${target.name} (${invoiceNumbers.slice(0, 5).join(', ')}${invoiceNumbers.length > 5 ? ` and ${invoiceNumbers.length - 5} more` : ''})`);
    const edit = items.find((i) => i.action === 'draft.edit')!;
    expect(edit.customer?.id).toBe(target.customerId);
    expect(edit.detail).toMatchObject({ subject: { inserted: ' (updated)' } });
    const override = items.find((i) => i.action === 'score.override')!;
    expect(describeActivity(override, 'en-US')).toBe(`Set ${other.name}’s tier to Low`);
    // The demo company's creation is the oldest row, by the owner, in the sync family.
    expect(items.at(-1)).toMatchObject({ action: 'demo.create', family: 'sync' });
  });

  it('filters by family, and the families partition the log', async () => {
    appendAudit(core.db, clock, { actor: 'system', action: 'housekeeping.vacuum' });
    const everything = await all();
    expect(everything.filter((i) => i.family === 'other').map((i) => i.action)).toEqual(['housekeeping.vacuum']);
    const approvals = await all({ families: ['approvals'] });
    expect(approvals.length).toBeGreaterThan(0);
    expect(approvals.every((i) => i.family === 'approvals')).toBe(true);
    const drafts = await all({ families: ['drafts'] });
    expect(drafts.map((i) => i.action).sort()).toEqual(everything.filter((i) => i.family === 'drafts').map((i) => i.action).sort());
    const both = await all({ families: ['drafts', 'approvals'] });
    expect(both.length).toBe(drafts.length + approvals.length);
    const known = await all({ families: ['drafts', 'approvals', 'sends', 'settings', 'sync', 'followup'] });
    expect(known.length).toBe(everything.filter((i) => familyOf(i.action) !== 'other').length);
  });

  it('filters by customer, including rows that name the customer only through their draft', async () => {
    const mine = await all({ customerId: target.customerId });
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((i) => i.customer?.id === target.customerId)).toBe(true);
    expect(new Set(mine.map((i) => i.action))).toEqual(new Set((await all()).filter((i) => i.customer?.id === target.customerId).map((i) => i.action)));
    expect(await all({ customerId: 987_654 })).toEqual([]);
  });

  it('filters by local date range, inclusive, in the owner’s time zone', async () => {
    const onThe20th = await all({ from: '2026-11-20', to: '2026-11-20' });
    expect(onThe20th.map((i) => i.action)).toContain('draft.approve');
    expect(onThe20th.every((i) => i.at.startsWith('2026-11-20'))).toBe(true);
    const from19 = await all({ from: '2026-11-19' });
    expect(from19.every((i) => i.at >= '2026-11-19T00:00:00.000Z')).toBe(true);
    expect(from19.some((i) => i.action === 'score.override')).toBe(true);
    await expect(call.raw('audit.list', { from: '2026-11-21', to: '2026-11-20' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call.raw('audit.list', { from: '21/11/2026' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('searches free text: customer name, invoice number, and the words of the summary', async () => {
    const byName = await all({ search: target.name });
    expect(byName.some((i) => i.action === 'draft.approve')).toBe(true);
    expect(byName.every((i) => i.customer?.id === target.customerId || JSON.stringify(i.detail).includes(target.name))).toBe(true);
    const byNumber = await all({ search: invoiceNumbers[0]! });
    expect(byNumber.map((i) => i.action)).toEqual(expect.arrayContaining(['draft.approve', 'draft.submit', 'draft.create']));
    const byWords = await all({ search: 'approved' });
    expect(byWords.map((i) => i.action)).toContain('draft.approve');
    // LIKE wildcards in the text are literal.
    expect(await all({ search: '%_%' })).toEqual([]);
  });

  it('pages with a cursor: no row twice, none missed, stable while rows are appended', async () => {
    const d = core.db;
    d.transaction(() => {
      for (let i = 0; i < 230; i++) appendAudit(d, clock, { actor: 'system', action: 'sync.finished', entity: 'connection', entityId: 'demo', detail: { n: i } });
    })();
    const first = await call('audit.list', { limit: 100 });
    expect(first.items).toHaveLength(100);
    // A row appended while the owner pages does not shift the older pages.
    appendAudit(d, clock, { actor: 'owner', action: 'rules.set', detail: { quietDays: 3 } });
    const second = await call('audit.list', { limit: 100, cursor: first.nextCursor! });
    expect(second.items[0]!.id).toBe(first.items.at(-1)!.id - 1);
    const ids = (await all()).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(d.prepare('SELECT COUNT(*) FROM audit_log').pluck().get());
  });

  it('keeps reading rows about customers that are gone, and unknown actions in words', async () => {
    appendAudit(core.db, clock, { actor: 'system', action: 'outbox.may_have_sent', detail: { customerId: 555_555, invoiceIds: [] } });
    const [row] = (await call('audit.list', { limit: 1 })).items;
    expect(row!.customer).toEqual({ id: 555_555, name: null, deleted: true });
    expect(describeActivity(row!, 'en-US')).toBe('Outbox: may have sent — a removed customer');
    expect(row!.family).toBe('sends');
  });

  it('never returns a secret-looking field, in the list or the export', async () => {
    appendAudit(core.db, clock, { actor: 'owner', action: 'email.settings', detail: { host: 'mail.test', password: 'hunter2-secret', nested: { apiKey: 'sk-live-123' } } });
    const [row] = (await call('audit.list', { limit: 1 })).items;
    expect(row!.detail).toEqual({ host: 'mail.test', password: '[hidden]', nested: { apiKey: '[hidden]' } });
    const { csv } = await call('audit.export', {});
    expect(csv).not.toContain('hunter2');
    expect(csv).not.toContain('sk-live-123');
  });

  it('exports the current filter as CSV: BOM, header, quoting of commas, quotes, newlines and non-ASCII', async () => {
    const tricky = 'Café Lumière, "the big one"\nsecond line – 東京 €';
    appendAudit(core.db, clock, { actor: 'owner', action: 'note.add', entity: 'customer', entityId: target.customerId, detail: { text: tricky, formula: '=HYPERLINK("x")' } });
    const exported = await call('audit.export', { customerId: target.customerId, locale: 'en-US' });
    expect(exported.filename).toBe('settle-activity-2026-11-21.csv');
    expect(exported.csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(exported.csv.slice(1));
    expect(rows[0]).toEqual(['id', 'at_utc', 'local_time', 'who', 'family', 'action', 'summary', 'customer', 'invoices', 'detail_json']);
    const listed = await all({ customerId: target.customerId });
    expect(exported.rows).toBe(listed.length);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed.map((i) => i.id));
    expect(rows.slice(1).every((r) => r.length === 10)).toBe(true);
    const note = rows.find((r) => r[5] === 'note.add')!;
    expect(JSON.parse(note[9]!)).toEqual({ text: tricky, formula: '=HYPERLINK("x")' });
    expect(note[7]).toBe(target.name);
    expect(note[1]).toBe('2026-11-21T08:00:00.000Z');
    expect(note[2]).toBe('2026-11-21 08:00:00');
    const approve = rows.find((r) => r[5] === 'draft.approve')!;
    expect(approve[6]).toBe(describeActivity(listed.find((i) => i.action === 'draft.approve')!, 'en-US'));
    expect(approve[8]!.split(' ')).toEqual(expect.arrayContaining(invoiceNumbers));
  });

  it('writes local time in the owner’s time zone', async () => {
    const d2 = tempDir();
    const tz = steppingClock('2026-07-01T23:30:00Z', 'Pacific/Auckland');
    const c2 = createCore({ dataDir: d2.path, clock: tz, env: {}, autoDemo: false });
    try {
      appendAudit(c2.db, tz, { actor: 'owner', action: 'rules.set', detail: {} });
      const rows = parseCsv((await inProcess(c2)('audit.export')).csv.slice(1));
      expect(rows[1]!.slice(1, 3)).toEqual(['2026-07-01T23:30:00.000Z', '2026-07-02 11:30:00']);
      // That row is on 2 July in Auckland, not on 1 July.
      expect((await inProcess(c2)('audit.list', { from: '2026-07-02', to: '2026-07-02' })).items).toHaveLength(1);
      expect((await inProcess(c2)('audit.list', { to: '2026-07-01' })).items).toHaveLength(0);
    } finally {
      c2.close();
      d2.cleanup();
    }
  });

  it('verifies the chain of the real actions', async () => {
    const verdict = await call('audit.verify');
    expect(verdict).toEqual({ ok: true, rows: core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() });
  });

  it('still names the invoices, and says the customer is gone, once the company is removed', async () => {
    await call('demo.remove');
    expect(core.db.prepare('SELECT COUNT(*) FROM drafts').pluck().get()).toBe(0);
    const rows = await all({ customerId: target.customerId });
    const approve = rows.find((i) => i.action === 'draft.approve')!;
    expect(approve.customer).toEqual({ id: target.customerId, name: null, deleted: true });
    expect(approve.invoices).toEqual(invoiceNumbers);
    expect(describeActivity(approve, 'en-US')).toMatch(/^Approved reminder to a removed customer \(/);
    expect(await call('audit.verify')).toMatchObject({ ok: true });
  });
});
