// Tamper evidence end to end (issue 5, item 7): a settle.db written by the core, then edited
// behind its back with a second better-sqlite3 handle (triggers dropped, as an attacker with the
// file would), is caught by audit.verify and by `settle audit verify`, which names the first
// broken row and exits 1; an intact file exits 0.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/main/cli/run';
import { createCore, DB_FILE } from '../../../src/main/core/app';
import { appendAudit } from '../../../src/main/core/audit/log';
import { fixedClock } from '../../../src/main/core/ports';
import { inProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const clock = fixedClock('2026-11-21T15:00:00Z');
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** A data folder whose log holds `n` rows written through the core; returns the row ids. */
function writtenLog(n: number): { dir: string; ids: number[] } {
  const d = tempDir();
  dirs.push(d);
  const core = createCore({ dataDir: d.path, clock, env: {}, autoDemo: false });
  for (let i = 0; i < n; i++) {
    appendAudit(core.db, clock, { actor: i % 2 ? 'owner' : 'system', action: i % 2 ? 'draft.approve' : 'sync.finished', entity: 'draft', entityId: i + 1, detail: { n: i, note: `row ${i}` } });
  }
  const ids = core.db.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all() as number[];
  core.close();
  return { dir: d.path, ids };
}

/** Opens the file directly, as someone with the file (not Settle) would. */
function tamper(dir: string, sql: string, ...params: unknown[]): void {
  const raw = new Database(join(dir, DB_FILE));
  try {
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    raw.prepare(sql).run(...params);
  } finally {
    raw.close();
  }
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env: {} };
  return { code: await runCli(args, io), out, err };
}

async function verifyVia(dir: string) {
  const core = createCore({ dataDir: dir, clock, env: {}, autoDemo: false });
  try {
    return await inProcess(core)('audit.verify');
  } finally {
    core.close();
  }
}

describe('audit verify against a file edited directly', () => {
  it('passes an intact log, through the contract and the CLI (exit 0)', async () => {
    const { dir, ids } = writtenLog(12);
    expect(await verifyVia(dir)).toEqual({ ok: true, rows: ids.length });
    const r = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`intact: ${ids.length} entries`));
    const json = await cli(['audit', 'verify', '--json', '--data-dir', dir]);
    expect(JSON.parse(json.out)).toEqual({ ok: true, rows: ids.length });
  });

  it('names the first row whose content was edited (exit 1)', async () => {
    const { dir, ids } = writtenLog(12);
    const victim = ids[6]!;
    tamper(dir, `UPDATE audit_log SET detail_json = '{"n":6,"note":"nothing to see"}' WHERE id = ?`, victim);
    // A later row edited too: only the first is named.
    tamper(dir, `UPDATE audit_log SET actor = 'owner' WHERE id = ?`, ids[9]!);
    expect(await verifyVia(dir)).toMatchObject({ ok: false, brokenAtId: victim, problem: 'content', rows: ids.length });
    const r = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`broken at row ${victim}`);
    expect(r.out).toMatch(/changed after it was written/);
  });

  it('names the row after a deleted one: its link no longer matches', async () => {
    const { dir, ids } = writtenLog(8);
    tamper(dir, 'DELETE FROM audit_log WHERE id = ?', ids[3]!);
    const verdict = await verifyVia(dir);
    expect(verdict).toMatchObject({ ok: false, brokenAtId: ids[4], problem: 'link', rows: ids.length - 1 });
    expect(verdict.ok === false && verdict.message).toContain(`row ${ids[2]}`);
    expect((await cli(['audit', 'verify', '--data-dir', dir])).code).toBe(1);
  });

  it('catches a row whose content and hash were both rewritten, at the next link', async () => {
    const { dir, ids } = writtenLog(5);
    tamper(dir, `UPDATE audit_log SET hash = ? WHERE id = ?`, 'f'.repeat(64), ids[1]!);
    expect(await verifyVia(dir)).toMatchObject({ ok: false, brokenAtId: ids[1], problem: 'content' });
  });

  it('refuses a folder with no Settle data (and creates none), and bad arguments with usage', async () => {
    const empty = tempDir();
    dirs.push(empty);
    const r = await cli(['audit', 'verify', '--data-dir', empty.path]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No Settle data/);
    for (const args of [['audit'], ['audit', 'check'], ['audit', 'verify', '--bogus']]) {
      const bad = await cli([...args, '--data-dir', empty.path]);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.err).toMatch(/Usage: settle/);
    }
  });
});
