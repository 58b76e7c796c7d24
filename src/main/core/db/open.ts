// Opens the ledger database safely: a damaged file or one from a newer Settle is refused with
// a clear message and never written to; a backup is taken before any migration.
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
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
  // SQLite would take an empty file as a new database (and Settle would seed the demo into it):
  // an empty settle.db is a lost one, not a first start.
  if (statSync(path).size === 0) throw damaged(path, 'the file is empty');
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

/** Read and write for the owner only (POSIX); SQLite gives its -wal and -shm files the same mode. */
function ownerOnly(...paths: string[]): void {
  if (process.platform === 'win32') return;
  for (const p of paths) if (existsSync(p)) chmodSync(p, 0o600);
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? allMigrations;
  const latest = migrations.at(-1)?.version ?? 0;
  const isMemory = path === ':memory:';
  let version = 0;
  if (!isMemory && existsSync(path)) version = inspect(path, latest);
  // The data folder and the ledger are the owner's alone (a new folder 0700, the files 0600).
  if (!isMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });

  const db = new Database(path);
  if (!isMemory) ownerOnly(path, `${path}-wal`, `${path}-shm`);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (version > 0 && version < latest) {
      const backup = `${path}.v${version}.bak`;
      db.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(path, backup);
      ownerOnly(backup);
      opts.onBackup?.(backup);
    }
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
