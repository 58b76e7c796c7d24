// Lint for the whole repository, and the guard of DESIGN §2: each folder says where its code
// runs, and no-restricted-imports refuses an import that environment cannot satisfy (electron in
// the core, node: in the renderer, anything but electron in the sandboxed preload, …).
//
// Relative imports are checked precisely: for every folder depth we compute where `../`×k lands,
// and only the layer's allowed roots may follow. CommonJS because package.json has no "type".
'use strict';

const { builtinModules } = require('node:module');
const path = require('node:path');
const js = require('@eslint/js');
const { defineConfig, globalIgnores } = require('eslint/config');
const reactHooks = require('eslint-plugin-react-hooks');
const globals = require('globals');
const tseslint = require('typescript-eslint');
const architecture = require('./eslint/architecture');
const sizeAllowlist = require('./eslint/size-allowlist');

const EXT = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const MAX_DEPTH = 10;
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- package groups -------------------------------------------------------------------------
const NODE_BUILTIN = `^(node:|(${builtinModules
  .filter((m) => !m.startsWith('_') && !m.startsWith('node:'))
  .map(escapeRe)
  .join('|')})(/|$))`;
const pkg = (names) => `^(${names.map(escapeRe).join('|')})(/|$)`;
const ELECTRON = pkg(['electron']);
const REACT = pkg(['react', 'react-dom', 'lucide-react', 'zustand', '@tanstack/react-virtual', '@tanstack/react-table']);
const REACT_SCOPES = '^@radix-ui/';
const NODE_ONLY = pkg(['better-sqlite3', 'keytar', 'ws', 'intuit-oauth', 'xero-node', 'openai', 'nodemailer']);

const banned = (regex, message, extra = {}) => ({ regex, message, ...extra });

// ---- relative imports -----------------------------------------------------------------------
/**
 * Patterns refusing relative imports that leave the `allowed` roots, for a file `depth` folders
 * below `folder`. `typeOnly` roots may be imported with `import type` only; `forbidFiles` are
 * modules inside the allowed roots that are still off limits.
 */
function relativeRules({ folder, depth, allowed, typeOnly = [], forbidFiles = [], message }) {
  const dir = path.posix.join(folder, ...Array.from({ length: depth }, (_, i) => `d${i}`));
  const roots = [...allowed, ...typeOnly];
  const patterns = [];
  const segments = dir.split('/');
  for (let up = 1; up <= segments.length; up++) {
    const reached = segments.slice(0, segments.length - up).join('/');
    // Still inside an allowed root: anything below is fine.
    if (roots.some((r) => reached === r || reached.startsWith(`${r}/`))) continue;
    const ok = roots
      .filter((r) => reached === '' || r.startsWith(`${reached}/`))
      .map((r) => escapeRe(reached === '' ? r : r.slice(reached.length + 1)));
    // `../` again is judged by the pattern for the next level up.
    const next = ['\\.\\.', ...ok].join('|');
    patterns.push(banned(`^${'\\.\\./'.repeat(up)}(?!(${next})(/|\\.[cm]?[jt]sx?$|$))`, message));
  }
  // Going above the repository root is never right.
  patterns.push(banned(`^(\\.\\./){${segments.length + 1},}`, message));
  for (const r of typeOnly) {
    patterns.push(
      banned(`^${escapeRe(relativeSpecifier(dir, r))}(/|$)`, `${r} may be imported here with \`import type\` only (sandboxed preload)`, {
        allowTypeImports: true,
      }),
    );
  }
  for (const f of forbidFiles) {
    patterns.push(banned(`^${escapeRe(relativeSpecifier(dir, f))}(\\.[cm]?[jt]sx?)?$`, ELECTRON_FILE_MESSAGE));
  }
  return patterns;
}

function relativeSpecifier(fromDir, to) {
  const rel = path.posix.relative(fromDir, to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** One config block: the layer's package bans plus the relative rules for one folder depth. */
function layerBlock({ name, files, ignores = [], folder, depth, allowed, typeOnly, forbidFiles, packages }) {
  const message = `${folder} may import only ${[...allowed, ...(typeOnly ?? [])].join(', ')} (DESIGN §2)`;
  return {
    name,
    files,
    ignores,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...packages, ...relativeRules({ folder, depth, allowed, typeOnly, forbidFiles, message })] },
      ],
    },
  };
}

