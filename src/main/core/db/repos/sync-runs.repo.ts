// Sync bookkeeping: one row per run (what the status bar and "last synced" show) and the
// per-entity cursors an incremental sync resumes from. The engine advances a cursor only in
// the same transaction as the page it covers.
import { SettleError } from '../../../../shared/errors';
import type { SyncRun } from '../../../../shared/model';
import type { Db } from '../open';
import { perDb } from './prepared';

export interface RunResult {
  status: 'ok' | 'failed';
  requests: number;
  records: number;
  error?: string | null;
  atIso: string;
}

const COLUMNS = `id, connection_id AS connectionId, kind, status, started_at AS startedAt,
  finished_at AS finishedAt, requests, records, error`;

const stmts = perDb((db) => ({
  start: db
    .prepare<[string, string, string], number>(
      `INSERT INTO sync_runs (connection_id, kind, status, started_at) VALUES (?, ?, 'running', ?) RETURNING id`,
    )
    .pluck(),
  finish: db.prepare<[string, number, number, string | null, string, number]>(
    `UPDATE sync_runs SET status = ?, requests = ?, records = ?, error = ?, finished_at = ? WHERE id = ?`,
  ),
  last: db.prepare<[], SyncRun>(`SELECT ${COLUMNS} FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT 1`),
  lastFor: db.prepare<[string], SyncRun>(
    `SELECT ${COLUMNS} FROM sync_runs WHERE connection_id = ? ORDER BY started_at DESC, id DESC LIMIT 1`,
  ),
  connectionExists: db.prepare<[string], number>('SELECT 1 FROM connections WHERE id = ?').pluck(),
  getCursor: db
    .prepare<[string, string], string>('SELECT cursor FROM sync_cursors WHERE connection_id = ? AND entity = ?')
    .pluck(),
  setCursor: db.prepare<[string, string, string, string]>(
    `INSERT INTO sync_cursors (connection_id, entity, cursor, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (connection_id, entity) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  ),
  clearCursors: db.prepare<[string]>('DELETE FROM sync_cursors WHERE connection_id = ?'),
}));

/** Records the start of a run and returns its id. */
export function startRun(db: Db, connectionId: string, kind: string, atIso: string): number {
  const s = stmts(db);
  if (s.connectionExists.get(connectionId) === undefined) {
    throw new SettleError('not_found', `No connection "${connectionId}"`);
  }
  const id = s.start.get(connectionId, kind, atIso);
  if (id === undefined) throw new SettleError('internal', 'Could not record the sync run');
  return id;
}

export function finishRun(db: Db, id: number, result: RunResult): void {
  if (result.status !== 'ok' && result.status !== 'failed') {
    throw new SettleError('invalid_input', `A run finishes ok or failed, not "${String(result.status)}"`);
  }
  const changes = stmts(db).finish.run(
    result.status,
    result.requests,
    result.records,
    result.error ?? null,
    result.atIso,
    id,
  ).changes;
  if (changes === 0) throw new SettleError('not_found', `No sync run ${id}`);
}

/** The most recent run, of one connection or of any. */
export function lastRun(db: Db, connectionId?: string): SyncRun | null {
  const s = stmts(db);
  return (connectionId === undefined ? s.last.get() : s.lastFor.get(connectionId)) ?? null;
}

export function getCursor(db: Db, connectionId: string, entity: string): string | null {
  return stmts(db).getCursor.get(connectionId, entity) ?? null;
}

export function setCursor(db: Db, connectionId: string, entity: string, cursor: string, atIso: string): void {
  stmts(db).setCursor.run(connectionId, entity, cursor, atIso);
}

/** Forgets every cursor of a connection, so the next sync is a full one. */
export function clearCursors(db: Db, connectionId: string): void {
  stmts(db).clearCursors.run(connectionId);
}
