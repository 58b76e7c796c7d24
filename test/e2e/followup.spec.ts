// Follow-up end to end in Chromium, on its own browser-mode server started with --test-hooks (so
// moving its clock cannot disturb the shared server's specs): record a promise from the drawer, see
// it under Promises, advance the clock to 09:00 on its day, see it due in the notification centre,
// receive the payment in the demo ledger (written as a sync writes it) and see it kept. Then a
// pasted reply is triaged and its proposals applied from the drawer, and a payment plan is
// previewed, saved and accepted. Screenshots of the Promises page and the triage dialog go to docs/.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { addDays, formatDate } from '../../src/shared/dates';
import { formatMoney } from '../../src/shared/money';
import { customerRow, expect, openApp, test } from './fixtures';
import { E2E_NOW, E2E_PORT, E2E_TOKEN } from './env';

const PORT = E2E_PORT + 3;
const BASE = `http://127.0.0.1:${PORT}`;
const TODAY = E2E_NOW.slice(0, 10);
const SHOTS = join(__dirname, 'screenshots');
const DOCS = join(__dirname, '..', '..', 'docs');

let server: ChildProcess | undefined;
let dataDir = '';

test.use({ baseURL: BASE });

/** A test hook of browser mode (absent from the contract and from Electron). */
async function hook<T>(request: APIRequestContext, name: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/${name}`, { headers: { authorization: `Bearer ${E2E_TOKEN}` }, data: input });
  const envelope = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${name} failed: ${envelope.error?.message}`);
  return envelope.value as T;
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'settle-e2e-followup-'));
  server = spawn(
    process.execPath,
    ['out/main/browser.js', '--data-dir', dataDir, '--port', String(PORT), '--now', E2E_NOW, '--demo-invoices', '300', '--test-hooks'],
    { env: { ...process.env, SETTLE_BRIDGE_TOKEN: E2E_TOKEN, SETTLE_SECRET_STORE: 'file' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 80_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the follow-up e2e server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the shared server has no test hooks', async ({ request }) => {
  const res = await request.post(`http://127.0.0.1:${E2E_PORT}/api/test.advanceClock`, {
    headers: { authorization: `Bearer ${E2E_TOKEN}` },
    data: { ms: 1 },
  });
  expect(res.status()).toBe(404);
});

test('a promise recorded in the drawer falls due in the notification centre and is kept by a synced payment', async ({ page, api, request }) => {
  const view = await api('board.get', {});
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null && r.invoices.some((i) => i.daysOverdue > 0))!;
  const inv = row.invoices.find((i) => i.daysOverdue > 0)!;
  const tomorrow = addDays(TODAY, 1);
  const money = formatMoney(inv.balanceCents, inv.currency, 'en-US');

  // 1. Record the promise from the drawer: tomorrow, the first overdue invoice's balance.
  await openApp(page);
  await customerRow(page, row.name).getByRole('button', { name: row.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.name });
  await drawer.getByRole('button', { name: 'Log promise' }).click();
  const dialog = page.getByRole('dialog', { name: `Log a promise from ${row.name}` });
  for (const box of await dialog.getByRole('checkbox').all()) await box.uncheck();
  await dialog.locator('label', { hasText: inv.number }).getByRole('checkbox').check();
  await dialog.getByLabel('Promised date').fill(tomorrow);
  await dialog.getByLabel(`Amount (${inv.currency})`).fill((inv.balanceCents / 100).toFixed(2));
  await dialog.getByRole('button', { name: 'Log promise' }).click();
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Escape');

  // 2. It appears under Promises, upcoming.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: /Promises/ }).click();
  const upcoming = page.getByRole('table', { name: 'Upcoming promises' });
  await expect(upcoming).toContainText(row.name);
  await expect(upcoming).toContainText(money);

  // 3. The clock moves to 09:00 on the promised day; the schedule runs.
  const moved = await hook<{ now: string; shown: number }>(request, 'test.advanceClock', { to: `${tomorrow}T09:00:00Z` });
  expect(moved.shown).toBeGreaterThanOrEqual(1);

  // 4. The notification centre shows it due today.
  const bell = nav.getByRole('button', { name: /^Notifications, \d+ new$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  const popover = page.getByRole('dialog', { name: 'Notifications' });
  await expect(popover.getByRole('button', { name: new RegExp(`${row.name}.*due today|due today.*${row.name}`, 'i') })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('table', { name: 'Today promises' })).toContainText(row.name);

  // 5. The payment arrives in the ledger; the promise shows as kept.
  await hook(request, 'test.receivePayment', { invoiceId: inv.id, amountCents: inv.balanceCents, date: tomorrow });
  const kept = page.getByRole('table', { name: 'Kept promises' });
  await expect(kept).toContainText(row.name);
  await expect(kept.locator('tr', { hasText: row.name }).getByText('Kept', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Today promises' })).toHaveCount(0);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, 'promises-kept.png') });
});

test('a pasted reply is triaged and its proposals applied from the drawer', async ({ page, api }) => {
  const { asOf } = (await api('board.get', {})).summary;
  const view = await api('board.get', { sort: 'amount' });
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null && r.invoices.some((i) => i.daysOverdue > 0))!;
  const inv = row.invoices.find((i) => i.daysOverdue > 0)!;
  const half = Math.floor(inv.balanceCents / 2);
  const promised = addDays(asOf, 6);

  await openApp(page);
  await customerRow(page, row.name).getByRole('button', { name: row.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.name });
  await drawer.getByRole('button', { name: 'Paste reply…' }).click();
  const dialog = page.getByRole('dialog', { name: `Reply from ${row.name}` });
  await dialog
    .getByLabel('Their reply')
    .fill(`Hello,\n\nApologies for the delay on ${inv.number}. We will pay ${formatMoney(half, inv.currency, 'en-US')} on ${promised} and the rest next month.\n\nThanks`);
  await dialog.getByRole('button', { name: 'Read reply' }).click();
  await expect(dialog.getByTestId('triage-class')).toHaveText('Promise to pay');
  const proposals = dialog.getByRole('group', { name: 'Proposed updates' });
  await expect(proposals.getByLabel('Promised date')).toHaveValue(promised);
  await expect(proposals.getByLabel('Amount')).toHaveValue((half / 100).toFixed(2));
  await page.screenshot({ path: join(SHOTS, 'triage.png') });
  copyFileSync(join(SHOTS, 'triage.png'), join(DOCS, 'triage.png'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'triage-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Edit before applying: a past date is refused with the core's message and nothing is saved.
  await proposals.getByLabel('Promised date').fill(addDays(asOf, -2));
  await dialog.getByRole('button', { name: /^Apply/ }).click();
  await expect(dialog.getByRole('alert')).toContainText(/Promise:/);
  expect((await api('promises.list', { customerId: row.customerId })).upcoming).toEqual([]);
  await proposals.getByLabel('Promised date').fill(promised);
  await dialog.getByRole('button', { name: /^Apply/ }).click();
  await expect(dialog.getByRole('status')).toContainText(`Promise recorded: ${formatMoney(half, inv.currency, 'en-US')} by ${promised}.`);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(drawer.getByRole('list', { name: 'Promises and disputes' })).toContainText(`${formatMoney(half, inv.currency, 'en-US')} by ${formatDate(promised, 'en-US')}`);

  // Pause outreach from the drawer; the pause is listed and can be removed.
  await drawer.getByRole('button', { name: 'Pause outreach…' }).click();
  const pause = page.getByRole('dialog', { name: `Pause outreach to ${row.name}` });
  await pause.getByLabel('Why').fill('Waiting for their finance team');
  await pause.getByRole('button', { name: 'Pause outreach' }).click();
  await expect(pause).toBeHidden();
  const pauses = drawer.getByRole('list', { name: 'Outreach pauses' });
  await expect(pauses).toContainText('Waiting for their finance team');
  await pauses.getByRole('button', { name: 'Remove' }).click();
  await expect(pauses).toHaveCount(0);
});

test('a payment plan previews as you type, is saved, accepted, and listed under Promises', async ({ page, api }) => {
  const view = await api('board.get', { sort: 'overdue' });
  const promised = new Set((await api('promises.list')).kept.map((p) => p.customerId));
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null && !promised.has(r.customerId) && r.invoices.some((i) => i.daysOverdue > 0))!;
  const detail = await api('customers.get', { customerId: row.customerId });
  const currency = detail.openInvoices.find((i) => i.daysOverdue > 0)!.currency;
  const owed = detail.openInvoices.filter((i) => i.daysOverdue > 0 && i.currency === currency).reduce((s, i) => s + i.balanceCents, 0);

  await openApp(page);
  await customerRow(page, row.name).getByRole('button', { name: row.name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: row.name });
  await drawer.getByRole('button', { name: 'Payment plan…' }).click();
  const dialog = page.getByRole('dialog', { name: `Payment plan for ${row.name}` });
  const schedule = dialog.getByRole('table', { name: 'Schedule' });
  await expect(schedule.locator('tbody tr')).toHaveCount(3);
  await dialog.getByRole('textbox', { name: 'Instalments' }).fill('4');
  await expect(schedule.locator('tbody tr')).toHaveCount(4);
  await expect(schedule.locator('tfoot')).toContainText(formatMoney(owed, currency, 'en-US'));
  await dialog.getByRole('textbox', { name: 'Instalments' }).fill('0');
  await expect(dialog.getByRole('status')).toContainText(/instalments/i);
  await dialog.getByRole('textbox', { name: 'Instalments' }).fill('4');
  await expect(schedule.locator('tbody tr')).toHaveCount(4);
  await page.screenshot({ path: join(SHOTS, 'plan-dialog.png') });
  await dialog.getByRole('button', { name: 'Save plan' }).click();
  await expect(dialog).toBeHidden();

  const plans = drawer.getByRole('list', { name: 'Payment plans' });
  await expect(plans).toContainText('Proposed');
  await plans.getByRole('button', { name: 'Customer accepted' }).click();
  await expect(plans).toContainText('Active');
  await page.keyboard.press('Escape');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Promises/ }).click();
  await expect(page.getByRole('list', { name: 'Payment plans' })).toContainText(row.name);
  await expect(page.getByRole('table', { name: 'Upcoming promises' }).locator('tr', { hasText: row.name })).toHaveCount(4);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, 'promises-page.png'), fullPage: true });
  copyFileSync(join(SHOTS, 'promises-page.png'), join(DOCS, 'promises.png'));
});

