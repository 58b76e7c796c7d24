import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  mapContact,
  mapCreditNote,
  mapInvoice,
  mapPayment,
  mapXeroPage,
  maxUpdated,
  parseXeroDate,
  salesTerms,
  xeroDate,
  xeroInstant,
  xeroMoney,
  type XeroMapContext,
} from '../../../../../src/main/core/connectors/xero/map';
import { ifModifiedSinceValue } from '../../../../../src/main/core/connectors/xero/client';
import { decodeXeroCursor, encodeXeroCursor } from '../../../../../src/main/core/connectors/xero/source';

const ctx: XeroMapContext = { baseCurrency: 'NZD' };

// Hand-written Xero JSON per ledger-apis.md §2.3–2.5 (field names exact).
function invoice(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'ACCREC',
    InvoiceID: 'a1b2c3d4-0000-4000-8000-000000000001',
    InvoiceNumber: 'INV-0042',
    Reference: 'PO 7781',
    Payments: [{ PaymentID: 'p-1', Date: '/Date(1541030400000+0000)/', Amount: 100.1, Reference: 'chq 12', CurrencyRate: 1, HasAccount: false }],
    CreditNotes: [],
    AmountDue: 0.2,
    AmountPaid: 100.1,
    AmountCredited: 0,
    Contact: { ContactID: 'c-1', Name: 'Katherine Warren' },
    DateString: '2018-10-20T00:00:00',
    Date: '/Date(1539993600000+0000)/',
    DueDateString: '2018-11-19T00:00:00',
    DueDate: '/Date(1542585600000+0000)/',
    Status: 'AUTHORISED',
    LineAmountTypes: 'Exclusive',
    Total: 100.3,
    CurrencyCode: 'NZD',
    UpdatedDateUTC: '/Date(1541176290160+0000)/',
    ...over,
  };
}

describe('Xero dates', () => {
  it('parses MS-JSON exactly, with and without an offset, and negative epochs', () => {
    expect(parseXeroDate('/Date(1574275974000+0000)/')).toBe(1574275974000);
    expect(parseXeroDate('/Date(1552326816230)/')).toBe(1552326816230);
    expect(xeroInstant('/Date(1541176290160+0000)/')).toBe('2018-11-02T16:31:30.160Z');
    expect(parseXeroDate('/Date(-86400000+0000)/')).toBe(-86400000);
    // The offset is informational: the milliseconds are already UTC.
    expect(parseXeroDate('/Date(1539993600000+1300)/')).toBe(1539993600000);
  });
  it('gives calendar dates as the UTC day', () => {
    expect(xeroDate('/Date(1539993600000+0000)/')).toBe('2018-10-20');
    expect(xeroDate('/Date(1540079999999+0000)/')).toBe('2018-10-20');
    expect(xeroDate('2018-10-20T00:00:00')).toBe('2018-10-20');
    expect(xeroDate('2018-10-20')).toBe('2018-10-20');
  });
  it('reads ISO forms (UpdatedDateUTCString) as UTC unless zoned', () => {
    expect(xeroInstant('2016-10-17T20:46:01')).toBe('2016-10-17T20:46:01.000Z');
    expect(xeroInstant('2016-10-17T20:46:01.5Z')).toBe('2016-10-17T20:46:01.500Z');
    expect(xeroInstant('2016-10-17T20:46:01+02:00')).toBe('2016-10-17T18:46:01.000Z');
  });
  it('refuses malformed dates', () => {
    for (const bad of ['/Date(abc)/', '/Date(1+99)/', '2018-02-30', '2018-13-01', 'yesterday', '', '/Date()/']) expect(parseXeroDate(bad)).toBeNull();
    expect(parseXeroDate(1539993600000)).toBeNull();
  });
  it('sends If-Modified-Since as whole UTC seconds', () => {
    expect(ifModifiedSinceValue('2025-06-01T10:20:30.999Z')).toBe('2025-06-01T10:20:30');
  });
});

