// A visual and keyboard review of the outreach screens (Outbox, Activity, Approvals, the draft
// editor, Settings → Sending / Email / AI / Rules / Desktop / Connections) in light and dark, at
// 1440×900 and at a narrow 1024×700 window. Each screen is seeded through the contract, saved as
// test/e2e/screenshots/review-*.png for a human to look at, and checked for what a screenshot
// cannot promise: nothing wider than the window, text contrast, cards keeping their padding, every
// control reachable by Tab with a visible focus ring, Escape closing what it opened, and money and
// dates following Settings → Locale.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { type Api, expect, forgetEmail, openApp, submitted, type Target, targets, test } from './fixtures';

const SHOTS = join(__dirname, 'screenshots');
const SIZES = [
  { tag: 'wide', width: 1440, height: 900 },
  { tag: 'narrow', width: 1024, height: 700 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

// The e2e files compile without the DOM lib: the page-side checks see the page through these.
interface Rect {
  left: number;
  right: number;
  width: number;
  height: number;
}
interface El {
  tagName: string;
  className: string;
  textContent: string | null;
  parentElement: El | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  checkVisibility(opts?: Record<string, boolean>): boolean;
  closest(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  scrollTo(x: number, y: number): void;
}
interface TextNode {
  textContent: string | null;
  parentElement: El | null;
}
interface Win {
  document: {
    documentElement: El;
    body: El;
    activeElement: El | null;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): Iterable<El>;
    createTreeWalker(root: El, show: number): { nextNode(): TextNode | null };
    createRange(): { selectNodeContents(node: TextNode): void; getClientRects(): Iterable<Rect> };
  };
  getComputedStyle(el: El): Record<'color' | 'backgroundColor' | 'opacity' | 'fontSize' | 'fontWeight' | 'outlineStyle' | 'outlineWidth', string>;
}

/**
 * A realistic day: one reminder waiting for the owner to send by hand, one sent, one the mail
 * server refused (a real SMTP server answering 550), one cancelled, and two drafts waiting for
 * approval (one about a disputed invoice).
 */
async function seed(api: Api): Promise<{ manual: Target; sent: Target; failed: Target; cancelled: Target; waiting: Target[] }> {
  await api('demo.reset');
  await api('rules.set', { phase: 'approve' });
  await forgetEmail(api);
  const [manual, sent, failed, cancelled, w1, w2] = await targets(api, 6);
  const ids = await Promise.all([manual!, sent!, failed!, cancelled!].map((t) => submitted(api, t)));
  await api('email.set', { host: smtp.host, port: smtp.port, tls: 'none', user: null, fromAddress: 'ar@review.example', fromName: 'Review', replyTo: null, allowInsecure: false });
  smtp.failNext({ stage: 'rcpt', code: 550, message: '5.1.1 Mailbox unavailable', times: 10 });
  await api('approvals.approve', { draftIds: [ids[2]!], channel: 'smtp' });
  await expect.poll(async () => (await api('outbox.process'), (await api('outbox.list', { state: 'failed' })).items.length), { timeout: 15_000 }).toBe(1);
  await api('outbox.configure', { defaultChannel: 'manual' });
  await api('approvals.approve', { draftIds: [ids[0]!, ids[1]!, ids[3]!] });
  await api('outbox.process');
  const view = await api('outbox.list', {});
  const itemOf = (t: Target) => view.items.find((i) => i.customer.id === t.id)!;
  await api('outbox.confirmSent', { itemId: itemOf(sent!).id });
  await api('outbox.cancel', { itemId: itemOf(cancelled!).id, reason: 'Paid by phone' });
  await api('disputes.open', { customerId: w2!.id, invoiceIds: [w2!.invoiceId], reason: 'pricing' });
  await submitted(api, w1!);
  await submitted(api, w2!);
  return { manual: manual!, sent: sent!, failed: failed!, cancelled: cancelled!, waiting: [w1!, w2!] };
}

async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, `review-${name}.png`) });
}

/** Elements wider than the window or sticking out of its right edge (a clipped control). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as Win).document;
    const width = doc.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of doc.querySelectorAll('.main *')) {
      if (!el.checkVisibility() || el.closest('[aria-hidden="true"]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Inside a scroller the box may extend past its edge on purpose; only the viewport counts.
      if (r.right > width + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px of ${width}`);
    }
    const main = doc.querySelector('.main .page');
    if (main && main.scrollWidth > main.clientWidth + 1) out.push(`.page scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
    return out.slice(0, 10);
  });
}

/**
 * Text whose contrast with what is behind it is under WCAG AA: 4.5:1, or 3:1 for large text.
 * Disabled controls and hidden layers are exempt, as WCAG allows.
 */
