import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMinorUnits } from '../../../../../src/shared/money';
import {
  isKnownCurrency,
  mapCreditMemo,
  mapCustomer,
  mapInvoice,
  mapPage,
  mapPayment,
  moneyToMinor,
  termsDays,
  toUtcIso,
  type QboMapContext,
} from '../../../../../src/main/core/connectors/qbo/map';

const ctx: QboMapContext = { homeCurrency: 'USD' };

// Hand-written QBO JSON with the reference's field names (ledger-apis.md §1.5).
function customer(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: '58',
    SyncToken: '3',
    domain: 'QBO',
    sparse: false,
    Active: true,
    Job: false,
    DisplayName: 'Harbor Print Co',
    CompanyName: 'Harbor Print Co',
    GivenName: 'Maya',
    FamilyName: 'Ortiz',
    FullyQualifiedName: 'Harbor Print Co',
    PrimaryEmailAddr: { Address: 'ap@harborprint.example' },
    PrimaryPhone: { FreeFormNumber: '(555) 201-4410' },
    BillAddr: { Id: '91', Line1: '14 Dock St', City: 'Portland', CountrySubDivisionCode: 'OR', PostalCode: '97201', Country: 'USA' },
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    SalesTermRef: { value: '3', name: 'Net 30' },
    PreferredDeliveryMethod: 'Email',
    Taxable: false,
    Balance: 1840.5,
    BalanceWithJobs: 1840.5,
    Notes: 'Prefers statements on the 1st',
    MetaData: { CreateTime: '2024-02-11T09:12:40-08:00', LastUpdatedTime: '2025-06-18T15:02:11-07:00' },
    ...over,
  };
}

function invoice(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: '1043',
    SyncToken: '2',
    domain: 'QBO',
    sparse: false,
    MetaData: { CreateTime: '2025-05-01T11:20:03-07:00', LastUpdatedTime: '2025-06-12T08:41:55-07:00' },
    CustomField: [],
    DocNumber: '1043',
    TxnDate: '2025-05-01',
    DueDate: '2025-05-31',
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    PrivateNote: 'Called AP 6/12, promised 6/20',
    LinkedTxn: [{ TxnId: '1107', TxnType: 'Payment' }],
    Line: [
      {
        Id: '1',
        LineNum: 1,
        Description: 'Brochure print run',
        Amount: 2400.0,
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: { ItemRef: { value: '12', name: 'Printing' }, Qty: 1, UnitPrice: 2400, TaxCodeRef: { value: 'NON' } },
      },
      { Amount: 2400.0, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
    ],
    TxnTaxDetail: { TotalTax: 0 },
    CustomerRef: { value: '58', name: 'Harbor Print Co' },
    CustomerMemo: { value: 'Thank you for your business' },
    SalesTermRef: { value: '3', name: 'Net 30' },
    TotalAmt: 2400.0,
    Balance: 1840.5,
    EmailStatus: 'EmailSent',
    BillEmail: { Address: 'ap@harborprint.example' },
    ...over,
  };
}

function payment(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: '1107',
    SyncToken: '0',
    domain: 'QBO',
    sparse: false,
    MetaData: { CreateTime: '2025-06-12T08:41:50-07:00', LastUpdatedTime: '2025-06-12T08:41:50-07:00' },
    TxnDate: '2025-06-12',
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    CustomerRef: { value: '58', name: 'Harbor Print Co' },
    TotalAmt: 559.5,
    UnappliedAmt: 0,
    DepositToAccountRef: { value: '4' },
    PaymentMethodRef: { value: '2', name: 'Check' },
    PaymentRefNum: '20418',
    ProcessPayment: false,
    Line: [
      {
        Amount: 559.5,
        LinkedTxn: [{ TxnId: '1043', TxnType: 'Invoice' }],
        LineEx: { any: [{ name: '{http://schema.intuit.com/finance/v3}NameValue', value: { Name: 'txnId', Value: '1043' } }] },
      },
    ],
    ...over,
  };
}

