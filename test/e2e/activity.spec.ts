// Activity (issue 5, item 7): after a reminder is drafted, submitted and approved through the UI,
// the page shows that chain in plain words with the customer's name and invoice numbers; a
// family chip and the search narrow it; a row expands and links to the customer; the export
// downloads a CSV whose rows are the rows on screen; and the audit trail verifies.
import { readFileSync } from 'node:fs';
import { parseCsv } from '../support/csv';
import { describeActivity, familyOf } from '../../src/shared/activity';
import { customerRow, customerWithEmail, expect, openApp, test } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
  await api('rules.set', { phase: 'approve' });
});

test('the chain of a reminder shows, filters, exports and verifies', async ({ page, api }) => {
  const customer = await customerWithEmail(api);
  await openApp(page);

  // Draft and submit in the editor, approve in the Approvals checklist.
  await customerRow(page, customer.name).getByRole('button', { name: customer.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: customer.name });
  await drawer.getByRole('button', { name: 'Draft reminder' }).click();
  const editor = page.getByRole('dialog', { name: `Reminder to ${customer.name}` });
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'draft');
  await editor.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'pending_approval');
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Approvals' }).click();
  const item = page.getByTestId('approval-item').filter({ hasText: customer.name });
  await item.getByRole('checkbox').check();
  await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Approve 1' }).click();
  await expect(item).toBeHidden();

  // The Activity page: newest first, in the words the shared describer gives the core's rows.
  await nav.getByRole('button', { name: 'Activity' }).click();
  const list = page.getByRole('list', { name: 'Activity, newest first' });
  const rows = list.getByTestId('activity-row');
  const mine = (await api('audit.list', { customerId: customer.id })).items;
  const chain = ['draft.create', 'draft.submit', 'draft.approve'];
  for (const action of chain) {
    const entry = mine.find((i) => i.action === action)!;
    expect(entry, action).toBeTruthy();
    await expect(list.locator(`[data-id="${entry.id}"] .activity-summary`)).toHaveText(describeActivity(entry, 'en-US'));
  }
  const approved = mine.find((i) => i.action === 'draft.approve')!;
  expect(approved.invoices.length).toBeGreaterThan(0);
  const approvedRow = list.locator(`[data-id="${approved.id}"]`);
  await expect(approvedRow).toContainText(`Approved reminder to ${customer.name} (${approved.invoices[0]}`);
  await expect(approvedRow.locator('.activity-who')).toHaveText('You');
  const ids = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id')))));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));

  // A row expands to its detail and links to the customer's drawer.
  await approvedRow.getByRole('button', { expanded: false }).click();
  await expect(approvedRow.locator('.activity-fields')).toContainText('Autonomy phase');
  await page.screenshot({ path: 'test/e2e/screenshots/activity.png' });
  await approvedRow.getByRole('button', { name: customer.name, exact: true }).click();
  await expect(drawer).toBeVisible();
  // And back: the drawer's Activity link shows only this customer's entries.
  await drawer.getByRole('button', { name: `Everything Settle did for ${customer.name} (Activity)` }).click();
  await expect(drawer).toBeHidden();
  await expect(rows).toHaveCount(mine.length);
  await expect(page.getByRole('button', { name: 'Show every customer' })).toBeVisible();
  await page.getByRole('button', { name: 'Show every customer' }).click();
  await expect.poll(async () => rows.count()).toBeGreaterThan(mine.length);

  // The Approvals chip, by keyboard: only approval rows remain, as many as the core lists.
  const chip = page.getByRole('group', { name: 'Kind of activity' }).getByRole('button', { name: 'Approvals' });
  await chip.focus();
  await page.keyboard.press('Space');
  await expect(chip).toHaveAttribute('aria-pressed', 'true');
  const onlyApprovals = (await api('audit.list', { families: ['approvals'] })).items;
  await expect(rows).toHaveCount(onlyApprovals.length);
  for (const action of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''))) expect(familyOf(action)).toBe('approvals');

  // Export the filtered list: the CSV's rows are the rows on screen.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('settle-activity-2026-11-21.csv');
  const bytes = readFileSync(await file.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = parseCsv(bytes.toString('utf8').slice(1));
  expect(csv[0]![0]).toBe('id');
  const shown = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
  expect(csv.slice(1).map((r) => Number(r[0]))).toEqual(shown);
  const approvedLine = csv.find((r) => Number(r[0]) === approved.id)!;
  expect(approvedLine[6]).toBe(describeActivity(approved, 'en-US'));
  expect(approvedLine[7]).toBe(customer.name);

  // Text search narrows further; nothing matching says so and offers to clear.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search activity' })).toBeFocused();
  await page.keyboard.type('no such thing zzz');
  await expect(page.getByText('No activity matches these filters')).toBeVisible();
  await page.screenshot({ path: 'test/e2e/screenshots/activity-no-match.png' });
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(chip).toHaveAttribute('aria-pressed', 'false');
  await expect(rows.first()).toBeVisible();

  // The chain verifies, with the count the core reports (the outbox may append while it runs).
  const before = await api('audit.verify');
  await page.getByRole('button', { name: 'Verify audit trail' }).click();
  const status = page.getByRole('status').filter({ hasText: 'Audit trail intact' });
  await expect(status).toBeVisible();
  const after = await api('audit.verify');
  expect(before.ok && after.ok).toBe(true);
  const shownCount = Number(/intact: ([\d,]+) entries/.exec((await status.textContent()) ?? '')![1]!.replace(/,/g, ''));
  expect(shownCount).toBeGreaterThanOrEqual(before.rows);
  expect(shownCount).toBeLessThanOrEqual(after.rows);
});

test('dark theme screenshot of the Activity page', async ({ page, api }) => {
  await api('settings.set', { theme: 'dark' });
  try {
    await openApp(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Activity' }).click();
    await expect(page.getByTestId('activity-row').first()).toBeVisible();
    await page.getByRole('button', { name: 'Verify audit trail' }).click();
    await expect(page.getByText('Audit trail intact')).toBeVisible();
    await page.screenshot({ path: 'test/e2e/screenshots/activity-dark.png' });
  } finally {
    await api('settings.set', { theme: 'system' });
  }
});
