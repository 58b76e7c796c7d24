// E2E: Chromium against browser mode (node out/main/browser.js), which serves the built
// renderer and the contract on loopback. `npm test` builds first; this config never rebuilds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL, E2E_NOW, E2E_PORT, E2E_TOKEN } from './test/e2e/env';

// One fresh data dir per run. Workers re-load this file, so the runner's choice is passed on
// through the environment instead of making a new directory each time.
const dataDir = (process.env.SETTLE_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'settle-e2e-')));

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
  projects: [{ name: 'chromium' }],
  webServer: {
    command: `node out/main/browser.js --data-dir "${dataDir}" --port ${E2E_PORT} --now ${E2E_NOW}`,
    url: `${E2E_BASE_URL}/`,
    env: { SETTLE_BRIDGE_TOKEN: E2E_TOKEN },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
