// The accessibility gate: every screen, seeded with a realistic day through the contract, is run
// through axe-core's WCAG 2.1 A/AA rules in light and dark, and any violation fails the test with
// its rule, target and a one-line summary. Exclusions are exact selectors with the reason beside
// them, never whole rules.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { Output } from '../../src/shared/contract';
import { type Api, customerRow, customerRows, expect, forgetEmail, invoiceRows, openApp, submitted, type Target, targets, test, toggleRow } from './fixtures';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Exact selectors axe cannot judge, each with a one-line reason; none is needed today (the draft
// editor's mirrored underline layer is aria-hidden, which axe already skips).
const EXCLUDE: string[] = [];

/** A manual send waiting, one sent, two drafts waiting for approval and a promise due today. */
async function seed(api: Api): Promise<{ drawer: Target; promised: Target; asOf: string }> {
  await api('demo.reset');
  await api('rules.set', { phase: 'approve' });
  await forgetEmail(api);
  await api('outbox.configure', { defaultChannel: 'manual' });
  const [manual, sent, w1, w2, promised, drawer] = await targets(api, 6, { skipDisputed: true });
  const ids = await Promise.all([manual!, sent!].map((t) => submitted(api, t)));
  await api('approvals.approve', { draftIds: ids });
  await api('outbox.process');
  const view = await api('outbox.list', {});
  await api('outbox.confirmSent', { itemId: view.items.find((i) => i.customer.id === sent!.id)!.id });
  await submitted(api, w1!);
  await submitted(api, w2!);
  const { asOf } = (await api('board.get', {})).summary;
  await api('promises.create', { customerId: promised!.id, invoiceIds: [promised!.invoiceId], date: asOf, amountCents: promised!.amountCents, currency: promised!.currency, madeVia: 'phone' });
  await api('notifications.run', {});
  return { drawer: drawer!, promised: promised!, asOf };
}

/** Runs axe on the page as it stands and records each violation as one readable line. */
async function audit(page: Page, what: string, found: string[]): Promise<void> {
  // Let dialogs finish opening, so colours are read at rest rather than mid-fade.
  // A cancelled animation rejects and a spinner never ends: settle for whichever comes first.
  await page.evaluate(() =>
    Promise.race([
      Promise.allSettled((globalThis as unknown as { document: { getAnimations(): { finished: Promise<unknown> }[] } }).document.getAnimations().map((a) => a.finished)),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]),
  );
  const builder = new AxeBuilder({ page }).withTags(TAGS);
  for (const sel of EXCLUDE) builder.exclude(sel);
  const { violations } = await builder.analyze();
  for (const v of violations) {
    for (const node of v.nodes) {
      found.push(`${what}: [${v.id}] ${node.target.join(' ')}: ${(node.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 220)}`);
    }
  }
}

async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

async function openDrawer(page: Page, name: string): Promise<Locator> {
  await customerRow(page, name).getByRole('button', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  return drawer;
}

let phaseBefore: Output<'rules.get'>['phase'];

test.beforeEach(async ({ api }) => {
  phaseBefore = (await api('rules.get')).phase;
});

test.afterEach(async ({ api }) => {
  // The data folder is shared between specs: back to how it was.
  await forgetEmail(api);
  await api('rules.set', { phase: phaseBefore });
  await api('ai.set', { provider: 'off' });
  await api('settings.set', { theme: 'system', locale: null });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe's WCAG 2.1 A/AA rules (${scheme})`, async ({ page, api }) => {
    test.setTimeout(180_000);
    const s = await seed(api);
    await api('settings.set', { theme: scheme, locale: 'en-US' });
    // Show the AI section's form too.
    await api('ai.set', { provider: 'openai', model: 'gpt-4o-mini' });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openApp(page);
    const found: string[] = [];

    await audit(page, 'board', found);
    await toggleRow(customerRows(page).first());
    await expect(invoiceRows(page).first()).toBeVisible();
    await audit(page, 'board, a row expanded', found);
    await toggleRow(customerRows(page).first());

    // The customer drawer, then each follow-up dialog on top of it.
    const drawer = await openDrawer(page, s.drawer.name);
    await audit(page, 'customer drawer', found);
    for (const [button, title] of [
      ['Log promise', `Log a promise from ${s.drawer.name}`],
      ['Open dispute', `Open a dispute for ${s.drawer.name}`],
      ['Payment plan…', `Payment plan for ${s.drawer.name}`],
      ['Paste reply…', `Reply from ${s.drawer.name}`],
      ['Pause outreach…', `Pause outreach to ${s.drawer.name}`],
    ] as const) {
      await drawer.getByRole('button', { name: button }).click();
      const dialog = page.getByRole('dialog', { name: title });
      await expect(dialog).toBeVisible();
      await audit(page, `${button} dialog`, found);
      if (button === 'Paste reply…') {
        // And once more with what triage found and the updates it proposes.
        const date = new Date(Date.parse(`${s.asOf}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
        await dialog.getByLabel('Their reply').fill(`Hello,\n\nSorry about ${s.drawer.invoiceNumber}. We will pay it in full on ${date}.\n\nThanks`);
        await dialog.getByRole('button', { name: 'Read reply' }).click();
        await expect(dialog.getByRole('group', { name: 'Proposed updates' })).toBeVisible();
        await audit(page, 'reply triage, read', found);
      }
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    }

    // The draft editor with a planted wrong amount, flagged and underlined.
    await drawer.getByRole('button', { name: 'Draft reminder' }).click();
    const editor = page.getByRole('dialog', { name: `Reminder to ${s.drawer.name}` });
    const body = editor.getByLabel('Message');
    // The draft's text arrives after the editor opens: read it once it is there.
    await expect(body).toHaveValue(/[€$£]\s?[\d,.]+\d/);
    const text = await body.inputValue();
    const amount = /[€$£]\s?[\d,.]+\d/.exec(text)!;
    const wrong = amount[0].replace(/\d(?=\D*$)/, (d) => String((Number(d) + 3) % 10));
    await body.fill(text.slice(0, amount.index) + wrong + text.slice(amount.index + amount[0].length));
    await expect(editor.getByTestId('flag-count')).toHaveAttribute('data-flagged', '1');
    await audit(page, 'draft editor', found);
    await page.keyboard.press('Escape');
    await expect(editor).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    await nav(page, 'Approvals');
    await expect(page.getByTestId('approval-item')).toHaveCount(2);
    await page.getByTestId('approval-item').first().getByRole('checkbox').check();
    await audit(page, 'approvals', found);

    await nav(page, 'Outbox');
    await expect(page.getByTestId('outbox-item').first()).toHaveAttribute('data-state', 'awaiting_owner');
    await audit(page, 'outbox to do', found);
    await page.getByRole('radio', { name: /^Sent/ }).click();
    await expect(page.getByTestId('outbox-item').first()).toHaveAttribute('data-state', 'sent');
    await audit(page, 'outbox sent', found);

    await nav(page, 'Promises');
    await expect(page.getByRole('button', { name: s.promised.name }).first()).toBeVisible();
    await audit(page, 'promises', found);
    await page.getByRole('button', { name: 'Paste a reply…' }).click();
    const picker = page.getByRole('dialog', { name: 'Paste a customer’s reply' });
    await expect(picker).toBeVisible();
    await audit(page, 'reply picker', found);
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();

    await nav(page, 'Activity');
    await expect(page.getByTestId('activity-row').first()).toBeVisible();
    await audit(page, 'activity', found);

    await nav(page, 'Settings');
    await expect(page.locator('section[aria-labelledby="set-rules"]')).toBeVisible();
    // Payment details loads its form on its own: audit it loaded, not "Loading…".
    await expect(page.getByRole('region', { name: 'Payment details' }).getByLabel('Bank details')).toBeVisible();
    await audit(page, 'settings', found);

    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(shortcuts).toBeVisible();
    await audit(page, 'shortcuts', found);
    await page.keyboard.press('Escape');
    await expect(shortcuts).toBeHidden();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Notifications/ }).click();
    const popover = page.getByRole('dialog', { name: 'Notifications' });
    await expect(popover).toBeVisible();
    await audit(page, 'notification centre', found);
    await page.keyboard.press('Escape');

    expect(found, `axe found ${found.length} WCAG 2.1 A/AA violations (${scheme})`).toEqual([]);
  });
}
