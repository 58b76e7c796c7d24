// Shared e2e fixtures: `api` calls the contract over the bridge (so tests derive expectations
// from the core rather than hard-coding figures), and every test fails if the page logged a
// console error or threw.
import { freeRedirectUri } from '../support/ports';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { Envelope, Input, Method, Output } from '../../src/shared/contract';
import type { CustomerDetail } from '../../src/shared/model';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { E2E_TOKEN } from './env';

export type Api = <M extends Method>(method: M, input?: Input<M>) => Promise<Output<M>>;

export const test = base.extend<{ api: Api; consoleErrors: string[] }>({
  api: async ({ request }, use) => {
    await use(async (method, input) => {
      const res = await request.post(`/api/${method}`, {
        headers: { authorization: `Bearer ${E2E_TOKEN}` },
        ...(input === undefined ? {} : { data: input }),
      });
      const envelope = (await res.json()) as Envelope<unknown>;
      if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as never;
    });
  },
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the app with the bridge token and waits for the queue (or the welcome screen). */
export async function openApp(page: Page, opts: { expectQueue?: boolean } = {}): Promise<void> {
  await page.goto(`/#token=${E2E_TOKEN}`);
  if (opts.expectQueue === false) return;
  await expect(page.getByRole('treegrid', { name: 'Collections queue' })).toBeVisible();
  await expect(customerRows(page).first()).toBeVisible();
}

/** The queue's customer rows (level 1 of the treegrid). */
export function customerRows(page: Page) {
  return page.getByRole('treegrid', { name: 'Collections queue' }).locator('[role="row"][aria-level="1"]');
}

/** The invoice rows under expanded customers (level 2). */
export function invoiceRows(page: Page) {
  return page.getByRole('treegrid', { name: 'Collections queue' }).locator('[role="row"][aria-level="2"]');
}

/** One customer's row, by its exact name. */
export function customerRow(page: Page, name: string) {
  return page.getByRole('treegrid', { name: 'Collections queue' }).getByRole('row', { name, exact: true });
}

/** Expands or collapses a customer row by its chevron (a click on the name opens the drawer). */
export async function toggleRow(row: Locator): Promise<void> {
  await row.locator('.c-exp').click();
}

/** en-US plural as the UI writes it: "1 invoice", "12 invoices", "1,204 invoices". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/**
 * The page globals in-page callbacks use. The e2e files compile with the Node typings (no DOM
 * lib), so callbacks passed to page.evaluate reach them as `globalThis as unknown as PageWindow`.
 */
export interface PageWindow {
  document: { body: PageElement; activeElement: PageElement | null };
  getComputedStyle(el: PageElement): { backgroundColor: string; color: string; outlineStyle: string; outlineWidth: string };
  __pwned?: number;
}

/**
 * Back to "email not set up" and the default channel following it, so specs sharing the data
 * folder start from the defaults.
 */
export async function forgetEmail(api: Api): Promise<void> {
  await api('email.setPassword', { password: null });
  await api('email.set', { host: null, port: 587, tls: 'starttls', user: null, fromAddress: null, fromName: null, replyTo: null, allowInsecure: false });
  await api('outbox.configure', { defaultChannel: null });
}

/** The first customer on the board with an email address and something overdue. */
export async function customerWithEmail(api: Api): Promise<{ id: number; name: string; detail: CustomerDetail }> {
  const board = await api('board.get', {});
  for (const row of board.queue.rows) {
    const detail = await api('customers.get', { customerId: row.customerId });
    if (detail.customer.email && detail.openInvoices.some((i) => i.daysOverdue > 0)) return { id: row.customerId, name: row.name, detail };
  }
  throw new Error('no demo customer with an email and overdue invoices');
}

/**
 * A real SMTP server (the smtp-server fake on a free loopback port) for this spec file, reset
 * before each test, with Settle's email settings forgotten before and after each one.
 */
export function withFakeSmtp(users: Record<string, string>): () => FakeSmtp {
  let fake: FakeSmtp | null = null;
  test.beforeAll(async () => {
    fake = await startFakeSmtp({ users });
  });
  test.afterAll(async () => {
    await fake?.close();
  });
  test.beforeEach(async ({ api }) => {
    fake!.reset();
    await forgetEmail(api);
  });
  test.afterEach(async ({ api }) => {
    await forgetEmail(api);
  });
  return () => fake!;
}

/** A customer with an email address and one of their overdue invoices. */
export interface Target {
  id: number;
  name: string;
  email: string;
  invoiceId: number;
  invoiceNumber: string;
  amountCents: number;
  currency: string;
}

/** The first `n` customers on the board with an email address and an overdue invoice, in queue order. */
export async function targets(api: Api, n: number, opts: { skipDisputed?: boolean } = {}): Promise<Target[]> {
  const board = await api('board.get', {});
  const found: Target[] = [];
  for (const row of board.queue.rows) {
    if (opts.skipDisputed && row.disputed) continue;
    const detail = await api('customers.get', { customerId: row.customerId });
    const inv = detail.openInvoices.find((i) => i.daysOverdue > 0);
    if (detail.customer.email && inv) {
      found.push({ id: row.customerId, name: row.name, email: detail.customer.email, invoiceId: inv.id, invoiceNumber: inv.number, amountCents: inv.balanceCents, currency: inv.currency });
    }
    if (found.length === n) return found;
  }
  throw new Error(`only ${found.length} demo customers with an email and overdue invoices`);
}

/** A template draft for the customer, submitted for approval; returns its id. */
export async function submitted(api: Api, t: Pick<Target, 'id'>): Promise<number> {
  const draft = await api('drafts.create', { customerId: t.id, mode: 'template' });
  await api('drafts.submit', { draftId: draft.id });
  return draft.id;
}

/**
 * Points the OAuth sign-in at a loopback port the OS says is free, so the suite never needs the
 * default redirect port (another program, or another run, may hold it).
 */
export async function useFreeRedirectPort(api: Api): Promise<void> {
  await api('settings.set', { oauthRedirectUri: await freeRedirectUri() });
}
