// The one reconcile pass (outreach/reconcile.ts) on the demo company: invoices paid in the local
// ledger under a draft and under a queued reminder. Each side is touched only when asked for, with
// its own audit row and event; a second pass changes nothing; and in the app the outbox side runs
// before a snapshot (scores.recompute) while drafts wait for a sync, as before the two passes merged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { readAudit } from '../../../src/main/core/audit/log';
import { OutreachReconcile } from '../../../src/main/core/outreach';
import { silentLogger, type Clock } from '../../../src/main/core/ports';
import type { QueueRow } from '../../../src/shared/model';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const clock: Clock = { now: () => new Date('2026-11-18T15:00:00Z'), timeZone: () => 'UTC' };

describe('one reconcile pass for drafts and outbox items', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let rows: QueueRow[];
  let conn: string;
  const followupEvents: unknown[] = [];

  const payInFull = (invoiceIds: number[]): void => {
    for (const id of invoiceIds) core.db.prepare("UPDATE invoices SET balance_cents = 0, status = 'paid' WHERE id = ?").run(id);
  };
  const draftStatus = (id: number): string => core.db.prepare('SELECT status FROM drafts WHERE id = ?').pluck().get(id) as string;
  const newDraft = async (row: QueueRow) => call('drafts.create', { customerId: row.customerId, mode: 'template' });
  const queueOne = async (row: QueueRow) => {
    const d = await newDraft(row);
    await call('drafts.submit', { draftId: d.id });
    expect((await call('approvals.approve', { draftIds: [d.id], channel: 'manual' })).done).toBe(1);
    return (await call('outbox.list', { state: 'queued' })).items.find((i) => i.draftId === d.id)!;
  };

  beforeAll(async () => {
    dir = tempDir();
    core = createCore({ dataDir: dir.path, clock, env: {} });
    core.start();
    core.events.on('followup.changed', (p) => followupEvents.push(p));
    call = inProcess(core);
    conn = core.activeConnectionId();
    const board = await call('board.get', { scope: 'overdue', limit: 500 });
    rows = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0);
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  afterAll(async () => {
    await core.shutdown();
    dir.cleanup();
  });

  it('touches only the side asked for, each with its own audit rows and events', async () => {
    const draft = await newDraft(rows[0]!);
    const untouched = await newDraft(rows[1]!);
    const item = await queueOne(rows[2]!);
    payInFull(draft.invoices.map((i) => i.id));
    payInFull(item.invoices.map((i) => i.id));
    const reconcile = new OutreachReconcile({ db: core.db, clock, logger: silentLogger, events: core.events });

    expect(reconcile.run(conn, { drafts: true })).toEqual({ outbox: 0, drafts: 1 });
    expect(draftStatus(draft.id)).toBe('cancelled');
    expect(draftStatus(untouched.id)).toBe('draft');
    expect((await call('outbox.get', { itemId: item.id })).state).toBe('queued');
    expect(readAudit(core.db, { entity: 'draft', entityId: draft.id })[0]).toMatchObject({ actor: 'sync', action: 'draft.cancel' });
    expect(followupEvents).toContainEqual({ connectionId: conn, reason: 'evaluate' });

    expect(reconcile.run(conn, { outbox: true })).toEqual({ outbox: 1, drafts: 0 });
    const after = await call('outbox.get', { itemId: item.id });
    expect(after.state).toBe('cancelled');
    expect(after.blockReason).toMatch(/^Paid in the ledger: /);
    expect(readAudit(core.db, { entity: 'outbox', entityId: item.id })[0]).toMatchObject({ actor: 'sync', action: 'outbox.cancel' });

    // Nothing left to change on either side.
    expect(reconcile.run(conn, { outbox: true, drafts: true })).toEqual({ outbox: 0, drafts: 0 });
  });

  it('in the app, a rescore reconciles queued reminders but leaves drafts for the next sync', async () => {
    const draft = await newDraft(rows[3]!);
    const item = await queueOne(rows[4]!);
    payInFull(draft.invoices.map((i) => i.id));
    payInFull(item.invoices.map((i) => i.id));
    await call('scores.recompute');
    expect((await call('outbox.get', { itemId: item.id })).state).toBe('cancelled');
    expect(draftStatus(draft.id)).toBe('draft');
  });
});
