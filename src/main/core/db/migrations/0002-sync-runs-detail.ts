// Sync runs get their warnings (count and the first lines), what triggered them, when a provider
// limit lifts, and a status for stopped runs ('aborted'). SQLite cannot change a CHECK in place,
// so the table is rebuilt (create, copy, drop, rename, index) inside the migration's transaction.
// Nothing references sync_runs, and its own reference to connections is checked after the copy.
import { SettleError } from '../../../../shared/errors';
import type { Migration } from '../migrate';

export const syncRunsDetail: Migration = {
  version: 2,
  name: 'sync-runs-detail',
  up(db) {
    db.exec(`
      CREATE TABLE sync_runs_new (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running','ok','failed','aborted')),
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        requests      INTEGER NOT NULL DEFAULT 0,
        records       INTEGER NOT NULL DEFAULT 0,
        error         TEXT,
        warnings      INTEGER NOT NULL DEFAULT 0,
        warnings_json TEXT NOT NULL DEFAULT '[]',
        trigger       TEXT,
        retry_at      TEXT
      );
      INSERT INTO sync_runs_new (id, connection_id, kind, status, started_at, finished_at, requests, records, error)
        SELECT id, connection_id, kind, status, started_at, finished_at, requests, records, error FROM sync_runs;
      DROP TABLE sync_runs;
      ALTER TABLE sync_runs_new RENAME TO sync_runs;
      CREATE INDEX sync_runs_by_connection ON sync_runs(connection_id, started_at);
    `);
    const broken = db.prepare('PRAGMA foreign_key_check(sync_runs)').all();
    if (broken.length > 0) {
      throw new SettleError('conflict', `Migration 2 found ${broken.length} sync run(s) of a company that no longer exists`);
    }
  },
};
