import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../../src/shared/dates';
import { generateDemo } from '../../../../../src/main/core/connectors/demo/generate';
import { createRng, mulberry32 } from '../../../../../src/main/core/connectors/demo/prng';
import type { LedgerBatch } from '../../../../../src/main/core/ledger/types';

const TODAY = '2025-06-15';
const demo = generateDemo({ today: TODAY });
const batch = demo.batch as Required<LedgerBatch>;

function bucketOf(daysOverdue: number): string {
  return daysOverdue <= 0 ? 'current' : daysOverdue <= 30 ? 'd1_30' : daysOverdue <= 60 ? 'd31_60' : daysOverdue <= 90 ? 'd61_90' : 'd90_plus';
}

/** Every application to each invoice, from payments and credit notes alike. */
function applicationsByInvoice(b: Required<LedgerBatch>): Map<string, { cents: number; on: string; kind: string }[]> {
  const out = new Map<string, { cents: number; on: string; kind: string }[]>();
  const add = (kind: string, apps: { invoiceExternalId: string; amountCents: number; appliedOn: string }[]): void => {
    for (const a of apps) {
      const list = out.get(a.invoiceExternalId) ?? [];
      list.push({ cents: a.amountCents, on: a.appliedOn, kind });
      out.set(a.invoiceExternalId, list);
    }
  };
  for (const p of b.payments) add('payment', p.applications);
  for (const c of b.creditNotes) add('credit', c.applications);
  return out;
}

describe('mulberry32', () => {
  it('is a deterministic stream in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    const r = createRng(1);
    for (let i = 0; i < 200; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });
});

