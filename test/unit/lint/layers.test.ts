// Proves the layer rules of DESIGN §2 (eslint.config.js) refuse the imports each environment
// cannot satisfy, and let the allowed ones through.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Lints `code` as if it lived at `file`; returns the rule ids of the errors. */
async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const restricted = (list: string[]): boolean => list.some((e) => e.startsWith('no-restricted-imports:'));

describe('lint: layers (DESIGN §2)', () => {
  it.each([
    ['src/main/core/x.ts', "import { app } from 'electron';"],
    ['src/main/core/sync/x.ts', "import { app } from 'electron';"],
    ['src/main/core/x.ts', "import { registerIpc } from '../shell/ipc';"],
    ['src/main/core/db/x.ts', "import { registerIpc } from '../../shell/ipc';"],
    ['src/main/core/x.ts', "import '../index';"],
    ['src/main/core/x.ts', "import { call } from '../../renderer/src/lib/api';"],
    ['src/main/core/x.ts', "import React from 'react';"],
    ['src/shared/x.ts', "import fs from 'node:fs';"],
    ['src/shared/x.ts', "import { join } from 'path';"],
    ['src/shared/x.ts', "import { createCore } from '../main/core/app';"],
    ['src/shared/x.ts', "import { ipcRenderer } from 'electron';"],
    ['src/shared/x.ts', "import { useState } from 'react';"],
    ['src/renderer/src/x.ts', "import fs from 'node:fs';"],
    ['src/renderer/src/x.ts', "import { readFile } from 'fs/promises';"],
    ['src/renderer/src/x.ts', "import { createCore } from '../../main/core/app';"],
    ['src/renderer/src/features/board/x.tsx', "import { createCore } from '../../../../main/core/app';"],
    ['src/renderer/src/x.ts', "import { buildSettleApi } from '../../preload/expose';"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['src/renderer/src/x.ts', "import Database from 'better-sqlite3';"],
    ['src/preload/x.ts', "import { METHOD_NAMES } from '../shared/contract';"],
    ['src/preload/x.ts', "import { z } from 'zod';"],
    ['src/preload/x.ts', "import { join } from 'node:path';"],
    ['src/preload/x.ts', "import { createCore } from '../main/core/app';"],
    ['src/preload/x.ts', "import { call } from '../renderer/src/lib/api';"],
    ['src/main/shell/x.ts', "import { app } from 'electron';"],
    ['src/main/cli.ts', "import { app } from 'electron';"],
    ['src/main/cli/x.ts', "import '../index';"],
    ['src/main/cli/x.ts', "import { createMainWindow } from '../shell/window';"],
    ['test/unit/x.test.ts', "import { app } from 'electron';"],
    ['test/unit/shell/x.test.ts', "import '../../../src/main/index';"],
    ['test/unit/shell/x.test.ts', "import { createMainWindow } from '../../../src/main/shell/window';"],
    ['bench/x.ts', "import { BrowserWindow } from 'electron';"],
  ])('%s: refuses %s', async (file, code) => {
    const found = await errors(file, code);
    expect(restricted(found), found.join('\n') || '(no errors)').toBe(true);
  });

  it.each([
    ['src/main/core/x.ts', "import { toMinor } from '../../shared/money';"],
    ['src/main/core/db/x.ts', "import { SettleError } from '../../../shared/errors';\nimport { join } from 'node:path';"],
    ['src/main/core/x.ts', "import Database from 'better-sqlite3';\nimport { openDatabase } from './db/open';"],
    ['src/shared/x.ts', "import { z } from 'zod';\nimport { isIsoDate } from './dates';"],
    ['src/renderer/src/x.ts', "import type { BoardView } from '../../shared/model';\nimport { useState } from 'react';"],
    ['src/renderer/src/features/board/x.tsx', "import { formatMoney } from '../../lib/format';\nimport { call } from '../../lib/api';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';\nimport type { Method } from '../shared/contract';\nimport { buildSettleApi } from './expose';"],
    ['src/main/shell/x.ts', "import type { WebFrameMain } from 'electron';\nimport type { Core } from '../core/app';\nimport { IPC_PREFIX } from '../../shared/contract';"],
    ['src/main/shell/window.ts', "import { BrowserWindow } from 'electron';\nimport { isAppUrl } from './policy';"],
    ['src/main/index.ts', "import { app } from 'electron';\nimport { createCore } from './core/app';\nimport { registerIpc } from './shell/ipc';"],
    ['src/main/cli.ts', "import { createCore } from './core/app';\nimport { createKeychainStore } from './shell/keychain';"],
    ['test/unit/shell/x.test.ts', "import { registerIpc } from '../../../src/main/shell/ipc';\nimport { createCore } from '../../../src/main/core/app';"],
  ])('%s: allows %s', async (file, code) => {
    const found = (await errors(file, code)).filter((e) => !e.startsWith('@typescript-eslint/no-unused-vars'));
    expect(found).toEqual([]);
  });

  it("reports the core's electron import as no-restricted-imports, with the reason", async () => {
    const [result] = await eslint.lintText("import { app } from 'electron';\nexport const a = app;\n", {
      filePath: join(root, 'src/main/core/x.ts'),
    });
    const messages = result?.messages ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ruleId: 'no-restricted-imports', severity: 2 });
    expect(messages[0]?.message).toMatch(/ports/);
  });

  it('bans any, and @ts-ignore without a reason', async () => {
    expect(await errors('src/main/core/x.ts', 'export const v: any = 1;')).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-explicit-any/),
    ]);
    expect(await errors('src/main/core/x.ts', '// @ts-ignore\nexport const w = 1;')).toEqual([
      expect.stringMatching(/^@typescript-eslint\/ban-ts-comment/),
    ]);
    expect(await errors('src/main/core/x.ts', '// @ts-expect-error: the d.ts of lib X is wrong (issue 12)\nexport const w: number = "1";')).toEqual([]);
  });
});
