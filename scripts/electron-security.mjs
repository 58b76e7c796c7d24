// Electron security lint (DESIGN §12): @doyensec/electronegativity over the built app (out/ by
// default). Fails on any finding of medium severity or above that is not reviewed below. The
// checks that download Electron's release list are skipped: there is no network in CI, and the
// Electron version is pinned in package.json.
//   node scripts/electron-security.mjs [dir]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Findings a person reviewed, by check and the code it points at. */
const REVIEWED = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    sample: /openExternal\(external\)/,
    why: 'every URL passes externalUrlToOpen (shell/policy.ts): https or mailto: only, never credentials',
  },
];
const RANK = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
const SKIPPED = ['AvailableSecurityFixesGlobalCheck', 'ElectronVersionJSONCheck'];

/** A CSV line of the report: quoted fields may hold commas. */
function fields(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const dir = resolve(process.argv[2] ?? 'out');
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'settle-electronegativity-'));
try {
  const report = join(work, 'report.csv');
  const run = spawnSync(
    process.execPath,
    [cli, '-i', dir, '-r', '-v', 'false', '-e', '45.4.0', '-x', SKIPPED.join(','), '-p', 'classPrivateProperties,classPrivateMethods', '-o', report],
    { encoding: 'utf8', timeout: 180_000, env: { ...process.env, TMPDIR: work } },
  );
  if (run.status !== 0) {
    process.stderr.write(`electronegativity did not run (exit ${run.status}):\n${run.stderr || run.stdout}\n`);
    process.exit(2);
  }
  const unparsed = [...(run.stdout + run.stderr).matchAll(/Error parsing (\S+)/g)].map((m) => m[1]);
  if (unparsed.length) {
    process.stderr.write(`electronegativity could not parse: ${unparsed.join(', ')}\n`);
    process.exit(2);
  }
  const rows = readFileSync(report, 'utf8').split('\n').slice(1).filter(Boolean).map(fields);
  const open = [];
  for (const [check, severity, confidence, file, location, sample, description] of rows) {
    if ((RANK[severity] ?? 3) < RANK.MEDIUM) continue;
    const reviewed = REVIEWED.find((r) => r.check === check && r.sample.test(sample));
    if (reviewed) process.stdout.write(`reviewed  ${check} ${file}:${location} (${reviewed.why})\n`);
    else open.push(`${check} [${severity}/${confidence}] ${file}:${location} ${description}\n    ${sample}`);
  }
  if (open.length) {
    process.stderr.write(`Electron security findings to fix or review (${open.length}):\n${open.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`electronegativity: ${rows.length} finding(s), none of medium severity or above left unreviewed (${dir})\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
