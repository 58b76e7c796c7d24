// "Connect QuickBooks" as a new user does it, in browser mode against the QuickBooks emulator
// (the second webServer in playwright.config.ts): the keys, the sign-in in a new tab (the
// emulator consents by itself and redirects to Settle's loopback), the new company in Settings →
// Connections, the progress bar of the first sync, and a board whose figures equal the API's and
// the emulator's.
import { join } from 'node:path';
import { expect, openApp, test, useFreeRedirectPort } from './fixtures';
import { E2E_QBO_CLIENT_ID, E2E_QBO_CLIENT_SECRET, E2E_QBO_PORT } from './env';

const DIR = join(__dirname, 'screenshots');

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface Expected {
  today: string;
  usdOutstandingCents: number;
  companyName: string;
  realmId: string;
}

test('connects QuickBooks from Settings → Connections and shows the synced board', async ({ page, api, request }) => {
  await useFreeRedirectPort(api);
  test.setTimeout(90_000);
  const expected = (await (await request.get(`http://127.0.0.1:${E2E_QBO_PORT + 1}/__e2e/expected`)).json()) as Expected;
  expect(expected.usdOutstandingCents).toBeGreaterThan(0);

  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  // A new user has no keys saved yet: the Intuit app's client ID and secret.
  await page.getByLabel('Client ID').fill(E2E_QBO_CLIENT_ID);
  await page.getByLabel('Client secret').fill(E2E_QBO_CLIENT_SECRET);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect QuickBooks' }).click();

  // The sign-in opens in a new tab; the emulator consents and hands back to Settle's loopback.
  const popup = await popupOpened;
  await popup.waitForURL(/^http:\/\/localhost:\d+\/callback\?/, { timeout: 15_000 });

  // The first sync runs with the slim progress bar…
  const progress = page.getByRole('progressbar');
  await expect(progress).toBeVisible({ timeout: 15_000 });
  // …and the company appears, active, with the last sync's records and no warnings.
  const row = page.getByTestId(`connection-qbo-${expected.realmId}`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByText(expected.companyName)).toBeVisible();
  await expect(row.getByTestId('connection-status')).toHaveText('Active');
  await expect(progress).toBeHidden({ timeout: 30_000 });
  await expect(row.getByTestId('last-sync')).toHaveText(/Last sync: [\d,]+ records, 0 warnings/, { timeout: 10_000 });
  await popup.close();
  await page.screenshot({ path: join(DIR, 'connections.png') });

  // The board is the new company's, and its Outstanding equals the API's and the emulator's.
  const board = await api('board.get', {});
  expect(board.connection?.name).toBe(expected.companyName);
  const usd = board.summary.currencies.find((c) => c.currency === 'USD');
  expect(usd?.outstandingCents).toBe(expected.usdOutstandingCents);
  const status = await api('sync.status');
  expect(status.crossChecks?.[`qbo-${expected.realmId}`]?.mismatches).toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Board' }).click();
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(expected.usdOutstandingCents / 100);
  await expect(page.getByRole('group', { name: 'Outstanding' })).toContainText(money);
  await expect(page.getByRole('heading', { name: expected.companyName, level: 1 })).toBeVisible();
  await expect(page.getByTestId('crosscheck-warning')).toHaveCount(0);
});

test('stops a long sync from the board; it ends after its last saved page and the next sync finishes it', async ({ page, api, request }) => {
  test.setTimeout(60_000);
  const emulator = `http://127.0.0.1:${E2E_QBO_PORT + 1}/__e2e`;
  const expected = (await (await request.get(`${emulator}/expected`)).json()) as Expected;
  await openApp(page, { expectQueue: false });
  const stop = page.getByRole('button', { name: 'Stop sync' });
  await expect(stop).toHaveCount(0);

  await request.post(`${emulator}/latency/slow`);
  try {
    // A full resync (as after a reconnect) on a slow ledger: the board offers to stop it.
    const running = api('sync.run', { full: true });
    await expect(stop).toBeVisible({ timeout: 10_000 });
    await page.screenshot({ path: join(DIR, 'stop-sync.png') });
    await stop.click();
    const { runs } = await running;
    expect(runs[0]).toMatchObject({ status: 'aborted' });
    await expect(stop).toBeHidden({ timeout: 10_000 });
  } finally {
    await request.post(`${emulator}/latency/normal`);
  }
  const { runs } = await api('sync.run', {});
  expect(runs[0]).toMatchObject({ status: 'ok' });
  const board = await api('board.get', {});
  expect(board.summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents).toBe(expected.usdOutstandingCents);
});

interface Paid extends Expected {
  invoiceId: string;
  paidCents: number;
}

const usd = (cents: number): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

