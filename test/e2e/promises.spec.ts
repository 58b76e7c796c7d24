// Promises to pay in Chromium: log one from the customer drawer, see it under Promises and as a
// chip on the board row; a promise due today shows in the sidebar's count and the Today group.
import { formatDate } from '../../src/shared/dates';
import { formatMoney } from '../../src/shared/money';
import { customerRow, expect, openApp, test } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
});

test('log a promise from the drawer: it appears under Promises and on the board row', async ({ page, api }) => {
  const view = await api('board.get', {});
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null)!;
  const detail = await api('customers.get', { customerId: row.customerId });
  const overdue = detail.openInvoices.filter((i) => i.daysOverdue > 0);
  const currency = overdue[0]!.currency;
  const owed = overdue.filter((i) => i.currency === currency).reduce((s, i) => s + i.balanceCents, 0);
  const date = '2026-11-28'; // the dialog's default: a week after the core's today (2026-11-21)

  // A second customer promised for today, for the Today group and the sidebar count.
  const other = view.queue.rows.find((r) => r.customerId !== row.customerId && !r.disputed)!;
  const otherInv = other.invoices.find((i) => i.daysOverdue > 0)!;
  await api('promises.create', {
    customerId: other.customerId,
    invoiceIds: [otherInv.id],
    date: view.summary.asOf,
    amountCents: Math.min(otherInv.balanceCents, 50_000),
    currency: otherInv.currency,
    madeVia: 'email',
  });

  await openApp(page);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByLabel('1 due today')).toBeVisible();
  await customerRow(page, row.name).getByRole('button', { name: row.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.name });
  await drawer.getByRole('button', { name: 'Log promise' }).click();
  const dialog = page.getByRole('dialog', { name: `Log a promise from ${row.name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Promised date')).toHaveValue(date);
  await expect(dialog.getByLabel(`Amount (${currency})`)).toHaveValue((owed / 100).toFixed(2));

  // Too much is refused inline, with the core's message; nothing is saved.
  await dialog.getByLabel(`Amount (${currency})`).fill(((owed + 100) / 100).toFixed(2));
  await dialog.getByRole('button', { name: 'Log promise' }).click();
  await expect(dialog.getByRole('alert')).toContainText('is more than the');
  await dialog.getByLabel(`Amount (${currency})`).fill((owed / 100).toFixed(2));
  await dialog.getByLabel('How it was made').selectOption('phone');
  await dialog.getByLabel('Note').fill('Will pay after the trade fair');
  await dialog.getByRole('button', { name: 'Log promise' }).click();
  await expect(dialog).toBeHidden();

  const money = formatMoney(owed, currency, 'en-US');
  const when = formatDate(date, 'en-US');
  await expect(drawer.getByRole('list', { name: 'Promises and disputes' })).toContainText(`${money} by ${when}`);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The board row shows the promise chip.
  await expect(customerRow(page, row.name).locator('.mini-chip-promise')).toContainText(`Promised ${money} by ${when}`);

  // Under Promises: Upcoming has it, Today has the other one.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Promises/ }).click();
  const upcoming = page.getByRole('table', { name: 'Upcoming promises' });
  await expect(upcoming.locator('tbody tr')).toHaveCount(1);
  await expect(upcoming).toContainText(row.name);
  await expect(upcoming).toContainText(money);
  await expect(upcoming.getByText('Open', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Today promises' })).toContainText(other.name);
  await page.screenshot({ path: 'test/e2e/screenshots/promises.png' });

  // A row opens the customer.
  await upcoming.getByRole('button', { name: row.name }).click();
  await expect(page.getByRole('dialog', { name: row.name })).toBeVisible();
});
