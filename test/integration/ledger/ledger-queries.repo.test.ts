import { describe, expect, it } from 'vitest';
import { customerFacts, listOpenInvoices, median, salesByCurrency } from '../../../src/main/core/ledger/ledger-queries.repo';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import { setOverride } from '../../../src/main/core/scoring/overrides.repo';
import type { Db } from '../../../src/main/core/db/open';
import { addConnection, customer, invoice, NOW, payment, useTempDb } from '../db/helpers';

const temp = useTempDb();

function ledger(db: Db): void {
  addConnection(db, 'c1');
  upsertBatch(db, 'c1', {
    customers: [customer('a', { name: 'Alpha' }), customer('gone', { name: 'Gone Ltd', deletedAt: NOW })],
    invoices: [
      // Paid in two steps (Feb 10, Mar 10): fully paid now, partly open in between.
      invoice('i1', 'a', { totalCents: 1_000, balanceCents: 0, status: 'paid', issueDate: '2025-01-01', dueDate: '2025-01-31' }),
      invoice('i2', 'a', { totalCents: 900, balanceCents: 0, status: 'void' }),
      invoice('i3', 'a', { totalCents: 700, balanceCents: 700, deletedAt: NOW }),
      invoice('i4', 'a', { totalCents: 600, balanceCents: 600, status: 'draft' }),
      // 300 credited on Feb 15.
      invoice('i5', 'a', { totalCents: 800, balanceCents: 500, issueDate: '2025-02-01', dueDate: '2025-03-03' }),
      // Its payment was deleted in the ledger: the balance is back to full, nothing to add back.
      invoice('i6', 'a', { totalCents: 1_000, balanceCents: 1_000, issueDate: '2025-02-01', dueDate: '2025-03-15' }),
      invoice('i7', 'gone', { totalCents: 5_000, balanceCents: 5_000 }),
    ],
    creditNotes: [
      {
        externalId: 'cn1',
        customerExternalId: 'a',
        date: '2025-02-15',
        currency: 'USD',
        totalCents: 300,
        applications: [{ invoiceExternalId: 'i5', amountCents: 300, appliedOn: '2025-02-15' }],
        updatedAt: NOW,
      },
    ],
    payments: [
      payment('p1', 'a', '2025-02-10', [{ invoiceExternalId: 'i1', amountCents: 400 }]),
      payment('p2', 'a', '2025-03-10', [{ invoiceExternalId: 'i1', amountCents: 600 }]),
      payment('p3', 'a', '2025-03-05', [{ invoiceExternalId: 'i6', amountCents: 1_000 }], { deletedAt: NOW }),
    ],
  });
}

function balances(db: Db, asOf: string): Record<string, number> {
  const byId = new Map(
    (db.prepare('SELECT id, external_id FROM invoices').raw().all() as [number, string][]).map(([id, ext]) => [id, ext]),
  );
  return Object.fromEntries(listOpenInvoices(db, 'c1', asOf).map((o) => [byId.get(o.id), o.balanceCents]));
}

