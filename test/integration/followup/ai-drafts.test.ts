// Payment-plan proposals and broken-promise follow-ups drafted by the AI (issues 5 and 6), through
// the contract against a real settle.db (the demo company) and the OpenAI-compatible fake: the
// prompt (reminder.v2) carries every instalment or the missed promise, a draft that states them
// right passes the fact-check and one with a planted wrong instalment is flagged, regenerating
// keeps the plan, and an AI failure falls back to the template with a notice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractDataBlock } from '../../../src/main/core/drafting/prompts';
import type { Clock } from '../../../src/main/core/ports';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import { addDays, formatDate } from '../../../src/shared/dates';
import { formatMoney } from '../../../src/shared/money';
import type { PlanItem } from '../../../src/shared/followup';
import type { DraftView, QueueInvoice } from '../../../src/shared/model';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../../fakes/openai-server';
import { tempDir } from '../../support/tmp';
import { allRows, openCore, type Opened } from '../core/helpers';

const KEY = 'sk-settle-followup-ai-71c2e9';
const START = '2026-11-21T15:00:00.000Z';
const TODAY = '2026-11-21';
// The demo company's drafts are written for en-US (the settings' default locale).
const usd = (cents: number, currency: string): string => formatMoney(cents, currency, 'en-US');
const date = (d: string): string => formatDate(d, 'en-US', 'medium');