test('reconnects after Intuit revoked the sign-in, syncs when the network comes back (a synced payment keeps a promise), and disconnects keeping the data', async ({ page, api, request }) => {
  await useFreeRedirectPort(api);
  test.setTimeout(90_000);
  const side = `http://127.0.0.1:${E2E_QBO_PORT + 1}`;
  const expected = (await (await request.get(`${side}/__e2e/expected`)).json()) as Expected;
  const id = `qbo-${expected.realmId}`;
  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  const row = page.getByTestId(`connection-${id}`);
  await expect(row.getByTestId('connection-status')).toHaveText('Active');

  // The owner disconnects Settle at Intuit; the next sync finds out and asks to reconnect.
  expect((await request.post(`${side}/__e2e/revoke-all`)).ok()).toBe(true);
  await row.getByRole('button', { name: 'Sync now' }).click();
  await expect(row.getByTestId('connection-status')).toHaveText('Needs reconnect', { timeout: 15_000 });
  await expect(row).toContainText('QuickBooks asked Settle to sign in again');
  await page.getByRole('region', { name: 'Connections' }).screenshot({ path: join(DIR, 'qbo-needs-reconnect.png') });

  // Reconnect: the sign-in in a new tab, the same company, active again with its data.
  const invoicesBefore = (await api('board.get', { scope: 'open', limit: 1 })).summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents;
  const popupOpened = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Reconnect' }).click();
  const popup = await popupOpened;
  await popup.waitForURL(/^http:\/\/localhost:\d+\/callback\?/, { timeout: 15_000 });
  await popup.close();
  await expect(row.getByTestId('connection-status')).toHaveText('Active', { timeout: 15_000 });
  await expect.poll(async () => (await api('sync.status')).running, { timeout: 30_000 }).toBe(false);
  const before = (await api('board.get', {})).summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents ?? 0;
  expect(before).toBe(invoicesBefore);

  // A promise to pay on the invoice the customer is about to pay at Intuit.
  const next = (await (await request.get(`${side}/__e2e/next-pay`)).json()) as { docNumber: string; customerName: string; balanceCents: number };
  const found = await api('board.get', { search: next.customerName, scope: 'open' });
  const customerId = found.queue.rows.find((r) => r.name === next.customerName)!.customerId;
  const invoice = (await api('customers.get', { customerId })).openInvoices.find((i) => i.number === next.docNumber)!;
  const promised = await api('promises.create', {
    customerId,
    invoiceIds: [invoice.id],
    date: addDays(expected.today, 3),
    amountCents: invoice.balanceCents,
    currency: 'USD',
    madeVia: 'phone',
  });
  expect(promised.promise.status).toBe('open');

  // Offline, a payment lands at Intuit; when the network comes back Settle syncs by itself.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Board' }).click();
  await expect(page.getByRole('group', { name: 'Outstanding' })).toContainText(usd(before));
  await page.context().setOffline(true);
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  const paid = (await (await request.post(`${side}/__e2e/pay`)).json()) as Paid;
  expect(paid.paidCents).toBeGreaterThan(0);
  await page.context().setOffline(false);
  await expect(page.getByTestId('last-synced')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Outstanding' })).toContainText(usd(before - paid.paidCents), { timeout: 20_000 });
  expect(paid.usdOutstandingCents).toBe(before - paid.paidCents);
  expect(paid.paidCents).toBe(next.balanceCents);

  // The synced payment keeps the promise.
  await expect.poll(async () => (await api('promises.list', { customerId })).kept.map((p) => p.id), { timeout: 10_000 }).toContain(promised.promise.id);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Promises' }).click();
  await expect(page.getByRole('table', { name: 'Kept promises' })).toContainText(next.customerName);

  // Disconnect from Settings: the sign-in is forgotten, the company stays, marked disconnected.
  await page.getByRole('button', { name: 'Settings' }).click();
  await row.getByRole('button', { name: 'Disconnect' }).click();
  const confirm = page.getByRole('dialog', { name: `Disconnect ${expected.companyName}?` });
  await confirm.getByRole('button', { name: 'Disconnect' }).click();
  await expect(row.getByTestId('connection-status')).toHaveText('Disconnected', { timeout: 15_000 });
  await expect(row).toContainText('the synced invoices stay on this computer');
  await expect(row.getByRole('button', { name: 'Reconnect' })).toBeEnabled();
  const board = await api('board.get', {});
  expect(board.connection).toMatchObject({ id, status: 'disconnected' });
  expect(board.summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents).toBe(before - paid.paidCents);
  await page.getByRole('region', { name: 'Connections' }).screenshot({ path: join(DIR, 'qbo-disconnected.png') });
});
