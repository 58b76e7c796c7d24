import { describe, expect, it } from 'vitest';
import { DEMO_CONNECTION_ID, generateDemo, removeDemo, seedDemo } from '../../../../../src/main/core/connectors/demo';
import { getConnection } from '../../../../../src/main/core/connectors/connections.repo';
import { customerFacts, listOpenInvoices } from '../../../../../src/main/core/ledger/ledger-queries.repo';
import { upsertBatch } from '../../../../../src/main/core/ledger/ledger.repo';
import { getSetting } from '../../../../../src/main/core/settings/settings.repo';
import { fixedClock } from '../../../../../src/main/core/ports';
import type { Db } from '../../../../../src/main/core/db/open';
import { addConnection, countRows, customer, invoice, useTempDb } from '../../../../integration/db/helpers';

const temp = useTempDb();
// Late evening in New York is already the next day in UTC: "today" follows the owner's zone.
const clock = fixedClock('2025-06-16T02:00:00.000Z', 'America/New_York');
const TODAY = '2025-06-15';

function demoCounts(db: Db): Record<string, number> {
  const q = (sql: string): number => db.prepare(sql).pluck().get(DEMO_CONNECTION_ID) as number;
  return {
    customers: q('SELECT COUNT(*) FROM customers WHERE connection_id = ?'),
    invoices: q('SELECT COUNT(*) FROM invoices WHERE connection_id = ?'),
    payments: q('SELECT COUNT(*) FROM payments WHERE connection_id = ?'),
    creditNotes: q('SELECT COUNT(*) FROM credit_notes WHERE connection_id = ?'),
    notes: q('SELECT COUNT(*) FROM notes WHERE connection_id = ?'),
  };
}

describe('seedDemo', () => {
  it('creates the demo connection with the generated ledger, as of the owner’s today', () => {
    const { db } = temp.open();
    const summary = seedDemo(db, clock, { invoices: 300, seed: 11 });
    expect(summary).toEqual({
      id: 'demo',
      provider: 'demo',
      name: 'Juniper & Finch Print Studio',
      status: 'active',
      homeCurrency: 'USD',
      lastSyncedAt: '2025-06-16T02:00:00.000Z',
      isDemo: true,
    });
    const expected = generateDemo({ today: TODAY, invoices: 300, seed: 11 }).batch;
    expect(demoCounts(db)).toEqual({
      customers: expected.customers!.length,
      invoices: 300,
      payments: expected.payments!.length,
      creditNotes: expected.creditNotes!.length,
      notes: expected.notes!.length,
    });
    expect(getSetting(db, 'demo.seed')).toEqual({ seed: 11, invoices: 300 });

    // The stored ledger reads back the generator's open balances.
    const open = listOpenInvoices(db, 'demo', TODAY);
    const expectedOpen = expected.invoices!.filter((i) => i.status === 'open');
    expect(open.map((o) => [o.number, o.balanceCents]).sort()).toEqual(expectedOpen.map((i) => [i.number, i.balanceCents]).sort());
  });

  it('shows every payment habit: early, late, very late, and no history', () => {
    const { db } = temp.open();
    seedDemo(db, clock);
    const facts = [...customerFacts(db, 'demo', TODAY).values()];
    expect(facts.some((f) => f.avgDaysLate !== null && f.avgDaysLate <= 0)).toBe(true);
    expect(facts.some((f) => f.avgDaysLate !== null && f.avgDaysLate >= 10 && f.avgDaysLate <= 40)).toBe(true);
    expect(facts.some((f) => f.avgDaysLate !== null && f.avgDaysLate > 45)).toBe(true);
    expect(facts.some((f) => f.paidInvoices === 0)).toBe(true);
    expect(facts.some((f) => Object.keys(f.typicalInvoiceCents).includes('EUR'))).toBe(true);
    expect(facts.some((f) => f.lastContactAt !== null)).toBe(true);
  });

  it('replaces an existing demo instead of adding to it, and leaves other connections alone', () => {
    const { db } = temp.open();
    addConnection(db, 'qbo');
    upsertBatch(db, 'qbo', { customers: [customer('a')], invoices: [invoice('i1', 'a')] });
    seedDemo(db, clock, { invoices: 200 });
    const first = demoCounts(db);
    seedDemo(db, clock, { invoices: 200 });
    expect(demoCounts(db)).toEqual(first);
    seedDemo(db, clock, { invoices: 120 });
    expect(demoCounts(db).invoices).toBe(120);
    expect(countRows(db, 'invoices')).toBe(121);
  });

  it('keeps the previous demo intact when creating the new one fails', () => {
    const { db } = temp.open();
    seedDemo(db, clock, { invoices: 150 });
    const before = demoCounts(db);
    db.exec("CREATE TEMP TRIGGER fail_notes BEFORE INSERT ON notes BEGIN SELECT RAISE(ABORT, 'disk said no'); END");
    expect(() => seedDemo(db, clock, { invoices: 400 })).toThrow(/disk said no/);
    db.exec('DROP TRIGGER fail_notes');
    expect(demoCounts(db)).toEqual(before);
    expect(() => seedDemo(db, clock, { invoices: 0 })).toThrow(/invoices/);
    expect(demoCounts(db)).toEqual(before);
  });
});

describe('removeDemo', () => {
  it('deletes the demo company and reports whether there was one', () => {
    const { db } = temp.open();
    addConnection(db, 'qbo');
    seedDemo(db, clock, { invoices: 100 });
    expect(removeDemo(db)).toBe(true);
    expect(removeDemo(db)).toBe(false);
    expect(getConnection(db, 'demo')).toBeNull();
    expect(demoCounts(db)).toEqual({ customers: 0, invoices: 0, payments: 0, creditNotes: 0, notes: 0 });
    expect(getConnection(db, 'qbo')).not.toBeNull();
  });
});
