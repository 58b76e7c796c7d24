import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/main/core/audit/log';
import { customerTimeline, getCustomerInfo } from '../../../src/main/core/ledger/customers.repo';
import { balanceAsOf, getInvoiceRow, invoiceApplications } from '../../../src/main/core/ledger/invoices.repo';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import type { Db } from '../../../src/main/core/db/open';
import { fixedClock } from '../../../src/main/core/ports';
import { addConnection, customer, invoice, NOW, payment, useTempDb } from '../db/helpers';

const temp = useTempDb();

function seed(db: Db): { acme: number; branch: number; inv: (ext: string) => number } {
  addConnection(db, 'c1');
  upsertBatch(db, 'c1', {
    customers: [
      customer('acme', {
        name: 'Café Lumière',
        companyName: 'Café Lumière SARL',
        contactName: 'Élodie',
        email: 'ap@lumiere.example',
        phone: '+33 1 23 45 67 89',
        address: '1 rue de Rivoli, Paris',
        termsLabel: 'Net 30',
        termsDays: 30,
        currency: 'EUR',
      }),
      customer('branch', { name: 'Café Lumière — Marais', parentExternalId: 'acme', currency: 'EUR' }),
    ],
    invoices: [
      invoice('i1', 'acme', { number: 'INV-1001', issueDate: '2025-01-05', dueDate: '2025-02-04', currency: 'EUR', totalCents: 10_000, balanceCents: 0, status: 'paid', memo: 'Menus' }),
      invoice('i2', 'acme', { number: 'INV-1002', issueDate: '2025-01-20', dueDate: '2025-02-19', currency: 'EUR', totalCents: 5_000, balanceCents: 2_000 }),
      invoice('i3', 'acme', { number: 'INV-1003', issueDate: '2025-02-01', dueDate: '2025-03-03', currency: 'EUR', totalCents: 700, balanceCents: 0, status: 'void' }),
      invoice('i4', 'acme', { number: 'INV-1004', issueDate: '2025-02-02', currency: 'EUR', status: 'draft' }),
    ],
    creditNotes: [
      {
        externalId: 'cn1',
        customerExternalId: 'acme',
        number: 'CN-7',
        date: '2025-02-10',
        currency: 'EUR',
        totalCents: 1_000,
        reason: 'Reprint discount',
        applications: [{ invoiceExternalId: 'i2', amountCents: 1_000, appliedOn: '2025-02-10' }],
        updatedAt: NOW,
      },
    ],
    payments: [
      payment('p1', 'acme', '2025-02-01', [
        { invoiceExternalId: 'i1', amountCents: 10_000 },
        { invoiceExternalId: 'i2', amountCents: 2_000 },
      ], { currency: 'EUR', reference: '4471', method: 'Check' }),
      payment('p2', 'acme', '2025-02-20', [{ invoiceExternalId: 'i2', amountCents: 9_999 }], { currency: 'EUR', deletedAt: NOW }),
    ],
    notes: [
      { customerExternalId: 'acme', invoiceExternalId: 'i2', kind: 'email', body: 'Sent <b>reminder</b>', occurredAt: '2025-03-01T10:00:00.000Z' },
      { customerExternalId: 'acme', kind: 'note', body: 'Prefers email', occurredAt: '2025-01-02T09:00:00.000Z' },
    ],
  });
  const id = (table: string, ext: string): number =>
    db.prepare(`SELECT id FROM ${table} WHERE external_id = ?`).pluck().get(ext) as number;
  return { acme: id('customers', 'acme'), branch: id('customers', 'branch'), inv: (ext) => id('invoices', ext) };
}

describe('getCustomerInfo', () => {
  it('returns contact, terms, parent and the connection', () => {
    const { db } = temp.open();
    const { acme, branch } = seed(db);
    expect(getCustomerInfo(db, acme)).toEqual({
      connectionId: 'c1',
      deletedAt: null,
      customer: {
        id: acme,
        name: 'Café Lumière',
        companyName: 'Café Lumière SARL',
        contactName: 'Élodie',
        email: 'ap@lumiere.example',
        phone: '+33 1 23 45 67 89',
        address: '1 rue de Rivoli, Paris',
        termsLabel: 'Net 30',
        termsDays: 30,
        currency: 'EUR',
        parent: null,
      },
    });
    expect(getCustomerInfo(db, branch)?.customer.parent).toEqual({ id: acme, name: 'Café Lumière' });
    expect(getCustomerInfo(db, 999_999)).toBeNull();
  });
});

