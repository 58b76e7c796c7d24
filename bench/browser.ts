// Browser mode at scale: the real server (out/main/browser.js) on a large demo company, driven
// by Playwright in Chromium. First paint is measured in the page, from navigation start to the
// first real queue row; a filter from the click to the queue showing the new result.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';

const ROOT = join(__dirname, '..');
const TOKEN = 'bench-token-0123456789abcdef';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface BrowserResult {
  invoices: number;
  seedMs: number;
  startMs: number;
  coldPaintMs: number;
  firstPaintMs: number[];
  filterMs: number[];
  bucketMs: number[];
  searchMs: number[];
  rssMb: number;
}

const NOW = '2026-11-21T15:00:00Z';

/** Seeds the company with the CLI first, as a user's synced ledger would already be on disk;
 * the server then starts the way the app does: open, rescore, serve. */
function seed(dataDir: string, invoices: number): number {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), 'demo', '--invoices', String(invoices), '--data-dir', dataDir, '--now', NOW], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`settle demo failed: ${res.stderr}`);
  return performance.now() - t0;
}

function startServer(dataDir: string): Promise<{ proc: ChildProcess; url: string; startMs: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [
    join(ROOT, 'out/main/browser.js'), '--data-dir', dataDir, '--port', '0', '--now', NOW,
  ], { env: { ...process.env, SETTLE_BRIDGE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('browser mode did not start within 120 s')), 120_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], startMs: performance.now() - t0 });
      }
    });
    proc.on('exit', (code) => reject(new Error(`browser mode exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const kb = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
  return Math.round(kb / 1024);
}

const FIRST_ROW = '.queue-body [role="row"][aria-label]:not([aria-busy])';
const TIER_CHIP = '[role="group"][aria-label="Tier"] button:nth-child(1)';
const BUCKET_BAR = '.aging-bar[data-bucket="d31_60"]';

/** Records, in the page, when the first real queue row appears (ms since navigation start). */
const FIRST_ROW_PROBE = `
  new MutationObserver((_, mo) => {
    if (document.querySelector(${JSON.stringify(FIRST_ROW)})) { window.__firstRow = performance.now(); mo.disconnect(); }
  }).observe(document, { subtree: true, childList: true, attributes: true });`;

/** Clicks `selector` and resolves with the ms until the queue count or first row changes.
 * Passed as source text: tsx's name-keeping helper would not exist inside the page. */
async function timedClick(page: Page, selector: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const firstRow = ${JSON.stringify(FIRST_ROW)};
    const count = () => document.querySelector('[data-testid="queue-count"]')?.textContent ?? '';
    const first = () => document.querySelector(firstRow)?.getAttribute('aria-label') ?? '';
    const before = count() + '|' + first();
    const target = document.querySelector(${JSON.stringify(selector)});
    if (!target) return reject(new Error('no target'));
    const t0 = performance.now();
    const mo = new MutationObserver(() => {
      if (count() + '|' + first() !== before && document.querySelector(firstRow)) {
        mo.disconnect();
        // Resolve on the frame that shows the change.
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }
    });
    mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    target.click();
    setTimeout(() => reject(new Error('filter did not change the queue within 10 s')), 10000);
  })`);
}

export async function benchBrowser(dataDir: string, invoices: number, loads = 5, filters = 10): Promise<BrowserResult> {
  const seedMs = seed(dataDir, invoices);
  const server = await startServer(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // The probes are passed as source text, which the app's CSP (rightly) refuses to eval.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', bypassCSP: true });
    await context.addInitScript(FIRST_ROW_PROBE);
    const firstPaintMs: number[] = [];
    let coldPaintMs = 0;
    let page: Page | null = null;
    for (let i = 0; i < loads + 1; i++) {
      await page?.close();
      page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector(FIRST_ROW, { timeout: 30_000 });
      const at = await page.waitForFunction('window.__firstRow').then((h) => h.jsonValue());
      // The first load also fills Chromium's caches; it is reported apart from the median.
      if (i === 0) coldPaintMs = Number(at);
      else firstPaintMs.push(Number(at));
    }
    if (!page) throw new Error('no page');
    const filterMs: number[] = [];
    const bucketMs: number[] = [];
    // One discarded round first: the first clicks also JIT-compile the renderer's filter paths.
    for (const sel of [TIER_CHIP, TIER_CHIP, BUCKET_BAR, BUCKET_BAR]) await timedClick(page, sel);
    for (let i = 0; i < filters; i++) {
      filterMs.push(await timedClick(page, TIER_CHIP));
      filterMs.push(await timedClick(page, TIER_CHIP));
      bucketMs.push(await timedClick(page, BUCKET_BAR));
      bucketMs.push(await timedClick(page, BUCKET_BAR));
    }
    // Search includes the box's debounce: what a typist actually waits for.
    const searchMs: number[] = [];
    for (const term of ['INV-10042', 'café', 'zzzz-nothing']) {
      const search = page.getByRole('searchbox').first();
      await search.fill('');
      await page.waitForSelector(FIRST_ROW);
      const t0 = Date.now();
      await search.fill(term);
      const before = await page.locator('[data-testid="queue-count"]').textContent();
      await page.waitForFunction(`document.querySelector('[data-testid="queue-count"]')?.textContent !== ${JSON.stringify(before)}`);
      searchMs.push(Date.now() - t0);
    }
    return { invoices, seedMs, startMs: server.startMs, coldPaintMs, firstPaintMs, filterMs, bucketMs, searchMs, rssMb: rssMb(server.proc.pid!) };
  } finally {
    await browser.close();
    server.proc.kill('SIGTERM');
  }
}
