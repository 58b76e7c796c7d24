// Migration 0002 rebuilds sync_runs (new columns, 'aborted' allowed) without losing a row.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { syncRunsDetail } from '../../../src/main/core/db/migrations/0002-sync-runs-detail';
import { openDatabase } from '../../../src/main/core/db/open';
import { finishRun, lastRun, startRun } from '../../../src/main/core/sync/sync-runs.repo';
import { NOW, useTempDb } from '../db/helpers';

const temp = useTempDb();

function seedV1(path: string): void {
  const db = openDatabase(path, { migrations: [initial] });
  try {
    for (const id of ['c1', 'c2']) {
      db.prepare(
        "INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES (?, 'qbo', ?, 'USD', ?, ?)",
      ).run(id, `Company ${id}`, NOW, NOW);
    }
    const ins = db.prepare(
      'INSERT INTO sync_runs (connection_id, kind, status, started_at, finished_at, requests, records, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    ins.run('c1', 'full', 'ok', '2025-06-15T10:00:00.000Z', '2025-06-15T10:01:00.000Z', 12, 3400, null);
    ins.run('c1', 'incremental', 'failed', '2025-06-15T11:00:00.000Z', '2025-06-15T11:00:05.000Z', 1, 0, 'QuickBooks is down');
    ins.run('c2', 'full', 'running', '2025-06-15T12:00:00.000Z', null, 0, 0, null);
    expect(schemaVersion(db)).toBe(1);
  } finally {
    db.close();
  }
}

describe('migration 0002 (sync run detail)', () => {
  it('keeps every v1 run with defaults for the new columns, backs the file up, and allows aborted', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV1(path);
    const backups: string[] = [];
    // Exactly up to 0002, so later migrations never change what this test proves.
    const { db } = temp.open(path, { migrations: [initial, syncRunsDetail], onBackup: (p) => backups.push(p) });
    expect(schemaVersion(db)).toBe(2);
    expect(backups).toEqual([`${path}.v1.bak`]);
    expect(existsSync(`${path}.v1.bak`)).toBe(true);
    const bak = new Database(`${path}.v1.bak`, { readonly: true });
    try {
      expect(schemaVersion(bak)).toBe(1);
      expect(bak.prepare('SELECT COUNT(*) FROM sync_runs').pluck().get()).toBe(3);
    } finally {
      bak.close();
    }

    expect(db.prepare('SELECT * FROM sync_runs ORDER BY id').all()).toEqual([
      { id: 1, connection_id: 'c1', kind: 'full', status: 'ok', started_at: '2025-06-15T10:00:00.000Z', finished_at: '2025-06-15T10:01:00.000Z', requests: 12, records: 3400, error: null, warnings: 0, warnings_json: '[]', trigger: null, retry_at: null },
      { id: 2, connection_id: 'c1', kind: 'incremental', status: 'failed', started_at: '2025-06-15T11:00:00.000Z', finished_at: '2025-06-15T11:00:05.000Z', requests: 1, records: 0, error: 'QuickBooks is down', warnings: 0, warnings_json: '[]', trigger: null, retry_at: null },
      { id: 3, connection_id: 'c2', kind: 'full', status: 'running', started_at: '2025-06-15T12:00:00.000Z', finished_at: null, requests: 0, records: 0, error: null, warnings: 0, warnings_json: '[]', trigger: null, retry_at: null },
    ]);
    // The index came back and the foreign key still cascades.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_runs'").pluck().all()).toContain('sync_runs_by_connection');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.prepare("DELETE FROM connections WHERE id = 'c2'").run();
    expect(db.prepare('SELECT COUNT(*) FROM sync_runs').pluck().get()).toBe(2);

    // The repo reads the new detail, and a stopped run can be recorded as such.
    const id = startRun(db, 'c1', 'incremental', '2025-06-15T13:00:00.000Z', 'manual');
    finishRun(db, id, { status: 'aborted', requests: 2, records: 10, warnings: ['bad invoice 7 (skipped)'], warningCount: 3, error: 'stopped', retryAt: null, atIso: '2025-06-15T13:00:02.000Z' });
    expect(lastRun(db, 'c1')).toMatchObject({ id, status: 'aborted', warnings: 3, warningLines: ['bad invoice 7 (skipped)'], trigger: 'manual', retryAt: null });
    expect(() => db.prepare("UPDATE sync_runs SET status = 'bogus' WHERE id = ?").run(id)).toThrow(/CHECK/);
  });
});