test('a broken promise offers "Draft follow-up": a firm draft whose fact-check accepts the promise', async ({ page, api, request }) => {
  const view = await api('board.get', { sort: 'name' });
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null && r.invoices.some((i) => i.daysOverdue > 0))!;
  const inv = row.invoices.find((i) => i.daysOverdue > 0)!;
  const cents = Math.min(inv.balanceCents, 25_000);
  await api('promises.create', { customerId: row.customerId, invoiceIds: [inv.id], date: view.summary.asOf, amountCents: cents, currency: inv.currency, madeVia: 'phone' });
  // Past the date and the two grace days: broken, and the next morning's notification says so.
  await hook(request, 'test.advanceClock', { ms: 3 * 86_400_000 + 3_600_000 });

  await openApp(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: /^Notifications, \d+ new$/ }).click();
  const popover = page.getByRole('dialog', { name: 'Notifications' });
  const item = popover.getByRole('listitem').filter({ hasText: `Promise broken: ${row.name}` });
  await item.getByRole('button', { name: 'Draft follow-up' }).click();
  const fromBell = page.getByRole('dialog', { name: `Reminder to ${row.name}` });
  await expect(fromBell.getByRole('radiogroup', { name: 'Tone' }).getByRole('radio', { name: /Firm/ })).toHaveAttribute('aria-checked', 'true');
  await fromBell.getByRole('button', { name: 'Close' }).click();
  await expect(fromBell).toBeHidden();

  await nav.getByRole('button', { name: /Promises/ }).click();
  const broken = page.getByRole('table', { name: 'Broken promises' }).locator('tr', { hasText: row.name });
  await expect(broken.getByText('Broken', { exact: true })).toBeVisible();
  await broken.getByRole('button', { name: 'Draft follow-up' }).click();
  const editor = page.getByRole('dialog', { name: `Reminder to ${row.name}` });
  await expect(editor.getByRole('radiogroup', { name: 'Tone' }).getByRole('radio', { name: /Firm/ })).toHaveAttribute('aria-checked', 'true');
  const money = formatMoney(cents, inv.currency, 'en-US').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(editor.getByLabel('Message')).toHaveValue(new RegExp(money));
  const draft = (await api('drafts.list', { customerId: row.customerId }))[0]!;
  expect(draft.facts.promises).toEqual([{ date: view.summary.asOf, cents, currency: inv.currency }]);
  expect(draft.flagged).toBe(0);
});

test('"Paste a reply…" on the Promises page asks for the customer first; an undated "next Friday" is a question', async ({ page, api }) => {
  const row = (await api('board.get', { sort: 'name' })).queue.rows[0]!;
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Promises/ }).click();
  await page.getByRole('button', { name: 'Paste a reply…' }).click();
  const picker = page.getByRole('dialog', { name: 'Paste a customer’s reply' });
  await picker.getByLabel('Customer who replied').fill(row.name.slice(0, 6));
  await picker.getByRole('list', { name: 'Matching customers' }).getByRole('button', { name: row.name }).click();
  const dialog = page.getByRole('dialog', { name: `Reply from ${row.name}` });
  await dialog.getByLabel('Their reply').fill('We will pay the full balance next Friday.');
  await dialog.getByLabel('I don’t know when it was sent').check();
  await dialog.getByRole('button', { name: 'Read reply' }).click();
  await expect(dialog.getByRole('list', { name: 'Questions for you' })).toContainText(/Friday/);
  await expect(dialog.getByRole('group', { name: 'Proposed updates' }).getByText('Record a promise to pay')).toHaveCount(0);
});