describe('AI drafts for payment plans and broken promises', () => {
  let fake: FakeOpenAi;
  let dir: ReturnType<typeof tempDir>;
  let o: Opened;
  let at: string;
  const clock: Clock = { now: () => new Date(at), timeZone: () => 'UTC' };

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    at = START;
    dir = tempDir();
    o = openCore(dir.path, { clock, demoInvoices: 200, secrets: memorySecretStore(), env: {} });
    await o.call('ai.set', { provider: 'compatible', baseURL: fake.baseURL, model: 'gpt-fake-1' });
    await o.call('ai.setKey', { key: KEY });
    fake.requests.length = 0;
  });
  afterEach(() => {
    fake.respondWith(null);
    o.core.close();
    dir.cleanup();
  });

  const overdueCustomer = async (): Promise<{ customerId: number; invoices: QueueInvoice[] }> => {
    for (const r of await allRows(o.call)) {
      const overdue = r.invoices.filter((i) => i.daysOverdue > 0 && i.currency === r.invoices[0]!.currency);
      if (overdue.length < 2 || r.disputed) continue;
      const detail = await o.call('customers.get', { customerId: r.customerId });
      if (detail.customer.email) return { customerId: r.customerId, invoices: overdue };
    }
    throw new Error('the demo company has no customer with two overdue invoices and an email');
  };

  const savedPlan = async (): Promise<PlanItem> => {
    const { customerId, invoices } = await overdueCustomer();
    return o.call('plans.save', { customerId, invoiceIds: invoices.slice(0, 2).map((i) => i.id), instalments: 3, frequency: 'monthly', startDate: addDays(TODAY, 7) });
  };

  /** What a model that follows the brief writes: every instalment, as the data block gives it. */
  const planEmail = (plan: PlanItem, line: (amount: string, due: string, n: number) => string = (a, d) => `• ${a} due ${d}`): string =>
    [
      'Subject: A payment plan for your overdue balance',
      '',
      'Dear customer,',
      '',
      `We would like to offer you a plan to settle the balance of ${usd(plan.balanceCents, plan.currency)} in ${plan.instalments.length} monthly instalments:`,
      ...plan.instalments.map((i, n) => line(usd(i.amountCents, plan.currency), date(i.dueDate), n)),
      '',
      'Please reply to confirm that this schedule works for you.',
      '',
      'Kind regards',
    ].join('\n');

  const userMessage = (req: RecordedRequest | undefined): string => req!.messages.find((m) => m.role === 'user')!.content;

  it('sends every instalment to the model, records reminder.v2, and a correct schedule passes the fact-check', async () => {
    const plan = await savedPlan();
    fake.reply({ content: planEmail(plan), model: 'gpt-fake-1-2026' });
    const draft = await o.call('plans.propose', { planId: plan.id });

    const user = userMessage(fake.chatRequests()[0]);
    expect(user).toMatch(/proposes a payment plan/);
    const data = JSON.parse(extractDataBlock(user)!.json) as { paymentPlanProposed: { instalments: { instalment: number; due: string; amount: string }[] } };
    expect(data.paymentPlanProposed.instalments).toEqual(
      plan.instalments.map((i) => ({ instalment: i.seq, due: date(i.dueDate), amount: usd(i.amountCents, plan.currency) })),
    );
    expect(draft).toMatchObject({ source: 'ai', model: 'gpt-fake-1-2026', promptVersion: 'reminder.v2', flagged: 0 });
    expect(draft.notice ?? null).toBeNull();
    for (const i of plan.instalments) expect(draft.body).toContain(`${usd(i.amountCents, plan.currency)} due ${date(i.dueDate)}`);
    expect((await o.call('plans.list', { customerId: plan.customerId }))[0]!.draftId).toBe(draft.id);
  });

  it('flags a planted wrong instalment amount, and a wrong instalment date', async () => {
    const plan = await savedPlan();
    const last = plan.instalments.length - 1;
    const wrongAmount = usd(plan.instalments[last]!.amountCents + 100, plan.currency);
    const wrongDate = date(addDays(plan.instalments[1]!.dueDate, 3));
    fake.reply(planEmail(plan, (a, d, n) => `• ${n === last ? wrongAmount : a} due ${d}`));
    const badAmount = await o.call('plans.propose', { planId: plan.id });
    expect(badAmount.source).toBe('ai');
    expect(badAmount.findings.filter((f) => f.status !== 'ok').map((f) => [f.kind, f.text, f.status])).toEqual([['amount', wrongAmount, 'mismatch']]);

    fake.reply(planEmail(plan, (a, d, n) => `• ${a} due ${n === 1 ? wrongDate : d}`));
    const badDate = await o.call('plans.propose', { planId: plan.id });
    expect(badDate.findings.filter((f) => f.status !== 'ok').map((f) => [f.kind, f.text, f.status])).toEqual([['date', wrongDate, 'mismatch']]);
    await expect(o.call('drafts.submit', { draftId: badDate.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('regenerating a plan proposal keeps the plan in the facts and in the prompt', async () => {
    const plan = await savedPlan();
    fake.reply(planEmail(plan), planEmail(plan));
    const draft = await o.call('plans.propose', { planId: plan.id });
    const again = await o.call('drafts.regenerate', { draftId: draft.id, tone: 'firm' });
    expect(again).toMatchObject({ id: draft.id, tone: 'firm', source: 'ai', promptVersion: 'reminder.v2', flagged: 0 });
    const second = userMessage(fake.chatRequests()[1]);
    for (const i of plan.instalments) {
      expect(second).toContain(usd(i.amountCents, plan.currency));
      expect(second).toContain(date(i.dueDate));
    }
  });

  it('falls back to the template with a notice when the AI fails, the schedule still in the text', async () => {
    const plan = await savedPlan();
    fake.reply({ status: 500, error: { message: 'The server had an error', type: 'server_error' } });
    const draft: DraftView = await o.call('plans.propose', { planId: plan.id });
    expect(draft).toMatchObject({ source: 'template', model: null, promptVersion: null, flagged: 0 });
    expect(draft.notice).toMatch(/internal error \(500\).*drafted from your template instead/);
    for (const i of plan.instalments) expect(draft.body).toContain(`${usd(i.amountCents, plan.currency)} on ${date(i.dueDate)}`);
  });

  it('drafts a broken-promise follow-up that names the missed date, and it passes the fact-check', async () => {
    const { customerId, invoices } = await overdueCustomer();
    const inv = invoices[0]!;
    const cents = Math.min(inv.balanceCents, 12_345);
    const { promise } = await o.call('promises.create', { customerId, invoiceIds: [inv.id], date: TODAY, amountCents: cents, currency: inv.currency, madeVia: 'phone' });
    at = `${addDays(TODAY, 3)}T10:00:00.000Z`;
    await o.call('scores.recompute');

    const missed = date(TODAY);
    const amount = usd(cents, inv.currency);
    fake.respondWith(() =>
      [
        `Subject: Your payment promised for ${missed} has not arrived`,
        '',
        'Dear customer,',
        '',
        `You told us you would pay ${amount} by ${missed}, but we have not received it. Please pay ${amount} within 7 days, or reply with a firm date.`,
        '',
        'Regards',
      ].join('\n'),
    );
    const draft = await o.call('promises.followUp', { promiseId: promise.id });
    const user = userMessage(fake.chatRequests()[0]);
    expect(user).toMatch(/follow-up email in English about a promise to pay that was not kept/);
    expect(user).toContain(`${amount} by ${missed}`);
    const data = JSON.parse(extractDataBlock(user)!.json) as { brokenPromises: unknown[] };
    expect(data.brokenPromises).toEqual([expect.objectContaining({ promisedAmount: amount, promisedBy: missed, receivedByDeadline: 'nothing', stillMissing: amount })]);

    expect(draft).toMatchObject({ source: 'ai', promptVersion: 'reminder.v2', tone: 'firm', flagged: 0 });
    expect(draft.subject).toContain(missed);
    expect(draft.body).toContain(missed);
    expect(draft.facts.promises).toEqual([{ date: TODAY, cents, currency: inv.currency }]);

    // Regenerating keeps the broken promise: the prompt still names it.
    await o.call('drafts.regenerate', { draftId: draft.id });
    expect(userMessage(fake.chatRequests()[1])).toContain(`${amount} by ${missed}`);
  });
});
