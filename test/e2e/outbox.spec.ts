// The whole way out, in Chromium against browser mode and a real SMTP server (the smtp-server
// fake on a free loopback port): draft a reminder, the fact-check flags a planted wrong amount,
// fix it, attach the invoice PDF, submit, approve, send from the Outbox; the server receives
// exactly one message with the right recipient, subject, amounts and attachment; Activity shows
// the chain. Also: the manual channel waits for the owner's "I sent it".
import { join } from 'node:path';
import { customerRow, customerWithEmail, expect, openApp, test, withFakeSmtp } from './fixtures';

const USER = 'ar@juniper-finch.example';
const PASSWORD = 'e2e-outbox-pass-71c0';
const SHOTS = join(__dirname, 'screenshots');

const smtp = withFakeSmtp({ [USER]: PASSWORD });

test.beforeEach(async ({ api }) => {
  await api('demo.reset');
});

test('draft, catch a wrong amount, fix, approve, send once by SMTP with the PDF, and see it in Activity', async ({ page, api }) => {
  await api('email.set', { host: smtp().host, port: smtp().port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Juniper & Finch', replyTo: null, allowInsecure: false });
  await api('email.setPassword', { password: PASSWORD });
  const { detail } = await customerWithEmail(api);
  const name = detail.customer.name;
  const overdue = detail.openInvoices.filter((i) => i.daysOverdue > 0);
  const target = overdue[0]!;

  await openApp(page);
  await customerRow(page, name).getByRole('button', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await drawer.getByRole('button', { name: `Draft a reminder about ${target.number}` }).click();
  const editor = page.getByRole('dialog', { name: `Reminder to ${name}` });
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'draft');
  const [draft] = await api('drafts.list', { customerId: detail.customer.id, status: 'draft' });

  // 1–2: a planted wrong amount is flagged and blocks Submit.
  const body = editor.getByLabel('Message');
  const amount = draft!.findings.find((f) => f.field === 'body' && f.kind === 'amount')!;
  const wrong = amount.text.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 3) % 10));
  await body.fill(draft!.body.slice(0, amount.start) + wrong + draft!.body.slice(amount.end));
  await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '1');
  await expect(editor.getByRole('button', { name: 'Submit for approval' })).toBeDisabled();

  // 3: fix it, attach the PDF, submit.
  await body.fill(`${draft!.body}\n\nThe invoice is attached.`);
  await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '0');
  await editor.getByRole('checkbox', { name: 'Attach invoice PDF' }).check();
  await expect(editor.getByRole('checkbox', { name: 'Attach invoice PDF' })).toBeChecked();
  await editor.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'pending_approval');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // Approve it from the queue.
  await page.getByRole('button', { name: 'Approvals' }).click();
  await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Approve 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approved 1' })).toBeVisible();

  // 4: the Outbox sends it through the mail server, once (the core starts a pass right after an
  // approval; "Send due now" covers the case where that pass has not run yet).
  await page.getByRole('button', { name: /^Outbox/ }).click();
  const sendNow = page.getByRole('button', { name: 'Send due now' });
  const sent = page.getByTestId('outbox-item').filter({ hasText: name });
  await expect(async () => {
    if (await sendNow.isEnabled()) await sendNow.click();
    await page.getByRole('radio', { name: /^Sent/ }).click();
    await expect(sent).toHaveAttribute('data-state', 'sent', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(sent).toContainText('Email (your mail server)');
  await expect(sent).toContainText(detail.customer.email!);
  await expect(sent).toContainText('Message ID');
  await page.screenshot({ path: join(SHOTS, 'outbox-sent.png') });

  const [mail] = await smtp().waitForMessages(1);
  // Nothing else arrives, even after another pass of the outbox.
  await api('outbox.process');
  expect(smtp().messages).toHaveLength(1);
  expect(mail!.envelope.to).toEqual([detail.customer.email]);
  expect(mail!.subject).toBe(draft!.subject);
  expect(mail!.text).toContain(amount.text);
  expect(mail!.text).toContain(target.number);
  expect(mail!.text).toContain('The invoice is attached.');
  expect(mail!.attachments).toHaveLength(1);
  expect(mail!.attachments[0]!.contentType).toBe('application/pdf');
  expect(mail!.attachments[0]!.filename).toContain(target.number);
  expect(Buffer.from(mail!.attachments[0]!.content).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // 5: Activity shows the chain for this customer, newest first.
  await page.getByRole('button', { name: 'Activity' }).click();
  const rows = page.getByTestId('activity-row').filter({ hasText: name });
  await expect(rows.first()).toBeVisible();
  const texts = (await rows.allInnerTexts()).join('\n');
  for (const step of [/sent/i, /approved/i, /submitted/i, /drafted/i]) expect(texts).toMatch(step);
});

test('a manual send waits for the owner: copy or open in the mail app, then "I sent it"', async ({ page, api }) => {
  await api('outbox.configure', { defaultChannel: 'manual' });
  const { detail } = await customerWithEmail(api);
  const name = detail.customer.name;
  const draft = await api('drafts.create', { customerId: detail.customer.id });
  await api('drafts.submit', { draftId: draft.id });
  await api('approvals.approve', { draftIds: [draft.id] });
  await api('outbox.process');

  await openApp(page);
  await page.getByRole('button', { name: /^Outbox/ }).click();
  const item = page.getByTestId('outbox-item').filter({ hasText: name });
  await expect(item).toHaveAttribute('data-state', 'awaiting_owner');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByLabel('1 need you')).toBeVisible();
  const mailto = await item.getByRole('link', { name: 'Open in mail app' }).getAttribute('href');
  expect(mailto).toMatch(/^mailto:/);
  expect(decodeURIComponent(mailto!)).toContain(detail.customer.email!);
  await page.screenshot({ path: join(SHOTS, 'outbox-manual.png') });
  await item.getByRole('button', { name: 'I sent it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Marked as sent' })).toBeVisible();
  await page.getByRole('radio', { name: /^Sent/ }).click();
  await expect(page.getByTestId('outbox-item').filter({ hasText: name })).toHaveAttribute('data-state', 'sent');
  expect(smtp().messages).toHaveLength(0);
});
