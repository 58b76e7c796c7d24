// The Electron security lint (`npm run lint:electron`, run by `npm test` on the built app) must
// refuse an insecure main process: node integration, no context isolation, no sandbox, no
// navigation limits. Proves the gate can fail; `npm test` proves the app passes it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');

describe('scripts/electron-security.mjs', () => {
  it('fails on an insecure Electron main process and names the checks', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'electron-security.mjs'), join(root, 'test', 'fixtures', 'insecure-electron')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(1);
    for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']) {
      expect(run.stderr).toContain(check);
    }
  }, 120_000);
});
