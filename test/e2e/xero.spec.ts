// "Connect Xero" as a new user does it, in browser mode against the Xero emulator (the third
// webServer in playwright.config.ts, two organisations, Xero's own reminders on): the app's client
// id, the sign-in in a new tab (the emulator consents by itself), the organisation picker, the new
// company with its call budget, the tier, and the reminders warning; then a second sign-in whose
// picker shows the connected organisation disabled, cancelled from the keyboard.
import { join } from 'node:path';
import { expect, openApp, test } from './fixtures';
import { E2E_PORT } from './env';

const DIR = join(__dirname, 'screenshots');
const XERO_PORT = E2E_PORT + 2000;
const CLIENT_ID = 'e2e-xero-client-id';

interface Expected {
  tenants: { tenantId: string; name: string }[];
}

test('connects a Xero organisation from Settings → Connections', async ({ page, api, request }) => {
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
