// The in-app notification centre (browser mode): a promise due today, one notification pass
// (notifications.run), the bell's count and popover, and a click opening the customer's drawer.
//
// The shared server's clock is frozen at 15:00, and the core never notifies about a stage that
// fell before the promise was recorded (the 09:00 "due today" of a promise logged at 15:00). So
// this spec runs its own browser-mode server with the clock frozen at 09:00 that day: a promise
// logged then is recorded exactly as its "due today" stage falls due.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openApp, test } from './fixtures';
import { E2E_NOW, E2E_PORT, E2E_TOKEN } from './env';

const PORT = E2E_PORT + 2;
const BASE = `http://127.0.0.1:${PORT}`;
const AT_NINE = `${E2E_NOW.slice(0, 10)}T09:00:00Z`;

let server: ChildProcess | undefined;
let dataDir = '';

test.use({ baseURL: BASE });

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'settle-e2e-notif-'));
  server = spawn(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--port', String(PORT), '--now', AT_NINE, '--demo-invoices', '200'], {
    env: { ...process.env, SETTLE_BRIDGE_TOKEN: E2E_TOKEN, SETTLE_SECRET_STORE: 'file' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the notifications e2e server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a promise due today shows under the bell; clicking it opens the customer', async ({ page, api }) => {
  const view = await api('board.get', {});
  const row = view.queue.rows.find((r) => !r.disputed && r.promise === null && r.invoices.some((i) => i.daysOverdue > 0))!;
  const inv = row.invoices.find((i) => i.daysOverdue > 0)!;
  await api('promises.create', {
    customerId: row.customerId,
    invoiceIds: [inv.id],
    date: view.summary.asOf,
    amountCents: Math.min(inv.balanceCents, 50_000),
    currency: inv.currency,
    madeVia: 'phone',
  });
  expect(await api('notifications.run', {})).toEqual({ shown: 1 });
  // A second pass repeats nothing.
  expect(await api('notifications.run', {})).toEqual({ shown: 0 });

  await openApp(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const bell = nav.getByRole('button', { name: 'Notifications, 1 new' });
  await expect(bell).toBeVisible();
  await bell.click();
  const popover = page.getByRole('dialog', { name: 'Notifications' });
  await expect(popover).toBeVisible();
  const item = popover.getByRole('button', { name: new RegExp(`${row.name}.*due today|due today.*${row.name}`, 'i') });
  await expect(item).toHaveCount(1);
  await expect(popover.getByRole('button', { name: 'Show desktop notifications' })).toBeVisible();

  await item.click();
  await expect(popover).toBeHidden();
  const drawer = page.getByRole('dialog', { name: row.name });
  await expect(drawer).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  // Seen: the count is gone.
  await expect(nav.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
});

test('pausing notifications holds the pass until resumed', async ({ api }) => {
  const until = new Date(Date.parse(AT_NINE) + 3600_000).toISOString();
  const settings = await api('settings.set', { notificationsPausedUntil: until });
  expect(settings.notificationsPausedUntil).toBe(until);
  expect(await api('notifications.run', {})).toEqual({ shown: 0 });
  expect((await api('settings.set', { notificationsPausedUntil: null })).notificationsPausedUntil).toBeNull();
});