describe('listOpenInvoices', () => {
  it('gives current balances when as of today', () => {
    const { db } = temp.open();
    ledger(db);
    expect(balances(db, '2025-06-15')).toEqual({ i5: 500, i6: 1_000 });
  });

  it('adds back payments and credits dated after the as-of date', () => {
    const { db } = temp.open();
    ledger(db);
    // Between the two payments of i1 (Feb 10 and Mar 10), after the credit on i5 (Feb 15).
    expect(balances(db, '2025-03-01')).toEqual({ i1: 600, i5: 500, i6: 1_000 });
    // A payment dated on the as-of day itself has happened by then.
    expect(balances(db, '2025-02-10')).toEqual({ i1: 600, i5: 800, i6: 1_000 });
    // Before any payment or credit: everything issued is open in full.
    expect(balances(db, '2025-02-05')).toEqual({ i1: 1_000, i5: 800, i6: 1_000 });
    // Before i5 and i6 were issued.
    expect(balances(db, '2025-01-15')).toEqual({ i1: 1_000 });
    expect(balances(db, '2024-12-31')).toEqual({});
  });

  it('leaves out void, draft and deleted invoices and those of deleted customers', () => {
    const { db } = temp.open();
    ledger(db);
    const numbers = listOpenInvoices(db, 'c1', '2025-02-05').map((o) => o.number);
    expect(numbers).not.toContain('I2');
    expect(numbers).not.toContain('I3');
    expect(numbers).not.toContain('I4');
    expect(numbers).not.toContain('I7');
  });

  it('returns the row shape the ledger functions expect, and filters by customer', () => {
    const { db } = temp.open();
    ledger(db);
    const a = db.prepare("SELECT id FROM customers WHERE external_id = 'a'").pluck().get() as number;
    const rows = listOpenInvoices(db, 'c1', '2025-06-15', { customerId: a });
    expect(rows[0]).toEqual({
      id: expect.any(Number),
      customerId: a,
      number: 'I5',
      issueDate: '2025-02-01',
      dueDate: '2025-03-03',
      currency: 'USD',
      totalCents: 800,
      balanceCents: 500,
    });
    expect(listOpenInvoices(db, 'c1', '2025-06-15', { customerId: a + 1000 })).toEqual([]);
  });

  it('sees only its own connection', () => {
    const { db } = temp.open();
    ledger(db);
    addConnection(db, 'c2');
    upsertBatch(db, 'c2', { customers: [customer('a')], invoices: [invoice('i1', 'a', { issueDate: '2025-01-01' })] });
    expect(listOpenInvoices(db, 'c2', '2025-06-15').map((o) => o.number)).toEqual(['I1']);
    expect(Object.keys(balances(db, '2025-06-15'))).toEqual(['i5', 'i6']);
  });
});

