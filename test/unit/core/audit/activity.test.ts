// The pure parts of the Activity page: families, plain-words sentences (known and unknown
// actions), the expandable detail (diffs, money, labels), CSV fields, local times and the
// start of a local day across time zones and DST.
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, localTime } from '../../../../src/main/core/audit/csv';
import { redact, startOfLocalDay } from '../../../../src/main/core/audit/query';
import { describeActivity, describeDetail, familyOf, whoOf, type ActivityItem } from '../../../../src/shared/activity';

const item = (over: Partial<ActivityItem>): ActivityItem => ({
  id: 1,
  at: '2026-11-21T15:00:00.000Z',
  actor: 'owner',
  who: 'owner',
  action: 'draft.approve',
  family: 'approvals',
  entity: 'draft',
  entityId: '1',
  customer: { id: 7, name: 'Café Lumière', deleted: false },
  invoices: ['INV-1042', 'INV-1057'],
  detail: {},
  ...over,
});

describe('activity families and actors', () => {
  it('puts approvals and rejections with approvals, not drafts, and unknown domains in other', () => {
    expect(familyOf('draft.approve')).toBe('approvals');
    expect(familyOf('draft.reject')).toBe('approvals');
    expect(familyOf('draft.edit')).toBe('drafts');
    expect(familyOf('outbox.sent')).toBe('sends');
    expect(familyOf('outbox.settings')).toBe('settings');
    expect(familyOf('email.settings')).toBe('settings');
    expect(familyOf('connection.needs_reconnect')).toBe('sync');
    expect(familyOf('promise.broken')).toBe('followup');
    expect(familyOf('telemetry.ping')).toBe('other');
  });

  it('shows the sync family’s system rows as Sync, and rules as Rule', () => {
    expect(whoOf('system', 'connection.needs_reconnect')).toBe('sync');
    expect(whoOf('system', 'outbox.block')).toBe('system');
    expect(whoOf('rule', 'outbox.queue')).toBe('rule');
    expect(whoOf('owner', 'sync.run')).toBe('owner');
  });
});

describe('describeActivity', () => {
  it('says what happened with the customer and invoices', () => {
    expect(describeActivity(item({}), 'en-US')).toBe('Approved reminder to Café Lumière (INV-1042, INV-1057)');
    expect(describeActivity(item({ action: 'outbox.sent', detail: { channel: 'smtp' } }), 'en-US')).toBe(
      'Sent reminder to Café Lumière (INV-1042, INV-1057) by email',
    );
    const many = Array.from({ length: 8 }, (_, i) => `INV-${i + 1}`);
    expect(describeActivity(item({ invoices: many }), 'en-US')).toBe('Approved reminder to Café Lumière (INV-1, INV-2, INV-3, INV-4, INV-5 and 3 more)');
  });

  it('formats amounts and dates in the locale', () => {
    const promise = item({ action: 'promise.create', invoices: [], detail: { amountCents: 123450, currency: 'EUR', date: '2026-12-01' } });
    expect(describeActivity(promise, 'en-US')).toBe('Logged a promise from Café Lumière to pay €1,234.50 by Dec 1, 2026');
    const euros = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5);
    expect(describeActivity(promise, 'de-DE')).toBe(`Logged a promise from Café Lumière to pay ${euros} by 01.12.2026`);
  });

  it('reads gracefully when the customer is gone or the action is new', () => {
    expect(describeActivity(item({ customer: { id: 7, name: null, deleted: true }, invoices: [] }))).toBe('Approved reminder to a removed customer');
    expect(describeActivity(item({ action: 'outbox.may_have_sent', invoices: ['INV-9'] }))).toBe('Outbox: may have sent — Café Lumière (INV-9)');
    expect(describeActivity(item({ action: 'housekeeping', customer: null, invoices: [] }))).toBe('Housekeeping');
  });
});

describe('describeDetail', () => {
  it('turns edits into before/after and leaves out what the summary already says', () => {
    const d = describeDetail({ subject: { at: 3, removed: 'old', inserted: 'new' }, body: null, customerId: 7, invoices: ['INV-1'], flaggedBefore: 1, flaggedAfter: 0 }, 'en-US');
    expect(d.diffs).toEqual([{ label: 'Subject', removed: 'old', inserted: 'new' }]);
    expect(d.fields).toEqual([
      { label: 'Body', value: '—' },
      { label: 'Flags before', value: '1' },
      { label: 'Flags after', value: '0' },
    ]);
  });

  it('reads codes as words and the autonomy phase by its label', () => {
    expect(describeDetail({ reasons: ['amount', 'send_window'], phase: 'auto_low', key: 'draft-7-abc' }).fields).toEqual([
      { label: 'Reasons', value: 'amount, send window' },
      { label: 'Autonomy phase', value: 'Auto-send low risk' },
      { label: 'Idempotency key', value: 'draft-7-abc' },
    ]);
  });

  it('shows money in its currency, recipients as a list, reasons and nested values', () => {
    const d = describeDetail({ amountCents: 5000, currency: 'JPY', recipients: ['a@x.test', 'b@x.test'], messageId: '<m1@x>', settings: { port: 587, tls: 'starttls' } }, 'en-US');
    expect(d.fields).toEqual([
      { label: 'Amount', value: '¥5,000' },
      { label: 'Currency', value: 'JPY' },
      { label: 'Recipients', value: 'a@x.test, b@x.test' },
      { label: 'Message ID', value: '<m1@x>' },
      { label: 'Settings', value: 'port: 587; tls: starttls' },
    ]);
  });
});

describe('CSV fields', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Café Lumière – 東京')).toBe('Café Lumière – 東京');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
    expect(csvLine(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\r\n');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('time zones', () => {
  it('writes local time in the zone given', () => {
    expect(localTime('2026-11-21T15:04:05.000Z', 'UTC')).toBe('2026-11-21 15:04:05');
    expect(localTime('2026-11-21T15:04:05.000Z', 'America/New_York')).toBe('2026-11-21 10:04:05');
    expect(localTime('2026-11-21T23:30:00.000Z', 'Asia/Kolkata')).toBe('2026-11-22 05:00:00');
  });

  it('finds the instant a local day starts, across DST changes', () => {
    expect(startOfLocalDay('2026-11-21', 'UTC')).toBe('2026-11-21T00:00:00.000Z');
    expect(startOfLocalDay('2026-07-02', 'Pacific/Auckland')).toBe('2026-07-01T12:00:00.000Z');
    // New York: EDT (UTC-4) until 1 November 2026, EST (UTC-5) after.
    expect(startOfLocalDay('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('redact', () => {
  it('hides secret-looking fields at any depth and keeps the rest', () => {
    expect(redact({ host: 'h', password: 'p', list: [{ accessToken: 't', ok: 1 }], smtp: { clientSecret: 's', user: 'u' }, key: 'idem-1' })).toEqual({
      host: 'h',
      password: '[hidden]',
      list: [{ accessToken: '[hidden]', ok: 1 }],
      smtp: { clientSecret: '[hidden]', user: 'u' },
      key: 'idem-1',
    });
  });
});
