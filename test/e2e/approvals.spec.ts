// Approvals: a submitted draft waits in the checklist with its reason chips (here a disputed
// invoice), is selected and approved from the sticky footer, and the page is empty again.
import { expect, openApp, test } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
  await api('rules.set', { phase: 'approve' });
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
  await expect(page.getByText('Nothing waiting. Drafts you submit appear here.')).toBeVisible();
  const [approved] = await api('drafts.list', { customerId: t.id, status: 'approved' });
  expect(approved!.id).toBe(draft.id);
});
