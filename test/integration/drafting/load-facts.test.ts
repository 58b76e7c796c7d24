// loadFacts on the demo company (a real settle.db through createCore), checked against what
// customers.get and invoices.get show the owner; then template drafting, with no AI configured,
// for every customer with something overdue, in three tones and a few locales: the fact-check
// must pass on all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, checkEdit, composeFromTemplate } from '../../../src/main/core/drafting/compose';
import { buildFactIndex, factCheckDraft } from '../../../src/main/core/drafting/factcheck';
import { factsHash, loadFacts } from '../../../src/main/core/drafting/facts';
import { TONES } from '../../../src/main/core/drafting/tone';
import type { QueueInvoice } from '../../../src/shared/model';
import { tempDir } from '../../support/tmp';
import { openCore, TODAY, type Opened } from '../core/helpers';

describe('loadFacts on the demo company', () => {
  const dir = tempDir();
  let core: Opened['core'];
  let call: Opened['call'];
  let overdueCustomers: number[];

  beforeAll(() => {
    ({ core, call } = openCore(dir.path));
    overdueCustomers = core.db
      .prepare(
        `SELECT DISTINCT customer_id FROM invoices WHERE connection_id = 'demo' AND status = 'open' AND balance_cents > 0
           AND due_date < ? AND deleted_at IS NULL ORDER BY customer_id`,
      )
      .pluck()
      .all(TODAY) as number[];
  });
  afterAll(() => {
    core.close();
    dir.cleanup();
  });

  it('covers exactly the overdue invoices the drawer shows, with their balances', async () => {
    expect(overdueCustomers.length).toBeGreaterThan(5);
    for (const customerId of overdueCustomers.slice(0, 15)) {
      const detail = await call('customers.get', { customerId });
      const overdue = detail.openInvoices.filter((i: QueueInvoice) => i.daysOverdue > 0);
      const facts = loadFacts(core.db, { customerId }, TODAY, { locale: 'en-US' });
      expect(facts.scope).toBe('customer');
      expect(facts.customer).toEqual({ id: customerId, name: detail.customer.name, contactName: detail.customer.contactName, email: detail.customer.email });
      expect(facts.company.name).toBe(core.db.prepare("SELECT name FROM connections WHERE id = 'demo'").pluck().get());
      expect(new Set(facts.invoices.map((i) => i.id))).toEqual(new Set(overdue.map((i) => i.id)));
      for (const inv of facts.invoices) {
        const shown = overdue.find((i) => i.id === inv.id)!;
        expect([inv.number, inv.balanceCents, inv.totalCents, inv.daysOverdue, inv.dueDate]).toEqual([
          shown.number, shown.balanceCents, shown.totalCents, shown.daysOverdue, shown.dueDate,
        ]);
      }
      const byCurrency = new Map(detail.amounts.map((a) => [a.currency, a.overdueCents]));
      for (const t of facts.totals) expect(t.balanceCents).toBe(byCurrency.get(t.currency));
      expect(facts.tier).toBe(detail.score?.tier ?? null);
    }
  });

  it('loads one invoice with its payments and refuses what cannot be reminded about', async () => {
    const customerId = overdueCustomers[0]!;
    const facts = loadFacts(core.db, { customerId }, TODAY);
    const target = facts.invoices[0]!;
    const one = loadFacts(core.db, { invoiceId: target.id }, TODAY);
    expect(one.scope).toBe('invoice');
    expect(one.invoices).toEqual([target]);
    const detail = await call('invoices.get', { invoiceId: target.id });
    const applied = detail.applications.filter((a) => a.date <= TODAY);
    expect(one.payments.length + one.credits.length).toBe(applied.length);

    const paid = core.db.prepare("SELECT id FROM invoices WHERE connection_id = 'demo' AND status = 'paid' LIMIT 1").pluck().get() as number;
    expect(() => loadFacts(core.db, { invoiceId: paid }, TODAY)).toThrow(/no open balance/);
    expect(() => loadFacts(core.db, { invoiceId: 99_999_999 }, TODAY)).toThrow(/No invoice/);
    expect(() => loadFacts(core.db, { customerId: 99_999_999 }, TODAY)).toThrow(/No customer/);
    const settled = core.db
      .prepare(`SELECT id FROM customers WHERE connection_id = 'demo' AND id NOT IN (SELECT customer_id FROM invoices WHERE status = 'open' AND balance_cents > 0) LIMIT 1`)
      .pluck()
      .get() as number | undefined;
    if (settled !== undefined) expect(() => loadFacts(core.db, { customerId: settled }, TODAY)).toThrow(/nothing overdue/);
  });

  it('picks the tone from tier and history unless the owner chose one', () => {
    const customerId = overdueCustomers[0]!;
    const firstTime = loadFacts(core.db, { customerId }, TODAY, { tier: 'low' });
    const maxDays = Math.max(...firstTime.invoices.map((i) => i.daysOverdue));
    expect(firstTime.tone).toBe(maxDays >= 60 ? 'firm' : 'friendly');
    expect(loadFacts(core.db, { customerId }, TODAY, { tier: 'high' }).tone).toBe('firm');
    expect(loadFacts(core.db, { customerId }, TODAY, { tone: 'final' }).tone).toBe('final');
    expect(loadFacts(core.db, { customerId }, TODAY, { tier: 'low', history: { priorReminders: 2, lastTone: 'friendly' } }).tone).toBe('firm');
  });

  it('drafts from templates for every overdue customer, tone and a few locales, all fact-checked clean', () => {
    const timings: number[] = [];
    let drafts = 0;
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP']) {
      for (const customerId of overdueCustomers) {
        for (const tone of TONES) {
          const t0 = performance.now();
          const facts = loadFacts(core.db, { customerId }, TODAY, { locale, tone, payLink: 'https://pay.example.com/demo' });
          const draft = composeFromTemplate(facts);
          timings.push(performance.now() - t0);
          drafts++;
          const flagged = [...draft.factcheck.subject.findings, ...draft.factcheck.body.findings].filter((f) => f.status !== 'ok');
          expect(flagged, `${locale} ${customerId} ${tone}\n${draft.body}`).toEqual([]);
          expect(draft).toMatchObject({ source: 'template', model: null, promptVersion: null, tone, factsHash: factsHash(facts), to: facts.customer.email });
        }
      }
    }
    timings.sort((a, b) => a - b);
    console.warn(`template drafts from the demo db: ${drafts}, load+render+check median ${timings[timings.length >> 1]!.toFixed(2)} ms, p99 ${timings[Math.floor(timings.length * 0.99)]!.toFixed(2)} ms`);
  });

  it('re-checks the owner’s edits against the same facts, and refuses unsendable edits', () => {
    const facts = loadFacts(core.db, { customerId: overdueCustomers[0]! }, TODAY);
    const draft = composeFromTemplate(facts);
    const first = facts.invoices[0]!;
    const edited = applyEdit(draft, facts, { subject: draft.subject, body: `${draft.body}\n\nP.S. ${first.number} is now $1.00.` });
    expect(edited.source).toBe('user');
    expect(edited.factsHash).toBe(draft.factsHash);
    expect(edited.factcheck.flagged).toBe(1);
    expect(checkEdit({ subject: 'a\nb', body: '' }).map((p) => p.message)).toEqual(['The subject must be one line', 'The body is empty']);
    expect(checkEdit({ subject: 'ok', body: 'x'.repeat(20_001) })[0]!.message).toMatch(/longer than/);
    const ix = buildFactIndex(facts);
    expect(factCheckDraft({ subject: draft.subject, body: draft.body }, ix).clean).toBe(true);
  });
});
