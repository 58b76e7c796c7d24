// "Connect Xero" as a new user does it, in browser mode against the Xero emulator (the third
// webServer in playwright.config.ts, two organisations, Xero's own reminders on): the app's client
// id, the sign-in in a new tab (the emulator consents by itself), the organisation picker, the new
// company with its call budget, the tier, and the reminders warning; then a second sign-in whose
// picker shows the connected organisation disabled, cancelled from the keyboard.
import { join } from 'node:path';
import { expect, openApp, test, useFreeRedirectPort } from './fixtures';
import { E2E_PORT } from './env';

const DIR = join(__dirname, 'screenshots');
const XERO_PORT = E2E_PORT + 2000;
const CLIENT_ID = 'e2e-xero-client-id';

interface Expected {
  tenants: { tenantId: string; name: string }[];
}

test('connects a Xero organisation from Settings → Connections', async ({ page, api, request }) => {
  await useFreeRedirectPort(api);
  test.setTimeout(90_000);
  const expected = (await (await request.get(`http://127.0.0.1:${XERO_PORT + 1}/__e2e/expected`)).json()) as Expected;
  const [first, second] = expected.tenants;
  if (!first || !second) throw new Error('the emulator should have two organisations');

  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  // No Xero app saved yet: its client id, then the sign-in in a new tab.
  await page.getByLabel('Xero app ID').fill(CLIENT_ID);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect Xero' }).click();
  const popup = await popupOpened;
  await popup.waitForURL(/^http:\/\/localhost:\d+\/callback\?/, { timeout: 15_000 });
  await popup.close();

  // The picker: both organisations, preselected; keep only the first.
  const picker = page.getByRole('dialog', { name: 'Choose Xero organisations' });
  await expect(picker).toBeVisible({ timeout: 15_000 });
  await expect(picker.getByRole('checkbox', { name: first.name })).toBeChecked();
  await expect(picker.getByRole('button', { name: 'Add 2 organisations' })).toBeEnabled();
  await picker.getByRole('checkbox', { name: second.name }).uncheck();
  await picker.getByRole('button', { name: 'Add 1 organisation' }).click();
  await expect(picker).toBeHidden();

  // The company row: active, with its call budget and Xero's own reminders flagged.
  const row = page.getByTestId(`connection-xero-${first.tenantId}`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByTestId('connection-status')).toHaveText('Active');
  await expect(row.getByTestId('xero-budget')).toHaveText(/Calls today: [\d,]+ of 5,000/);
  await expect(row.getByTestId('xero-reminders-warning')).toHaveText('Xero is also sending reminders: turn them off in Xero to avoid chasing twice.');
  await expect(page.getByTestId(`connection-xero-${second.tenantId}`)).toHaveCount(0);

  // The tier: Starter has 1,000 calls a day.
  await row.getByLabel('Xero plan').selectOption('starter');
  await expect(row.getByTestId('xero-budget')).toHaveText(/Calls today: [\d,]+ of 1,000/);
  expect((await api('settings.get')).xeroTier).toBe('starter');
  await row.getByLabel('Xero plan').selectOption('standard');
  await page.screenshot({ path: join(DIR, 'xero-connections.png') });

  // A second sign-in: the client id is saved now, and the connected organisation is disabled.
  await expect(page.getByLabel('Xero app ID')).toHaveCount(0);
  const again = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect Xero' }).click();
  const popup2 = await again;
  await popup2.waitForURL(/^http:\/\/localhost:\d+\/callback\?/, { timeout: 15_000 });
  await popup2.close();
  await expect(picker).toBeVisible({ timeout: 15_000 });
  await expect(picker.getByRole('checkbox', { name: first.name })).toBeDisabled();
  await expect(picker.getByRole('checkbox', { name: second.name })).toBeChecked();
  // Keyboard only: Space unticks the second organisation, Escape cancels the sign-in.
  await picker.getByRole('checkbox', { name: second.name }).focus();
  await page.keyboard.press('Space');
  await expect(picker.getByRole('button', { name: 'Add 0 organisations' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  const list = await api('connections.list');
  expect(list.filter((c) => c.provider === 'xero').map((c) => c.id)).toEqual([`xero-${first.tenantId}`]);
});

test('one sign-in at a time, reconnect after Xero revoked the sign-in, and disconnect keeping the data', async ({ page, api, request }) => {
  await useFreeRedirectPort(api);
  test.setTimeout(90_000);
  const side = `http://127.0.0.1:${XERO_PORT + 1}`;
  const expected = (await (await request.get(`${side}/__e2e/expected`)).json()) as Expected;
  const first = expected.tenants[0];
  const second = expected.tenants[1];
  if (!first || !second) throw new Error('the emulator should have two organisations');
  const id = `xero-${first.tenantId}`;
  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  const row = page.getByTestId(`connection-${id}`);
  await expect(row.getByTestId('connection-status')).toHaveText('Active');
  await expect.poll(async () => (await api('sync.status')).running, { timeout: 30_000 }).toBe(false);
  const invoices = async (): Promise<number> => (await api('board.get', { scope: 'open', limit: 1 })).summary.currencies.reduce((n, c) => n + c.openInvoices, 0);

  // The owner disconnects Settle in Xero; the next sync finds out and asks to reconnect.
  expect((await request.post(`${side}/__e2e/revoke-all`)).ok()).toBe(true);
  await row.getByRole('button', { name: 'Sync now' }).click();
  await expect(row.getByTestId('connection-status')).toHaveText('Needs reconnect', { timeout: 15_000 });
  await expect(row).toContainText('Xero asked Settle to sign in again');
  const kept = await invoices();

  // Reconnect. While Xero's sign-in waits in the browser, QuickBooks cannot start one, and says why.
  let letGo = (): void => undefined;
  const held = new Promise<void>((r) => (letGo = r));
  await page.context().route('**/identity/connect/authorize**', async (route) => {
    await held;
    await route.continue();
  });
  const popupOpened = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Reconnect' }).click();
  const qboBlock = page.getByTestId('qbo-connect');
  await expect(qboBlock.getByRole('button', { name: 'Connect QuickBooks' })).toBeDisabled();
  await expect(qboBlock.getByTestId('connect-blocked')).toHaveText('Finish the Xero sign-in first: Settle waits for one sign-in at a time.');
  await page.getByRole('region', { name: 'Connections' }).screenshot({ path: join(DIR, 'xero-sign-in-waiting.png') });
  // (The popup event fires once the tab has loaded its first page, so let the sign-in go first.)
  letGo();
  const popup = await popupOpened;
  await popup.waitForURL(/^http:\/\/localhost:\d+\/callback\?/, { timeout: 15_000 });
  await popup.close();
  await page.context().unroute('**/identity/connect/authorize**');

  // The picker: the organisation being reconnected only.
  const picker = page.getByRole('dialog', { name: 'Choose Xero organisations' });
  await expect(picker).toBeVisible({ timeout: 15_000 });
  await picker.getByRole('checkbox', { name: second.name }).uncheck();
  await picker.getByRole('button', { name: 'Add 1 organisation' }).click();
  await expect(picker).toBeHidden();
  await expect(row.getByTestId('connection-status')).toHaveText('Active', { timeout: 15_000 });
  await expect(qboBlock.getByTestId('connect-blocked')).toHaveCount(0);
  await expect.poll(async () => (await api('sync.status')).running, { timeout: 30_000 }).toBe(false);
  expect(await invoices()).toBe(kept);

  // Disconnect: the organisation stays, marked disconnected.
  await row.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('dialog', { name: `Disconnect ${first.name}?` }).getByRole('button', { name: 'Disconnect' }).click();
  await expect(row.getByTestId('connection-status')).toHaveText('Disconnected', { timeout: 15_000 });
  const list = await api('connections.list');
  expect(list.find((c) => c.id === id)).toMatchObject({ status: 'disconnected' });
  expect(await invoices()).toBe(kept);
});
