// Theme: follows the OS colour scheme by default; Settings can force light or dark.
import type { Page } from '@playwright/test';
import { expect, openApp, test, type PageWindow } from './fixtures';

async function background(page: Page): Promise<[number, number, number]> {
  const color = await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    return w.getComputedStyle(w.document.body).backgroundColor;
  });
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!m) throw new Error(`Unexpected colour ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
const luminance = ([r, g, b]: [number, number, number]): number => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

test.afterEach(async ({ api }) => {
  await api('settings.set', { theme: 'system' });
});

test('the OS dark scheme darkens the app, and Settings can force a theme', async ({ page, api }) => {
  await api('settings.set', { theme: 'system' });
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  const light = await background(page);
  expect(luminance(light)).toBeGreaterThan(0.8);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => luminance(await background(page))).toBeLessThan(0.2);
  // Text stays readable: the foreground flips too.
  const text = await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    return w.getComputedStyle(w.document.body).color;
  });
  expect(text).not.toBe('rgb(27, 27, 31)');

  // Forcing Light in Settings wins over the OS, and is saved.
  await page.getByRole('button', { name: 'Settings' }).click();
  const theme = page.getByRole('radiogroup', { name: 'Theme' });
  await theme.getByRole('radio', { name: 'Light' }).click();
  await expect(theme.getByRole('radio', { name: 'Light' })).toHaveAttribute('aria-checked', 'true');
  await expect.poll(async () => luminance(await background(page))).toBeGreaterThan(0.8);
  expect((await api('settings.get')).theme).toBe('light');

  // Forcing Dark wins over a light OS.
  await page.emulateMedia({ colorScheme: 'light' });
  await theme.getByRole('radio', { name: 'Dark' }).click();
  await expect.poll(async () => luminance(await background(page))).toBeLessThan(0.2);

  await theme.getByRole('radio', { name: 'System' }).click();
  await expect.poll(async () => luminance(await background(page))).toBeGreaterThan(0.8);
});