describe('generateDemo', () => {
  it('is deterministic for the same seed, size and date, and varies with the seed', () => {
    const again = generateDemo({ today: TODAY, seed: 7, invoices: 900 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const other = generateDemo({ today: TODAY, seed: 8 });
    expect(JSON.stringify(other.batch.invoices)).not.toBe(JSON.stringify(demo.batch.invoices));
  });

  it('has 900 invoices for about 60 customers by default, and at least 8 customers', () => {
    expect(demo.company).toEqual({ name: 'Juniper & Finch Print Studio', homeCurrency: 'USD' });
    expect(batch.invoices).toHaveLength(900);
    expect(batch.customers).toHaveLength(60);
    expect(generateDemo({ today: TODAY, invoices: 100 }).batch.customers).toHaveLength(8);
    const tiny = generateDemo({ today: TODAY, invoices: 10 }).batch;
    expect(tiny.invoices).toHaveLength(10);
    expect(tiny.customers).toHaveLength(8);
    expect(new Set(batch.invoices.map((i) => i.externalId)).size).toBe(900);
    expect(new Set(batch.customers.map((c) => c.name)).size).toBe(60);
  });

  it('spreads invoices over the 18 months before today, numbered in date order', () => {
    const dates = batch.invoices.map((i) => i.issueDate);
    expect(dates.every((d) => d <= TODAY && d >= addDays(TODAY, -548))).toBe(true);
    expect(daysBetween(dates[0]!, TODAY)).toBeGreaterThan(500);
    expect([...dates].sort()).toEqual(dates);
    const numbers = batch.invoices.map((i) => Number(i.number.replace('INV-', '')));
    expect(numbers[0]).toBe(1001);
    expect(numbers.every((n, k) => k === 0 || n === numbers[k - 1]! + 1)).toBe(true);
  });

  it('uses the customer’s terms for every due date and realistic amounts', () => {
    const terms = new Map(batch.customers.map((c) => [c.externalId, c]));
    const seen = new Set<string>();
    for (const inv of batch.invoices) {
      const c = terms.get(inv.customerExternalId)!;
      expect(inv.dueDate).toBe(addDays(inv.issueDate, c.termsDays!));
      expect(inv.currency).toBe(c.currency);
      expect(Number.isInteger(inv.totalCents)).toBe(true);
      expect(inv.totalCents).toBeGreaterThanOrEqual(15_000);
      expect(inv.totalCents).toBeLessThanOrEqual(2_500_000);
      seen.add(c.termsLabel!);
    }
    expect([...seen].sort()).toEqual(['Due on receipt', 'Net 15', 'Net 30', 'Net 60']);
    // Skewed: the median invoice is well below the mean.
    const totals = batch.invoices.map((i) => i.totalCents).sort((a, b) => a - b);
    const mean = totals.reduce((s, t) => s + t, 0) / totals.length;
    expect(totals[450]!).toBeLessThan(mean);
  });

  it('keeps balances consistent with applications dated on or before today', () => {
    const apps = applicationsByInvoice(batch);
    for (const inv of batch.invoices) {
      const list = apps.get(inv.externalId) ?? [];
      if (inv.status === 'void') {
        expect(list).toEqual([]);
        continue;
      }
      const applied = list.reduce((s, a) => s + a.cents, 0);
      expect(inv.balanceCents).toBe(inv.totalCents - applied);
      expect(inv.balanceCents).toBeGreaterThanOrEqual(0);
      expect(inv.status).toBe(inv.balanceCents === 0 ? 'paid' : 'open');
      for (const a of list) {
        expect(a.on <= TODAY && a.on >= inv.issueDate).toBe(true);
        expect(a.cents).toBeGreaterThan(0);
      }
    }
    for (const p of batch.payments) {
      const applied = p.applications.reduce((s, a) => s + a.amountCents, 0);
      expect(p.amountCents).toBe(applied + (p.unappliedCents ?? 0));
      expect(p.applications.every((a) => a.appliedOn === p.date)).toBe(true);
    }
    for (const c of batch.creditNotes) {
      const applied = c.applications.reduce((s, a) => s + a.amountCents, 0);
      expect(c.totalCents).toBe(applied + (c.remainingCents ?? 0));
    }
  });

  it('has partial payments, credit notes, voids and multi-invoice payments', () => {
    const apps = applicationsByInvoice(batch);
    const partlyPaidOpen = batch.invoices.filter((i) => i.status === 'open' && i.balanceCents < i.totalCents);
    const paidInSteps = [...apps.values()].filter((l) => l.filter((a) => a.kind === 'payment').length >= 2);
    expect(partlyPaidOpen.length).toBeGreaterThan(0);
    expect(paidInSteps.length).toBeGreaterThan(0);
    expect(batch.creditNotes.length).toBeGreaterThan(0);
    expect(batch.invoices.some((i) => i.status === 'void')).toBe(true);
    expect(batch.payments.some((p) => p.applications.length > 1)).toBe(true);
  });

  it('has open invoices in every aging bucket as of today', () => {
    const counts = new Map<string, number>();
    for (const inv of batch.invoices) {
      if (inv.status !== 'open') continue;
      const b = bucketOf(daysBetween(inv.dueDate, TODAY));
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    for (const b of ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus']) expect(counts.get(b) ?? 0).toBeGreaterThan(0);
    // Even the smallest demo covers them.
    const small = generateDemo({ today: TODAY, invoices: 60 }).batch.invoices!;
    const smallBuckets = new Set(small.filter((i) => i.status === 'open').map((i) => bucketOf(daysBetween(i.dueDate, TODAY))));
    expect(smallBuckets.size).toBe(5);
  });

  it('has the awkward customers real ledgers have', () => {
    const names = batch.customers.map((c) => c.name);
    expect(names.filter((n) => [...n].some((ch) => ch.charCodeAt(0) > 127)).length).toBeGreaterThanOrEqual(4);
    expect(names).toContain('東京トレーディング');
    expect(batch.customers.some((c) => c.email === null)).toBe(true);
    expect(batch.customers.some((c) => c.parentExternalId)).toBe(true);
    const currencies = new Set(batch.invoices.map((i) => i.currency));
    expect(currencies.has('USD')).toBe(true);
    expect([...currencies].some((c) => c !== 'USD')).toBe(true);
    // Emails never point at a real domain.
    expect(batch.customers.every((c) => c.email === null || c.email!.endsWith('.example'))).toBe(true);
  });

  it('writes contact notes in the past', () => {
    expect(batch.notes.length).toBeGreaterThan(0);
    expect(new Set(batch.notes.map((n) => n.kind))).toEqual(new Set(['email', 'call', 'note']));
    expect(batch.notes.every((n) => n.occurredAt.slice(0, 10) < TODAY)).toBe(true);
  });

  it('generates 100k invoices at the bench size', () => {
    const big = generateDemo({ today: TODAY, invoices: 100_000 }).batch;
    expect(big.invoices).toHaveLength(100_000);
    expect(big.customers).toHaveLength(6_667);
  });

  it('rejects bad options', () => {
    expect(() => generateDemo({ today: '2025-13-01' })).toThrow(/today/);
    expect(() => generateDemo({ today: TODAY, invoices: 0 })).toThrow(/invoices/);
    expect(() => generateDemo({ today: TODAY, invoices: 1.5 })).toThrow(/invoices/);
    expect(() => generateDemo({ today: TODAY, seed: -1 })).toThrow(/seed/);
  });
});
