// createCore refuses a data file it cannot trust — one from a newer Settle, or not a database at
// all — with a clear SettleError, and leaves the file byte for byte as it was.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, DB_FILE } from '../../../src/main/core/app';
import { migrations } from '../../../src/main/core/db/migrations';
import { SettleError } from '../../../src/shared/errors';
import { tempDir } from '../../support/tmp';
import { clock, openCore } from './helpers';

describe('opening the data file', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  const fresh = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };

  /** What createCore throws on `dataDir`, after checking settle.db was not touched. */
  function refusal(dataDir: string): SettleError {
    const file = join(dataDir, DB_FILE);
    const before = readFileSync(file);
    let caught: unknown;
    try {
      createCore({ dataDir, clock }).close();
    } catch (err) {
      caught = err;
    }
    expect(Buffer.compare(readFileSync(file), before), 'settle.db changed').toBe(0);
    expect(caught).toBeInstanceOf(SettleError);
    return caught as SettleError;
  }

  it('refuses a file from a newer Settle and leaves it identical', () => {
    const dataDir = fresh();
    const { core } = openCore(dataDir, { demoInvoices: 30 });
    core.close();
    // Rollback-journal mode, so opening it the way Settle does (WAL) would rewrite the header.
    const raw = new Database(join(dataDir, DB_FILE));
    raw.pragma('journal_mode = DELETE');
    raw.pragma('user_version = 999');
    raw.close();

    const err = refusal(dataDir);
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/newer/);
    expect(err.message).toContain('schema 999');

    // Nothing else was harmed: back at this schema version, the same file opens with its demo.
    const back = new Database(join(dataDir, DB_FILE));
    expect(back.pragma('journal_mode', { simple: true })).toBe('delete');
    back.pragma(`user_version = ${migrations.at(-1)!.version}`);
    back.close();
    const { core: reopened } = openCore(dataDir);
    expect(reopened.db.prepare("SELECT COUNT(*) FROM invoices WHERE connection_id = 'demo'").pluck().get()).toBe(30);
    reopened.close();
  });

  it.each([
    ['text', Buffer.from('These are my receivables, definitely not SQLite.\n'.repeat(200))],
    ['zeros after a SQLite header', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0)])],
  ])('refuses a damaged file (%s) and leaves it identical', (_what, bytes) => {
    const dataDir = fresh();
    writeFileSync(join(dataDir, DB_FILE), bytes);
    const err = refusal(dataDir);
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/damaged/);
  });

  it('refuses a Settle file with a corrupt page, though its header still reads as the current schema', () => {
    const dataDir = fresh();
    openCore(dataDir, { demoInvoices: 30 }).core.close();
    const file = join(dataDir, DB_FILE);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the cell pointers of page 5 (a b-tree page of the schema's first indexes).
    bytes.fill(0xff, pageSize * 4 + 8, pageSize * 4 + 200);
    writeFileSync(file, bytes);
    const probe = new Database(file, { readonly: true });
    expect(probe.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    probe.close();

    const err = refusal(dataDir);
    expect(err.message).toMatch(/damaged/);
  });
});
