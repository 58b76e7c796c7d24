// customers.get, invoices.get and scores.explain on the demo company, checked against SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Factor, ScoreView } from '../../../src/shared/model';
import { tempDir } from '../../support/tmp';
import { bucketOf, openCore, openOn, TODAY, type Opened, type OracleInvoice } from '../core/helpers';

const FACTOR_NAMES = [
  'days_overdue',
  'days_to_pay',
  'relative_amount',
  'exposure',
  'since_contact',
  'broken_promises',
  'open_disputes',
];
const PAST = '2026-06-30';

/** Whole days between two YYYY-MM-DD dates, by Date.UTC. */
const dayDiff = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

function expectExplained(view: ScoreView): void {
  expect(view.factors.map((f) => f.name)).toEqual(FACTOR_NAMES);
  expect(view.factors.reduce((s, f) => s + f.weight, 0)).toBe(100);
  for (const f of view.factors) {
    expect(f.contribution).toBeGreaterThanOrEqual(0);
    expect(f.contribution).toBeLessThanOrEqual(f.weight);
    expect(f.display).not.toBe('');
  }
  expect(Math.round(view.factors.reduce((s, f) => s + f.contribution, 0))).toBe(view.score);
}

describe('drawer details', () => {
  const dir = tempDir();
  let core: Opened['core'];
  let call: Opened['call'];
  let open: OracleInvoice[];
  /** The customer with the most open invoices, and one with nothing open. */
  let busy: number;
  let settled: number;
  let paidInvoice: { id: number; number: string; total: number };

  const storedScore = (invoiceId: number): { score: number; tier: string; factors: string } =>
    core.db.prepare('SELECT score, tier, factors_json AS factors FROM scores WHERE invoice_id = ?').get(invoiceId) as {
      score: number;
      tier: string;
      factors: string;
    };

  beforeAll(() => {
    ({ core, call } = openCore(dir.path));
    open = openOn(core.db, 'demo', TODAY);
    const perCustomer = new Map<number, number>();
    for (const r of open) perCustomer.set(r.customerId, (perCustomer.get(r.customerId) ?? 0) + 1);
    busy = [...perCustomer].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    settled = core.db
      .prepare(
        `SELECT id FROM customers WHERE connection_id = 'demo' AND deleted_at IS NULL
           AND id NOT IN (SELECT customer_id FROM invoices WHERE balance_cents > 0 AND status = 'open')
           AND id IN (SELECT customer_id FROM invoices WHERE status = 'paid') ORDER BY id LIMIT 1`,
      )
      .pluck()
      .get() as number;
    // A paid invoice settled by a credit note and a payment, paid after PAST and issued before it.
    paidInvoice = core.db
      .prepare(
        `SELECT i.id, i.number, i.total_cents AS total FROM invoices i
         WHERE i.status = 'paid' AND i.balance_cents = 0 AND i.issue_date < @past
           AND EXISTS (SELECT 1 FROM payment_applications a WHERE a.invoice_id = i.id AND a.credit_note_id IS NOT NULL)
           AND EXISTS (SELECT 1 FROM payment_applications a WHERE a.invoice_id = i.id AND a.payment_id IS NOT NULL AND a.applied_on > @past)
         ORDER BY i.id LIMIT 1`,
      )
      .get({ past: PAST }) as typeof paidInvoice;
  });
  afterAll(() => {
    core.close();
    dir.cleanup();
  });

  describe('customers.get', () => {
    it('returns contact details and terms as stored', async () => {
      const detail = await call('customers.get', { customerId: busy });
      const row = core.db
        .prepare(
          `SELECT c.id, c.name, c.company_name AS companyName, c.contact_name AS contactName, c.email, c.phone, c.address,
                  c.terms_label AS termsLabel, c.terms_days AS termsDays, c.currency, c.parent_id AS parentId, p.name AS parentName
           FROM customers c LEFT JOIN customers p ON p.id = c.parent_id WHERE c.id = ?`,
        )
        .get(busy) as Record<string, unknown>;
      const { parentId, parentName, ...info } = row;
      expect(detail.customer).toEqual({ ...info, parent: parentId === null ? null : { id: parentId, name: parentName } });
    });

    it('works out payment habits from the paid invoices', async () => {
      const { stats, customer } = await call('customers.get', { customerId: busy });
      const paid = core.db
        .prepare(
          `SELECT i.issue_date AS issued, i.due_date AS due, MAX(a.applied_on) AS paidOn FROM invoices i
           JOIN payment_applications a ON a.invoice_id = i.id
           WHERE i.customer_id = ? AND i.deleted_at IS NULL AND i.status = 'paid' GROUP BY i.id`,
        )
        .all(busy) as { issued: string; due: string; paidOn: string }[];
      expect(paid.length).toBeGreaterThan(0);
      expect(stats.paidInvoices).toBe(paid.length);
      const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
      expect(stats.avgDaysToPay).toBeCloseTo(mean(paid.map((p) => dayDiff(p.issued, p.paidOn))), 6);
      expect(stats.avgDaysLate).toBeCloseTo(mean(paid.map((p) => dayDiff(p.due, p.paidOn))), 6);

      const totals = (
        core.db
          .prepare("SELECT total_cents FROM invoices WHERE customer_id = ? AND currency = ? AND status <> 'void' AND deleted_at IS NULL")
          .pluck()
          .all(busy, customer.currency) as number[]
      ).sort((a, b) => a - b);
      const mid = totals.length >> 1;
      const median = totals.length % 2 ? totals[mid]! : Math.round((totals[mid - 1]! + totals[mid]!) / 2);
      expect(stats.typicalInvoice).toEqual({ cents: median, currency: customer.currency });
    });

    it('lists exactly their open invoices, with amounts that add up', async () => {
      const detail = await call('customers.get', { customerId: busy });
      const mine = open.filter((r) => r.customerId === busy);
      expect(detail.openInvoices.map((i) => i.id).sort((a, b) => a - b)).toEqual(mine.map((r) => r.id));
      const owner = core.db.prepare('SELECT customer_id FROM invoices WHERE id = ?').pluck();
      for (const inv of detail.openInvoices) {
        expect(owner.get(inv.id)).toBe(busy);
        expect(inv.score).toBe(storedScore(inv.id).score);
      }
      for (let i = 1; i < detail.openInvoices.length; i++) {
        expect(detail.openInvoices[i - 1]!.score).toBeGreaterThanOrEqual(detail.openInvoices[i]!.score);
      }
      for (const a of detail.amounts) {
        const inCur = mine.filter((r) => r.currency === a.currency);
        expect(a.balanceCents).toBe(inCur.reduce((s, r) => s + r.balance, 0));
        expect(a.overdueCents).toBe(inCur.filter((r) => r.days > 0).reduce((s, r) => s + r.balance, 0));
      }
      expect(new Set(detail.amounts.map((a) => a.currency))).toEqual(new Set(mine.map((r) => r.currency)));
    });

    it('explains the score with seven factors that add up to it: the best open invoice', async () => {
      const { score } = await call('customers.get', { customerId: busy });
      expect(score).not.toBeNull();
      expectExplained(score!);
      const best = core.db
        .prepare('SELECT MAX(s.score) FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.customer_id = ?')
        .pluck()
        .get(busy);
      expect(score!.score).toBe(best);
      expect(score).toMatchObject({ override: null, asOf: TODAY, computedAt: '2026-11-21T15:00:00.000Z' });
      expect(score!.tier).toBe(score!.computedTier);
    });

    it('tells the story newest first, one entry per invoice and payment', async () => {
      const { timeline } = await call('customers.get', { customerId: busy });
      for (let i = 1; i < timeline.length; i++) expect(timeline[i - 1]!.at >= timeline[i]!.at).toBe(true);
      const invoices = core.db.prepare("SELECT COUNT(*) FROM invoices WHERE customer_id = ? AND deleted_at IS NULL AND status <> 'draft'").pluck().get(busy);
      const payments = core.db.prepare('SELECT COUNT(*) FROM payments WHERE customer_id = ? AND deleted_at IS NULL').pluck().get(busy);
      expect(timeline.filter((e) => e.kind === 'invoice' || e.kind === 'void').length).toBe(invoices);
      expect(timeline.filter((e) => e.kind === 'payment').length).toBe(payments);
      expect(timeline.some((e) => e.kind === 'override')).toBe(false);
    });

    it('has no score for a customer with nothing open', async () => {
      const detail = await call('customers.get', { customerId: settled });
      expect(detail.score).toBeNull();
      expect(detail.openInvoices).toEqual([]);
      expect(detail.amounts).toEqual([]);
    });

    it('refuses an unknown customer with not_found', async () => {
      await expect(call('customers.get', { customerId: 987_654 })).rejects.toMatchObject({ code: 'not_found', message: 'No customer 987654' });
    });
  });

  describe('invoices.get', () => {
    it('shows a paid invoice as paid: no bucket, no score, what settled it', async () => {
      const inv = await call('invoices.get', { invoiceId: paidInvoice.id });
      expect(inv).toMatchObject({ id: paidInvoice.id, number: paidInvoice.number, status: 'paid', balanceCents: 0, bucket: null, daysOverdue: 0, score: null });
      const apps = core.db
        .prepare(
          `SELECT CASE WHEN payment_id IS NULL THEN 'credit' ELSE 'payment' END AS kind, applied_on AS date, amount_cents AS cents
           FROM payment_applications WHERE invoice_id = ? ORDER BY applied_on, id`,
        )
        .all(paidInvoice.id);
      expect(inv.applications.map(({ kind, date, cents }) => ({ kind, date, cents }))).toEqual(apps);
      expect(inv.applications.reduce((s, a) => s + a.cents, 0)).toBe(paidInvoice.total);
      expect(new Set(inv.applications.map((a) => a.kind))).toEqual(new Set(['payment', 'credit']));
    });

    it('replays a paid invoice on a date before its payment: open again, in a bucket', async () => {
      const inv = await call('invoices.get', { invoiceId: paidInvoice.id, asOf: PAST });
      const then = openOn(core.db, 'demo', PAST).find((r) => r.id === paidInvoice.id)!;
      expect(then).toBeDefined();
      expect(inv.balanceCents).toBe(then.balance);
      expect(inv.bucket).toBe(bucketOf(then.days));
    });

    it('shows an open overdue invoice with its balance, bucket and stored score', async () => {
      const target = open.filter((r) => r.days > 30).at(0)!;
      const inv = await call('invoices.get', { invoiceId: target.id });
      expect(inv).toMatchObject({
        id: target.id,
        number: target.number,
        customer: { id: target.customerId, name: target.customerName },
        status: 'open',
        balanceCents: target.balance,
        daysOverdue: target.days,
        bucket: bucketOf(target.days),
        currency: target.currency,
      });
      expect(inv.score).not.toBeNull();
      expectExplained(inv.score!);
      expect(inv.score!.score).toBe(storedScore(target.id).score);
    });

    it('refuses an unknown invoice with not_found', async () => {
      await expect(call('invoices.get', { invoiceId: 987_654 })).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('scores.explain', () => {
    it('explains a customer as the drawer does', async () => {
      const view = await call('scores.explain', { customerId: busy });
      expectExplained(view);
      expect(view).toEqual((await call('customers.get', { customerId: busy })).score);
    });

    it('explains an invoice with the factors stored for it', async () => {
      const target = open.find((r) => r.days > 0)!;
      const view = await call('scores.explain', { invoiceId: target.id });
      expectExplained(view);
      const stored = storedScore(target.id);
      expect(view.score).toBe(stored.score);
      expect(view.tier).toBe(stored.tier);
      const tuples = JSON.parse(stored.factors) as [Factor['name'], string, number, string, number, number][];
      expect(view.factors.map((f) => [f.name, f.contribution])).toEqual(tuples.map((t) => [t[0], t[5]]));
    });

    it('says a paid invoice has no score, and a settled customer neither', async () => {
      await expect(call('scores.explain', { invoiceId: paidInvoice.id })).rejects.toMatchObject({
        code: 'not_found',
        message: `Invoice ${paidInvoice.number} has no open balance, so it has no score`,
      });
      await expect(call('scores.explain', { customerId: settled })).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringContaining('has nothing open') as unknown,
      });
      await expect(call('scores.explain', { customerId: 987_654 })).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
