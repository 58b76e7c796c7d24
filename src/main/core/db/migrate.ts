// Schema migrations keyed on PRAGMA user_version. Each runs in its own transaction and bumps
// the version inside it, so a failed migration leaves the file exactly as it was.
import type Database from 'better-sqlite3';
import { SettleError } from '../../../shared/errors';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs the pending migrations up to `target` (default: all). Returns the versions applied. */
export function migrate(db: Database.Database, all: readonly Migration[], target?: number): number[] {
  const latest = all.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new SettleError(
      'conflict',
      `This data file was written by a newer Settle (schema ${current}; this version knows up to ${latest}). ` +
        'Update Settle to open it. The file was left untouched.',
    );
  }
  const applied: number[] = [];
  for (const m of all) {
    if (m.version <= current || (target !== undefined && m.version > target)) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