/** One block per folder depth, so the relative patterns are exact for every file. */
function layer({ name, folder, ignores, ...rest }) {
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) =>
    layerBlock({
      name: `settle/layers/${name}/depth-${depth}`,
      files: [`${folder}/${'*/'.repeat(depth)}*.${EXT}`],
      ignores,
      folder,
      depth,
      ...rest,
    }),
  );
}

// Modules that import electron at runtime. Everything else in the shell imports electron as
// types only, so tests and the Node entry points can load it.
const ELECTRON_SHELL = ['src/main/shell/window.ts', 'src/main/shell/notify.ts', 'src/main/shell/tray.ts'];
const ELECTRON_RUNTIME_FILES = ['src/main/index', 'src/preload/index', 'src/main/shell/window', 'src/main/shell/notify', 'src/main/shell/tray'];
const ELECTRON_FILE_MESSAGE = 'This module imports electron at runtime; Electron never runs in tests or plain Node';
const NO_UI = [banned(REACT, 'No UI in the main process'), banned(REACT_SCOPES, 'No UI in the main process')];
const MAIN_ROOTS = ['src/main', 'src/shared'];

// ---- architecture (docs/ARCHITECTURE.md) -------------------------------------------------------
/** Size caps, counted without blank lines and comments. */
const CAPS = { coreFunction: 80, componentFunction: 150, file: 500, app: 200 };
const sizeRules = (functionLines, fileLines) => ({
  'max-lines-per-function': ['error', { max: functionLines, skipBlankLines: true, skipComments: true, IIFEs: true }],
  'max-lines': ['error', { max: fileLines, skipBlankLines: true, skipComments: true }],
});