describe('Xero money', () => {
  it('converts numbers exactly through their shortest decimal form', () => {
    expect(xeroMoney(100.3, 'NZD', 'Total')).toBe(10030);
    expect(xeroMoney(0.1 + 0.2, 'NZD', 'Total')).toBe(30);
    expect(xeroMoney(1234567.89, 'USD', 'Total')).toBe(123456789);
    expect(xeroMoney(-0.07, 'USD', 'Total')).toBe(-7);
    expect(xeroMoney('760.00', 'USD', 'Total')).toBe(76000);
    expect(xeroMoney(1500, 'JPY', 'Total')).toBe(1500);
  });
});

describe('mapInvoice', () => {
  it('maps an ACCREC invoice with its payments', () => {
    const r = mapInvoice(invoice(), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.invoice).toEqual({
      externalId: 'a1b2c3d4-0000-4000-8000-000000000001',
      customerExternalId: 'c-1',
      number: 'INV-0042',
      issueDate: '2018-10-20',
      dueDate: '2018-11-19',
      currency: 'NZD',
      totalCents: 10030,
      balanceCents: 20,
      status: 'open',
      memo: 'PO 7781',
      updatedAt: '2018-11-02T16:31:30.160Z',
      deletedAt: null,
    });
    expect(r.value.payments).toEqual([
      expect.objectContaining({ externalId: 'p-1', customerExternalId: 'c-1', amountCents: 10010, date: '2018-11-01', applications: [{ invoiceExternalId: 'a1b2c3d4-0000-4000-8000-000000000001', amountCents: 10010, appliedOn: '2018-11-01' }] }),
    ]);
  });
  it('maps every status', () => {
    const st = (Status: string): unknown => {
      const r = mapInvoice(invoice({ Status }), ctx);
      return r.ok ? [r.value.invoice.status, r.value.invoice.deletedAt !== null] : r.warning;
    };
    expect(st('AUTHORISED')).toEqual(['open', false]);
    // Awaiting approval is not receivable (issue 11 §7): kept as a draft until AUTHORISED.
    expect(st('SUBMITTED')).toEqual(['draft', false]);
    expect(st('PAID')).toEqual(['paid', false]);
    expect(st('VOIDED')).toEqual(['void', false]);
    expect(st('DRAFT')).toEqual(['draft', false]);
    expect(st('DELETED')).toEqual(['draft', true]);
    expect(st('WEIRD')).toMatch(/Invoice a1b2c3d4-0000-4000-8000-000000000001 skipped: unknown Status "WEIRD"/);
  });
  it('warns on a missing DueDate (except drafts), unknown contact and malformed dates', () => {
    const noDue = mapInvoice(invoice({ DueDate: undefined }), ctx);
    expect(noDue.ok ? null : noDue.warning).toMatch(/DueDate is missing/);
    const draft = mapInvoice(invoice({ DueDate: undefined, Status: 'DRAFT' }), ctx);
    expect(draft.ok && draft.value.invoice.dueDate).toBe('2018-10-20');
    const unknown = mapInvoice(invoice(), { ...ctx, knownContact: () => false });
    expect(unknown.ok ? null : unknown.warning).toMatch(/contact c-1 is unknown/);
    const noContact = mapInvoice(invoice({ Contact: {} }), ctx);
    expect(noContact.ok ? null : noContact.warning).toMatch(/Contact.ContactID is missing/);
    const badDate = mapInvoice(invoice({ Date: '/Date(oops)/' }), ctx);
    expect(badDate.ok ? null : badDate.warning).toMatch(/Date is not a date/);
  });
  it('maps the reference sample page (ACCREC only) without warnings', () => {
    const body = JSON.parse(readFileSync('/work/shared/reference/examples/xero-invoices-get.json', 'utf8')) as { Invoices: unknown[] };
    const page = mapXeroPage('Invoices', body.Invoices, { baseCurrency: 'USD' }, { paymentsFromInvoices: true });
    expect(page.warnings).toEqual([]);
    const statuses = (page.batch.invoices ?? []).map((i) => i.status).sort();
    expect(statuses).toEqual(['open', 'paid', 'void']);
    expect((page.batch.payments ?? []).length).toBeGreaterThan(0);
    expect(maxUpdated(body.Invoices)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
  it('keeps the rest of a page when one record is bad, and filters ACCPAY silently', () => {
    const page = mapXeroPage('Invoices', [invoice(), invoice({ InvoiceID: 'bad', Status: 'NOPE' }), invoice({ InvoiceID: 'bill', Type: 'ACCPAY' }), 42], ctx);
    expect(page.batch.invoices?.map((i) => i.externalId)).toEqual(['a1b2c3d4-0000-4000-8000-000000000001']);
    expect(page.warnings).toHaveLength(2);
    expect(page.warnings[1]).toMatch(/#4 in the page/);
    expect(page.records).toBe(4);
    expect(page.batch.payments).toBeUndefined();
  });
});

describe('mapContact', () => {
  const contact = {
    ContactID: '5cc8cf28-567e-4d43-b287-687cfcaec47c',
    ContactStatus: 'ACTIVE',
    Name: 'Katherine Warren',
    FirstName: 'Katherine',
    LastName: 'Warren',
    EmailAddress: 'kat.warren@clampett.com',
    Addresses: [
      { AddressType: 'STREET', City: '', Region: '', PostalCode: '', Country: '' },
      { AddressType: 'POBOX', AddressLine1: '', City: 'Palo Alto', Region: 'CA', PostalCode: '94020', Country: 'United States' },
    ],
    Phones: [
      { PhoneType: 'DDI', PhoneNumber: '' },
      { PhoneType: 'DEFAULT', PhoneNumber: '847-1294', PhoneAreaCode: '(626)', PhoneCountryCode: '' },
    ],
    UpdatedDateUTC: '/Date(1503348544227+0000)/',
    PaymentTerms: { Sales: { Day: 14, Type: 'DAYSAFTERBILLDATE' } },
    Balances: { AccountsReceivable: { Outstanding: 760.0, Overdue: 920.1 }, AccountsPayable: { Outstanding: 231.6, Overdue: 360.0 } },
  };
  it('maps fields, terms and AR balances', () => {
    const r = mapContact(contact, { baseCurrency: 'USD' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.customer).toMatchObject({
      externalId: '5cc8cf28-567e-4d43-b287-687cfcaec47c',
      name: 'Katherine Warren',
      contactName: 'Katherine Warren',
      email: 'kat.warren@clampett.com',
      phone: '(626) 847-1294',
      address: 'Palo Alto, CA 94020, United States',
      termsDays: 14,
      termsLabel: 'Net 14',
      currency: 'USD',
      active: true,
      updatedAt: '2017-08-21T20:49:04.227Z',
    });
    expect(r.value.balance).toEqual({ contactId: contact.ContactID, name: 'Katherine Warren', currency: 'USD', outstandingCents: 76000, overdueCents: 92010 });
  });
  it('ARCHIVED is inactive; an unknown status warns but maps; terms it cannot resolve keep a label', () => {
    const a = mapContact({ ...contact, ContactStatus: 'ARCHIVED' }, ctx);
    expect(a.ok && a.value.customer.active).toBe(false);
    const u = mapContact({ ...contact, ContactStatus: 'SLEEPY' }, ctx);
    expect(u.ok && u.warnings[0]).toMatch(/unknown ContactStatus/);
    expect(salesTerms({ Sales: { Day: 20, Type: 'OFFOLLOWINGMONTH' } })).toEqual({ label: 'Day 20 of the following month', days: null });
    expect(salesTerms(undefined)).toEqual({ label: null, days: null });
  });
  it('maps the reference Contacts sample', () => {
    const body = JSON.parse(readFileSync('/work/shared/reference/examples/xero-contacts-get.json', 'utf8')) as { Contacts: unknown[] };
    const page = mapXeroPage('Contacts', body.Contacts, { baseCurrency: 'USD' });
    expect(page.warnings).toEqual([]);
    expect(page.batch.customers?.length).toBe(body.Contacts.length);
    expect(page.balances[0]?.outstandingCents).toBe(76000);
  });
});

describe('mapPayment and mapCreditNote', () => {
  const payment = {
    PaymentID: 'pay-9',
    Date: '/Date(1541030400000+0000)/',
    Amount: 19.99,
    Reference: 'EFT',
    PaymentType: 'ACCRECPAYMENT',
    Status: 'AUTHORISED',
    UpdatedDateUTC: '/Date(1541176290160+0000)/',
    Invoice: { Type: 'ACCREC', InvoiceID: 'inv-1', InvoiceNumber: 'INV-1', Contact: { ContactID: 'c-1' }, CurrencyCode: 'AUD' },
  };
  it('applies a payment to its invoice; DELETED keeps the row, deleted, without applications', () => {
    const r = mapPayment(payment, ctx);
    expect(r.ok && r.value).toMatchObject({ externalId: 'pay-9', currency: 'AUD', amountCents: 1999, applications: [{ invoiceExternalId: 'inv-1', amountCents: 1999, appliedOn: '2018-11-01' }], deletedAt: null });
    const d = mapPayment({ ...payment, Status: 'DELETED' }, ctx);
    expect(d.ok && d.value).toMatchObject({ applications: [], deletedAt: '2018-11-02T16:31:30.160Z' });
    const other = mapPayment({ ...payment, PaymentType: 'ACCPAYPAYMENT' }, ctx);
    expect(other.ok && other.value).toBeNull();
    const bad = mapPayment({ ...payment, Status: 'PENDING' }, ctx);
    expect(bad.ok ? null : bad.warning).toMatch(/Payment pay-9 skipped: unknown Status/);
  });
  it('maps credit notes with their allocations', () => {
    const cn = {
      CreditNoteID: 'cn-1',
      CreditNoteNumber: 'CN-0001',
      Type: 'ACCRECCREDIT',
      Contact: { ContactID: 'c-1' },
      Date: '/Date(1541030400000+0000)/',
      Status: 'AUTHORISED',
      Total: 50.5,
      RemainingCredit: 10.25,
      CurrencyCode: 'NZD',
      UpdatedDateUTC: '/Date(1541176290160+0000)/',
      Allocations: [
        { AllocationID: 'al-1', Amount: 40.25, Date: '/Date(1541116800000+0000)/', Invoice: { InvoiceID: 'inv-1' }, IsDeleted: false },
        { AllocationID: 'al-2', Amount: 5, Date: '/Date(1541116800000+0000)/', Invoice: { InvoiceID: 'inv-2' }, IsDeleted: true },
      ],
    };
    const r = mapCreditNote(cn, ctx);
    expect(r.ok && r.value).toMatchObject({ externalId: 'cn-1', totalCents: 5050, remainingCents: 1025, status: 'open', applications: [{ invoiceExternalId: 'inv-1', amountCents: 4025, appliedOn: '2018-11-02' }] });
    const v = mapCreditNote({ ...cn, Status: 'VOIDED' }, ctx);
    expect(v.ok && v.value).toMatchObject({ status: 'void', applications: [], remainingCents: 0 });
    const del = mapCreditNote({ ...cn, Status: 'DELETED' }, ctx);
    expect(del.ok && del.value?.deletedAt).toBe('2018-11-02T16:31:30.160Z');
    const draft = mapCreditNote({ ...cn, Status: 'DRAFT' }, ctx);
    expect(draft.ok && draft.value).toBeNull();
  });
});

describe('cursors', () => {
  it('round-trip and refuse junk', () => {
    expect(decodeXeroCursor(encodeXeroCursor({ kind: 'done', since: '2025-06-01T00:00:00.000Z' }))).toEqual({ kind: 'done', since: '2025-06-01T00:00:00.000Z' });
    const p = { kind: 'paging', since: null, page: 3, max: '2025-06-01T00:00:00.000Z' } as const;
    expect(decodeXeroCursor(encodeXeroCursor(p))).toEqual(p);
    expect(decodeXeroCursor('{"kind":"paging"}')).toBeNull();
    expect(decodeXeroCursor('garbage')).toBeNull();
  });
});
