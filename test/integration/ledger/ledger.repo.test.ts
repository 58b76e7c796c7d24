import { describe, expect, it } from 'vitest';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import type { LedgerBatch } from '../../../src/main/core/ledger/types';
import { addConnection, countRows, customer, invoice, NOW, payment, useTempDb } from '../db/helpers';

const temp = useTempDb();

const LEDGER_TABLES = ['customers', 'invoices', 'payments', 'credit_notes', 'payment_applications', 'notes'];

function snapshot(db: Parameters<typeof countRows>[0]): Record<string, number> {
  return Object.fromEntries(LEDGER_TABLES.map((t) => [t, countRows(db, t)]));
}

function sampleBatch(): LedgerBatch {
  return {
    // The sub-account comes before its parent: the second pass still resolves it.
    customers: [customer('kid', { parentExternalId: 'acme', name: 'Acme — West' }), customer('acme', { name: 'Acme', email: 'ap@acme.example' })],
    invoices: [
      invoice('i1', 'acme', { totalCents: 50_000, balanceCents: 20_000 }),
      invoice('i2', 'acme', { totalCents: 30_000, balanceCents: 0, status: 'paid' }),
      invoice('i3', 'kid', { totalCents: 7_500, balanceCents: 7_500 }),
    ],
    creditNotes: [
      {
        externalId: 'cn1',
        customerExternalId: 'acme',
        number: 'CN-1',
        date: '2025-02-01',
        currency: 'USD',
        totalCents: 5_000,
        status: 'applied',
        applications: [{ invoiceExternalId: 'i1', amountCents: 5_000, appliedOn: '2025-02-01' }],
        updatedAt: NOW,
      },
    ],
    payments: [
      payment('p1', 'acme', '2025-02-10', [
        { invoiceExternalId: 'i1', amountCents: 25_000 },
        { invoiceExternalId: 'i2', amountCents: 30_000 },
      ]),
    ],
    notes: [{ customerExternalId: 'acme', invoiceExternalId: 'i1', kind: 'call', body: 'Said next week', occurredAt: '2025-03-01T15:00:00Z' }],
  };
}

