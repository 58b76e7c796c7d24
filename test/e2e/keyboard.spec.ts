// Keyboard first: j/k and arrows move the selection, Enter opens the customer, Escape closes,
// `/` focuses search, `?` lists the shortcuts; rows expand with →/← and Space.
import { customerRows, expect, invoiceRows, openApp, test, type PageWindow } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
});

test('j/k, Enter, Escape, /, ? and arrows drive the board', async ({ page, api }) => {
  const view = await api('board.get', {});
  const [first, second] = view.queue.rows;
  if (!first || !second) throw new Error('The demo queue needs two customers');
  await openApp(page);
  const rows = customerRows(page);

  await page.keyboard.press('j');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  const queue = page.getByRole('treegrid', { name: 'Collections queue' });
  await expect(queue).toBeFocused();
  await expect(queue).toHaveAttribute('aria-activedescendant', 'qrow-0');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');

  // → shows the invoices, ← hides them, Space toggles.
  await page.keyboard.press('ArrowRight');
  await expect(rows.nth(1)).toHaveAttribute('aria-expanded', 'true');
  await expect(invoiceRows(page)).toHaveCount(second.invoices.length);
  await page.keyboard.press('ArrowLeft');
  await expect(rows.nth(1)).toHaveAttribute('aria-expanded', 'false');
  await expect(invoiceRows(page)).toHaveCount(0);
  await page.keyboard.press(' ');
  await expect(rows.nth(1)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press(' ');
  await expect(rows.nth(1)).toHaveAttribute('aria-expanded', 'false');

  // Enter opens the selected customer; Escape closes and focus returns to the queue.
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: second.name });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('list', { name: 'Score factors' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(queue).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');

  // `/` focuses the search; Escape leaves it for the queue.
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search customers or invoice numbers' });
  await expect(search).toBeFocused();
  await page.keyboard.type('x');
  await expect(search).toHaveValue('x');
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(queue).toBeFocused();

  // `?` lists every shortcut.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const does of [
    'Next customer',
    'Previous customer',
    'Open the customer',
    'Close the customer or a dialog',
    'Search customers and invoice numbers',
    'Show these shortcuts',
  ]) {
    await expect(help.getByText(does, { exact: true })).toBeVisible();
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // g then s goes to Settings; g then b comes back.
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('b');
  await expect(queue).toBeVisible();
});

test('Tab reaches the controls with a visible focus ring', async ({ page }) => {
  await openApp(page);
  await page.locator('body').focus();
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const w = globalThis as unknown as PageWindow;
      const el = w.document.activeElement;
      if (!el || el === w.document.body) return null;
      const style = w.getComputedStyle(el);
      return {
        label: el.getAttribute('aria-label') ?? el.id ?? '',
        text: (el.textContent ?? '').trim().slice(0, 40),
        role: el.getAttribute('role') ?? el.tagName.toLowerCase(),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
      };
    });
    if (!info) continue;
    expect(info.ring, `focus ring on ${info.role} ${info.label || info.text}`).toBe(true);
    seen.push(info.role === 'treegrid' ? 'queue' : info.label || info.text);
    if (info.role === 'treegrid') break;
  }
  expect(seen).toContain('Board');
  expect(seen).toContain('Reset demo');
  expect(seen).toContain('High');
  expect(seen).toContain('queue-search');
  expect(seen).toContain('queue');
});
