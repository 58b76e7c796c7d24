// Screenshots for review and the README: the board in light and dark, the drawer, and the
// empty state after removing the demo (then restored with "Explore the demo company").
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { customerRows, expect, openApp, test, toggleRow } from './fixtures';

const DIR = join(__dirname, 'screenshots');
const DOCS = join(__dirname, '..', '..', 'docs');

test.beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
});

test('screenshots of the board, the drawer and the empty state', async ({ page, api }) => {
  await api('demo.reset');
  await api('settings.set', { theme: 'system' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);

  // Light board with one customer expanded, as the README shows it.
  const view = await api('board.get', {});
  await toggleRow(customerRows(page).nth(1));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(DIR, 'board-light.png') });
  copyFileSync(join(DIR, 'board-light.png'), join(DOCS, 'screenshot.png'));

  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(DIR, 'board-dark.png') });

  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const row = view.queue.rows[0]!;
  await customerRows(page).first().getByRole('button', { name: row.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.name });
  await expect(drawer.getByRole('list', { name: 'Score factors' })).toBeVisible();
  await page.screenshot({ path: join(DIR, 'drawer-light.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(DIR, 'drawer-dark.png') });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.screenshot({ path: join(DIR, 'shortcuts.png') });
  await page.keyboard.press('Escape');

  // Remove the demo from the board (with its confirmation), see the empty state, restore.
  await page.getByRole('button', { name: 'Remove demo' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove the demo company?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Remove demo company' }).click();
  await expect(page.getByRole('heading', { name: 'Explore the demo company' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'QuickBooks Online' })).toBeDisabled();
  expect((await api('board.get', {})).connection).toBeNull();
  await page.screenshot({ path: join(DIR, 'empty-light.png') });

  await page.getByRole('button', { name: 'Explore the demo company' }).click();
  // Creating the demo reports progress (sync.progress events) in the slim bar, which then goes.
  const progress = page.getByRole('progressbar');
  await expect(progress).toBeVisible();
  await expect(customerRows(page).first()).toBeVisible({ timeout: 20_000 });
  await expect(progress).toBeHidden({ timeout: 10_000 });
  expect((await api('board.get', {})).connection?.isDemo).toBe(true);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.screenshot({ path: join(DIR, 'settings-light.png') });
});

test('the other pages say honestly what will appear there', async ({ page }) => {
  await openApp(page);
  for (const [nav, heading] of [
    ['Approvals', 'Nothing to approve'],
    ['Promises', 'No promises to pay yet'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: nav }).click();
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Go to the board' })).toBeVisible();
  }
  await page.screenshot({ path: join(DIR, 'approvals-empty.png') });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Outbox' }).click();
  await expect(page.getByRole('heading', { name: 'Nothing waiting to go out' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Go to Approvals' })).toBeVisible();
});

test('README screenshots: the approval queue with reasons, and the draft editor catching a wrong amount', async ({ page, api }) => {
  await api('demo.reset');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  // Six waiting reminders from the top of the queue, each with the reasons the rules give.
  const board = await api('board.get', {});
  let waiting = 0;
  for (const row of board.queue.rows) {
    if (waiting === 6) break;
    const detail = await api('customers.get', { customerId: row.customerId });
    if (!detail.customer.email) continue;
    const draft = await api('drafts.create', { customerId: row.customerId });
    await api('drafts.submit', { draftId: draft.id });
    waiting++;
  }
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Approvals' }).click();
  const items = page.getByTestId('approval-item');
  await expect(items).toHaveCount(waiting);
  await items.nth(0).getByRole('checkbox').check();
  await items.nth(1).getByRole('checkbox').check();
  await expect(page.getByRole('button', { name: 'Approve 2' })).toBeEnabled();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(DIR, 'approvals.png') });
  copyFileSync(join(DIR, 'approvals.png'), join(DOCS, 'approvals.png'));

  // The editor on the first one, with a planted wrong amount flagged and picked.
  await items.nth(0).getByRole('button').first().click();
  const editor = page.getByRole('dialog', { name: /^Reminder to / });
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'pending_approval');
  const body = editor.getByLabel('Message');
  const text = await body.inputValue();
  const amount = /[€$£]\s?[\d,.]+\d/.exec(text)!;
  const wrong = amount[0].replace(/\d(?=\D*$)/, (d) => String((Number(d) + 3) % 10));
  await body.fill(text.slice(0, amount.index) + wrong + text.slice(amount.index + amount[0].length));
  const flagged = editor.getByRole('list', { name: 'Fact-check findings' }).locator('li.is-flag');
  await expect(flagged).toHaveCount(1);
  await flagged.getByRole('button').click();
  await body.evaluate((el) => (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(0, 0));
  await flagged.getByRole('button').hover();
  await page.screenshot({ path: join(DIR, 'draft-editor-readme.png') });
  copyFileSync(join(DIR, 'draft-editor-readme.png'), join(DOCS, 'draft-editor.png'));
  // Leave it as it was: the edit is never saved.
  await page.keyboard.press('Escape');
});