async function lowContrast(page: Page, root: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const w = globalThis as unknown as Win;
    const parse = (c: string): [number, number, number, number] => {
      const m = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:,?\s*\/?\s*([\d.]+))?\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const lum = ([r, g, b]: number[]): number => {
      const f = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const over = (top: number[], under: number[]): number[] => {
      const a = top[3]!;
      return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1);
    };
    const backdrop = (el: El | null): number[] => {
      const layers: number[][] = [];
      for (let e: El | null = el; e; e = e.parentElement) {
        const bg = parse(w.getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let color = [255, 255, 255, 1];
      if (layers.length && layers[layers.length - 1]![3]! < 1) color = parse(w.getComputedStyle(w.document.body).backgroundColor);
      for (const l of layers.reverse()) color = over(l, color);
      return color;
    };
    const out: string[] = [];
    for (const root of w.document.querySelectorAll(sel)) {
      const walker = w.document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      const seen = new Set<El>();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || seen.has(el) || !n.textContent?.trim()) continue;
        seen.add(el);
        if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        if (el.closest('[aria-hidden="true"], :disabled, [aria-disabled="true"], .visually-hidden, option')) continue;
        let opacity = 1;
        for (let e: El | null = el; e; e = e.parentElement) opacity *= Number(w.getComputedStyle(e).opacity);
        const style = w.getComputedStyle(el);
        const fg = parse(style.color);
        if (fg[3] === 0) continue;
        const bg = backdrop(el);
        const ink = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
        const [a, b] = [lum(ink), lum(bg)].sort((x, y) => y - x);
        const ratio = (a! + 0.05) / (b! + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)}:1 "${n.textContent.trim().slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className})`);
      }
    }
    return out.slice(0, 12);
  }, root);
}

/**
 * Text and controls in a settings card that sit outside its 16px gutter (the card's h2 and
 * .setting rows keep it; loose intros and forms must too).
 */
async function outsideGutter(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as Win).document;
    const out: string[] = [];
    for (const card of doc.querySelectorAll('.settings-section')) {
      const box = card.getBoundingClientRect();
      const check = (what: string, r: Rect): void => {
        if (r.width === 0 || r.height === 0) return;
        const left = r.left - box.left;
        const right = box.right - r.right;
        if (left < 15.5 || right < 15.5) out.push(`${card.getAttribute('aria-labelledby')}: "${what.slice(0, 40)}" ${Math.round(left)}px / ${Math.round(right)}px from the edges`);
      };
      const walker = doc.createTreeWalker(card, 4 /* NodeFilter.SHOW_TEXT */);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim() || !n.parentElement?.checkVisibility()) continue;
        const range = doc.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) check(n.textContent.trim(), r);
      }
      for (const el of card.querySelectorAll('input, select, textarea, button')) {
        if (el.checkVisibility() && !el.closest('.segment')) check(`<${el.tagName.toLowerCase()}> ${el.getAttribute('aria-label') ?? el.textContent ?? ''}`, el.getBoundingClientRect());
      }
    }
    return out.slice(0, 12);
  });
}

/** The focused element draws a focus ring (itself, or the wrapper that draws it for it). */
async function focusRing(page: Page): Promise<{ what: string; ring: boolean; inMain: boolean } | null> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Win;
    const el = w.document.activeElement;
    if (!el || el === w.document.body) return null;
    const ringOn = (e: El | null): boolean => {
      if (!e) return false;
      const st = w.getComputedStyle(e);
      return st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0;
    };
    // Inputs drawn by a wrapper: the underlined text fields and the segmented radios.
    const ring = ringOn(el) || ringOn(el.closest('.hl-wrap, .segment'));
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return { what: `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''} "${label}"`, ring, inMain: !!el.closest('.main') };
  });
}

/** Tabs through the page until focus leaves the main area, returning every stop there. */
async function tabThroughMain(page: Page, max = 150): Promise<{ what: string; ring: boolean }[]> {
  const stops: { what: string; ring: boolean }[] = [];
  let entered = false;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focusRing(page);
    if (f?.inMain) {
      entered = true;
      stops.push({ what: f.what, ring: f.ring });
    } else if (entered) {
      break;
    }
  }
  return stops;
}

/** Checks the screen on show: nothing clipped at the window's edge, and readable text. */
async function checkScreen(page: Page, what: string): Promise<void> {
  expect(await overflowing(page), `${what}: clipped at the window's edge`).toEqual([]);
  expect(await lowContrast(page, '.main'), `${what}: text below AA contrast`).toEqual([]);
}

