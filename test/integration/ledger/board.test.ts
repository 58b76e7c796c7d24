// board.get on the demo company: figures checked against SQL, then filters, search, paging and
// sorting checked against what SQL says should match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKETS, TIERS, type BoardView, type QueueRow } from '../../../src/shared/model';
import { tempDir } from '../../support/tmp';
import { allRows, bucketOf, count, openCore, openOn, summaryOf, TODAY, type Opened, type OracleInvoice } from '../core/helpers';

const PAST = '2026-06-30';

describe('board.get', () => {
  const dir = tempDir();
  let core: Opened['core'];
  let call: Opened['call'];
  /** Open invoices today, from SQL. */
  let open: OracleInvoice[];

  beforeAll(() => {
    ({ core, call } = openCore(dir.path));
    open = openOn(core.db, 'demo', TODAY);
  });
  afterAll(() => {
    core.close();
    dir.cleanup();
  });

  const invoicesOf = (rows: QueueRow[]): QueueRow['invoices'] => rows.flatMap((r) => r.invoices);

  function expectSummaryMatchesSql(board: BoardView, asOf: string): void {
    const expected = summaryOf(openOn(core.db, 'demo', asOf));
    expect(board.summary.asOf).toBe(asOf);
    expect(board.summary.currencies.map((c) => c.currency).sort()).toEqual([...expected.keys()].sort());
    for (const c of board.summary.currencies) {
      const e = expected.get(c.currency)!;
      expect(c, `${c.currency} on ${asOf}`).toMatchObject({
        outstandingCents: e.outstanding,
        overdueCents: e.overdue,
        openInvoices: e.open,
        overdueInvoices: e.overdueCount,
        customersOverdue: e.customersOverdue,
      });
      expect(c.buckets).toEqual(BUCKETS.map((b) => ({ bucket: b, cents: e.cents[b], count: e.counts[b] })));
    }
  }

  it('summarises open and overdue balances per currency exactly as SQL does', async () => {
    const board = await call('board.get');
    expect(board.connection?.id).toBe('demo');
    expect(board.summary.currencies.length).toBeGreaterThan(1);
    expectSummaryMatchesSql(board, TODAY);
    // Currencies are never added together, and the filter offers exactly the open ones.
    expect([...board.currencies].sort()).toEqual([...new Set(open.map((r) => r.currency))].sort());
  });

  it('lists, by default, every overdue invoice once and nothing not yet due', async () => {
    const rows = await allRows(call, {}, 5);
    const ids = invoicesOf(rows).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(open.filter((r) => r.days > 0).map((r) => r.id));
    const byId = new Map(open.map((r) => [r.id, r]));
    for (const row of rows) {
      for (const inv of row.invoices) {
        const sql = byId.get(inv.id)!;
        expect(inv.balanceCents).toBe(sql.balance);
        expect(inv.daysOverdue).toBe(sql.days);
        expect(sql.customerId).toBe(row.customerId);
      }
    }
  });

  it('filters by bucket: only invoices in it, as many as the summary counts', async () => {
    const board = await call('board.get');
    for (const bucket of BUCKETS) {
      const invoices = invoicesOf(await allRows(call, { bucket }, 7));
      const expected = board.summary.currencies.reduce((n, c) => n + c.buckets.find((b) => b.bucket === bucket)!.count, 0);
      expect(invoices.length, bucket).toBe(expected);
      expect(invoices.length, bucket).toBe(open.filter((r) => bucketOf(r.days) === bucket).length);
      for (const inv of invoices) {
        expect(bucketOf(inv.daysOverdue)).toBe(bucket);
        expect(inv.bucket).toBe(bucket);
      }
    }
  });

  it('filters by tier, on the tier stored with each score', async () => {
    const storedTier = new Map(
      (core.db.prepare('SELECT invoice_id AS id, tier FROM scores').all() as { id: number; tier: string }[]).map((r) => [r.id, r.tier]),
    );
    let seen = 0;
    for (const tier of TIERS) {
      const invoices = invoicesOf(await allRows(call, { tiers: [tier], scope: 'open' }));
      expect(invoices.every((i) => i.tier === tier && storedTier.get(i.id) === tier)).toBe(true);
      expect(invoices.length).toBe([...storedTier.values()].filter((t) => t === tier).length);
      seen += invoices.length;
    }
    expect(seen).toBe(open.length);
    const two = invoicesOf(await allRows(call, { tiers: ['high', 'low'], scope: 'open' }));
    expect(two.length).toBe([...storedTier.values()].filter((t) => t !== 'medium').length);
  });

  it('filters by currency, and an absent currency matches nothing', async () => {
    for (const currency of new Set(open.map((r) => r.currency))) {
      const rows = await allRows(call, { currency, scope: 'open' });
      const invoices = invoicesOf(rows);
      expect(invoices.length, currency).toBe(open.filter((r) => r.currency === currency).length);
      expect(invoices.every((i) => i.currency === currency)).toBe(true);
      expect(rows.every((r) => r.amounts.every((a) => a.currency === currency))).toBe(true);
    }
    const none = await call('board.get', { currency: 'JPY' });
    expect(none.queue).toEqual({ total: 0, invoices: 0, offset: 0, rows: [] });
  });

  it('finds an invoice by its number: that customer only, with that invoice', async () => {
    const target = open.filter((r) => r.days > 0).at(-1)!;
    const board = await call('board.get', { search: target.number.toLowerCase() });
    expect(board.queue.total).toBe(1);
    const [row] = board.queue.rows;
    expect(row!.customerId).toBe(target.customerId);
    expect(row!.name).toBe(target.customerName);
    expect(row!.invoices.map((i) => i.id)).toEqual([target.id]);
  });

  it('finds customers by a name substring, case-insensitively, accents included', async () => {
    const names = new Map(open.map((r) => [r.customerId, r.customerName]));
    const expectedFor = (needle: string): number[] =>
      [...names].filter(([, n]) => n.toLowerCase().includes(needle.toLowerCase())).map(([id]) => id).sort((a, b) => a - b);
    for (const needle of ['café', 'CAFÉ LUM', 'müller', 'MÜLLER', 'zürich']) {
      const expected = expectedFor(needle);
      expect(expected.length, `demo customers matching ${needle}`).toBeGreaterThan(0);
      const rows = await allRows(call, { search: needle, scope: 'open' });
      expect(rows.map((r) => r.customerId).sort((a, b) => a - b), needle).toEqual(expected);
      // A name hit brings all of that customer's open invoices.
      for (const r of rows) {
        expect(r.invoices.map((i) => i.id).sort((a, b) => a - b)).toEqual(
          open.filter((o) => o.customerId === r.customerId).map((o) => o.id),
        );
      }
    }
    // The same letters typed decomposed (e + combining accent, as some keyboards and pastes give).
    for (const needle of ['cafe\u0301', 'MU\u0308LLER']) {
      expect((await allRows(call, { search: needle, scope: 'open' })).map((r) => r.customerId).sort((a, b) => a - b), JSON.stringify(needle)).toEqual(
        expectedFor(needle.normalize('NFC')),
      );
    }
    // An accent is a different letter, not a wildcard.
    expect((await call('board.get', { search: 'muller', scope: 'open' })).queue.total).toBe(expectedFor('muller').length);
    expect((await call('board.get', { search: 'no such customer anywhere', scope: 'open' })).queue.total).toBe(0);
  });

  it('pages through every row exactly once, in the same order as one big page', async () => {
    const query = { scope: 'open' as const, sort: 'amount' as const };
    const whole = await call('board.get', { ...query, limit: 500 });
    expect(whole.queue.total).toBe(new Set(open.map((r) => r.customerId)).size);
    const paged: number[] = [];
    for (let offset = 0; offset < whole.queue.total; offset += 7) {
      const page = await call('board.get', { ...query, offset, limit: 7 });
      expect(page.queue.offset).toBe(offset);
      expect(page.queue.total).toBe(whole.queue.total);
      expect(page.queue.rows.length).toBe(Math.min(7, whole.queue.total - offset));
      paged.push(...page.queue.rows.map((r) => r.customerId));
    }
    expect(paged).toEqual(whole.queue.rows.map((r) => r.customerId));
    const beyond = await call('board.get', { ...query, offset: whole.queue.total, limit: 7 });
    expect(beyond.queue).toEqual({ total: whole.queue.total, invoices: whole.queue.invoices, offset: whole.queue.total, rows: [] });
    // The invoice count covers every page, not just the one returned.
    expect(whole.queue.invoices).toBe(whole.queue.rows.reduce((n, r) => n + r.invoices.length, 0));
    expect(page0Invoices(await call('board.get', { ...query, limit: 7 }))).toBeLessThan(whole.queue.invoices);
  });

  it('sorts by name in locale order, not code-point order', async () => {
    const names = (await allRows(call, { scope: 'open', sort: 'name' })).map((r) => r.name);
    const locale = [...names].sort((a, b) => a.localeCompare(b));
    expect(names).toEqual(locale);
    // The demo has names (Å…, É…) whose code-point order differs, so the check has teeth.
    expect([...names].sort()).not.toEqual(locale);
    const desc = (await allRows(call, { scope: 'open', sort: 'name', dir: 'desc' })).map((r) => r.name);
    expect(desc).toEqual([...locale].reverse());
  });

  it('sorts by priority: rows by score, highest first', async () => {
    const rows = await allRows(call);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.score).toBeGreaterThanOrEqual(rows[i]!.score);
    for (const r of rows) expect(r.score).toBe(Math.max(...r.invoices.map((i) => i.score)));
  });

  it('replays a past date: other figures, nothing issued after it, stored scores untouched', async () => {
    const past = await call('board.get', { asOf: PAST, scope: 'open', limit: 500 });
    const today = await call('board.get');
    expectSummaryMatchesSql(past, PAST);
    expect(past.summary.currencies).not.toEqual(today.summary.currencies);

    const issuedLater = count(core.db, "SELECT COUNT(*) FROM invoices WHERE connection_id = 'demo' AND issue_date > ?", PAST);
    expect(issuedLater).toBeGreaterThan(0);
    const invoices = invoicesOf(past.queue.rows);
    expect(invoices.length).toBe(openOn(core.db, 'demo', PAST).length);
    expect(invoices.every((i) => i.issueDate <= PAST)).toBe(true);
    // Invoices paid since then are open again on that date, with their balance back.
    const paidSince = openOn(core.db, 'demo', PAST).filter((r) => !open.some((o) => o.id === r.id));
    expect(paidSince.length).toBeGreaterThan(0);

    expect(core.db.prepare('SELECT DISTINCT as_of FROM scores').pluck().all()).toEqual([TODAY]);
    // And today's board is unchanged by the look back.
    expectSummaryMatchesSql(await call('board.get'), TODAY);
  });
});

function page0Invoices(view: { queue: { rows: { invoices: unknown[] }[] } }): number {
  return view.queue.rows.reduce((n, r) => n + r.invoices.length, 0);
}