describe('customerTimeline', () => {
  it('lists invoices, voids, payments, credits, notes and overrides, newest first', () => {
    const { db } = temp.open();
    const { acme, inv } = seed(db);
    appendAudit(db, fixedClock('2025-03-05T08:00:00.000Z'), {
      actor: 'owner',
      action: 'score.override',
      entity: 'customer',
      entityId: acme,
      detail: { tier: 'low', reason: 'Long-standing client' },
    });
    appendAudit(db, fixedClock('2025-03-06T08:00:00.000Z'), {
      actor: 'owner',
      action: 'score.override',
      entity: 'customer',
      entityId: acme,
      detail: { tier: null, reason: '' },
    });
    // Another customer's override is not part of this timeline.
    appendAudit(db, fixedClock('2025-03-07T08:00:00.000Z'), {
      actor: 'owner',
      action: 'score.override',
      entity: 'customer',
      entityId: acme + 1,
      detail: { tier: 'high', reason: 'x' },
    });

    const t = customerTimeline(db, acme);
    expect(t.map((e) => [e.at, e.kind, e.title])).toEqual([
      ['2025-03-06T08:00:00.000Z', 'override', 'Tier override cleared by owner'],
      ['2025-03-05T08:00:00.000Z', 'override', 'Tier set to low by owner'],
      ['2025-03-01T10:00:00.000Z', 'contact', 'Email'],
      ['2025-02-10', 'credit', 'Credit note CN-7'],
      ['2025-02-01', 'payment', 'Payment received (Check 4471)'],
      ['2025-02-01', 'void', 'Invoice INV-1003 (voided)'],
      ['2025-01-20', 'invoice', 'Invoice INV-1002 issued'],
      ['2025-01-05', 'invoice', 'Invoice INV-1001 issued'],
      ['2025-01-02T09:00:00.000Z', 'note', 'Note'],
    ]);
    const pay = t.find((e) => e.kind === 'payment');
    expect(pay).toMatchObject({ detail: 'Paid INV-1001, INV-1002', cents: 12_000, currency: 'EUR', invoiceId: null });
    expect(t.find((e) => e.kind === 'credit')).toMatchObject({ detail: 'Reprint discount; Applied to INV-1002', cents: 1_000, invoiceId: inv('i2') });
    expect(t.find((e) => e.kind === 'contact')).toMatchObject({ detail: 'Sent <b>reminder</b>', invoiceId: inv('i2') });
    expect(t.find((e) => e.title === 'Tier set to low by owner')?.detail).toBe('Long-standing client');
    expect(t.find((e) => e.title === 'Invoice INV-1001 issued')).toMatchObject({ detail: 'Menus', dueDate: '2025-02-04', cents: 10_000, invoiceId: inv('i1') });
    expect(customerTimeline(db, acme, { limit: 2 })).toHaveLength(2);
  });
});

describe('invoice detail', () => {
  it('reads the invoice row and its live applications, oldest first', () => {
    const { db } = temp.open();
    const { acme, inv } = seed(db);
    expect(getInvoiceRow(db, inv('i2'))).toEqual({
      id: inv('i2'),
      connectionId: 'c1',
      externalId: 'i2',
      customerId: acme,
      customerExternalId: 'acme',
      customerName: 'Café Lumière',
      number: 'INV-1002',
      issueDate: '2025-01-20',
      dueDate: '2025-02-19',
      currency: 'EUR',
      totalCents: 5_000,
      balanceCents: 2_000,
      status: 'open',
      memo: null,
      updatedAt: NOW,
      deletedAt: null,
    });
    const apps = invoiceApplications(db, inv('i2'));
    // p2 was deleted in the ledger and does not show.
    expect(apps).toEqual([
      { kind: 'payment', date: '2025-02-01', cents: 2_000, reference: '4471' },
      { kind: 'credit', date: '2025-02-10', cents: 1_000, reference: 'CN-7' },
    ]);
    const row = getInvoiceRow(db, inv('i2'));
    expect(row && balanceAsOf(row, apps, '2025-02-05')).toBe(3_000);
    expect(row && balanceAsOf(row, apps, '2025-01-31')).toBe(5_000);
    expect(getInvoiceRow(db, 424_242)).toBeNull();
  });
});
