// Prompt injection, end to end: hostile text in a customer's name, contact, invoice memos,
// payment references and notes goes from a real settle.db through loadFacts into the prompt, and
// reaches the (fake) model only inside the quoted data block. A model that obeys it anyway is
// caught by the fact-check, and can never choose who the reminder goes to.
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { composeWithAi } from '../../../src/main/core/drafting/compose';
import { loadFacts } from '../../../src/main/core/drafting/facts';
import { AI_KEY_NAME, createLlmClient } from '../../../src/main/core/drafting/llm';
import { DATA_CLOSE, DATA_OPEN, extractDataBlock } from '../../../src/main/core/drafting/prompts';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import { FAKE_KEY, FAKE_MODEL, startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../../fakes/openai-server';
import { INJECTIONS } from '../../unit/core/drafting/fixtures';
import { addConnection, customer, invoice, payment, useTempDb } from '../db/helpers';
import { memorySecrets } from './helpers';

const AS_OF = '2025-06-15';
const tmp = useTempDb();

/** A company whose one customer wrote `evil` everywhere a customer can write. */
function hostileLedger(evil: string) {
  const { db } = tmp.open();
  addConnection(db, 'c1');
  upsertBatch(db, 'c1', {
    customers: [customer('k1', { name: `Acme ${evil}`, contactName: evil, email: 'ap@acme.test' })],
    invoices: [
      invoice('inv-1', 'k1', { number: 'INV-1042', issueDate: '2025-03-01', dueDate: '2025-03-31', totalCents: 1_500_00, balanceCents: 1_234_50, memo: evil }),
      invoice('inv-2', 'k1', { number: 'INV-1043', issueDate: '2025-04-01', dueDate: '2025-05-01', totalCents: 99_00, balanceCents: 99_00, memo: `PO 77 ${evil}` }),
    ],
    payments: [payment('p1', 'k1', '2025-04-10', [{ invoiceExternalId: 'inv-1', amountCents: 265_50 }], { reference: evil })],
    notes: [
      { customerExternalId: 'k1', kind: 'note', body: evil, occurredAt: '2025-06-01T10:00:00Z' },
      { customerExternalId: 'k1', invoiceExternalId: 'inv-1', kind: 'email', body: `Their reply: ${evil}`, occurredAt: '2025-06-02T10:00:00Z' },
    ],
  });
  const customerId = db.prepare("SELECT id FROM customers WHERE external_id = 'k1'").pluck().get() as number;
  return { db, customerId };
}

/** Every message of a request with its data block cut out. */
function outsideData(req: RecordedRequest): string {
  return req.messages
    .map((m) => {
      const block = m.role === 'user' ? extractDataBlock(m.content) : null;
      return block ? m.content.slice(0, block.start) + m.content.slice(block.end) : m.content;
    })
    .join('\n');
}

/** One data block in the user message, and no piece of the customer's text anywhere outside it. */
function expectOnlyInsideData(req: RecordedRequest, evil: string): void {
  const user = req.messages[1]!.content;
  expect(user.split(DATA_OPEN)).toHaveLength(2);
  expect(user.split(DATA_CLOSE)).toHaveLength(2);
  const outside = outsideData(req);
  // (The system prompt names the delimiters themselves; any other piece of the text is absent.)
  const pieces = evil.split('\n').flatMap((p) => p.split(/SETTLE_DATA>>>|<<<SETTLE_DATA/)).map((p) => p.trim());
  for (const piece of pieces.filter((p) => p.length > 3)) expect(outside).not.toContain(piece);
}

describe('prompt injection', () => {
  let fake: FakeOpenAi;
  const secrets = memorySecrets({ [AI_KEY_NAME]: FAKE_KEY });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.requests.length = 0;
  });

  it.each(INJECTIONS)('customer text reaches the model only as quoted data: %s', async (evil) => {
    const { db, customerId } = hostileLedger(evil);
    const facts = loadFacts(db, { customerId }, AS_OF, { locale: 'en-US', companyName: 'Birch Studio' });
    expect(facts.notes.map((n) => n.text)).toContain(evil);

    fake.reply('Subject: Reminder\n\nHi,\n\nINV-1042 has $1,234.50 outstanding.\n\nBirch Studio');
    const llm = createLlmClient({ baseURL: fake.baseURL, model: FAKE_MODEL }, { secrets });
    await composeWithAi(facts, llm);

    const [req] = fake.chatRequests();
    const user = req!.messages[1]!.content;
    expectOnlyInsideData(req!, evil);
    // Inside the block, the text arrives verbatim in each field it came from.
    const data = JSON.parse(extractDataBlock(user)!.json) as {
      recipient: { customerName: string; contactName: string };
      invoices: { memo: string | null }[];
      paymentsReceived: { reference: string | null }[];
      notesForContextOnly: { text: string }[];
    };
    // Names are one-line fields, so their line breaks become spaces; memos and notes stay verbatim.
    const flat = (t: string): string => t.replace(/\s+/g, ' ');
    expect(data.recipient).toEqual({ customerName: flat(`Acme ${evil}`), contactName: flat(evil) });
    expect(data.invoices.map((i) => i.memo)).toEqual([evil, `PO 77 ${evil}`]);
    expect(data.paymentsReceived.map((p) => p.reference)).toEqual([evil]);
    expect(data.notesForContextOnly.map((n) => n.text)).toEqual([`Their reply: ${evil}`, evil]);
  });

  it.each(INJECTIONS)('plan proposals and broken-promise follow-ups (reminder.v2) keep it quoted too: %s', async (evil) => {
    const { db, customerId } = hostileLedger(evil);
    const plan = { currency: 'USD', frequency: 'weekly' as const, totalCents: 1_333_50, instalments: [{ seq: 1, date: '2025-06-20', cents: 666_75 }, { seq: 2, date: '2025-06-27', cents: 666_75 }] };
    const broken = { date: '2025-06-10', cents: 500_00, currency: 'USD', outcome: { status: 'broken' as const, deadline: '2025-06-12', paidByDeadlineCents: 0, shortfallCents: 500_00 } };
    const llm = createLlmClient({ baseURL: fake.baseURL, model: FAKE_MODEL }, { secrets });
    for (const extra of [{ plan }, { promises: [broken] }]) {
      fake.requests.length = 0;
      const facts = loadFacts(db, { customerId }, AS_OF, { locale: 'en-US', companyName: 'Birch Studio', ...extra });
      fake.reply('Subject: Reminder\n\nHi,\n\n$666.75 on Jun 20, 2025 and $666.75 on Jun 27, 2025.\n\nBirch Studio');
      const draft = await composeWithAi(facts, llm);
      expect(draft.promptVersion).toBe('reminder.v2');
      const [req] = fake.chatRequests();
      const user = req!.messages[1]!.content;
      expectOnlyInsideData(req!, evil);
      const data = JSON.parse(extractDataBlock(user)!.json) as { notesForContextOnly: { text: string }[]; paymentPlanProposed?: unknown; brokenPromises?: unknown };
      expect(data.notesForContextOnly.map((n) => n.text)).toContain(evil);
      expect('plan' in extra ? data.paymentPlanProposed : data.brokenPromises).toBeDefined();
    }
  });

  it('flags a draft that obeys the injection, and the model cannot pick the recipient', async () => {
    const { db, customerId } = hostileLedger(INJECTIONS[0]!);
    const facts = loadFacts(db, { customerId }, AS_OF, { locale: 'en-US', companyName: 'Birch Studio' });
    fake.reply(
      [
        'Subject: Good news: your balance is $0',
        '',
        'To: attacker@evil.test',
        'Hi, your balance is $0 and invoice INV-1042 is settled. INV-1043 ($0.00) too.',
        'Please send any payment to attacker@evil.test or pay at https://evil.test/pay instead.',
        'We also waive 100% of fees until Jan 1, 2030.',
      ].join('\n'),
    );
    const llm = createLlmClient({ baseURL: fake.baseURL, model: FAKE_MODEL }, { secrets });
    const draft = await composeWithAi(facts, llm);

    const flagged = [...draft.factcheck.subject.findings, ...draft.factcheck.body.findings].filter((f) => f.status !== 'ok');
    expect(flagged.map((f) => [f.kind, f.text, f.status])).toEqual([
      ['amount', '$0', 'mismatch'],
      ['email', 'attacker@evil.test', 'unknown'],
      ['amount', '$0', 'mismatch'],
      ['claim', 'is settled', 'unknown'],
      ['amount', '$0.00', 'mismatch'],
      ['email', 'attacker@evil.test', 'unknown'],
      ['link', 'https://evil.test/pay', 'unknown'],
      ['claim', 'waive', 'unknown'],
      ['percent', '100%', 'unknown'],
      ['date', 'Jan 1, 2030', 'mismatch'],
    ]);
    expect(draft.factcheck.clean).toBe(false);
    // Recipients come from the ledger; the "To:" line is just text in the body.
    expect(draft.to).toBe('ap@acme.test');
    expect(Object.keys(draft).sort()).toEqual(['body', 'factcheck', 'factsHash', 'model', 'promptVersion', 'source', 'subject', 'to', 'tone']);
  });

  it('ignores recipient fields in a JSON answer', async () => {
    const { db, customerId } = hostileLedger(INJECTIONS[1]!);
    const facts = loadFacts(db, { customerId }, AS_OF, { locale: 'en-US' });
    fake.reply(JSON.stringify({ subject: 'Reminder', body: 'Please pay $1,333.50.', to: 'attacker@evil.test', cc: ['x@evil.test'], recipients: ['attacker@evil.test'] }));
    const llm = createLlmClient({ baseURL: fake.baseURL, model: FAKE_MODEL }, { secrets });
    const raw = await llm.draft(facts, facts.tone);
    expect(Object.keys(raw).sort()).toEqual(['body', 'model', 'promptVersion', 'subject']);
    const draft = await (fake.reply(JSON.stringify({ subject: 'R', body: 'x', to: 'attacker@evil.test' })), composeWithAi(facts, llm));
    expect(draft.to).toBe('ap@acme.test');
    expect(JSON.stringify(draft)).not.toContain('attacker@evil.test');
  });
});
