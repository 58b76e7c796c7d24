// Approvals: a submitted draft waits in the checklist with its reason chips (here a disputed
// invoice), is selected and approved from the sticky footer, and the page is empty again.
import { expect, openApp, test } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
  await api('rules.set', { phase: 'approve' });
});

// The data folder is shared with later specs: leave the default rules behind.
test.afterEach(async ({ api }) => {
  await api('rules.set', { phase: 'approve', autoLowDailyCap: 10, autoLowThreshold: 500 });
});

test('a submitted draft shows its reasons and is approved from the footer', async ({ page, api }) => {
  const board = await api('board.get', {});
  let target: { id: number; name: string; invoiceId: number; invoiceNumber: string } | null = null;
  for (const row of board.queue.rows) {
    const detail = await api('customers.get', { customerId: row.customerId });
    const inv = detail.openInvoices.find((i) => i.daysOverdue > 0);
    if (detail.customer.email && inv) {
      target = { id: row.customerId, name: row.name, invoiceId: inv.id, invoiceNumber: inv.number };
      break;
    }
  }
  expect(target).not.toBeNull();
  const t = target!;
  await api('disputes.open', { customerId: t.id, invoiceIds: [t.invoiceId], reason: 'pricing' });
  const draft = await api('drafts.create', { customerId: t.id, mode: 'template' });
  await api('drafts.submit', { draftId: draft.id });

  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Approvals' }).click();
  const item = page.getByTestId('approval-item').filter({ hasText: t.name });
  await expect(item).toBeVisible();
  await expect(item.locator('.reason-chip[data-code="disputed"]')).toContainText(t.invoiceNumber);

  const footer = page.getByRole('region', { name: 'Bulk actions' });
  await expect(footer.getByRole('button', { name: 'Approve 0' })).toBeDisabled();
  await item.getByRole('checkbox').check();
  await footer.getByRole('button', { name: 'Approve 1' }).click();
  await expect(page.getByText('Reminders you submit wait here for your approval.', { exact: false })).toBeVisible();
  const [approved] = await api('drafts.list', { customerId: t.id, status: 'approved' });
  expect(approved!.id).toBe(draft.id);
});

test('Settings → Rules: Auto-send low risk shows its limit and daily cap, and they are saved', async ({ page, api }) => {
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const rules = page.getByRole('region', { name: 'Rules' });
  await expect(rules.getByLabel('Auto-sends per day')).toHaveCount(0);
  await rules.getByRole('radio', { name: 'Auto-send low risk' }).click();
  await expect(rules.getByRole('radio', { name: 'Auto-send low risk' })).toHaveAttribute('aria-checked', 'true');
  const cap = rules.getByLabel('Auto-sends per day');
  await cap.fill('7');
  await cap.press('Enter');
  await expect.poll(async () => (await api('rules.get')).autoLowDailyCap).toBe(7);
  const limit = rules.getByLabel('Auto-send up to');
  await limit.fill('250');
  await limit.press('Tab');
  await expect.poll(async () => (await api('rules.get')).autoLowThreshold).toBe(250);
  expect((await api('rules.get')).phase).toBe('auto_low');
});
