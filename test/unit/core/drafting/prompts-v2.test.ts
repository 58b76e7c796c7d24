// reminder.v2, the current prompt: the plan schedule and a broken promise as data, formatted
// exactly as the fact-check reads them back, with a brief for each kind of draft; customer text
// stays inside the one data block.
import { describe, expect, it } from 'vitest';
import { factCheck } from '../../../../src/main/core/drafting/factcheck';
import { day, money } from '../../../../src/main/core/drafting/locale';
import { CURRENT_PROMPT, DATA_CLOSE, DATA_OPEN, extractDataBlock, getPrompt } from '../../../../src/main/core/drafting/prompts';
import { promptData as v1Data } from '../../../../src/main/core/drafting/prompts/reminder.v1';
import { promptData, purposeOf } from '../../../../src/main/core/drafting/prompts/reminder.v2';
import type { FactsInput } from '../../../../src/main/core/drafting/facts';
import { INJECTIONS, sampleFacts } from './fixtures';

const PLAN: NonNullable<FactsInput['plan']> = {
  currency: 'USD',
  frequency: 'monthly',
  totalCents: 1_333_50,
  instalments: [
    { seq: 1, date: '2026-12-01', cents: 444_50 },
    { seq: 2, date: '2027-01-01', cents: 444_50 },
    { seq: 3, date: '2027-02-01', cents: 444_50 },
  ],
};
const BROKEN: NonNullable<FactsInput['promises']>[number] = {
  date: '2026-11-12',
  cents: 500_00,
  currency: 'USD',
  outcome: { status: 'partially_kept', deadline: '2026-11-14', paidByDeadlineCents: 120_00, shortfallCents: 380_00 },
};

const dataOf = (content: string): Record<string, unknown> => JSON.parse(extractDataBlock(content)!.json) as Record<string, unknown>;

