// Proves the architecture rules of docs/ARCHITECTURE.md (eslint.config.js, eslint/architecture.js):
// features are imported through their index.ts, SQL is prepared only in repos, app.ts stays a
// short root without forward references, and the size caps hold, with an allow-list that can
// only shrink.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
// eslint.config.js and the allow-list are CommonJS; createRequire keeps them out of the ESM graph.
const load = (id: string): unknown => createRequire(__filename)(join(root, id));
const { CAPS } = load('eslint.config.js') as { CAPS: { coreFunction: number; componentFunction: number; file: number; app: number } };
const allowlist = load('eslint/size-allowlist.js') as { file: string; functionLines?: number; fileLines?: number; why: string }[];
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}
const has = (list: string[], rule: string): boolean => list.some((e) => e.startsWith(`${rule}:`));
/** A function of exactly `n` lines, braces included. */
const fn = (name: string, n: number): string =>
  `export function ${name}(): number {\n  let x = 0;\n${'  x += 1;\n'.repeat(Math.max(0, n - 4))}  return x;\n}\n`;

describe('lint: features are imported through their index.ts', () => {
  it.each([
    ['src/main/core/drafting/x.ts', "import { getCustomerInfo } from '../ledger/customers.repo';"],
    ['src/main/core/outreach/outbox/x.ts', "import type { DraftFacts } from '../../drafting/facts';"],
    ['src/main/core/connectors/registry.ts', "import { qboLedger } from './qbo/ledger-access';"],
    ['src/main/cli/x.ts', "import { loadFacts } from '../core/drafting/facts';"],
    ['src/main/core/x.ts', "export * from './followup/promises';"],
  ])('%s: refuses %s', async (file, code) => {
    expect(has(await errors(file, `${code}\nexport const probe = 1;\n`), 'settle/feature-imports')).toBe(true);
  });

  it.each([
    ['src/main/core/drafting/x.ts', "import { getCustomerInfo } from '../ledger';\nimport { compose } from './compose';"],
    ['src/main/core/connectors/qbo/x.ts', "import type { LedgerProvider } from '../registry';"],
    ['src/main/core/x.ts', "import { openDatabase } from './db/open';\nimport { Hooks } from './hooks';"],
    ['src/main/cli/x.ts', "import { createCore } from '../core/app';"],
  ])('%s: allows %s', async (file, code) => {
    expect(has(await errors(file, `${code}\nexport const probe = 1;\n`), 'settle/feature-imports')).toBe(false);
  });
});

describe('lint: SQL is prepared only in repos', () => {
  const sql = "declare const db: { prepare(s: string): unknown };\nexport const s = db.prepare('SELECT 1');\n";
  it('refuses db.prepare in a service', async () => {
    expect(has(await errors('src/main/core/followup/x.service.ts', sql), 'no-restricted-syntax')).toBe(true);
  });
  it('allows it in a *.repo.ts and in db/', async () => {
    expect(has(await errors('src/main/core/followup/x.repo.ts', sql), 'no-restricted-syntax')).toBe(false);
    expect(has(await errors('src/main/core/db/x.ts', sql), 'no-restricted-syntax')).toBe(false);
  });
});

describe('lint: app.ts only wires', () => {
  it('refuses a forward reference', async () => {
    const code = 'export function createCore(): number {\n  const a = (): number => b();\n  const b = (): number => 1;\n  return a();\n}\n';
    expect(has(await errors('src/main/core/app.ts', code), '@typescript-eslint/no-use-before-define')).toBe(true);
    expect(has(await errors('src/main/core/x.ts', code), '@typescript-eslint/no-use-before-define')).toBe(false);
  });
  it(`refuses more than ${CAPS.app} code lines`, async () => {
    const long = Array.from({ length: CAPS.app + 1 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    expect(has(await errors('src/main/core/app.ts', long), 'max-lines')).toBe(true);
    expect(has(await errors('src/main/core/app.ts', long.split('\n').slice(1).join('\n')), 'max-lines')).toBe(false);
  });
});

describe('lint: size caps', () => {
  it(`refuses a core function over ${CAPS.coreFunction} lines, comments and blanks not counted`, async () => {
    expect(has(await errors('src/main/core/x.ts', fn('long', CAPS.coreFunction + 1)), 'max-lines-per-function')).toBe(true);
    expect(has(await errors('src/main/core/x.ts', fn('fits', CAPS.coreFunction)), 'max-lines-per-function')).toBe(false);
    const commented = fn('fits', CAPS.coreFunction).replace('  let x = 0;\n', '  let x = 0;\n' + '  // why\n\n'.repeat(20));
    expect(has(await errors('src/main/core/x.ts', commented), 'max-lines-per-function')).toBe(false);
  });
  it(`lets a renderer component reach ${CAPS.componentFunction} lines, not more`, async () => {
    expect(has(await errors('src/renderer/src/features/x/X.tsx', fn('Fits', CAPS.componentFunction)), 'max-lines-per-function')).toBe(false);
    expect(has(await errors('src/renderer/src/features/x/X.tsx', fn('Long', CAPS.componentFunction + 1)), 'max-lines-per-function')).toBe(true);
  });
  it(`refuses a file over ${CAPS.file} code lines`, async () => {
    const big = Array.from({ length: CAPS.file + 1 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    expect(has(await errors('src/main/core/ledger/x.ts', big), 'max-lines')).toBe(true);
  });
});

describe('lint: the size allow-list only shrinks', () => {
  /** The longest function and the file length ESLint measures for a file, with the plain caps. */
  async function measure(file: string): Promise<{ fn: number; file: number }> {
    const plain = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts', '**/*.tsx'],
          languageOptions: { parser: tseslint.parser as never, parserOptions: { ecmaFeatures: { jsx: true } } },
          rules: {
            'max-lines-per-function': ['error', { max: 1, skipBlankLines: true, skipComments: true, IIFEs: true }],
            'max-lines': ['error', { max: 1, skipBlankLines: true, skipComments: true }],
          },
        },
      ],
    });
    const [result] = await plain.lintFiles([join(root, file)]);
    const sizes = (rule: string) =>
      (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => Number(/\((\d+)\)/.exec(m.message)?.[1] ?? 0));
    return { fn: Math.max(0, ...sizes('max-lines-per-function')), file: Math.max(0, ...sizes('max-lines')) };
  }

  it('has at most 10 entries, each with a reason', () => {
    expect(allowlist.length).toBeLessThanOrEqual(10);
    for (const e of allowlist) expect(e.why.length, e.file).toBeGreaterThan(10);
  });

  it.each(allowlist.map((e) => [e.file, e] as const))('%s still needs its entry, and no more than it', async (_file, entry) => {
    const cap = entry.file.startsWith('src/renderer/') ? CAPS.componentFunction : CAPS.coreFunction;
    const got = await measure(entry.file);
    if (entry.functionLines !== undefined) {
      expect(got.fn, 'longest function').toBeGreaterThan(cap);
      expect(got.fn, 'longest function').toBe(entry.functionLines);
    }
    if (entry.fileLines !== undefined) {
      expect(got.file, 'file length').toBeGreaterThan(CAPS.file);
      expect(got.file, 'file length').toBe(entry.fileLines);
    }
  });
});