const architectureRules = [
  {
    name: 'settle/architecture/feature-imports',
    files: [`src/main/**/*.${EXT}`],
    plugins: { settle: architecture.plugin },
    rules: { 'settle/feature-imports': 'error' },
  },
  {
    name: 'settle/architecture/sql-in-repos',
    files: [`src/main/**/*.${EXT}`],
    ignores: ['src/main/**/*.repo.ts', 'src/main/core/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='prepare']", message: 'SQL is prepared only in a *.repo.ts (or src/main/core/db): docs/ARCHITECTURE.md' },
      ],
    },
  },
  { name: 'settle/architecture/size-main', files: [`src/main/**/*.${EXT}`], rules: sizeRules(CAPS.coreFunction, CAPS.file) },
  { name: 'settle/architecture/size-renderer', files: [`src/renderer/**/*.${EXT}`], rules: sizeRules(CAPS.componentFunction, CAPS.file) },
  ...sizeAllowlist.map((entry) => ({
    name: `settle/architecture/size-allowlist/${entry.file}`,
    files: [entry.file],
    rules: sizeRules(
      entry.functionLines ?? (entry.file.startsWith('src/renderer/') ? CAPS.componentFunction : CAPS.coreFunction),
      entry.fileLines ?? CAPS.file,
    ),
  })),
  {
    // The composition root only wires: short, and in dependency order (no forward references).
    name: 'settle/architecture/app',
    files: ['src/main/core/app.ts'],
    rules: {
      'max-lines': ['error', { max: CAPS.app, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-use-before-define': ['error', { functions: true, classes: true, variables: true, typedefs: false }],
    },
  },
];

const layers = [
  ...layer({
    name: 'shared',
    folder: 'src/shared',
    allowed: ['src/shared'],
    packages: [banned('^(?!zod(/|$)|date-fns(/|$))[^./]', 'src/shared is pure: zod, date-fns and shared modules only')],
  }),
  ...layer({
    name: 'core',
    folder: 'src/main/core',
    allowed: ['src/main/core', 'src/shared'],
    packages: [
      banned(ELECTRON, 'The core runs under plain Node: reach the OS through core/ports.ts'),
      banned(REACT, 'The core has no UI'),
      banned(REACT_SCOPES, 'The core has no UI'),
    ],
  }),
  // Node entry points beside the core (cli.ts, browser.ts, cli/**): plain Node, no electron.
  ...layer({
    name: 'node-entries',
    folder: 'src/main',
    ignores: ['src/main/core/**', 'src/main/shell/**', 'src/main/index.ts'],
    allowed: MAIN_ROOTS,
    forbidFiles: ELECTRON_RUNTIME_FILES,
    packages: [banned(ELECTRON, 'The CLI and browser mode run under plain Node, without electron'), ...NO_UI],
  }),
  ...layer({
    name: 'shell',
    folder: 'src/main/shell',
    ignores: ELECTRON_SHELL,
    allowed: MAIN_ROOTS,
    packages: [
      banned(
        ELECTRON,
        `Only index.ts, ${ELECTRON_SHELL.map((f) => path.basename(f)).join(' and ')} import electron at runtime; ` +
          'elsewhere in the shell type it (import type) so tests can load the module',
        { allowTypeImports: true },
      ),
      ...NO_UI,
    ],
  }),
  layerBlock({
    name: 'settle/layers/electron-shell',
    files: ELECTRON_SHELL,
    folder: 'src/main/shell',
    depth: 0,
    allowed: MAIN_ROOTS,
    packages: NO_UI,
  }),
  layerBlock({
    name: 'settle/layers/electron-root',
    files: ['src/main/index.ts'],
    folder: 'src/main',
    depth: 0,
    allowed: MAIN_ROOTS,
    packages: NO_UI,
  }),
  ...layer({
    name: 'preload',
    folder: 'src/preload',
    allowed: ['src/preload'],
    typeOnly: ['src/shared'],
    packages: [banned('^(?!electron$)[^./]', 'A sandboxed preload can require only electron: no Node builtins, no packages')],
  }),
  ...layer({
    name: 'renderer',
    folder: 'src/renderer',
    allowed: ['src/renderer', 'src/shared', 'resources'],
    packages: [
      banned(ELECTRON, 'The renderer reaches the app through lib/api.ts (window.settle), never electron'),
      banned(NODE_BUILTIN, 'The renderer is a browser page: no Node builtins'),
      banned(NODE_ONLY, 'Node-only (or secret-holding) library: it belongs in src/main/core'),
    ],
  }),
  {
    name: 'settle/layers/tests',
    files: [`test/**/*.${EXT}`, `bench/**/*.${EXT}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            banned(ELECTRON, 'Electron never runs in tests or benches: test the Electron-free modules'),
            banned(`(^|/)(${ELECTRON_RUNTIME_FILES.map(escapeRe).join('|')})(\\.[cm]?[jt]sx?)?$`, ELECTRON_FILE_MESSAGE),
          ],
        },
      ],
    },
  },
];

module.exports = defineConfig(
  globalIgnores([
    'out/',
    'dist/',
    'node_modules/',
    '.tools/',
    'test-results/',
    'playwright-report/',
    'coverage/',
    // Deliberately insecure Electron code that the security lint must refuse.
    'test/fixtures/insecure-electron/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'settle/base',
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        {
          'ts-ignore': 'allow-with-description',
          'ts-expect-error': 'allow-with-description',
          'ts-nocheck': true,
          minimumDescriptionLength: 8,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // ---- environments ----
  {
    name: 'settle/env/node',
    files: [
      `src/main/**/*.${EXT}`,
      `test/**/*.${EXT}`,
      `bench/**/*.${EXT}`,
      `bin/**/*.${EXT}`,
      `scripts/**/*.${EXT}`,
      `eslint/**/*.${EXT}`,
      `resources/**/*.${EXT}`,
      `*.${EXT}`,
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'settle/env/browser',
    files: [`src/renderer/**/*.${EXT}`, `src/preload/**/*.${EXT}`],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'settle/env/commonjs',
    files: ['**/*.cjs', 'eslint.config.js', 'eslint/**/*.js', 'bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'settle/shared/no-host-globals',
    files: [`src/shared/**/*.${EXT}`],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'process', 'Buffer', 'require', '__dirname', '__filename'].map(
          (name) => ({ name, message: 'src/shared runs everywhere: no DOM or Node globals' }),
        ),
      ],
    },
  },
  {
    name: 'settle/cli/console',
    files: ['src/main/cli.ts', 'src/main/cli/**', 'src/main/browser.ts', `bench/**/*.${EXT}`, `resources/**/*.${EXT}`, 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    ...reactHooks.configs.flat.recommended,
    name: 'settle/react-hooks',
    files: [`src/renderer/**/*.{ts,tsx}`],
  },
  ...layers,
  ...architectureRules,
);

module.exports.CAPS = CAPS;