function creditMemo(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: '2001',
    SyncToken: '1',
    domain: 'QBO',
    sparse: false,
    MetaData: { CreateTime: '2025-06-01T10:00:00-07:00', LastUpdatedTime: '2025-06-02T10:00:00-07:00' },
    CustomField: [],
    DocNumber: 'CM-2001',
    TxnDate: '2025-06-01',
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    PrivateNote: 'Misprinted batch',
    Line: [{ Amount: 300.0, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '12' } } }],
    TxnTaxDetail: { TotalTax: 0 },
    CustomerRef: { value: '58', name: 'Harbor Print Co' },
    TotalAmt: 300.0,
    RemainingCredit: 0,
    Balance: 0,
    ...over,
  };
}

describe('moneyToMinor', () => {
  it('is exact for float-unfriendly numbers', () => {
    expect(moneyToMinor(0.1 + 0.2, 'USD')).toBe(30);
    expect(moneyToMinor(1234.5, 'USD')).toBe(123450);
    expect(moneyToMinor(1.005, 'USD')).toBe(101); // the JSON said 1.005: half away from zero
    expect(moneyToMinor(4.35, 'USD')).toBe(435); // 4.35 * 100 = 434.99999999999994 in floats
    expect(moneyToMinor(1.15 + 2.3, 'USD')).toBe(345);
    expect(moneyToMinor('2400.00', 'USD')).toBe(240000);
    expect(moneyToMinor(-12.07, 'USD')).toBe(-1207);
    expect(moneyToMinor(1500, 'JPY')).toBe(1500);
    expect(moneyToMinor(12.345, 'BHD')).toBe(12345);
  });

  it('agrees with toMinorUnits on any decimal string and on any double', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }))
      .map(([neg, whole, frac]) => `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`);
    fc.assert(
      fc.property(decimal, fc.constantFrom('USD', 'JPY', 'BHD'), (text, cur) => {
        expect(moneyToMinor(text, cur)).toBe(toMinorUnits(text, cur));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (n) => {
        if (String(n).includes('e')) return;
        expect(moneyToMinor(n, 'USD')).toBe(toMinorUnits(String(n), 'USD'));
      }),
    );
  });

  it('refuses non-finite, exponent-sized and out-of-range amounts', () => {
    expect(() => moneyToMinor(Number.NaN, 'USD')).toThrow(/finite/);
    expect(() => moneyToMinor(Number.POSITIVE_INFINITY, 'USD')).toThrow(/finite/);
    expect(() => moneyToMinor(1e21, 'USD')).toThrow(/decimal/);
    expect(() => moneyToMinor(1e300, 'USD')).toThrow();
    expect(() => moneyToMinor(90071992547410, 'USD')).toThrow(/large/);
    expect(() => moneyToMinor('12abc', 'USD')).toThrow(/decimal/);
    expect(moneyToMinor(90071992547409, 'USD')).toBe(9007199254740900);
  });
});

describe('dates and terms', () => {
  it('normalises QBO date-times to UTC ISO', () => {
    expect(toUtcIso('2025-06-18T15:02:11-07:00')).toBe('2025-06-18T22:02:11.000Z');
    expect(toUtcIso('2025-06-20T12:56:06.196-07:00')).toBe('2025-06-20T19:56:06.196Z');
    expect(toUtcIso('2025-06-20T12:56:06Z')).toBe('2025-06-20T12:56:06.000Z');
    expect(toUtcIso('2025-02-30T12:00:00Z')).toBeNull();
    expect(toUtcIso('2025-06-20 12:56:06')).toBeNull();
    expect(toUtcIso('yesterday')).toBeNull();
  });

  it('reads terms from the name or an id table', () => {
    expect(termsDays({ value: '3', name: 'Net 30' }, ctx)).toBe(30);
    expect(termsDays({ value: '2', name: 'Net 15' }, ctx)).toBe(15);
    expect(termsDays({ value: '4', name: 'Net 60' }, ctx)).toBe(60);
    expect(termsDays({ value: '1', name: 'Due on receipt' }, ctx)).toBe(0);
    expect(termsDays({ value: '9', name: '2% 10 Net 30' }, ctx)).toBeNull();
    expect(termsDays({ value: '9' }, { ...ctx, termsById: new Map([['9', 45]]) })).toBe(45);
    expect(termsDays(null, ctx)).toBeNull();
  });

  it('knows real currency codes only', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('JPY')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(isKnownCurrency('usd')).toBe(false);
  });
});

