// E2E: Chromium against browser mode (node out/main/browser.js), which serves the built
// renderer and the contract on loopback. `npm test` builds first; this config never rebuilds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL, E2E_NOW, E2E_PORT, E2E_QBO_CLIENT_ID, E2E_QBO_CLIENT_SECRET, E2E_QBO_PORT, E2E_QBO_URL, E2E_TOKEN } from './test/e2e/env';

// One fresh data dir per run. Workers re-load this file, so the runner's choice is passed on
// through the environment instead of making a new directory each time.
const dataDir = (process.env.SETTLE_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'settle-e2e-')));
// The Xero emulator (test/fakes/run-xero.ts; test/e2e/xero.spec.ts reads the same port).
const E2E_XERO_PORT = E2E_PORT + 2000;
const E2E_XERO_URL = `http://127.0.0.1:${E2E_XERO_PORT}`;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: E2E_BASE_URL,
    headless: true,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // Connecting QuickBooks changes the shared data dir's company for good, so its project comes
  // last (one worker runs the projects in this order).
  projects: [
    { name: 'chromium', testIgnore: ['**/qbo.spec.ts', '**/xero.spec.ts'] },
    { name: 'qbo', testMatch: '**/qbo.spec.ts' },
    { name: 'xero', testMatch: '**/xero.spec.ts' },
  ],
  webServer: [
    {
      command: `node out/main/browser.js --data-dir "${dataDir}" --port ${E2E_PORT} --now ${E2E_NOW}`,
      url: `${E2E_BASE_URL}/`,
      // The QuickBooks endpoints point at the emulator below (test/e2e/qbo.spec.ts); the file
      // SecretStore because CI has no keychain.
      env: { SETTLE_BRIDGE_TOKEN: E2E_TOKEN, SETTLE_QBO_API_BASE: E2E_QBO_URL, SETTLE_QBO_OAUTH_BASE: `${E2E_QBO_URL}/oauth`, SETTLE_SECRET_STORE: 'file', SETTLE_XERO_API_BASE: E2E_XERO_URL, SETTLE_XERO_IDENTITY_BASE: `${E2E_XERO_URL}/identity` },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The QuickBooks emulator, with a little latency so the progress bar can be seen moving.
      command: `npx tsx test/fakes/run-qbo.ts --port ${E2E_QBO_PORT} --now ${E2E_NOW} --invoices 1500 --latency 150 --client-id ${E2E_QBO_CLIENT_ID} --client-secret ${E2E_QBO_CLIENT_SECRET}`,
      url: `http://127.0.0.1:${E2E_QBO_PORT + 1}/__e2e/expected`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The Xero emulator: two organisations, Xero's own reminders on.
      command: `npx tsx test/fakes/run-xero.ts --port ${E2E_XERO_PORT} --now ${E2E_NOW} --invoices 300 --latency 50`,
      url: `http://127.0.0.1:${E2E_XERO_PORT + 1}/__e2e/expected`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
