// The board against the demo company: figures, aging bars, the queue, filters and search.
// Expected values come from the API (board.get) and are formatted as the UI must show them.
import { BUCKETS, type Bucket, type BoardView, type CurrencySummary } from '../../src/shared/model';
import { formatMoney } from '../../src/shared/money';
import { customerRow, customerRows, expect, invoiceRows, openApp, plural, test, toggleRow } from './fixtures';

const RANGES: Record<Bucket, [number, number]> = {
  current: [-Infinity, 0],
  d1_30: [1, 30],
  d31_60: [31, 60],
  d61_90: [61, 90],
  d90_plus: [91, Infinity],
};

/** The currency the figures show first: the company's home currency when it has open invoices. */
function homeSummary(view: BoardView): CurrencySummary {
  const home = view.summary.currencies.find((c) => c.currency === view.connection?.homeCurrency);
  const cur = home ?? view.summary.currencies[0];
  if (!cur) throw new Error('The demo company has no open invoices');
  return cur;
}

function figure(page: import('@playwright/test').Page, label: string) {
  return page.getByRole('group', { name: label, exact: true }).locator('.figure-value');
}

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
});

// The board's default order, asked for explicitly so the comparison cannot drift.
const DEFAULT_ORDER = { sort: 'priority', dir: 'desc' } as const;

test('the demo board shows the API summary, aging and queue', async ({ page, api }) => {
  const view = await api('board.get', DEFAULT_ORDER);
  expect(view.connection?.isDemo).toBe(true);
  const cur = homeSummary(view);

  await openApp(page);
  await expect(page.locator('.board-title').getByText('Demo', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset demo' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove demo' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(view.connection!.name);

  await expect(figure(page, 'Outstanding')).toHaveText(formatMoney(cur.outstandingCents, cur.currency, 'en-US'));
  await expect(figure(page, 'Overdue')).toHaveText(formatMoney(cur.overdueCents, cur.currency, 'en-US'));
  await expect(figure(page, 'DSO')).toHaveText(cur.dsoDays === null ? '—' : plural(Math.round(cur.dsoDays), 'day', 'days'));
  await expect(figure(page, 'Promises due today')).toHaveText(String(view.summary.promisesDueToday));

  for (const bucket of BUCKETS) {
    const b = cur.buckets.find((x) => x.bucket === bucket) ?? { cents: 0, count: 0 };
    const bar = page.locator(`.aging-bar[data-bucket="${bucket}"]`);
    await expect(bar).toContainText(formatMoney(b.cents, cur.currency, 'en-US'));
    await expect(bar).toContainText(plural(b.count, 'invoice', 'invoices'));
    await expect(bar).toHaveAttribute('aria-pressed', 'false');
  }

  // The queue: its length, and the first rows in the API's order.
  await expect(page.getByTestId('queue-count')).toContainText(plural(view.queue.total, 'customer', 'customers'));
  const first = view.queue.rows.slice(0, 5);
  expect(first.length).toBeGreaterThan(0);
  for (const [i, row] of first.entries()) {
    await expect(customerRows(page).nth(i)).toHaveAttribute('aria-label', row.name);
  }
  const top = customerRow(page, first[0]!.name);
  await expect(top.locator('[data-tier]').first()).toHaveAttribute('data-tier', first[0]!.tier);
  await expect(top.locator('.c-days')).toHaveText(plural(first[0]!.oldestDaysOverdue, 'day', 'days'));

  // With several currencies, the switch re-reads the figures in the chosen one.
  const other = view.summary.currencies.find((c) => c.currency !== cur.currency);
  if (other) {
    await page.getByRole('radiogroup', { name: 'Currency shown' }).getByRole('radio', { name: other.currency }).click();
    await expect(figure(page, 'Outstanding')).toHaveText(formatMoney(other.outstandingCents, other.currency, 'en-US'));
    await expect(figure(page, 'Overdue')).toHaveText(formatMoney(other.overdueCents, other.currency, 'en-US'));
  }
});

test('an aging bar filters the queue to its bucket, and clicking again clears it', async ({ page, api }) => {
  const view = await api('board.get', {});
  const cur = homeSummary(view);
  const several = view.summary.currencies.length > 1;
  const pick = (['d31_60', 'd1_30', 'd61_90', 'd90_plus'] as const)
    .map((b) => cur.buckets.find((x) => x.bucket === b))
    .find((b) => b && b.count > 0);
  if (!pick) throw new Error('No overdue bucket has invoices');
  const [lo, hi] = RANGES[pick.bucket];

  // What the UI should ask for, straight from the API.
  const filtered = await api('board.get', {
    ...DEFAULT_ORDER,
    bucket: pick.bucket,
    ...(several ? { currency: cur.currency } : {}),
    limit: 500,
  });
  expect(filtered.queue.total).toBeLessThanOrEqual(500);
  const apiInvoices = filtered.queue.rows.flatMap((r) => r.invoices);
  expect(apiInvoices).toHaveLength(pick.count);
  for (const inv of apiInvoices) {
    expect(inv.daysOverdue).toBeGreaterThanOrEqual(lo);
    expect(inv.daysOverdue).toBeLessThanOrEqual(hi);
  }

  // Tall enough that the expanded invoices below are all drawn by the virtual list.
  await page.setViewportSize({ width: 1440, height: 3000 });
  await openApp(page);
  const bar = page.locator(`.aging-bar[data-bucket="${pick.bucket}"]`);
  await bar.click();
  await expect(bar).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('queue-count')).toHaveText(
    `${plural(filtered.queue.total, 'customer', 'customers')} · ${plural(pick.count, 'invoice', 'invoices')}`,
  );
  await expect(customerRows(page).first()).toHaveAttribute('aria-label', filtered.queue.rows[0]!.name);

  // Expand the first few customers: every invoice shown is in the bucket, and all are there.
  const open = filtered.queue.rows.slice(0, 3);
  for (const row of open) await toggleRow(customerRow(page, row.name));
  const expected = open.reduce((n, r) => n + r.invoices.length, 0);
  await expect(invoiceRows(page)).toHaveCount(expected);
  const days = await invoiceRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-days-overdue'))));
  expect(days).toHaveLength(expected);
  for (const d of days) {
    expect(d).toBeGreaterThanOrEqual(lo);
    expect(d).toBeLessThanOrEqual(hi);
  }
  const shown = await invoiceRows(page).locator('.inv-days').allTextContents();
  expect(shown).toEqual(days.map((d) => plural(d, 'day', 'days')));

  // Again (this time from the keyboard) clears the filter.
  await bar.focus();
  await page.keyboard.press('Enter');
  await expect(bar).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('queue-count')).toContainText(plural(view.queue.total, 'customer', 'customers'));
});

