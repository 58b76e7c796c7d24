// Follow-up through the contract: promises on a demo customer's overdue invoices become kept
// from a synced payment or broken when the date passes, feeding the score and the board; disputes
// show on the board and hold outreach; bad input gets clear messages; notifications are delivered
// once and never repeated after a restart. A movable clock drives the days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CONNECTION_ID } from '../../../src/main/core/connectors/demo';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import type { Clock, Notifier } from '../../../src/main/core/ports';
import { addDays } from '../../../src/shared/dates';
import type { QueueInvoice } from '../../../src/shared/model';
import { events } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { allRows, openCore, type Opened } from '../core/helpers';

const START = '2026-11-21T15:00:00.000Z';
const TODAY = '2026-11-21';

describe('follow-up wiring', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: Opened[];
  let at: string;
  const clock: Clock = { now: () => new Date(at), timeZone: () => 'UTC' };
  const shown: { title: string; body: string }[] = [];
  const notifier: Notifier = { notify: (n) => void shown.push(n) };

  const open = (): Opened => {
    const o = openCore(dir.path, { clock, notifier, demoInvoices: 200 });
    opened.push(o);
    return o;
  };

  /** The customer at the top of the queue and their overdue invoices. */
  const overdueCustomer = async ({ call }: Opened): Promise<{ customerId: number; invoices: QueueInvoice[] }> => {
    const rows = await allRows(call);
    const row = rows.find((r) => r.invoices.filter((i) => i.daysOverdue > 0).length >= 2 && !r.disputed) ?? rows[0]!;
    return { customerId: row.customerId, invoices: row.invoices.filter((i) => i.daysOverdue > 0) };
  };

  beforeEach(() => {
    dir = tempDir();
    opened = [];
    at = START;
    shown.length = 0;
  });
  afterEach(() => {
    for (const o of opened) o.core.close();
    dir.cleanup();
  });

  it('records a promise, shows it on the board, and marks it kept when a synced payment covers it', async () => {
    const o = open();
    const log = events(o.core);
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const date = addDays(TODAY, 3);
    const created = await o.call('promises.create', {
      customerId,
      invoiceIds: [inv.id],
      date,
      amountCents: inv.balanceCents,
      currency: inv.currency,
      madeVia: 'phone',
      note: 'Said the cheque is in the post',
    });
    expect(created.promise).toMatchObject({ status: 'open', date, amountCents: inv.balanceCents, invoices: [{ id: inv.id, number: inv.number }] });
    expect(log.of('followup.changed')).toContainEqual({ connectionId: DEMO_CONNECTION_ID, reason: 'promise' });

    const groups = await o.call('promises.list');
    expect(groups.upcoming.map((p) => p.id)).toEqual([created.promise.id]);
    expect(groups.upcoming[0]!.customerName.length).toBeGreaterThan(0);
    const row = (await allRows(o.call)).find((r) => r.customerId === customerId)!;
    expect(row.promise).toEqual({ date, cents: inv.balanceCents, currency: inv.currency });
    expect(o.core.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'promise.create'").pluck().get()).toBe(1);

    // A payment arrives through the ledger (as a sync would write it) and the company is rescored.
    const ext = o.core.db.prepare('SELECT c.external_id AS customer, i.external_id AS invoice FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?').get(inv.id) as { customer: string; invoice: string };
    at = '2026-11-22T10:00:00.000Z';
    upsertBatch(o.core.db, DEMO_CONNECTION_ID, {
      payments: [
        {
          externalId: 'pay-promise-1',
          customerExternalId: ext.customer,
          date: '2026-11-22',
          currency: inv.currency,
          amountCents: inv.balanceCents,
          applications: [{ invoiceExternalId: ext.invoice, amountCents: inv.balanceCents, appliedOn: '2026-11-22' }],
          updatedAt: at,
        },
      ],
    });
    await o.call('scores.recompute');
    const after = await o.call('promises.list', { customerId });
    expect(after.kept.map((p) => [p.id, p.status, p.paidCents])).toEqual([[created.promise.id, 'kept', inv.balanceCents]]);
    expect(after.upcoming).toEqual([]);
    expect(o.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'promise' ORDER BY id").pluck().all()).toEqual(['promise.create', 'promise.kept']);
  });

  it('breaks a promise when date plus grace passes without money: the factor counts it and the score rises', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const before = await o.call('scores.explain', { customerId });
    expect(before.factors.find((f) => f.name === 'broken_promises')!.contribution).toBe(0);
    const { promise } = await o.call('promises.create', {
      customerId,
      invoiceIds: [inv.id],
      date: TODAY,
      amountCents: Math.min(inv.balanceCents, 10_000),
      currency: inv.currency,
      madeVia: 'email',
    });
    expect((await o.call('promises.list')).today.map((p) => p.id)).toEqual([promise.id]);
    expect((await o.call('board.get')).summary.promisesDueToday).toBe(1);

    at = '2026-11-23T08:00:00.000Z'; // the deadline day (date + 2 grace days): still open
    await o.call('scores.recompute');
    expect((await o.call('promises.list')).today.map((p) => p.status)).toEqual(['open']);

    at = '2026-11-24T08:00:00.000Z';
    await o.call('scores.recompute');
    const groups = await o.call('promises.list');
    expect(groups.broken.map((p) => [p.id, p.status])).toEqual([[promise.id, 'broken']]);
    const after = await o.call('scores.explain', { customerId });
    expect(after.factors.find((f) => f.name === 'broken_promises')!.contribution).toBeGreaterThan(0);
    expect(after.score).toBeGreaterThan(before.score);
    const row = (await allRows(o.call)).find((r) => r.customerId === customerId)!;
    expect(row.promise).toBeNull();
  });

  it('opens a dispute: the board row shows it, the factor counts it and the next action is hold; resolving clears it', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const dispute = await o.call('disputes.open', { customerId, invoiceIds: [invoices[0]!.id], reason: 'pricing', detail: 'Quoted 10% less' });
    expect(dispute).toMatchObject({ status: 'open', reason: 'pricing', invoices: [{ id: invoices[0]!.id }] });
    const row = (await allRows(o.call)).find((r) => r.customerId === customerId)!;
    expect(row.disputed).toBe(true);
    expect(row.nextAction).toBe('hold');
    const view = await o.call('scores.explain', { customerId });
    expect(view.factors.find((f) => f.name === 'open_disputes')!.contribution).toBeGreaterThan(0);
    expect(view.nextAction).toBe('hold');
    expect((await o.call('disputes.list', { customerId })).map((d) => d.id)).toEqual([dispute.id]);

    const resolved = await o.call('disputes.resolve', { disputeId: dispute.id, resolution: 'credit_issued' });
    expect(resolved.status).toBe('resolved');
    expect((await allRows(o.call)).find((r) => r.customerId === customerId)!.disputed).toBe(false);
    await expect(o.call('disputes.resolve', { disputeId: dispute.id, resolution: 'other' })).rejects.toMatchObject({ code: 'conflict' });
    expect(o.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'dispute' ORDER BY id").pluck().all()).toEqual(['dispute.open', 'dispute.resolve']);
  });

  it('refuses past dates, amounts over the balance and paid invoices with clear messages, saving nothing', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const base = { customerId, invoiceIds: [inv.id], date: addDays(TODAY, 5), amountCents: inv.balanceCents, currency: inv.currency, madeVia: 'phone' as const };
    await expect(o.call('promises.create', { ...base, date: addDays(TODAY, -1) })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('is in the past') as unknown,
    });
    await expect(o.call('promises.create', { ...base, amountCents: inv.balanceCents + 1 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('is more than the') as unknown,
    });
    const paid = o.core.db
      .prepare("SELECT id FROM invoices WHERE customer_id = ? AND status = 'paid' AND deleted_at IS NULL LIMIT 1")
      .pluck()
      .get(customerId) as number | undefined;
    if (paid !== undefined) {
      await expect(o.call('promises.create', { ...base, invoiceIds: [paid], amountCents: 100 })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('is already paid') as unknown,
      });
    }
    await expect(o.call('plans.preview', { balanceCents: 0, currency: 'USD', instalments: 3, frequency: 'monthly', startDate: TODAY })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(o.core.db.prepare('SELECT COUNT(*) FROM promises').pluck().get()).toBe(0);
  });

  it('previews plans in exact cents and triages a pasted reply into proposals', async () => {
    const o = open();
    const plan = await o.call('plans.preview', { balanceCents: 100_000, currency: 'USD', instalments: 3, frequency: 'monthly', startDate: '2026-12-01' });
    expect(plan.instalments.map((i) => i.amountCents)).toEqual([33_333, 33_333, 33_334]);
    const { customerId } = await overdueCustomer(o);
    const result = await o.call('replies.triage', { customerId, text: 'Hi, we will pay the full amount next Friday. Thanks!', receivedOn: TODAY });
    expect(result.triage.class).toBe('promise_to_pay');
    expect(result.proposals.map((p) => p.kind)).toContain('create_promise');
    expect(structuredClone(result)).toStrictEqual(result);
  });

  it('delivers a due notification once and never repeats it after a restart', async () => {
    const first = open();
    const { customerId, invoices } = await overdueCustomer(first);
    const inv = invoices[0]!;
    await first.call('promises.create', { customerId, invoiceIds: [inv.id], date: '2026-11-23', amountCents: inv.balanceCents, currency: inv.currency, madeVia: 'phone' });
    expect(shown).toEqual([]);
    first.core.close();

    at = '2026-11-23T09:05:00.000Z';
    const second = open();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toMatch(/^Promise due today: /);
    const list = await second.call('notifications.list');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'promise_due_today', outcome: 'shown', customerId, title: shown[0]!.title });
    second.core.close();

    at = '2026-11-23T11:00:00.000Z';
    const third = open();
    expect(shown).toHaveLength(1);
    expect(await third.call('notifications.list')).toHaveLength(1);
    // The superseded "due tomorrow" stage is settled too, so it never shows later.
    expect(third.core.db.prepare('SELECT outcome FROM notifications_delivered ORDER BY key').pluck().all()).toEqual(['shown', 'superseded']);
  });

  it('nudges about drafts waiting for approval once a day from 09:00, and not again that day', async () => {
    const first = open();
    const { customerId } = await overdueCustomer(first);
    const draft = await first.call('drafts.create', { customerId });
    await first.call('drafts.submit', { draftId: draft.id });
    // 15:00 on the day it was submitted: the day's nudge is due, once.
    await first.call('notifications.run');
    expect(shown.map((n) => n.title)).toEqual(['1 draft waiting for approval']);
    await first.call('notifications.run');
    expect(shown).toHaveLength(1);
    first.core.close();

    // Next morning before 09:00 nothing; from 09:00 one more, and a restart does not repeat it.
    at = '2026-11-22T08:30:00.000Z';
    const second = open();
    await second.call('notifications.run');
    expect(shown).toHaveLength(1);
    at = '2026-11-22T09:01:00.000Z';
    await second.call('notifications.run');
    expect(shown.map((n) => n.title)).toEqual(['1 draft waiting for approval', '1 draft waiting for approval']);
    second.core.close();
    const third = open();
    await third.call('notifications.run');
    expect(shown).toHaveLength(2);

    // Approved: nothing waits, so the day after brings no nudge.
    await third.call('approvals.approve', { draftIds: [draft.id] });
    at = '2026-11-23T09:30:00.000Z';
    await third.call('notifications.run');
    expect(shown).toHaveLength(2);
  });
});
