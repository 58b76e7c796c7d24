// Approvals and rules wired into the core (issue 5), through the in-process transport: the
// reasons a waiting draft needs a human (a disputed invoice, a large amount, a recent contact),
// approving and rejecting (audited per draft, in one transaction), the monitor phase refusing to
// approve, and a batch of 50 drafts approved in one call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import { fixedClock } from '../../../src/main/core/ports';
import type { QueueRow } from '../../../src/shared/model';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

// Wednesday 15:00 UTC: inside the default send window.
const NOW = '2026-11-18T15:00:00Z';

describe('approvals and rules', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let rows: QueueRow[];

  /** Drafts (template mode) and submits one reminder per customer; returns the draft ids. */
  const submitFor = async (customers: QueueRow[]): Promise<number[]> => {
    const ids: number[] = [];
    for (const c of customers) {
      const d = await call('drafts.create', { customerId: c.customerId, mode: 'template' });
      await call('drafts.submit', { draftId: d.id });
      ids.push(d.id);
    }
    return ids;
  };

  beforeAll(async () => {
    dir = tempDir();
    core = createCore({ dataDir: dir.path, clock: fixedClock(NOW), env: {}, demoInvoices: 8000 });
    core.start();
    call = inProcess(core);
    const board = await call('board.get', { scope: 'overdue', limit: 500 });
    rows = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0);
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  afterAll(async () => {
    await core.shutdown();
    dir.cleanup();
  });

  it('starts empty in the approve phase with the default rules', async () => {
    expect(await call('approvals.list', {})).toEqual({ phase: 'approve', items: [] });
    expect(await call('rules.get')).toMatchObject({ amountThreshold: 10_000, quietDays: 7, maxRemindersPer30Days: 2, phase: 'approve' });
  });

  it('validates rules', async () => {
    await expect(call.raw('rules.set', { quietDays: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call.raw('rules.set', { sendWindow: { startHour: 17, endHour: 9, days: [1] } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call.raw('rules.set', { phase: 'yolo' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('gives the reasons: a disputed invoice, a large amount and a recent contact', async () => {
    const [disputedC, otherC, contactedC, plainC] = rows.slice(0, 4) as [QueueRow, QueueRow, QueueRow, QueueRow];
    const detail = await call('customers.get', { customerId: disputedC.customerId });
    const inv = detail.openInvoices.find((i) => i.daysOverdue > 0)!;
    await call('disputes.open', { customerId: disputedC.customerId, invoiceIds: [inv.id], reason: 'pricing' });
    core.db
      .prepare("INSERT INTO notes (connection_id, customer_id, kind, body, occurred_at, created_at) VALUES (?, ?, 'call', 'Spoke to AP', ?, ?)")
      .run(core.activeConnectionId(), contactedC.customerId, '2026-11-16T10:00:00Z', NOW);
    const ids = await submitFor([disputedC, otherC, contactedC, plainC]);
    // The largest draft goes over a threshold set just above the next largest.
    const balances = await Promise.all(
      ids.map(async (id) => ({ id, cents: Math.max(...(await call('drafts.get', { draftId: id })).facts.totals.map((t) => t.balanceCents)) })),
    );
    balances.sort((a, b) => b.cents - a.cents);
    const threshold = Math.ceil(balances[1]!.cents / 100);
    expect(threshold * 100).toBeLessThan(balances[0]!.cents);
    await call('rules.set', { amountThreshold: threshold });

    const view = await call('approvals.list');
    const reasonsOf = (id: number) => view.items.find((i) => i.draft.id === id)!.reasons.map((r) => r.code);
    expect(view.items).toHaveLength(4);
    expect(reasonsOf(ids[0]!)).toContain('disputed');
    expect(view.items.find((i) => i.draft.id === ids[0])!.reasons.find((r) => r.code === 'disputed')!.label).toContain(inv.number);
    expect(reasonsOf(balances[0]!.id)).toContain('amount');
    for (const b of balances.slice(1)) expect(reasonsOf(b.id)).not.toContain('amount');
    expect(reasonsOf(ids[2]!)).toContain('quiet_period');
    expect(reasonsOf(ids[3]!).every((c) => c !== 'disputed' && c !== 'quiet_period')).toBe(true);
    expect(view.items.every((i) => i.reasons.length > 0 && i.blocked === undefined)).toBe(true);
    const first = view.items[0]!;
    expect(first.draft).toMatchObject({ customer: { name: expect.any(String) as unknown }, subject: expect.any(String) as unknown });
    await call('rules.set', { amountThreshold: 10_000 });
  });

  it('approves a draft: status approved and an audit row by the owner', async () => {
    const view = await call('approvals.list');
    const target = view.items[0]!.draft.id;
    const result = await call('approvals.approve', { draftIds: [target] });
    expect(result).toEqual({ done: 1, results: [{ draftId: target, ok: true }] });
    expect((await call('drafts.get', { draftId: target })).status).toBe('approved');
    const audit = readAudit(core.db, { entity: 'draft', entityId: target });
    expect(audit[0]).toMatchObject({ actor: 'owner', action: 'draft.approve', at: new Date(NOW).toISOString() });
    expect(verifyAudit(core.db).ok).toBe(true);
    // Approving it again fails for that item only.
    const again = await call('approvals.approve', { draftIds: [target] });
    expect(again.done).toBe(0);
    expect(again.results[0]).toMatchObject({ ok: false, error: expect.stringContaining('approved') as unknown });
  });

  it('rejects with a reason, audited', async () => {
    const view = await call('approvals.list');
    const target = view.items.at(-1)!.draft.id;
    expect(await call('approvals.reject', { draftIds: [target], reason: 'Wrong contact' })).toMatchObject({ done: 1 });
    expect((await call('drafts.get', { draftId: target })).status).toBe('rejected');
    expect(readAudit(core.db, { entity: 'draft', entityId: target })[0]).toMatchObject({ action: 'draft.reject', detail: { reason: 'Wrong contact' } });
  });

  it('refuses to approve in the monitor phase, per item', async () => {
    await call('rules.set', { phase: 'monitor' });
    const view = await call('approvals.list');
    expect(view.phase).toBe('monitor');
    expect(view.items.length).toBeGreaterThan(0);
    expect(view.items.every((i) => i.blocked?.includes('Monitor'))).toBe(true);
    const ids = view.items.map((i) => i.draft.id);
    const result = await call('approvals.approve', { draftIds: ids });
    expect(result.done).toBe(0);
    expect(result.results.every((r) => !r.ok && r.error?.includes('Monitor'))).toBe(true);
    for (const id of ids) expect((await call('drafts.get', { draftId: id })).status).toBe('pending_approval');
    await call('rules.set', { phase: 'approve' });
  });

  it('approves a batch of 50 drafts in one call, fast', async () => {
    const before = (await call('approvals.list')).items.map((i) => i.draft.id);
    const ids = await submitFor(rows.slice(4, 54));
    const all = [...before, ...ids];
    const started = performance.now();
    const result = await call('approvals.approve', { draftIds: all });
    const ms = performance.now() - started;
    expect(result.done).toBe(all.length);
    expect(ms).toBeLessThan(1000);
    expect((await call('approvals.list')).items).toEqual([]);
    expect(verifyAudit(core.db).ok).toBe(true);
  });
});
