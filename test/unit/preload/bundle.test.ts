// The built preload must load in a sandboxed renderer: CommonJS, and nothing required but
// electron (a sandboxed preload cannot require packages such as zod). Runs after `npm run build`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../src/shared/contract';

const built = join(__dirname, '..', '..', '..', 'out', 'preload', 'index.js');

describe.skipIf(!existsSync(built))('preload bundle (out/preload/index.js)', () => {
  const code = existsSync(built) ? readFileSync(built, 'utf8') : '';

  it('is CommonJS and requires only electron', () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect([...new Set(code.match(/require\(["'][^"']+["']\)/g))]).toEqual(['require("electron")']);
  });

  it('exposes window.settle when run with a sandbox-like require', async () => {
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, value: null })),
        on() {},
        removeListener() {},
      },
    };
    const sandboxRequire = (id: string): unknown => {
      if (id !== 'electron') throw new Error(`module not found: ${id}`);
      return electron;
    };
    runInNewContext(code, { require: sandboxRequire });
    const settle = exposed.settle as Record<string, Record<string, (i?: unknown) => Promise<unknown>>>;
    for (const method of METHOD_NAMES) {
      const [domain, verb] = method.split('.') as [string, string];
      await settle[domain]![verb]!({ n: 1 });
    }
    expect(invoked.map(([channel]) => channel)).toEqual(METHOD_NAMES.map((m) => `settle:${m}`));
    expect(typeof settle.on).toBe('function');
  });
});
