// The draft editor: Draft reminder from the customer drawer (template mode, no AI), a clean
// fact-check, an amount changed in the body is flagged and blocks Submit, fixing it lets the
// draft go to the approval queue.
import { customerRow, customerWithEmail, expect, openApp, test } from './fixtures';

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
});

test('draft a reminder, catch a wrong amount, fix it and submit for approval', async ({ page, api }) => {
  const customer = await customerWithEmail(api);
  await openApp(page);
  await customerRow(page, customer.name).getByRole('button', { name: customer.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: customer.name });
  await drawer.getByRole('button', { name: 'Draft reminder' }).click();

  const editor = page.getByRole('dialog', { name: `Reminder to ${customer.name}` });
  await expect(editor).toBeVisible();
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'draft');
  await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '0');
  await expect(editor.getByText('All figures match')).toBeVisible();
  await expect(editor.getByRole('radio', { name: 'Friendly' })).toBeVisible();

  const [draft] = await api('drafts.list', { customerId: customer.id, status: 'draft' });
  expect(draft!.source).toBe('template');
  const body = editor.getByLabel('Message');
  await expect(body).toHaveValue(draft!.body);
  for (const inv of draft!.invoices) await expect(editor.getByRole('table', { name: 'Invoices in this reminder' })).toContainText(inv.number);

  // Plant a wrong amount: the last digit of the first amount in the body.
  const amount = draft!.findings.find((f) => f.field === 'body' && f.kind === 'amount')!;
  const wrong = amount.text.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 3) % 10));
  await body.fill(draft!.body.slice(0, amount.start) + wrong + draft!.body.slice(amount.end));
  await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '1');
  const submit = editor.getByRole('button', { name: 'Submit for approval' });
  await expect(submit).toBeDisabled();
  await expect(editor.getByText(/1 figure does not match the ledger/)).toBeVisible();
  await expect(editor.locator('mark.hl-flag')).toHaveText(wrong);
  const flagged = editor.getByRole('list', { name: 'Fact-check findings' }).locator('li.is-flag');
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toContainText(wrong);
  await expect(editor.getByRole('button', { name: 'Submit anyway…' })).toBeVisible();
  // Picking a finding selects the figure in the text and highlights it.
  await flagged.getByRole('button').click();
  await expect(editor.locator('mark.hl-flag.is-active')).toHaveCount(1);
  // Caret back to the start so the underline (not the selection) shows in the screenshot.
  await body.evaluate((el) => (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(0, 0));
  await flagged.getByRole('button').hover();
  await page.screenshot({ path: 'test/e2e/screenshots/draft-editor.png' });

  // Fix it: the flag goes, Submit works, and the draft waits for approval.
  await body.fill(draft!.body);
  await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '0');
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'pending_approval');
  await expect(editor.getByTestId('draft-status')).toHaveText('Waiting for approval');
  const [waiting] = await api('drafts.list', { customerId: customer.id, status: 'pending_approval' });
  expect(waiting!.id).toBe(draft!.id);
  expect(waiting!.flagged).toBe(0);
  expect(waiting!.overrideReason).toBeNull();

  // The Approvals page lists it, and it opens again in the editor.
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.getByRole('button', { name: 'Approvals' }).click();
  const waitingList = page.getByRole('region', { name: /Waiting for approval/ });
  await expect(waitingList.getByRole('button', { name: new RegExp(customer.name) })).toBeVisible();
  await waitingList.getByRole('button', { name: new RegExp(customer.name) }).click();
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'pending_approval');
});

test('a reminder about one invoice covers only that invoice', async ({ page, api }) => {
  const customer = await customerWithEmail(api);
  const detail = await api('customers.get', { customerId: customer.id });
  const overdue = detail.openInvoices.filter((i) => i.daysOverdue > 0);
  const target = overdue[overdue.length - 1]!;
  await openApp(page);
  await customerRow(page, customer.name).getByRole('button', { name: customer.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: customer.name });
  await drawer.getByRole('button', { name: `Draft a reminder about ${target.number}` }).click();

  const editor = page.getByRole('dialog', { name: `Reminder to ${customer.name}` });
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'draft');
  const invoices = editor.getByRole('table', { name: 'Invoices in this reminder' });
  await expect(invoices).toContainText(target.number);
  await expect(invoices.locator('tbody tr')).toHaveCount(1);
  const [draft] = await api('drafts.list', { customerId: customer.id, status: 'draft' });
  expect(draft!.scope).toBe('invoice');
  expect(draft!.invoices.map((i) => i.id)).toEqual([target.id]);
});

test('Settings shows AI off by default and the templates with their placeholders', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const ai = page.getByRole('region', { name: 'AI' });
  await expect(ai.getByRole('radio', { name: 'Off' })).toHaveAttribute('aria-checked', 'true');
  await ai.getByRole('radio', { name: 'OpenAI-compatible' }).click();
  await expect(ai.getByLabel('Base URL')).toBeVisible();
  const templates = page.getByRole('region', { name: 'Templates' });
  await expect(templates.getByRole('complementary', { name: 'Placeholders' })).toContainText('{{customer.contact}}');
  const subject = templates.getByLabel('Subject');
  await subject.fill('About {{nope}}');
  await templates.getByRole('button', { name: 'Save friendly template' }).click();
  await expect(templates.getByRole('alert')).toContainText('nope');
});
