// Settings → Payment details in Chromium against browser mode: the owner fills in the demo
// company's bank details, pay link, phone and reply-to address, saves (Save is off until
// something changed), sees the core's message for a bad pay link with nothing saved, and finds
// the values again after a reload. Screenshots at 1440×900, 1024×700 and in dark mode go to
// test/e2e/screenshots/payment-details-*.png for review.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { type Api, expect, openApp, test } from './fixtures';

const SHOTS = join(__dirname, 'screenshots');
const DETAILS = {
  bankDetails: 'Müller & Söhne GmbH\nIBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX',
  payLink: 'https://pay.mueller-soehne.example/invoices',
  phone: '+49 (30) 1234-5678',
  replyTo: 'accounts@mueller-soehne.example',
};

/** Back to no details, so specs sharing the data folder draft without them. */
async function clear(api: Api): Promise<void> {
  await api('paymentDetails.set', { bankDetails: null, payLink: null, phone: null, replyTo: null });
}

async function openSection(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Settings/ }).click();
  const section = page.getByRole('region', { name: 'Payment details' });
  await expect(section.getByLabel('Bank details')).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  return section;
}

test.beforeEach(async ({ api }) => clear(api));
test.afterEach(async ({ page, api }) => {
  await clear(api);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
});

test('fill in, save and find the payment details again after a reload', async ({ page, api }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  const section = await openSection(page);
  await expect(section).toContainText('Reminders may give only these details and the ledger’s pay link');
  const save = section.getByRole('button', { name: 'Save' });
  await expect(save).toBeDisabled();

  await section.getByLabel('Bank details').fill(DETAILS.bankDetails);
  await expect(save).toBeEnabled();
  await expect(section.getByRole('status')).toHaveText('Unsaved changes');
  // A plain http link is refused by the core with its own words; nothing is saved.
  await section.getByLabel('Pay link').fill('http://pay.mueller-soehne.example/invoices');
  await save.click();
  await expect(section.getByRole('alert')).toHaveText('The pay link must be an https:// address such as https://pay.example.com/your-business');
  await expect(section.getByLabel('Pay link')).toHaveAttribute('aria-invalid', 'true');
  expect(await api('paymentDetails.get')).toMatchObject({ bankDetails: null, payLink: null });

  // Keyboard: Tab moves through the fields in order, Enter in a field saves.
  await section.getByLabel('Pay link').fill(DETAILS.payLink);
  await section.getByLabel('Pay link').press('Tab');
  await expect(section.getByLabel('Phone')).toBeFocused();
  await page.keyboard.type(DETAILS.phone);
  await page.keyboard.press('Tab');
  await expect(section.getByLabel('Reply-to address')).toBeFocused();
  await page.keyboard.type(DETAILS.replyTo);
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status')).toHaveText('Saved.');
  await expect(section.getByRole('alert')).toHaveCount(0);
  await expect(save).toBeDisabled();
  const stored = await api('paymentDetails.get');
  expect(stored).toMatchObject({ connectionId: 'demo', ...DETAILS });
  expect(stored.updatedAt).not.toBeNull();

  await page.screenshot({ path: join(SHOTS, 'payment-details-1440.png') });

  await page.reload();
  await expect(page.getByRole('treegrid', { name: 'Collections queue' })).toBeVisible();
  const again = await openSection(page);
  await expect(again.getByLabel('Bank details')).toHaveValue(DETAILS.bankDetails);
  await expect(again.getByLabel('Pay link')).toHaveValue(DETAILS.payLink);
  await expect(again.getByLabel('Phone')).toHaveValue(DETAILS.phone);
  await expect(again.getByLabel('Reply-to address')).toHaveValue(DETAILS.replyTo);
  await expect(again.getByRole('button', { name: 'Save' })).toBeDisabled();

  await page.setViewportSize({ width: 1024, height: 700 });
  await again.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'payment-details-1024.png') });

  // Clearing a field is a change like any other.
  await again.getByLabel('Phone').fill('');
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(again.getByRole('status')).toHaveText('Saved.');
  expect((await api('paymentDetails.get')).phone).toBeNull();
});

test('dark mode screenshot of the section, with an error shown', async ({ page, api }) => {
  await api('paymentDetails.set', DETAILS);
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await openApp(page);
  const section = await openSection(page);
  await expect(section.getByLabel('Bank details')).toHaveValue(DETAILS.bankDetails);
  await section.getByLabel('Phone').fill('call us');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByRole('alert')).toHaveText('Use only digits, spaces and + - ( ) . in the phone number');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'payment-details-dark.png') });
  expect((await api('paymentDetails.get')).phone).toBe(DETAILS.phone);
});