let smtp: FakeSmtp;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  smtp = await startFakeSmtp();
});

test.afterAll(async () => {
  await smtp.close();
});

test.afterEach(async ({ api }) => {
  // The data folder is shared between specs: back to the defaults.
  await forgetEmail(api);
  await api('ai.set', { provider: 'off' });
  await api('settings.set', { theme: 'system', locale: null });
});

test('the outreach screens in light and dark, wide and narrow', async ({ page, api }) => {
  test.setTimeout(180_000);
  const s = await seed(api);
  await api('settings.set', { theme: 'system', locale: 'en-US' });
  // Show the AI form, whose fields must keep the card's padding.
  await api('ai.set', { provider: 'openai', model: 'gpt-4o-mini' });
  await openApp(page);

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      const tag = `${size.tag}-${scheme}`;

      // Outbox: what needs the owner first, with the sidebar counting it.
      await nav(page, 'Outbox');
      const list = page.getByRole('list', { name: 'To do and in progress' });
      await expect(list.getByTestId('outbox-item').first()).toHaveAttribute('data-state', 'failed');
      await expect(list.getByTestId('outbox-item').filter({ hasText: s.manual.name })).toHaveAttribute('data-state', 'awaiting_owner');
      await expect(list.getByTestId('outbox-item').filter({ hasText: s.failed.name })).toContainText('Not sent after');
      await expect(page.getByRole('navigation', { name: 'Main' }).getByLabel(/need you$/)).toBeVisible();
      await checkScreen(page, `outbox ${tag}`);
      await shot(page, `outbox-${tag}`);
      await page.getByRole('radio', { name: /^Sent/ }).click();
      await expect(page.getByTestId('outbox-item').filter({ hasText: s.sent.name })).toHaveAttribute('data-state', 'sent');
      await page.getByRole('radio', { name: /^Cancelled/ }).click();
      await expect(page.getByTestId('outbox-item').filter({ hasText: s.cancelled.name })).toContainText('Paid by phone');
      await checkScreen(page, `outbox cancelled ${tag}`);
      await shot(page, `outbox-cancelled-${tag}`);
      await page.getByRole('radio', { name: /^To do/ }).click();

      // Approvals: the checklist with reason chips and the footer's channel choice.
      await nav(page, 'Approvals');
      const items = page.getByTestId('approval-item');
      await expect(items).toHaveCount(2);
      await expect(items.filter({ hasText: s.waiting[1]!.name }).locator('.reason-chip[data-code="disputed"]')).toBeVisible();
      await items.first().getByRole('checkbox').check();
      const footer = page.getByRole('region', { name: 'Bulk actions' });
      await expect(footer.getByRole('button', { name: 'Approve 1' })).toBeEnabled();
      await expect(footer.getByRole('combobox')).toBeVisible();
      await checkScreen(page, `approvals ${tag}`);
      await shot(page, `approvals-${tag}`);
      await items.first().getByRole('checkbox').uncheck();

      // Activity: newest first, who did it, the customer as a link.
      await nav(page, 'Activity');
      const rows = page.getByRole('list', { name: 'Activity, newest first' }).getByTestId('activity-row');
      await expect(rows.first()).toBeVisible();
      await rows.filter({ hasText: s.sent.name }).first().getByRole('button', { expanded: false }).click();
      await checkScreen(page, `activity ${tag}`);
      await shot(page, `activity-${tag}`);
      await rows.filter({ hasText: s.sent.name }).first().getByRole('button', { expanded: true }).click();

      // Settings: every section, one screenshot each (the page scrolls).
      await nav(page, 'Settings');
      for (const [id, name] of [
        ['set-desktop', 'desktop'],
        ['set-connections', 'connections'],
        ['set-sending', 'sending'],
        ['set-email', 'email'],
        ['set-ai', 'ai'],
        ['set-templates', 'templates'],
        ['set-rules', 'rules'],
      ] as const) {
        const section = page.locator(`section[aria-labelledby="${id}"]`);
        await section.scrollIntoViewIfNeeded();
        await expect(section).toBeVisible();
        await page.mouse.move(0, 0);
        await section.screenshot({ path: join(SHOTS, `review-settings-${name}-${tag}.png`) });
      }
      await checkScreen(page, `settings ${tag}`);
      expect(await outsideGutter(page), `settings ${tag}: outside the card's padding`).toEqual([]);
      // Long choices wrap under their text instead of squeezing it into a column.
      const autonomy = page.locator('section[aria-labelledby="set-rules"] .setting').first();
      const help = await autonomy.locator('.setting-help').boundingBox();
      expect(help!.width, 'the Autonomy help keeps a readable width').toBeGreaterThan(300);
      await page.evaluate(() => (globalThis as unknown as Win).document.querySelector('.main .page')?.scrollTo(0, 0));
    }
  }
});