test('search finds an invoice by its number', async ({ page, api }) => {
  const view = await api('board.get', { limit: 500 });
  // An invoice from the middle of the queue, so it is not simply the first row.
  const row = view.queue.rows[Math.floor(view.queue.rows.length / 2)]!;
  const invoice = row.invoices[Math.floor(row.invoices.length / 2)]!;
  const byApi = await api('board.get', { search: invoice.number });
  expect(byApi.queue.total).toBe(1);
  expect(byApi.queue.rows[0]!.customerId).toBe(row.customerId);

  await openApp(page);
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search customers or invoice numbers' });
  await expect(search).toBeFocused();
  await search.fill(invoice.number);
  await expect(customerRows(page)).toHaveCount(1);
  await expect(customerRows(page).first()).toHaveAttribute('aria-label', row.name);
  await expect(page.getByTestId('queue-count')).toContainText('1 customer');

  await toggleRow(customerRows(page).first());
  const match = invoiceRows(page).filter({ has: page.getByText(invoice.number, { exact: true }) });
  await expect(match).toHaveCount(1);
  await expect(match).toHaveAttribute('data-days-overdue', String(invoice.daysOverdue));
  await expect(match.locator('.c-amt')).toHaveText(formatMoney(invoice.balanceCents, invoice.currency, 'en-US'));
});

test('filters that match nothing say so and offer to clear them', async ({ page, api }) => {
  const view = await api('board.get', {});
  await openApp(page);
  await page.getByRole('searchbox', { name: 'Search customers or invoice numbers' }).fill('zz-no-such-customer-zz');
  await expect(page.getByRole('heading', { name: 'No customers match these filters' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).last().click();
  await expect(page.getByTestId('queue-count')).toContainText(plural(view.queue.total, 'customer', 'customers'));
  await expect(page.getByRole('searchbox', { name: 'Search customers or invoice numbers' })).toHaveValue('');
});

test('a tier chip filters the queue to that tier', async ({ page, api }) => {
  const view = await api('board.get', { tiers: ['high'] });
  await openApp(page);
  await page.getByRole('group', { name: 'Tier' }).getByRole('button', { name: 'High' }).click();
  await expect(page.getByTestId('queue-count')).toContainText(plural(view.queue.total, 'customer', 'customers'));
  const tiers = await customerRows(page).locator('.c-tier [data-tier]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tier')));
  expect(tiers.length).toBeGreaterThan(0);
  expect(new Set(tiers)).toEqual(new Set(['high']));
});

test('going offline shows the Offline badge; coming back shows the last sync again', async ({ page, context }) => {
  await openApp(page);
  await expect(page.getByTestId('last-synced')).toBeVisible();
  await context.setOffline(true);
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  await expect(page.getByTestId('last-synced')).toBeHidden();
  // Everything already read stays on screen.
  await expect(customerRows(page).first()).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('last-synced')).toBeVisible();
  await expect(page.getByText('Offline', { exact: true })).toBeHidden();
});
