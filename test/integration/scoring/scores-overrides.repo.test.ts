import { describe, expect, it } from 'vitest';
import type { Factor } from '../../../src/shared/model';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import { clearOverride, getOverride, setOverride } from '../../../src/main/core/scoring/overrides.repo';
import {
  getInvoiceScore,
  getScoresForCustomer,
  loadScores,
  replaceScores,
  scoresAsOf,
} from '../../../src/main/core/scoring/scores.repo';
import type { Db } from '../../../src/main/core/db/open';
import type { InvoiceScore } from '../../../src/main/core/ledger/types';
import { addConnection, countRows, customer, invoice, useTempDb } from '../db/helpers';

const temp = useTempDb();

const FACTORS: Factor[] = [
  { name: 'days_overdue', label: 'Days overdue', value: 42, display: '42 days past due', weight: 35, contribution: 20 },
  { name: 'relative_amount', label: 'Amount', value: 2.5, display: '2.5× their usual invoice', weight: 15, contribution: 9 },
];

function seed(db: Db): { ids: Record<string, number>; cust: Record<string, number> } {
  addConnection(db, 'c1');
  addConnection(db, 'c2');
  upsertBatch(db, 'c1', {
    customers: [customer('a'), customer('b')],
    invoices: [invoice('i1', 'a'), invoice('i2', 'a'), invoice('i3', 'b')],
  });
  upsertBatch(db, 'c2', { customers: [customer('z')], invoices: [invoice('z1', 'z')] });
  const ids = Object.fromEntries(db.prepare('SELECT external_id, id FROM invoices').raw().all() as [string, number][]);
  const cust = Object.fromEntries(db.prepare('SELECT external_id, id FROM customers').raw().all() as [string, number][]);
  return { ids, cust };
}

function score(invoiceId: number, customerId: number, s: number, tier: InvoiceScore['tier'] = 'medium'): InvoiceScore {
  return { invoiceId, customerId, score: s, tier, nextAction: 'email', factors: FACTORS };
}

describe('scores', () => {
  it('replaces a connection’s scores and reads them back with their factors', () => {
    const { db } = temp.open();
    const { ids, cust } = seed(db);
    replaceScores(db, 'c2', [score(ids.z1!, cust.z!, 5, 'low')], '2025-06-14', '2025-06-14T09:00:00.000Z');
    replaceScores(db, 'c1', [score(ids.i1!, cust.a!, 80, 'high'), score(ids.i2!, cust.a!, 40)], '2025-06-14', '2025-06-14T09:00:00.000Z');
    replaceScores(db, 'c1', [score(ids.i2!, cust.a!, 60), score(ids.i3!, cust.b!, 30, 'low')], '2025-06-15', '2025-06-15T09:00:00.000Z');

    expect(getInvoiceScore(db, ids.i1!)).toBeNull();
    expect(getInvoiceScore(db, ids.i2!)).toEqual({
      invoiceId: ids.i2,
      customerId: cust.a,
      score: 60,
      tier: 'medium',
      nextAction: 'email',
      factors: FACTORS,
      asOf: '2025-06-15',
      computedAt: '2025-06-15T09:00:00.000Z',
    });
    expect(scoresAsOf(db, 'c1')).toBe('2025-06-15');
    expect(scoresAsOf(db, 'c2')).toBe('2025-06-14');
    expect([...loadScores(db, 'c1').keys()].sort()).toEqual([ids.i2, ids.i3].sort());
    expect(getScoresForCustomer(db, cust.a!).map((s) => s.score)).toEqual([60]);
    // The other connection's scores were not touched.
    expect(getInvoiceScore(db, ids.z1!)?.score).toBe(5);
  });

  it('stores factors compactly (tuples, no key names)', () => {
    const { db } = temp.open();
    const { ids, cust } = seed(db);
    replaceScores(db, 'c1', [score(ids.i1!, cust.a!, 80)], '2025-06-15', '2025-06-15T09:00:00.000Z');
    const json = db.prepare('SELECT factors_json FROM scores').pluck().get() as string;
    expect(JSON.parse(json)).toEqual([
      ['days_overdue', 'Days overdue', 42, '42 days past due', 35, 20],
      ['relative_amount', 'Amount', 2.5, '2.5× their usual invoice', 15, 9],
    ]);
  });

  it.each([
    ['a score above 100', (ids: Record<string, number>, c: Record<string, number>) => score(ids.i3!, c.b!, 101), /0–100/],
    ['an unknown invoice', (_ids: Record<string, number>, c: Record<string, number>) => score(987_654, c.b!, 10), /no such invoice/],
    ['another connection’s invoice', (ids: Record<string, number>, c: Record<string, number>) => score(ids.z1!, c.z!, 10), /another connection/],
    ['the same invoice twice', (ids: Record<string, number>, c: Record<string, number>) => score(ids.i1!, c.a!, 10), /twice/],
  ])('rejects %s and keeps the previous scores', (_label, bad, message) => {
    const { db } = temp.open();
    const { ids, cust } = seed(db);
    replaceScores(db, 'c1', [score(ids.i1!, cust.a!, 80)], '2025-06-14', '2025-06-14T09:00:00.000Z');
    expect(() =>
      replaceScores(db, 'c1', [score(ids.i1!, cust.a!, 50), bad(ids, cust)], '2025-06-15', '2025-06-15T09:00:00.000Z'),
    ).toThrow(message);
    expect(getInvoiceScore(db, ids.i1!)).toMatchObject({ score: 80, asOf: '2025-06-14' });
    expect(countRows(db, 'scores')).toBe(1);
  });

  it('has no as-of date before the first run', () => {
    const { db } = temp.open();
    seed(db);
    expect(scoresAsOf(db, 'c1')).toBeNull();
    expect(loadScores(db, 'c1').size).toBe(0);
  });
});

describe('overrides', () => {
  it('sets, replaces, reads and clears an owner tier', () => {
    const { db } = temp.open();
    const { cust } = seed(db);
    expect(getOverride(db, cust.a!)).toBeNull();
    expect(setOverride(db, cust.a!, 'high', '  Disputed before  ', '2025-06-01T00:00:00.000Z')).toEqual({
      tier: 'high',
      reason: 'Disputed before',
      at: '2025-06-01T00:00:00.000Z',
    });
    setOverride(db, cust.a!, 'low', 'Pays quarterly', '2025-06-02T00:00:00.000Z');
    expect(getOverride(db, cust.a!)).toEqual({ tier: 'low', reason: 'Pays quarterly', at: '2025-06-02T00:00:00.000Z' });
    expect(clearOverride(db, cust.a!)).toBe(true);
    expect(clearOverride(db, cust.a!)).toBe(false);
    expect(getOverride(db, cust.a!)).toBeNull();
  });

  it('refuses an unknown customer, tier or an empty reason', () => {
    const { db } = temp.open();
    const { cust } = seed(db);
    expect(() => setOverride(db, 999_999, 'high', 'why', '2025-06-01T00:00:00.000Z')).toThrow(/No customer 999999/);
    expect(() => setOverride(db, cust.a!, 'urgent' as 'high', 'why', '2025-06-01T00:00:00.000Z')).toThrow(/Unknown tier/);
    expect(() => setOverride(db, cust.a!, 'high', '   ', '2025-06-01T00:00:00.000Z')).toThrow(/Say why/);
    expect(countRows(db, 'overrides')).toBe(0);
  });
});