describe('mapCustomer', () => {
  it('maps the reference customer', () => {
    const r = mapCustomer(customer(), ctx);
    expect(r.ok && r.value).toEqual({
      externalId: '58',
      parentExternalId: null,
      name: 'Harbor Print Co',
      companyName: 'Harbor Print Co',
      contactName: 'Maya Ortiz',
      email: 'ap@harborprint.example',
      phone: '(555) 201-4410',
      address: '14 Dock St, Portland, OR 97201, USA',
      termsLabel: 'Net 30',
      termsDays: 30,
      currency: 'USD',
      active: true,
      updatedAt: '2025-06-18T22:02:11.000Z',
      deletedAt: null,
    });
  });

  it('links a sub-customer to its parent and keeps inactive customers as inactive', () => {
    const job = mapCustomer(customer({ Id: '59', DisplayName: 'Harbor Print Co:Spring catalog', Job: true, ParentRef: { value: '58' }, Active: false }), ctx);
    expect(job.ok && job.value.parentExternalId).toBe('58');
    expect(job.ok && job.value.active).toBe(false);
    // ParentRef without Job is not a sub-customer.
    const notJob = mapCustomer(customer({ ParentRef: { value: '1' } }), ctx);
    expect(notJob.ok && notJob.value.parentExternalId).toBeNull();
  });

  it('falls back to the home currency, and skips an unknown one', () => {
    const noRef = mapCustomer(customer({ CurrencyRef: undefined }), { homeCurrency: 'CAD' });
    expect(noRef.ok && noRef.value.currency).toBe('CAD');
    const bad = mapCustomer(customer({ CurrencyRef: { value: 'XYZ' } }), ctx);
    expect(bad).toEqual({ ok: false, warning: 'Customer 58 skipped: unknown currency "XYZ" in CurrencyRef' });
  });
});

