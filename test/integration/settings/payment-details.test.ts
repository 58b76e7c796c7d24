// Settings → Payment details (issue 11 §1) against a real core: the get/set round trip per
// company (the active one by default), clearing with null or '', validation that refuses bad
// input with a clear message and writes nothing, an unknown company as not_found, the audit row
// with the values the owner allowed, and new drafts carrying the stored details as facts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import { createConnection } from '../../../src/main/core/connectors/connections.repo';
import { getDraft } from '../../../src/main/core/drafting/drafts.repo';
import { describeActivity, familyOf } from '../../../src/shared/activity';
import type { PaymentDetailsView } from '../../../src/shared/model';
import { tempDir } from '../../support/tmp';
import { count, NOW, openCore, type Opened } from '../core/helpers';

const BANK = 'Müller & Söhne GmbH\nIBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX';
const DETAILS = {
  bankDetails: BANK,
  payLink: 'https://pay.mueller-soehne.example/invoices',
  phone: '+49 (30) 1234-5678',
  replyTo: 'accounts@mueller-soehne.example',
};
const EMPTY = { bankDetails: null, payLink: null, phone: null, replyTo: null, updatedAt: null };

describe('payment details', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Opened['core'];
  let call: Opened['call'];
  let demoId: string;
  const settingsRows = (): unknown[] => core.db.prepare("SELECT key, value_json, updated_at FROM settings WHERE key LIKE 'payment.details.%' ORDER BY key").raw().all();
  const auditRows = (): number => count(core.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.details'");

  beforeEach(() => {
    dir = tempDir();
    ({ core, call } = openCore(dir.path, { demoInvoices: 200 }));
    demoId = core.activeConnectionId();
  });
  afterEach(() => {
    core.close();
    dir.cleanup();
  });

  it('starts empty for the active company and round-trips a set, across a restart', async () => {
    expect(await call('paymentDetails.get')).toEqual({ connectionId: demoId, ...EMPTY });
    expect(settingsRows()).toEqual([]);

    const saved = await call('paymentDetails.set', DETAILS);
    expect(saved).toEqual({ connectionId: demoId, ...DETAILS, updatedAt: NOW.replace('Z', '.000Z') });
    expect(await call('paymentDetails.get')).toEqual(saved);
    expect(await call('paymentDetails.get', { connectionId: demoId })).toEqual(saved);
    // One settings key per company, no migration.
    expect(settingsRows()).toEqual([[`payment.details.${demoId}`, expect.any(String), saved.updatedAt]]);

    core.close();
    ({ core, call } = openCore(dir.path));
    expect(await call('paymentDetails.get')).toEqual(saved);
  });

  it('trims, keeps line breaks in bank details, and changes only the fields given', async () => {
    await call('paymentDetails.set', DETAILS);
    const after = await call('paymentDetails.set', { bankDetails: '  Sort code 20-00-00\r\nAccount 55779911  ', phone: ' 020 7946 0000 ' });
    expect(after).toMatchObject({ bankDetails: 'Sort code 20-00-00\nAccount 55779911', phone: '020 7946 0000', payLink: DETAILS.payLink, replyTo: DETAILS.replyTo });
  });

  it('clears a field with null or an empty string', async () => {
    await call('paymentDetails.set', DETAILS);
    const after = await call('paymentDetails.set', { payLink: null, phone: '', replyTo: '   ' });
    expect(after).toMatchObject({ bankDetails: BANK, payLink: null, phone: null, replyTo: null });
    expect(await call('paymentDetails.get')).toEqual(after);
  });

  it.each([
    [{ bankDetails: 'x'.repeat(1001) }, 'bankDetails: Bank details can be at most 1,000 characters'],
    [{ bankDetails: 'IBAN\u0000DE89' }, 'bankDetails: Bank details can hold only text and line breaks'],
    [{ payLink: 'http://pay.example.com/acme' }, 'payLink: The pay link must be an https:// address'],
    [{ payLink: 'javascript:alert(1)' }, 'payLink: The pay link must be an https:// address'],
    [{ payLink: 'pay.example.com' }, 'payLink: The pay link must be an https:// address'],
    [{ payLink: 'https://yourbank.example@elsewhere.example/pay' }, 'payLink: The pay link must be an https:// address'],
    [{ payLink: `https://pay.example.com/${'a'.repeat(480)}` }, 'payLink: The pay link can be at most 500 characters'],
    [{ phone: 'call 555-1234' }, 'phone: Use only digits, spaces and + - ( ) . in the phone number'],
    [{ phone: '+1 (555)' }, 'phone: A phone number needs at least 6 digits'],
    [{ phone: '1'.repeat(61) }, 'phone: The phone number can be at most 60 characters'],
    [{ replyTo: 'accounts (at) example (dot) com' }, 'replyTo: The reply-to address must be an email address'],
    [{ replyTo: `${'a'.repeat(310)}@example.com` }, 'replyTo: The reply-to address can be at most 320 characters'],
    [{ iban: 'DE89370400440532013000' }, 'iban'],
    [{ bankDetails: 42 }, 'bankDetails'],
    [{ connectionId: '' }, 'connectionId'],
  ])('refuses %j with invalid_input and writes nothing', async (input, message) => {
    await call('paymentDetails.set', DETAILS);
    const before = { rows: settingsRows(), audit: auditRows() };
    // Good fields beside the bad one are not written either.
    const err = await call.raw('paymentDetails.set', { phone: '+44 20 7946 0000', ...input }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(message) as unknown });
    expect({ rows: settingsRows(), audit: auditRows() }).toEqual(before);
    expect(await call('paymentDetails.get')).toMatchObject(DETAILS);
  });

  it('answers not_found for a company Settle does not know, and writes nothing', async () => {
    await expect(call('paymentDetails.get', { connectionId: 'qbo-123' })).rejects.toMatchObject({ code: 'not_found', message: 'No company qbo-123' });
    await expect(call('paymentDetails.set', { connectionId: 'qbo-123', ...DETAILS })).rejects.toMatchObject({ code: 'not_found' });
    expect(settingsRows()).toEqual([]);
    expect(auditRows()).toBe(0);
  });

  it('keeps each company its own details', async () => {
    createConnection(core.db, { id: 'csv-1', provider: 'csv', name: 'Imported Ltd', homeCurrency: 'GBP' }, NOW);
    await call('paymentDetails.set', DETAILS);
    const other = await call('paymentDetails.set', { connectionId: 'csv-1', phone: '+44 20 7946 0000' });
    expect(other).toMatchObject({ connectionId: 'csv-1', bankDetails: null, phone: '+44 20 7946 0000' });
    expect(await call('paymentDetails.get')).toMatchObject({ connectionId: demoId, ...DETAILS });
    expect(await call('paymentDetails.get', { connectionId: 'csv-1' })).toEqual(other);
  });

  it('audits each change with the fields changed and the values allowed, and nothing for a no-op', async () => {
    await call('paymentDetails.set', DETAILS);
    await call('paymentDetails.set', { phone: null, replyTo: DETAILS.replyTo });
    await call('paymentDetails.set', { phone: null });
    // Newest first.
    const rows = readAudit(core.db, { entity: 'connection', entityId: demoId }).filter((r) => r.action === 'payment.details');
    expect(rows.map((r) => ({ actor: r.actor, entity: r.entity, entityId: r.entityId, detail: r.detail }))).toEqual([
      { actor: 'owner', entity: 'connection', entityId: demoId, detail: { changed: ['phone'], ...DETAILS, phone: null } },
      { actor: 'owner', entity: 'connection', entityId: demoId, detail: { changed: ['bankDetails', 'payLink', 'phone', 'replyTo'], ...DETAILS } },
    ]);
    expect(verifyAudit(core.db)).toMatchObject({ ok: true });
    // The Activity page says it in plain words, under "Rules & settings".
    expect(familyOf('payment.details')).toBe('settings');
    const items = (await call('audit.list', { families: ['settings'] })).items.filter((i) => i.action === 'payment.details');
    expect(items.map((i) => describeActivity(i))).toEqual([
      'Changed the payment details reminders may give (phone)',
      'Changed the payment details reminders may give (bank details, pay link, phone, reply to)',
    ]);
  });

  it("puts the company's stored details into the facts of every new draft", async () => {
    const board = await call('board.get', {});
    const customerId = board.queue.rows[0]!.customerId;

    const before = await call('drafts.create', { customerId, mode: 'template' });
    expect(getDraft(core.db, before.id)!.facts.payment).toEqual({ bankDetails: null, payLink: null, phone: null, replyTo: null });
    await call('drafts.cancel', { draftId: before.id });

    const stored: PaymentDetailsView = await call('paymentDetails.set', DETAILS);
    const draft = await call('drafts.create', { customerId, mode: 'template' });
    const read = await call('drafts.get', { draftId: draft.id });
    expect(read.connectionId).toBe(stored.connectionId);
    expect(getDraft(core.db, draft.id)!.facts.payment).toEqual(DETAILS);
    // Frozen with the draft: a later change is for new drafts only.
    await call('paymentDetails.set', { phone: '+49 30 999999' });
    expect(getDraft(core.db, draft.id)!.facts.payment).toEqual(DETAILS);
  });
});