describe('customerFacts', () => {
  function history(db: Db): { a: number; b: number; c: number } {
    addConnection(db, 'c1');
    upsertBatch(db, 'c1', {
      customers: [customer('a', { termsDays: 30, email: 'a@x.example' }), customer('b'), customer('c')],
      invoices: [
        // a: paid 40 days after issue (10 late), 50 (20 late), 24 (6 early).
        invoice('a1', 'a', { issueDate: '2025-01-01', dueDate: '2025-01-31', totalCents: 100, balanceCents: 0, status: 'paid' }),
        invoice('a2', 'a', { issueDate: '2025-02-01', dueDate: '2025-03-03', totalCents: 200, balanceCents: 0, status: 'paid' }),
        invoice('a3', 'a', { issueDate: '2025-03-01', dueDate: '2025-03-31', totalCents: 300, balanceCents: 0, status: 'paid' }),
        // Partly paid: not in the averages.
        invoice('a4', 'a', { issueDate: '2025-04-01', dueDate: '2025-05-01', totalCents: 400, balanceCents: 150 }),
        // Paid, but after the as-of date.
        invoice('a5', 'a', { issueDate: '2025-05-01', dueDate: '2025-05-31', totalCents: 10_000, balanceCents: 0, status: 'paid' }),
        invoice('a6', 'a', { totalCents: 99_999, balanceCents: 0, status: 'void' }),
        invoice('a7', 'a', { currency: 'EUR', totalCents: 5_000, balanceCents: 5_000 }),
        invoice('b1', 'b', { totalCents: 101, balanceCents: 101 }),
        invoice('b2', 'b', { totalCents: 200, balanceCents: 200 }),
      ],
      payments: [
        payment('pa1', 'a', '2025-02-10', [{ invoiceExternalId: 'a1', amountCents: 100 }]),
        payment('pa2', 'a', '2025-03-01', [{ invoiceExternalId: 'a2', amountCents: 50 }]),
        payment('pa3', 'a', '2025-03-23', [{ invoiceExternalId: 'a2', amountCents: 150 }]),
        payment('pa4', 'a', '2025-03-25', [
          { invoiceExternalId: 'a3', amountCents: 300 },
          { invoiceExternalId: 'a4', amountCents: 250 },
        ]),
        payment('pa5', 'a', '2025-07-01', [{ invoiceExternalId: 'a5', amountCents: 10_000 }]),
      ],
      notes: [
        { customerExternalId: 'a', kind: 'email', body: 'Reminder', occurredAt: '2025-04-01T10:00:00.000Z' },
        { customerExternalId: 'a', kind: 'call', body: 'Promised Friday', occurredAt: '2025-05-02T09:00:00.000Z' },
        { customerExternalId: 'a', kind: 'note', body: 'Not a contact', occurredAt: '2025-06-01T09:00:00.000Z' },
        { customerExternalId: 'a', kind: 'reminder', body: 'Later than as-of', occurredAt: '2025-06-20T09:00:00.000Z' },
      ],
    });
    const id = (ext: string): number => db.prepare('SELECT id FROM customers WHERE external_id = ?').pluck().get(ext) as number;
    return { a: id('a'), b: id('b'), c: id('c') };
  }

  it('averages days to pay and days late over invoices fully paid by the as-of date', () => {
    const { db } = temp.open();
    const { a } = history(db);
    setOverride(db, a, 'low', 'Pays quarterly, always', '2025-06-01T08:00:00.000Z');
    const f = customerFacts(db, 'c1', '2025-06-15').get(a);
    expect(f).toEqual({
      id: a,
      name: 'Customer a',
      email: 'a@x.example',
      termsDays: 30,
      avgDaysToPay: (40 + 50 + 24) / 3,
      avgDaysLate: (10 + 20 - 6) / 3,
      paidInvoices: 3,
      // USD totals 100, 200, 300, 400, 10000 (void left out): the median is 300.
      typicalInvoiceCents: { USD: 300, EUR: 5_000 },
      lastContactAt: '2025-05-02T09:00:00.000Z',
      brokenPromises: 0,
      openDisputes: 0,
      nextPromise: null,
      override: { tier: 'low', reason: 'Pays quarterly, always', at: '2025-06-01T08:00:00.000Z' },
    });
  });

  it('counts a later payment once the as-of date passes it', () => {
    const { db } = temp.open();
    const { a } = history(db);
    const f = customerFacts(db, 'c1', '2025-07-01').get(a);
    expect(f?.paidInvoices).toBe(4);
    // a5: issued May 1, due May 31, paid Jul 1 → 61 days, 31 late.
    expect(f?.avgDaysToPay).toBeCloseTo((40 + 50 + 24 + 61) / 4, 10);
    expect(f?.avgDaysLate).toBeCloseTo((10 + 20 - 6 + 31) / 4, 10);
    expect(f?.lastContactAt).toBe('2025-06-20T09:00:00.000Z');
    // Before a2 was settled only a1 counts.
    expect(customerFacts(db, 'c1', '2025-03-15').get(a)).toMatchObject({ paidInvoices: 1, avgDaysToPay: 40, avgDaysLate: 10 });
  });

  it('gives no history for customers without paid invoices and rounds an even median', () => {
    const { db } = temp.open();
    const { b, c } = history(db);
    const facts = customerFacts(db, 'c1', '2025-06-15');
    expect(facts.size).toBe(3);
    expect(facts.get(b)).toMatchObject({ avgDaysToPay: null, avgDaysLate: null, paidInvoices: 0, typicalInvoiceCents: { USD: 151 }, lastContactAt: null, override: null });
    expect(facts.get(c)).toMatchObject({ paidInvoices: 0, typicalInvoiceCents: {} });
  });
});

describe('salesByCurrency', () => {
  it('sums invoices issued in the window per currency, without void, draft or deleted ones', () => {
    const { db } = temp.open();
    addConnection(db, 'c1');
    upsertBatch(db, 'c1', {
      customers: [customer('a')],
      invoices: [
        invoice('s1', 'a', { issueDate: '2025-03-01', totalCents: 1_000 }),
        invoice('s2', 'a', { issueDate: '2025-05-31', totalCents: 2_500 }),
        invoice('s3', 'a', { issueDate: '2025-04-10', currency: 'EUR', totalCents: 700 }),
        invoice('s4', 'a', { issueDate: '2025-04-10', totalCents: 9_000, status: 'void' }),
        invoice('s5', 'a', { issueDate: '2025-04-10', totalCents: 9_000, deletedAt: NOW }),
        invoice('s6', 'a', { issueDate: '2025-02-28', totalCents: 9_000 }),
        invoice('s7', 'a', { issueDate: '2025-06-01', totalCents: 9_000 }),
      ],
    });
    expect([...salesByCurrency(db, 'c1', '2025-03-01', '2025-05-31')]).toEqual([
      ['EUR', 700],
      ['USD', 3_500],
    ]);
    expect(salesByCurrency(db, 'c1', '2020-01-01', '2020-12-31').size).toBe(0);
  });
});

describe('median', () => {
  it('takes the middle value, or the rounded mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3); // 2.5 rounds up
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });
});
