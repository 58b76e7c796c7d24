// The entry points refuse an old Node with advice instead of a bare "Segmentation fault" from
// better-sqlite3 (issue 11 §6), and still start on a supported one.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const { nodeTooOld, nodeAdvice } = createRequire(__filename)(join(root, 'bin', 'node-check.js')) as {
  nodeTooOld(v: string): boolean;
  nodeAdvice(v: string): string;
};

describe('bin/node-check', () => {
  it.each([
    ['20.20.2', true],
    ['22.11.0', true],
    ['18.0.0', true],
    ['garbage', true],
    ['22.12.0', false],
    ['22.23.5', false],
    ['24.1.0', false],
  ])('Node %s too old: %s', (version, old) => {
    expect(nodeTooOld(version)).toBe(old);
  });

  it('says which version it found and how to get a supported one', () => {
    const text = nodeAdvice('20.20.2');
    expect(text).toContain('Node.js 22.12 or newer');
    expect(text).toContain('this is Node.js 20.20.2');
    expect(text).toContain('. ./env.sh');
  });

  it.skipIf(!existsSync(join(root, 'out', 'main', 'browser.js')))('lets browser mode start on this Node (bad arguments print its usage)', () => {
    const run = spawnSync(process.execPath, [join(root, 'bin', 'browser.js'), '--no-such-flag'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toContain('Usage: node out/main/browser.js');
    expect(run.status).toBe(2);
  });
});