describe('reminder.v2', () => {
  it('is the current prompt, registered beside v1', () => {
    expect(CURRENT_PROMPT.version).toBe('reminder.v2');
    expect(getPrompt('reminder.v2')).toBe(CURRENT_PROMPT);
    expect(getPrompt('reminder.v1')?.version).toBe('reminder.v1');
  });

  it('asks for a plain reminder with v1’s data when there is no plan or broken promise', () => {
    const facts = sampleFacts({ promises: [{ date: '2026-11-30', cents: 99_00, currency: 'USD' }] });
    expect(purposeOf(facts)).toBe('reminder');
    const [, user] = CURRENT_PROMPT.build(facts, 'firm');
    expect(user!.content).toMatch(/^Write a firm payment reminder email in English\./);
    expect(dataOf(user!.content)).toEqual(JSON.parse(JSON.stringify(v1Data(facts))));
  });

  it.each(['en-US', 'de-DE', 'fr-FR', 'ja-JP'])('lists every instalment of a plan as the fact-check reads it (%s)', (locale) => {
    const facts = sampleFacts({ locale, plan: PLAN });
    expect(purposeOf(facts)).toBe('plan');
    const [, user] = CURRENT_PROMPT.build(facts, 'friendly');
    expect(user!.content).toMatch(/proposes a payment plan/);
    expect(user!.content).toMatch(/List all 3 instalments/);
    expect(user!.content).toMatch(/confirm they agree/);
    const plan = dataOf(user!.content).paymentPlanProposed as { total: string; instalments: { instalment: number; due: string; amount: string }[] };
    expect(plan.total).toBe(money(PLAN.totalCents, 'USD', facts.locale));
    expect(plan.instalments).toEqual(PLAN.instalments.map((i) => ({ instalment: i.seq, due: day(i.date, facts.locale), amount: money(i.cents, 'USD', facts.locale) })));
    // Each line a model would copy from the data checks out; a changed instalment does not.
    for (const i of plan.instalments) expect(factCheck(`${i.amount} on ${i.due}`, facts).flagged).toBe(0);
    expect(factCheck(`${money(444_51, 'USD', facts.locale)} on ${day('2026-12-02', facts.locale)}`, facts).flagged).toBe(2);
  });

  it('names a broken promise’s date, amount and what arrived by its deadline', () => {
    const facts = sampleFacts({ promises: [BROKEN] });
    expect(purposeOf(facts)).toBe('broken_promise');
    const [, user] = CURRENT_PROMPT.build(facts, 'firm');
    const brief = user!.content.slice(0, extractDataBlock(user!.content)!.start);
    expect(brief).toMatch(/^Write a firm follow-up email in English about a promise to pay that was not kept\./);
    expect(brief).toContain('$500.00 by Nov 12, 2026');
    expect(brief).toMatch(/name the promised date as the date that was missed/);
    const data = dataOf(user!.content);
    expect(data.promisesToPay).toEqual([]);
    expect(data.brokenPromises).toEqual([
      {
        promisedAmount: '$500.00',
        promisedBy: 'Nov 12, 2026',
        status: 'partially kept: only part arrived by the deadline',
        deadlineWithGrace: 'Nov 14, 2026',
        receivedByDeadline: '$120.00',
        stillMissing: '$380.00',
      },
    ]);
    // Every figure given to the model is one the fact-check accepts.
    expect(factCheck('$500.00 by Nov 12, 2026; $120.00 by Nov 14, 2026; $380.00 missing', facts).flagged).toBe(0);
  });

  it('says "nothing" rather than a zero amount when nothing arrived', () => {
    const facts = sampleFacts({ promises: [{ ...BROKEN, outcome: { status: 'broken', deadline: '2026-11-14', paidByDeadlineCents: 0, shortfallCents: 500_00 } }] });
    const data = dataOf(CURRENT_PROMPT.build(facts, 'firm')[1]!.content);
    expect(data.brokenPromises).toEqual([expect.objectContaining({ receivedByDeadline: 'nothing', stillMissing: '$500.00' })]);
    expect(JSON.stringify(data)).not.toContain('$0.00');
  });

  it('refuses a malformed promise outcome', () => {
    expect(() => sampleFacts({ promises: [{ ...BROKEN, outcome: { ...BROKEN.outcome!, deadline: '14/11/2026' } }] })).toThrow(/deadline/);
    expect(() => sampleFacts({ promises: [{ ...BROKEN, outcome: { ...BROKEN.outcome!, paidByDeadlineCents: 1.5 } }] })).toThrow(/whole minor units/);
  });

  it('keeps customer text inside the data block for plan proposals and follow-ups too', () => {
    for (const evil of INJECTIONS) {
      for (const extra of [{ plan: PLAN }, { promises: [BROKEN] }]) {
        const facts = sampleFacts({
          ...extra,
          customer: { id: 1, name: evil, contactName: evil, email: 'ap@x.test' },
          invoices: sampleFacts().invoices.map((i) => ({ ...i, memo: evil })),
          notes: [{ at: '2026-11-01', kind: 'note', text: evil }],
        });
        const [system, user] = CURRENT_PROMPT.build(facts, 'friendly');
        expect(system!.content).not.toContain(evil);
        const content = user!.content;
        expect(content.split(DATA_OPEN)).toHaveLength(2);
        expect(content.split(DATA_CLOSE)).toHaveLength(2);
        const block = extractDataBlock(content)!;
        const outside = content.slice(0, block.start) + content.slice(block.end);
        for (const line of evil.split('\n')) if (line.length > 3) expect(outside).not.toContain(line);
        expect(promptData(facts)).toMatchObject({ notesForContextOnly: [{ text: evil }] });
      }
    }
  });

  it('keeps v1’s protective rules and adds the plan rule', () => {
    expect(CURRENT_PROMPT.system).toMatch(/Use only the figures in the data block/);
    expect(CURRENT_PROMPT.system).toMatch(/never change, add, merge or split an instalment/);
    expect(CURRENT_PROMPT.system).toMatch(/data, not instructions/);
    expect(CURRENT_PROMPT.system).toMatch(/Subject: <one line>/);
    expect(CURRENT_PROMPT.system).toMatch(/email addresses, phone numbers, web links/);
  });
});
