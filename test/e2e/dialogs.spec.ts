// The form dialogs share one shell (components/FormDialog.tsx): each opens from its button, takes
// focus, closes on Escape and gives focus back to the button that opened it; Enter in a field
// submits, and the core's refusal shows in the dialog's alert with nothing saved. Nothing here
// writes to the shared company: every dialog is cancelled or refused. Screenshots of each dialog
// (light theme) go to test/e2e/screenshots/dialog-*.png for review.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { customerRow, expect, openApp, test } from './fixtures';

const SHOTS = join(__dirname, 'screenshots');

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

/** Waits for the dialog's opening animation, so the screenshot shows it at rest. */
async function settled(dialog: Locator): Promise<void> {
  await dialog.evaluate((el) => Promise.all((el as unknown as { getAnimations(): { finished: Promise<unknown> }[] }).getAnimations().map((a) => a.finished)));
}

async function openDrawer(page: Page, name: string) {
  await customerRow(page, name).getByRole('button', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  return drawer;
}

test('each follow-up dialog opens from the drawer, closes on Escape and returns focus to its button', async ({ page, api }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const view = await api('board.get', {});
  const row = view.queue.rows.find((r) => !r.disputed && r.invoices.some((i) => i.daysOverdue > 0))!;
  await openApp(page);
  const drawer = await openDrawer(page, row.name);

  const dialogs = [
    { button: 'Log promise', title: `Log a promise from ${row.name}`, shot: 'promise', field: 'Promised date' },
    { button: 'Open dispute', title: `Open a dispute for ${row.name}`, shot: 'dispute', field: 'Reason' },
    { button: 'Payment plan…', title: `Payment plan for ${row.name}`, shot: 'plan', field: 'How often' },
    { button: 'Paste reply…', title: `Reply from ${row.name}`, shot: 'triage', field: 'Their reply' },
    { button: 'Pause outreach…', title: `Pause outreach to ${row.name}`, shot: 'pause', field: 'Resume on' },
  ];
  for (const d of dialogs) {
    const trigger = drawer.getByRole('button', { name: d.button });
    await trigger.click();
    const dialog = page.getByRole('dialog', { name: d.title });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel(d.field)).toBeVisible();
    // Focus is inside the dialog, not left on the drawer behind it.
    await expect(dialog.locator(':focus')).toHaveCount(1);
    if (d.shot === 'plan') await expect(dialog.getByRole('table', { name: 'Schedule' })).toBeVisible();
    await page.mouse.move(0, 0);
    await settled(dialog);
    await page.screenshot({ path: join(SHOTS, `dialog-${d.shot}.png`) });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // Escape closed only the dialog: the drawer stays, with focus back on the button.
    await expect(drawer).toBeVisible();
    await expect(trigger).toBeFocused();
  }

  // Cancel closes too, and also hands focus back.
  const trigger = drawer.getByRole('button', { name: 'Open dispute' });
  await trigger.click();
  const dispute = page.getByRole('dialog', { name: `Open a dispute for ${row.name}` });
  await dispute.getByRole('button', { name: 'Cancel' }).click();
  await expect(dispute).toBeHidden();
  await expect(trigger).toBeFocused();
});

test('Enter in a field submits, and the core’s refusal shows in the dialog with nothing saved', async ({ page, api }) => {
  const view = await api('board.get', {});
  const row = view.queue.rows.find((r) => !r.disputed && r.invoices.some((i) => i.daysOverdue > 0))!;
  const inv = row.invoices.find((i) => i.daysOverdue > 0)!;
  const before = await api('promises.list', { customerId: row.customerId });
  await openApp(page);
  const drawer = await openDrawer(page, row.name);
  await drawer.getByRole('button', { name: 'Log promise' }).click();
  const dialog = page.getByRole('dialog', { name: `Log a promise from ${row.name}` });
  for (const box of await dialog.getByRole('checkbox').all()) await box.uncheck();
  await dialog.locator('label', { hasText: inv.number }).getByRole('checkbox').check();
  // One cent more than the invoice's balance: the core refuses it.
  const amount = dialog.getByLabel(`Amount (${inv.currency})`);
  await amount.fill(((inv.balanceCents + 1) / 100).toFixed(2));
  await amount.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('is more than the');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Log promise' })).toBeEnabled();
  expect(await api('promises.list', { customerId: row.customerId })).toEqual(before);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('the confirmation dialog closes on Escape with focus back on its button, and does nothing', async ({ page, api }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  const before = await api('board.get', {});
  const trigger = page.getByRole('button', { name: 'Remove demo' });
  await trigger.click();
  const confirm = page.getByRole('dialog', { name: 'Remove the demo company?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Remove demo company' })).toBeVisible();
  await page.mouse.move(0, 0);
  await settled(confirm);
  await page.screenshot({ path: join(SHOTS, 'dialog-confirm.png') });
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(trigger).toBeFocused();
  expect((await api('board.get', {})).connection).toEqual(before.connection);
});
