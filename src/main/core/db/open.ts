// Opens the ledger database safely: a damaged file or one from a newer Settle is refused with
// a clear message and never written to; a backup is taken before any migration.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SettleError } from '../../../shared/errors';
import { migrate, schemaVersion, type Migration } from './migrate';
import { migrations as allMigrations } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  migrations?: readonly Migration[];
  /** Called with the backup path when one was taken. */
  onBackup?: (path: string) => void;
}

function damaged(path: string, why: string): SettleError {
  return new SettleError(
    'conflict',
    `The data file ${path} is damaged or is not a Settle database (${why}). ` +
      'It was left untouched; move it aside to start fresh or restore a backup.',
  );
}

/** Reads the header read-only first, so nothing is written to a file we cannot trust. */
function inspect(path: string, latest: number): number {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    const check = probe.pragma('quick_check(1)', { simple: true }) as string;
    if (check !== 'ok') throw damaged(path, check);
    const version = schemaVersion(probe);
    if (version > latest) {
      throw new SettleError(
        'conflict',
        `The data file ${path} was written by a newer Settle (schema ${version}; this version knows up to ${latest}). ` +
          'Update Settle to open it. The file was left untouched.',
      );
    }
    return version;
  } catch (err) {
    if (err instanceof SettleError) throw err;
    throw damaged(path, err instanceof Error ? err.message : String(err));
  } finally {
    probe?.close();
  }
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? allMigrations;
  const latest = migrations.at(-1)?.version ?? 0;
  const isMemory = path === ':memory:';
  let version = 0;
  if (!isMemory && existsSync(path)) version = inspect(path, latest);
  if (!isMemory) mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (version > 0 && version < latest) {
      const backup = `${path}.v${version}.bak`;
      db.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(path, backup);
      opts.onBackup?.(backup);
    }
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