describe('upsertBatch', () => {
  it('writes every kind of record and resolves references to local ids', () => {
    const { db } = temp.open();
    addConnection(db);
    const counts = upsertBatch(db, 'c1', sampleBatch());
    expect(counts).toEqual({ customers: 2, invoices: 3, payments: 1, creditNotes: 1, applications: 3, notes: 1 });

    const kid = db.prepare("SELECT c.name, p.name AS parent FROM customers c JOIN customers p ON p.id = c.parent_id WHERE c.external_id = 'kid'").get();
    expect(kid).toEqual({ name: 'Acme — West', parent: 'Acme' });
    const apps = db
      .prepare(
        `SELECT i.number, a.amount_cents, a.payment_id IS NOT NULL AS byPayment FROM payment_applications a
         JOIN invoices i ON i.id = a.invoice_id ORDER BY i.number, a.amount_cents`,
      )
      .all();
    expect(apps).toEqual([
      { number: 'I1', amount_cents: 5_000, byPayment: 0 },
      { number: 'I1', amount_cents: 25_000, byPayment: 1 },
      { number: 'I2', amount_cents: 30_000, byPayment: 1 },
    ]);
    const note = db.prepare('SELECT n.kind, i.number FROM notes n JOIN invoices i ON i.id = n.invoice_id').get();
    expect(note).toEqual({ kind: 'call', number: 'I1' });
  });

  it('is idempotent: replaying a batch keeps the counts and updates values in place', () => {
    const { db } = temp.open();
    addConnection(db);
    upsertBatch(db, 'c1', sampleBatch());
    const before = snapshot(db);
    const ids = db.prepare('SELECT external_id, id FROM invoices ORDER BY external_id').all();

    upsertBatch(db, 'c1', sampleBatch());
    expect(snapshot(db)).toEqual(before);

    const changed = sampleBatch();
    changed.customers![1]!.name = 'Acme Corporation';
    changed.invoices![0]!.balanceCents = 0;
    changed.invoices![0]!.status = 'paid';
    // The payment now covers only i1: its old line to i2 must disappear.
    changed.payments = [payment('p1', 'acme', '2025-02-10', [{ invoiceExternalId: 'i1', amountCents: 45_000 }])];
    upsertBatch(db, 'c1', changed);

    expect(snapshot(db)).toEqual({ ...before, payment_applications: before.payment_applications! - 1 });
    expect(db.prepare('SELECT external_id, id FROM invoices ORDER BY external_id').all()).toEqual(ids);
    expect(db.prepare("SELECT name FROM customers WHERE external_id = 'acme'").pluck().get()).toBe('Acme Corporation');
    expect(db.prepare("SELECT balance_cents, status FROM invoices WHERE external_id = 'i1'").get()).toEqual({ balance_cents: 0, status: 'paid' });
    expect(
      db.prepare('SELECT i.external_id, a.amount_cents FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id IS NOT NULL').all(),
    ).toEqual([{ external_id: 'i1', amount_cents: 45_000 }]);
  });

  it('resolves references to records stored by an earlier batch', () => {
    const { db } = temp.open();
    addConnection(db);
    upsertBatch(db, 'c1', { customers: [customer('acme')], invoices: [invoice('i1', 'acme')] });
    const counts = upsertBatch(db, 'c1', {
      invoices: [invoice('i2', 'acme')],
      payments: [payment('p1', 'acme', '2025-02-01', [{ invoiceExternalId: 'i1', amountCents: 100 }])],
    });
    expect(counts.applications).toBe(1);
    expect(countRows(db, 'invoices')).toBe(2);
  });

  it('rolls back the whole batch when a record names an unknown customer', () => {
    const { db } = temp.open();
    addConnection(db);
    const batch = sampleBatch();
    batch.invoices!.push(invoice('i9', 'ghost-customer'));
    expect(() => upsertBatch(db, 'c1', batch)).toThrow(/Invoice "i9".*unknown customer "ghost-customer"/);
    expect(Object.values(snapshot(db))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rolls back the whole batch when an application names an unknown invoice', () => {
    const { db } = temp.open();
    addConnection(db);
    const batch = sampleBatch();
    batch.payments!.push(payment('p2', 'acme', '2025-03-01', [{ invoiceExternalId: 'no-such-invoice', amountCents: 1 }]));
    expect(() => upsertBatch(db, 'c1', batch)).toThrow(/Payment "p2".*unknown invoice "no-such-invoice"/);
    expect(Object.values(snapshot(db))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('keeps the previous state intact when a replay fails half-way', () => {
    const { db } = temp.open();
    addConnection(db);
    upsertBatch(db, 'c1', sampleBatch());
    const before = db.prepare('SELECT external_id, balance_cents FROM invoices ORDER BY external_id').all();
    const bad = sampleBatch();
    bad.invoices![0]!.balanceCents = 1;
    bad.notes!.push({ customerExternalId: 'nobody', kind: 'note', body: 'x', occurredAt: NOW });
    expect(() => upsertBatch(db, 'c1', bad)).toThrow(/unknown customer "nobody"/);
    expect(db.prepare('SELECT external_id, balance_cents FROM invoices ORDER BY external_id').all()).toEqual(before);
  });

  it.each([
    ['fractional cents', (b: LedgerBatch) => (b.invoices![1]!.totalCents = 12.5), /Invoice "i2": totalCents must be an integer/],
    ['an impossible date', (b: LedgerBatch) => (b.invoices![2]!.dueDate = '2025-02-30'), /Invoice "i3": dueDate must be a date/],
    ['a lowercase currency', (b: LedgerBatch) => (b.customers![0]!.currency = 'usd'), /Customer "kid": currency/],
    ['an unknown status', (b: LedgerBatch) => ((b.invoices![0] as { status: string }).status = 'overdue'), /Invoice "i1": status/],
    ['an empty name', (b: LedgerBatch) => (b.customers![1]!.name = ''), /Customer "acme": name/],
  ])('rejects %s with a clear message and writes nothing', (_label, spoil, message) => {
    const { db } = temp.open();
    addConnection(db);
    const batch = sampleBatch();
    spoil(batch);
    expect(() => upsertBatch(db, 'c1', batch)).toThrow(message);
    expect(Object.values(snapshot(db))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a batch for a connection that does not exist', () => {
    const { db } = temp.open();
    expect(() => upsertBatch(db, 'missing', sampleBatch())).toThrow(/No connection "missing"/);
  });

  it('keeps connections apart: the same external ids live side by side, references never cross', () => {
    const { db } = temp.open();
    addConnection(db, 'c1');
    addConnection(db, 'c2');
    upsertBatch(db, 'c1', sampleBatch());
    upsertBatch(db, 'c2', sampleBatch());
    expect(countRows(db, 'invoices')).toBe(6);
    expect(() => upsertBatch(db, 'c3-missing', { invoices: [invoice('x', 'acme')] })).toThrow();
    addConnection(db, 'c3');
    expect(() => upsertBatch(db, 'c3', { invoices: [invoice('x', 'acme')] })).toThrow(/unknown customer "acme"/);
  });

  it('adds a note only once however often it is synced', () => {
    const { db } = temp.open();
    addConnection(db);
    expect(upsertBatch(db, 'c1', sampleBatch()).notes).toBe(1);
    expect(upsertBatch(db, 'c1', sampleBatch()).notes).toBe(0);
    expect(countRows(db, 'notes')).toBe(1);
  });

  it('merges two lines of one payment to the same invoice', () => {
    const { db } = temp.open();
    addConnection(db);
    upsertBatch(db, 'c1', {
      customers: [customer('a')],
      invoices: [invoice('i1', 'a')],
      payments: [
        payment('p1', 'a', '2025-02-01', [
          { invoiceExternalId: 'i1', amountCents: 300 },
          { invoiceExternalId: 'i1', amountCents: 200, appliedOn: '2025-02-03' },
        ]),
      ],
    });
    expect(db.prepare('SELECT applied_on, amount_cents FROM payment_applications').all()).toEqual([
      { applied_on: '2025-02-03', amount_cents: 500 },
    ]);
  });

  it('lets the last copy win when a batch carries the same payment twice', () => {
    const { db } = temp.open();
    addConnection(db);
    upsertBatch(db, 'c1', {
      customers: [customer('a')],
      invoices: [invoice('i1', 'a'), invoice('i2', 'a')],
      payments: [
        payment('p1', 'a', '2025-02-01', [{ invoiceExternalId: 'i1', amountCents: 100 }]),
        payment('p1', 'a', '2025-02-02', [{ invoiceExternalId: 'i2', amountCents: 250 }]),
      ],
    });
    expect(countRows(db, 'payments')).toBe(1);
    expect(
      db.prepare('SELECT i.external_id, a.amount_cents FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id').all(),
    ).toEqual([{ external_id: 'i2', amount_cents: 250 }]);
  });

  it('rolls back with the caller when it runs inside an outer transaction', () => {
    const { db } = temp.open();
    addConnection(db);
    expect(() =>
      db.transaction(() => {
        upsertBatch(db, 'c1', sampleBatch());
        throw new Error('caller failed later');
      })(),
    ).toThrow(/caller failed later/);
    expect(countRows(db, 'invoices')).toBe(0);
  });
});