test('the draft editor with its toggles, light and dark, wide and narrow', async ({ page, api }) => {
  test.setTimeout(90_000);
  await api('demo.reset');
  await forgetEmail(api);
  const [t] = await targets(api, 1);
  await api('drafts.create', { customerId: t!.id, mode: 'template' });
  await openApp(page);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await nav(page, 'Board');
      await page.getByRole('treegrid', { name: 'Collections queue' }).getByRole('button', { name: t!.name, exact: true }).click();
      const drawer = page.getByRole('dialog', { name: t!.name });
      await drawer.getByRole('button', { name: 'Draft reminder' }).click();
      const editor = page.getByRole('dialog', { name: `Reminder to ${t!.name}` });
      await expect(editor.getByTestId('draft-status')).toHaveAttribute('data-status', 'draft');
      const options = editor.getByRole('group', { name: 'Include' });
      await expect(options.getByRole('checkbox', { name: 'Pay link' })).toBeVisible();
      await expect(options.getByRole('checkbox', { name: 'Attach invoice PDF' })).toBeVisible();
      expect(await lowContrast(page, '.draft-editor'), 'draft editor contrast').toEqual([]);
      await shot(page, `draft-editor-${size.tag}-${scheme}`);
      await page.keyboard.press('Escape');
      await expect(editor).toBeHidden();
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
    }
  }
});

test('keyboard: g o, the shortcuts list, Tab with a visible ring everywhere, Enter, Space and Escape', async ({ page, api }) => {
  test.setTimeout(120_000);
  const s = await seed(api);
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  const main = page.getByRole('main');

  // `g o` opens the Outbox, and `?` lists it under Go to.
  await page.keyboard.press('g');
  await page.keyboard.press('o');
  await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible();
  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  const goOutbox = shortcuts.locator('dd', { hasText: /^Outbox$/ });
  await expect(goOutbox).toHaveCount(1);
  await expect(goOutbox.locator('xpath=preceding-sibling::dt[1]')).toHaveText(/g\s*then\s*o/);
  await page.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();

  // Outbox: every control is a Tab stop with a ring, including each row's actions.
  let stops = await tabThroughMain(page);
  expect(stops.filter((x) => !x.ring), 'Outbox stops without a focus ring').toEqual([]);
  const names = stops.map((x) => x.what).join('\n');
  for (const label of ['I sent it', 'Copy message', 'Open in mail app', 'Try again', 'Redraft', 'Cancel', 'Message', s.manual.name, 'Sent']) {
    expect(names, `Tab reaches "${label}" on the Outbox`).toContain(label);
  }
  // Enter opens a message, Space picks a tab, Enter on a customer opens the drawer and Escape closes it.
  const manualRow = page.getByTestId('outbox-item').filter({ hasText: s.manual.name });
  const summary = manualRow.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(manualRow.locator('details')).toHaveAttribute('open', '');
  await manualRow.getByRole('button', { name: s.manual.name, exact: true }).focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: s.manual.name });
  await expect(drawer).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.getByRole('radio', { name: /^Sent/ }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: /^Sent/ })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('outbox-item').filter({ hasText: s.sent.name })).toBeVisible();

  // Approvals: Space selects, the footer's channel and buttons are Tab stops, Reject's reason
  // form closes on Escape and gives focus back.
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  stops = await tabThroughMain(page);
  expect(stops.filter((x) => !x.ring), 'Approvals stops without a focus ring').toEqual([]);
  const first = page.getByTestId('approval-item').first();
  await first.getByRole('checkbox').focus();
  await page.keyboard.press('Space');
  await expect(first.getByRole('checkbox')).toBeChecked();
  const footer = page.getByRole('region', { name: 'Bulk actions' });
  const channel = footer.getByRole('combobox');
  await channel.focus();
  await channel.selectOption('manual');
  await expect(channel).toHaveValue('manual');
  await footer.getByRole('button', { name: 'Reject 1' }).focus();
  await page.keyboard.press('Enter');
  const reason = footer.getByRole('textbox', { name: 'Why reject?' });
  await expect(reason).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(reason).toBeHidden();
  await expect(footer.getByRole('button', { name: 'Reject 1' })).toBeFocused();
  expect((await api('approvals.list')).items).toHaveLength(2);

  // The draft editor from the checklist: the toggles take Space, with a ring, and Escape closes it.
  await first.locator('.approvals-open').focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('dialog', { name: /^Reminder to / });
  await expect(editor).toBeVisible();
  const payLink = editor.getByRole('checkbox', { name: 'Pay link' });
  await payLink.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  expect((await focusRing(page))?.ring, 'the Pay link toggle shows its ring').toBe(true);
  await page.keyboard.press('Space');
  await expect(payLink).toBeChecked();
  await expect.poll(async () => (await api('drafts.list', { status: 'pending_approval' })).some((d) => d.payLink)).toBe(true);
  await page.keyboard.press('Tab');
  await expect(editor.getByRole('checkbox', { name: 'Attach invoice PDF' })).toBeFocused();
  expect((await focusRing(page))?.ring, 'the PDF toggle shows its ring').toBe(true);
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();

  // Activity: a row opens with Enter.
  await page.keyboard.press('g');
  await page.keyboard.press('y');
  const row = page.getByTestId('activity-row').first();
  await expect(row).toBeVisible();
  stops = await tabThroughMain(page, 60);
  expect(stops.filter((x) => !x.ring), 'Activity stops without a focus ring').toEqual([]);
  await row.getByRole('button', { expanded: false }).focus();
  await page.keyboard.press('Enter');
  await expect(row.getByRole('button', { expanded: true })).toBeVisible();

  // Settings: every control, the Sending choice by Enter.
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  stops = await tabThroughMain(page, 200);
  expect(stops.filter((x) => !x.ring), 'Settings stops without a focus ring').toEqual([]);
  expect(stops.length).toBeGreaterThan(20);
  const sending = main.getByRole('radiogroup', { name: 'Send approved reminders by' });
  await sending.getByRole('radio', { name: 'Mail server' }).focus();
  await page.keyboard.press('Enter');
  await expect(sending.getByRole('radio', { name: 'Mail server' })).toHaveAttribute('aria-checked', 'true');
  expect((await api('outbox.settings')).defaultChannel).toBe('smtp');
});

