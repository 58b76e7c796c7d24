// Follow-up actions through the contract, against real SQLite files: reply triage proposals applied
// in one transaction (or not at all), outreach pauses holding drafts in approvals, payment plans
// saved, proposed through a fact-checked draft, accepted into promises and followed, a broken
// promise's follow-up draft, and (against the QuickBooks emulator) payments made outside Settle
// cancelling or superseding pending drafts after a sync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app';
import type { Clock } from '../../../src/main/core/ports';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import { addDays } from '../../../src/shared/dates';
import { formatMoney } from '../../../src/shared/money';
import type { QueueInvoice } from '../../../src/shared/model';
import { startQboServer } from '../../fakes/qbo-server';
import { inProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { allRows, openCore, type Opened } from '../core/helpers';
import { emulatorClock, headlessTokens } from '../qbo/helpers';

const START = '2026-11-21T15:00:00.000Z';
const TODAY = '2026-11-21';

describe('follow-up actions on the demo company', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: Opened[];
  let at: string;
  const clock: Clock = { now: () => new Date(at), timeZone: () => 'UTC' };

  const open = (): Opened => {
    const o = openCore(dir.path, { clock, demoInvoices: 200 });
    opened.push(o);
    return o;
  };

  /** A customer with at least two overdue invoices in one currency, and an email address. */
  const overdueCustomer = async (o: Opened): Promise<{ customerId: number; invoices: QueueInvoice[] }> => {
    for (const r of await allRows(o.call)) {
      const overdue = r.invoices.filter((i) => i.daysOverdue > 0 && i.currency === r.invoices[0]!.currency);
      if (overdue.length < 2 || r.disputed) continue;
      const detail = await o.call('customers.get', { customerId: r.customerId });
      if (detail.customer.email) return { customerId: r.customerId, invoices: overdue };
    }
    throw new Error('the demo company has no customer with two overdue invoices and an email');
  };

  const count = (o: Opened, sql: string): number => o.core.db.prepare(sql).pluck().get() as number;

  beforeEach(() => {
    dir = tempDir();
    opened = [];
    at = START;
  });
  afterEach(() => {
    for (const o of opened) o.core.close();
    dir.cleanup();
  });

  it('applies the chosen triage proposals together, audited, and a re-check says the demo has no ledger', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const amount = formatMoney(inv.balanceCents, inv.currency, 'en-US');
    const triage = await o.call('replies.triage', {
      customerId,
      text: `Hi, sorry for the delay. We will pay ${amount} for ${inv.number} on ${addDays(TODAY, 10)}.`,
      receivedOn: TODAY,
    });
    expect(triage.triage.class).toBe('promise_to_pay');
    const proposal = triage.proposals.find((p) => p.kind === 'create_promise');
    expect(proposal).toMatchObject({ date: addDays(TODAY, 10), amountCents: inv.balanceCents, invoiceNumbers: [inv.number] });

    const result = await o.call('replies.apply', {
      customerId,
      actions: [
        { kind: 'create_promise', invoiceIds: [inv.id], date: addDays(TODAY, 10), amountCents: inv.balanceCents, currency: inv.currency, note: 'From the reply' },
        { kind: 'pause_outreach', until: addDays(TODAY, 10), reason: 'They promised to pay' },
        { kind: 'recheck_ledger' },
      ],
    });
    expect(result.applied).toHaveLength(3);
    expect(result.recheck).toBe('not_synced');
    expect(result.recheckMessage).toMatch(/not synced/);
    const promises = await o.call('promises.list', { customerId });
    expect(promises.upcoming.map((p) => [p.madeVia, p.amountCents, p.date])).toEqual([['reply', inv.balanceCents, addDays(TODAY, 10)]]);
    const pauses = await o.call('pauses.list', { customerId });
    expect(pauses.map((p) => [p.until, p.reason, p.invoices])).toEqual([[addDays(TODAY, 10), 'They promised to pay', null]]);
    const actions = o.core.db.prepare("SELECT action FROM audit_log WHERE action IN ('promise.create','outreach.pause','reply.apply') ORDER BY id").pluck().all();
    expect(actions).toEqual(['promise.create', 'outreach.pause', 'reply.apply']);
  });

  it('refuses the whole set when one update is bad: nothing half-written', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const before = { promises: count(o, 'SELECT COUNT(*) FROM promises'), disputes: count(o, 'SELECT COUNT(*) FROM disputes'), audit: count(o, 'SELECT COUNT(*) FROM audit_log') };
    await expect(
      o.call('replies.apply', {
        customerId,
        actions: [
          { kind: 'open_dispute', invoiceIds: [inv.id], reason: 'pricing', detail: 'Price differs from the quote' },
          { kind: 'create_promise', invoiceIds: [inv.id], date: addDays(TODAY, -1), amountCents: 100, currency: inv.currency, note: '' },
          { kind: 'pause_outreach', until: TODAY, reason: 'Out of office' },
        ],
      }),
    ).rejects.toThrow(/Promise: .*(past|before).*Pause: .*not after today/s);
    expect(count(o, 'SELECT COUNT(*) FROM promises')).toBe(before.promises);
    expect(count(o, 'SELECT COUNT(*) FROM disputes')).toBe(before.disputes);
    expect(count(o, 'SELECT COUNT(*) FROM outreach_pauses')).toBe(0);
    expect(count(o, 'SELECT COUNT(*) FROM audit_log')).toBe(before.audit);
  });

  it('asks the owner about "next Friday" when the reply has no date, and proposes no promise', async () => {
    const o = open();
    const { customerId } = await overdueCustomer(o);
    const triage = await o.call('replies.triage', { customerId, text: 'We will pay the full balance next Friday.', receivedOn: null });
    expect(triage.triage.questionsForOwner.join(' ')).toMatch(/Friday/);
    expect(triage.proposals.filter((p) => p.kind === 'create_promise')).toEqual([]);
  });

  it('a pause holds the customer’s waiting drafts in approvals until it is removed', async () => {
    const o = open();
    const { customerId } = await overdueCustomer(o);
    const draft = await o.call('drafts.create', { customerId, mode: 'template' });
    await o.call('drafts.submit', { draftId: draft.id, ...(draft.flagged > 0 ? { overrideReason: 'test figures' } : {}) });
    const until = addDays(TODAY, 5);
    const pauses = await o.call('pauses.create', { customerId, until, reason: 'Out of office' });
    const item = (await o.call('approvals.list')).items.find((i) => i.draft.id === draft.id)!;
    expect(item.reasons.map((r) => r.label)).toContain(`Outreach paused until ${until}: Out of office`);
    expect(item.blocked).toMatch(/paused/);
    const approved = await o.call('approvals.approve', { draftIds: [draft.id] });
    expect(approved.results[0]).toMatchObject({ ok: false });

    await o.call('pauses.remove', { pauseId: pauses[0]!.id });
    const after = (await o.call('approvals.list')).items.find((i) => i.draft.id === draft.id)!;
    expect(after.reasons.map((r) => r.code)).not.toContain('paused');
    // A pause ends on its date by itself.
    await o.call('pauses.create', { customerId, until, reason: 'Out of office' });
    at = `${until}T10:00:00.000Z`;
    expect(await o.call('pauses.list', { customerId })).toEqual([]);
    await expect(o.call('pauses.create', { customerId, until: TODAY, reason: 'Too early' })).rejects.toThrow(/not after today/);
  });

  it('saves a plan, proposes it in a clean draft, accepts it into promises, and follows them', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const chosen = invoices.slice(0, 2);
    const balance = chosen.reduce((s, i) => s + i.balanceCents, 0);
    const plan = await o.call('plans.save', { customerId, invoiceIds: chosen.map((i) => i.id), instalments: 3, frequency: 'weekly', startDate: addDays(TODAY, 1) });
    expect(plan.status).toBe('proposed');
    expect(plan.instalments.reduce((s, i) => s + i.amountCents, 0)).toBe(balance);
    expect(plan.instalments.map((i) => i.dueDate)).toEqual([addDays(TODAY, 1), addDays(TODAY, 8), addDays(TODAY, 15)]);

    const draft = await o.call('plans.propose', { planId: plan.id });
    expect(draft.flagged).toBe(0);
    for (const i of plan.instalments) expect(draft.body).toContain(formatMoney(i.amountCents, plan.currency, 'en-US'));
    expect((await o.call('plans.list', { customerId }))[0]!.draftId).toBe(draft.id);
    // An amount not in the plan is still flagged.
    const check = await o.call('drafts.check', { draftId: draft.id, subject: draft.subject, body: `${draft.body}\nOr ${formatMoney(balance + 1, plan.currency, 'en-US')} now.` });
    expect(check.flagged).toBe(1);

    const accepted = await o.call('plans.accept', { planId: plan.id });
    expect(accepted.status).toBe('active');
    expect(accepted.instalments.every((i) => i.promiseId !== null && i.status === 'open')).toBe(true);
    const promises = await o.call('promises.list', { customerId });
    expect(promises.upcoming.filter((p) => p.planId === plan.id).map((p) => p.amountCents)).toEqual(plan.instalments.map((i) => i.amountCents));
    await expect(o.call('plans.accept', { planId: plan.id })).rejects.toThrow(/only a proposed plan/);

    // The first instalment's date and grace pass without money: the plan is behind.
    at = `${addDays(TODAY, 4)}T10:00:00.000Z`;
    await o.call('scores.recompute');
    expect((await o.call('plans.list', { customerId }))[0]!.status).toBe('behind');
    expect(count(o, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.behind' AND actor = 'system'")).toBe(1);

    const cancelled = await o.call('plans.cancel', { planId: plan.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.instalments.slice(1).map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('refuses a plan over a paid-off amount or invoices of two customers with a message', async () => {
    const o = open();
    const a = await overdueCustomer(o);
    await expect(o.call('plans.save', { customerId: a.customerId, invoiceIds: [a.invoices[0]!.id], instalments: 2, frequency: 'monthly', startDate: addDays(TODAY, -3) })).rejects.toThrow(/past|today/i);
    const other = (await allRows(o.call)).find((r) => r.customerId !== a.customerId)!;
    await expect(o.call('plans.save', { customerId: a.customerId, invoiceIds: [other.invoices[0]!.id], instalments: 2, frequency: 'monthly', startDate: TODAY })).rejects.toThrow(/not one of/);
  });

  it('drafts a firm follow-up to a broken promise with the promise in its facts', async () => {
    const o = open();
    const { customerId, invoices } = await overdueCustomer(o);
    const inv = invoices[0]!;
    const cents = Math.min(inv.balanceCents, 12_345);
    const { promise } = await o.call('promises.create', { customerId, invoiceIds: [inv.id], date: TODAY, amountCents: cents, currency: inv.currency, madeVia: 'phone' });
    await expect(o.call('promises.followUp', { promiseId: promise.id })).rejects.toThrow(/broken one/);
    at = `${addDays(TODAY, 3)}T10:00:00.000Z`;
    await o.call('scores.recompute');
    const draft = await o.call('promises.followUp', { promiseId: promise.id });
    expect(draft.tone).toBe('firm');
    expect(draft.facts.promises).toEqual([{ date: TODAY, cents, currency: inv.currency }]);
    expect(draft.body).toContain(formatMoney(cents, inv.currency, 'en-US'));
    expect(draft.flagged).toBe(0);
  });
});

describe('payments made outside Settle (QuickBooks emulator)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('cancels drafts whose invoices were paid, supersedes those whose balance changed, and audits why', async () => {
    const qbo = await startQboServer({ today: '2026-11-21', invoices: 200, rateLimit: false });
    cleanups.push(() => qbo.close());
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const core = createCore({ dataDir: dir.path, clock: emulatorClock(qbo), autoDemo: false, autoSync: false, secrets: memorySecretStore(), env: {}, qbo: { apiBase: qbo.apiBase, oauthBase: qbo.oauthBase, environment: 'sandbox' } });
    cleanups.push(() => core.shutdown());
    core.start();
    const call = inProcess(core);
    await core.connectQboWithTokens(headlessTokens(qbo));
    expect((await call('sync.run')).runs[0]!.status).toBe('ok');

    const open = (await allRows(call)).flatMap((r) => r.invoices).filter((i) => i.balanceCents >= 200);
    expect(open.length).toBeGreaterThanOrEqual(3);
    const [paid, partly, untouched] = open;
    const drafts = [];
    for (const inv of [paid!, partly!, untouched!]) drafts.push(await call('drafts.create', { invoiceId: inv.id, mode: 'template' }));
    await call('drafts.submit', { draftId: drafts[1]!.id, ...(drafts[1]!.flagged > 0 ? { overrideReason: 'test figures' } : {}) }).catch(() => undefined);

    const ext = (id: number): string => core.db.prepare('SELECT external_id FROM invoices WHERE id = ?').pluck().get(id) as string;
    qbo.payInvoice(ext(paid!.id), { reference: 'CHK-9001' });
    qbo.payInvoice(ext(partly!.id), { amount: Math.floor(partly!.balanceCents / 2) / 100 });
    expect((await call('sync.run')).runs[0]!.status).toBe('ok');

    const status = (id: number): string => core.db.prepare('SELECT status FROM drafts WHERE id = ?').pluck().get(id) as string;
    expect(status(drafts[0]!.id)).toBe('cancelled');
    expect(status(drafts[1]!.id)).toBe('superseded');
    expect(status(drafts[2]!.id)).toBe('draft');
    const audit = core.db
      .prepare("SELECT action, actor, entity_id AS id, detail_json AS detail FROM audit_log WHERE entity = 'draft' AND actor = 'sync' ORDER BY id")
      .all() as { action: string; actor: string; id: string; detail: string }[];
    expect(audit.map((a) => [a.action, Number(a.id)])).toEqual([
      ['draft.cancel', drafts[0]!.id],
      ['draft.redraft', drafts[1]!.id],
    ]);
    const cancelDetail = JSON.parse(audit[0]!.detail) as { reason: string; ledger: string[] };
    expect(cancelDetail.reason).toContain(paid!.number);
    expect(cancelDetail.ledger.join(' ')).toMatch(/paid in full outside Settle.*CHK-9001/);
    expect((JSON.parse(audit[1]!.detail) as { ledger: string[] }).ledger.join(' ')).toMatch(/balance went from/);

    // A second sync with nothing new changes nothing.
    await call('sync.run');
    expect(core.db.prepare("SELECT COUNT(*) FROM audit_log WHERE entity = 'draft' AND actor = 'sync'").pluck().get()).toBe(2);

    // "Re-check with the ledger" from a triaged reply starts a sync of this company.
    const runs = (): number => core.db.prepare("SELECT COUNT(*) FROM sync_runs WHERE status <> 'running'").pluck().get() as number;
    const before = runs();
    const customerId = (await allRows(call))[0]!.customerId;
    const applied = await call('replies.apply', { customerId, actions: [{ kind: 'recheck_ledger' }] });
    expect(applied.recheck).toBe('started');
    await expect.poll(runs, { timeout: 10_000 }).toBe(before + 1);
  });
});