describe('mapInvoice', () => {
  it('maps the reference invoice exactly', () => {
    const r = mapInvoice(invoice(), ctx);
    expect(r.ok && r.value).toEqual({
      externalId: '1043',
      customerExternalId: '58',
      number: '1043',
      issueDate: '2025-05-01',
      dueDate: '2025-05-31',
      currency: 'USD',
      totalCents: 240000,
      balanceCents: 184050,
      status: 'open',
      memo: 'Called AP 6/12, promised 6/20',
      updatedAt: '2025-06-12T15:41:55.000Z',
      deletedAt: null,
    });
  });

  it('tells paid, void and open apart', () => {
    const paid = mapInvoice(invoice({ Balance: 0 }), ctx);
    expect(paid.ok && paid.value.status).toBe('paid');
    const voided = mapInvoice(invoice({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided - Called AP 6/12' }), ctx);
    expect(voided.ok && voided.value.status).toBe('void');
    // A zero total alone is not a void.
    const zero = mapInvoice(invoice({ TotalAmt: 0, Balance: 0, PrivateNote: null }), ctx);
    expect(zero.ok && zero.value.status).toBe('paid');
  });

  it('keeps cents exact for awkward amounts and JPY', () => {
    const r = mapInvoice(invoice({ TotalAmt: 0.1 + 0.2, Balance: 0.30000000000000004 }), ctx);
    expect(r.ok && [r.value.totalCents, r.value.balanceCents]).toEqual([30, 30]);
    const yen = mapInvoice(invoice({ CurrencyRef: { value: 'JPY' }, TotalAmt: 125000, Balance: 5000 }), ctx);
    expect(yen.ok && [yen.value.currency, yen.value.totalCents, yen.value.balanceCents]).toEqual(['JPY', 125000, 5000]);
  });

  it('derives a missing DueDate from the terms, with a warning', () => {
    const r = mapInvoice(invoice({ DueDate: undefined, SalesTermRef: { value: '2', name: 'Net 15' } }), ctx);
    expect(r.ok && r.value.dueDate).toBe('2025-05-16');
    expect(r.ok && r.warnings).toEqual(['Invoice 1043: DueDate is missing; used TxnDate + 15 days (Net 15)']);
  });

  it('uses the Id when there is no DocNumber', () => {
    const r = mapInvoice(invoice({ DocNumber: undefined }), ctx);
    expect(r.ok && r.value.number).toBe('1043');
  });
});

describe('mapPayment', () => {
  it('turns Line[].LinkedTxn into applications on the payment date', () => {
    const r = mapPayment(payment(), ctx);
    expect(r.ok && r.value.payment).toEqual({
      externalId: '1107',
      customerExternalId: '58',
      date: '2025-06-12',
      currency: 'USD',
      amountCents: 55950,
      unappliedCents: 0,
      reference: '20418',
      method: 'Check',
      applications: [{ invoiceExternalId: '1043', amountCents: 55950, appliedOn: '2025-06-12' }],
      updatedAt: '2025-06-12T15:41:50.000Z',
      deletedAt: null,
    });
    expect(r.ok && r.value.credits).toEqual([]);
  });

  it('maps a credit memo applied through a zero-total payment as a credit-note application', () => {
    const r = mapPayment(
      payment({
        Id: '1200',
        TotalAmt: 0,
        UnappliedAmt: 0,
        PaymentRefNum: undefined,
        PaymentMethodRef: undefined,
        Line: [
          { Amount: 300.0, LinkedTxn: [{ TxnId: '1043', TxnType: 'Invoice' }] },
          { Amount: 300.0, LinkedTxn: [{ TxnId: '2001', TxnType: 'CreditMemo' }] },
        ],
      }),
      ctx,
    );
    expect(r.ok && r.value.payment.applications).toEqual([]);
    expect(r.ok && r.value.payment.amountCents).toBe(0);
    expect(r.ok && r.value.credits).toEqual([
      { creditMemoId: '2001', paymentId: '1200', invoiceExternalId: '1043', amountCents: 30000, appliedOn: '2025-06-12' },
    ]);
  });

  it('splits a payment that uses a credit and cash across two invoices', () => {
    const r = mapPayment(
      payment({
        Id: '1201',
        TotalAmt: 150.25,
        Line: [
          { Amount: 100.0, LinkedTxn: [{ TxnId: '1', TxnType: 'Invoice' }] },
          { Amount: 80.25, LinkedTxn: [{ TxnId: '2', TxnType: 'Invoice' }] },
          { Amount: 30.0, LinkedTxn: [{ TxnId: '9', TxnType: 'CreditMemo' }] },
        ],
      }),
      ctx,
    );
    expect(r.ok && r.value.payment.applications).toEqual([
      { invoiceExternalId: '1', amountCents: 7000, appliedOn: '2025-06-12' },
      { invoiceExternalId: '2', amountCents: 8025, appliedOn: '2025-06-12' },
    ]);
    expect(r.ok && r.value.credits.map((c) => [c.invoiceExternalId, c.amountCents])).toEqual([['1', 3000]]);
  });

  it('treats a payment without lines as unapplied', () => {
    const r = mapPayment(payment({ Line: undefined, UnappliedAmt: 559.5 }), ctx);
    expect(r.ok && r.value.payment.applications).toEqual([]);
    expect(r.ok && r.value.payment.unappliedCents).toBe(55950);
  });
});

describe('mapCreditMemo', () => {
  it('maps a credit memo to a credit note', () => {
    const r = mapCreditMemo(creditMemo({ RemainingCredit: 25.5, Balance: 25.5 }), ctx);
    expect(r.ok && r.value).toEqual({
      externalId: '2001',
      customerExternalId: '58',
      number: 'CM-2001',
      date: '2025-06-01',
      currency: 'USD',
      totalCents: 30000,
      remainingCents: 2550,
      status: 'open',
      reason: 'Misprinted batch',
      applications: [],
      updatedAt: '2025-06-02T17:00:00.000Z',
      deletedAt: null,
    });
    const used = mapCreditMemo(creditMemo(), ctx);
    expect(used.ok && used.value.status).toBe('applied');
  });
});

describe('mapPage', () => {
  it('collects CDC tombstones apart from records', () => {
    const page = mapPage('Invoice', [invoice(), { status: 'Deleted', domain: 'QBO', Id: '979', MetaData: { LastUpdatedTime: '2025-06-20T12:55:50-07:00' } }], ctx);
    expect(page.batch.invoices?.map((i) => i.externalId)).toEqual(['1043']);
    expect(page.tombstones).toEqual([{ entity: 'Invoice', externalId: '979', deletedAt: '2025-06-20T19:55:50.000Z' }]);
    expect(page.records).toBe(2);
    expect(page.warnings).toEqual([]);
  });

  it('skips each bad record with a warning naming it, and maps the rest', () => {
    const rows = [
      invoice({ Id: '1', DueDate: undefined, SalesTermRef: undefined }),
      invoice({ Id: '2', CurrencyRef: { value: 'ZZZ' } }),
      invoice({ Id: '3', Line: null }),
      invoice({ Id: '4', TotalAmt: 1e300 }),
      invoice({ Id: '5', TotalAmt: JSON.parse('123456789012345678') as number }), // as a JSON body would carry it
      invoice({ Id: '6', TxnDate: '2025-13-01' }),
      invoice({ Id: '7', MetaData: { LastUpdatedTime: 'last Tuesday' } }),
      invoice({ Id: '8', CustomerRef: undefined }),
      invoice({ Id: '9', TotalAmt: Number.NaN }),
      invoice({ Id: undefined }),
      invoice({ Id: '10', DueDate: '31/05/2025' }),
      invoice({ Id: '11', CustomerRef: { value: '404' } }), // unknown customer: fine, the ingest resolves it
      null,
      invoice({ Id: '12', TotalAmt: '1,234.00' }),
      invoice({ Id: '13' }),
    ];
    const page = mapPage('Invoice', rows, ctx);
    expect(page.batch.invoices?.map((i) => i.externalId)).toEqual(['11', '13']);
    expect(page.records).toBe(rows.length);
    expect(page.warnings).toEqual([
      'Invoice 1 skipped: DueDate is missing and its terms are unknown',
      'Invoice 2 skipped: unknown currency "ZZZ" in CurrencyRef',
      'Invoice 3 skipped: Line is null',
      'Invoice 4 skipped: TotalAmt is not a decimal amount (got 1e+300)',
      'Invoice 5 skipped: TotalAmt is too large (123456789012345680)',
      'Invoice 6 skipped: TxnDate is not a YYYY-MM-DD date (got "2025-13-01")',
      'Invoice 7 skipped: MetaData.LastUpdatedTime is not an ISO date-time (got "last Tuesday")',
      'Invoice 8 skipped: CustomerRef is missing',
      'Invoice 9 skipped: TotalAmt: Invalid input: expected number, received NaN',
      'Invoice without an Id (#10 in the page) skipped: Id is missing',
      'Invoice 10 skipped: DueDate is not a YYYY-MM-DD date (got "31/05/2025")',
      'Invoice without an Id (#13 in the page) skipped: record is null',
      'Invoice 12 skipped: TotalAmt is not a decimal amount (got "1,234.00")',
    ]);
  });

  it('keeps the rest of a payment page when one payment has a null Line', () => {
    const page = mapPage('Payment', [payment({ Id: '1', Line: null }), payment({ Id: '2' })], ctx);
    expect(page.batch.payments?.map((p) => p.externalId)).toEqual(['2']);
    expect(page.warnings).toEqual(['Payment 1 skipped: Line is null']);
    expect([...page.credits.keys()]).toEqual(['2']);
  });

  it('maps customers, credit memos and a bad tombstone', () => {
    const c = mapPage('Customer', [customer(), customer({ Id: '59', Job: true, ParentRef: { value: '58' } })], ctx);
    expect(c.batch.customers?.map((x) => [x.externalId, x.parentExternalId])).toEqual([
      ['58', null],
      ['59', '58'],
    ]);
    const m = mapPage('CreditMemo', [creditMemo(), { status: 'Deleted', Id: '7', MetaData: {} }], ctx);
    expect(m.batch.creditNotes?.length).toBe(1);
    expect(m.warnings).toEqual(['CreditMemo 7 skipped: MetaData.LastUpdatedTime is missing']);
  });
});