test('money and dates follow Settings → Locale on the Outbox, Approvals and Activity', async ({ page, api }) => {
  const s = await seed(api);
  await api('settings.set', { locale: 'de-DE' });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await openApp(page);
  // Expectations come from Intl itself, not from Settle's own formatting helpers.
  const money = (cents: number, currency: string): string =>
    new Intl.NumberFormat('de-DE', { style: 'currency', currency }).format(cents / 100);

  await nav(page, 'Outbox');
  const item = (await api('outbox.list', {})).items.find((i) => i.customer.id === s.manual.id)!;
  const cents = item.invoices.reduce((n, i) => n + i.balanceCents, 0);
  const amount = money(cents, item.invoices[0]!.currency);
  expect(amount).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s\S+$/);
  await expect(page.getByTestId('outbox-item').filter({ hasText: s.manual.name }).locator('.outbox-amount')).toHaveText(amount);
  await shot(page, 'outbox-de');

  await nav(page, 'Approvals');
  const waiting = (await api('approvals.list')).items[0]!;
  const total = waiting.draft.totalOverdue.map((t) => money(t.cents, t.currency)).join(' + ');
  await expect(page.getByTestId('approval-item').first().locator('.approvals-amount')).toHaveText(total);

  await nav(page, 'Activity');
  const latest = (await api('audit.list', {})).items[0]!;
  const when = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(latest.at));
  expect(when).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
  await expect(page.locator(`[data-id="${latest.id}"] .activity-when`)).toHaveText(when);
  await shot(page, 'activity-de');
});

test('an empty Outbox says what to do next, in both themes', async ({ page, api }) => {
  await api('demo.reset');
  await forgetEmail(api);
  expect((await api('outbox.list', {})).items).toHaveLength(0);
  await openApp(page);
  await nav(page, 'Outbox');
  const empty = page.getByRole('region', { name: 'Nothing waiting to go out' });
  await expect(empty).toContainText('Reminders you approve');
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await checkScreen(page, `empty outbox ${scheme}`);
    await shot(page, `outbox-empty-${scheme}`);
  }
  // Its action is a Tab stop and takes the owner where reminders come from.
  const go = empty.getByRole('button', { name: 'Go to Approvals' });
  await go.focus();
  // Keyboard focus (a programmatic focus after a click shows no ring, by design).
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(go).toBeFocused();
  expect((await focusRing(page))?.ring).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
});
