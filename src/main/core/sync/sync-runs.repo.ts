// Sync bookkeeping: one row per run (what the status bar and "last synced" show) and the
// per-entity cursors an incremental sync resumes from. The engine advances a cursor only in
// the same transaction as the page it covers.
import { SettleError } from '../../../shared/errors';
import type { SyncRun } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

export interface RunResult {
  status: 'ok' | 'failed' | 'aborted';
  requests: number;
  records: number;
  error?: string | null;
  /** The first warning lines (skipped records…); kept as JSON, at most MAX_WARNING_LINES. */
  warnings?: readonly string[];
  /** Every warning, counted (default: the lines given). */
  warningCount?: number;
  /** When a provider limit stopped the run: the instant it lifts. */
  retryAt?: string | null;
  atIso: string;
}

/** Warning lines kept per run (the count keeps them all). */
export const MAX_WARNING_LINES = 100;

const COLUMNS = `id, connection_id AS connectionId, kind, status, started_at AS startedAt,
  finished_at AS finishedAt, requests, records, error, warnings, warnings_json AS warningsJson,
  trigger, retry_at AS retryAt`;

type RunRow = Omit<SyncRun, 'warningLines'> & { warningsJson: string };

function toRun(row: RunRow | undefined): SyncRun | null {
  if (!row) return null;
  const { warningsJson, ...rest } = row;
  let lines: string[] = [];
  try {
    const parsed: unknown = JSON.parse(warningsJson);
    if (Array.isArray(parsed)) lines = parsed.filter((l): l is string => typeof l === 'string');
  } catch {
    lines = [];
  }
  return { ...rest, warningLines: lines };
}

const stmts = perDb((db) => ({
  deleteCursorsOf: db.prepare<[string]>('DELETE FROM sync_cursors WHERE connection_id = ?'),
  deleteRunsOf: db.prepare<[string]>('DELETE FROM sync_runs WHERE connection_id = ?'),
  start: db
    .prepare<[string, string, string, string | null], number>(
      `INSERT INTO sync_runs (connection_id, kind, status, started_at, trigger) VALUES (?, ?, 'running', ?, ?) RETURNING id`,
    )
    .pluck(),
  finish: db.prepare<[string, number, number, string | null, number, string, string | null, string, number]>(
    `UPDATE sync_runs SET status = ?, requests = ?, records = ?, error = ?, warnings = ?, warnings_json = ?, retry_at = ?,
       finished_at = ? WHERE id = ?`,
  ),
  last: db.prepare<[], RunRow>(`SELECT ${COLUMNS} FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT 1`),
  lastFor: db.prepare<[string], RunRow>(
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
  closeInterrupted: db.prepare<[string, string]>(
    "UPDATE sync_runs SET status = 'aborted', error = ?, finished_at = ? WHERE status = 'running'",
  ),
}));

/** What a run Settle was in the middle of when it stopped says once it is closed. */
export const INTERRUPTED_RUN = 'Settle stopped during this sync; the next sync continues from the last saved page.';

/**
 * Closes runs a crash or a kill left 'running' as 'aborted' (at start, before any sync begins).
 * Returns how many there were.
 */
export function closeInterruptedRuns(db: Db, atIso: string): number {
  return stmts(db).closeInterrupted.run(INTERRUPTED_RUN, atIso).changes;
}

/** Records the start of a run and returns its id. */
export function startRun(db: Db, connectionId: string, kind: string, atIso: string, trigger: string | null = null): number {
  const s = stmts(db);
  if (s.connectionExists.get(connectionId) === undefined) {
    throw new SettleError('not_found', `No connection "${connectionId}"`);
  }
  const id = s.start.get(connectionId, kind, atIso, trigger);
  if (id === undefined) throw new SettleError('internal', 'Could not record the sync run');
  return id;
}

export function finishRun(db: Db, id: number, result: RunResult): void {
  if (result.status !== 'ok' && result.status !== 'failed' && result.status !== 'aborted') {
    throw new SettleError('invalid_input', `A run finishes ok, failed or aborted, not "${String(result.status)}"`);
  }
  const lines = (result.warnings ?? []).slice(0, MAX_WARNING_LINES);
  const changes = stmts(db).finish.run(
    result.status,
    result.requests,
    result.records,
    result.error ?? null,
    Math.max(result.warningCount ?? 0, result.warnings?.length ?? 0),
    JSON.stringify(lines),
    result.retryAt ?? null,
    result.atIso,
    id,
  ).changes;
  if (changes === 0) throw new SettleError('not_found', `No sync run ${id}`);
}

/** The most recent run, of one connection or of any. */
export function lastRun(db: Db, connectionId?: string): SyncRun | null {
  const s = stmts(db);
  return toRun(connectionId === undefined ? s.last.get() : s.lastFor.get(connectionId));
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

/** Deletes a company's sync history and cursors (a removed company). */
export function deleteSyncStateOf(db: Db, connectionId: string): void {
  stmts(db).deleteCursorsOf.run(connectionId);
  stmts(db).deleteRunsOf.run(connectionId);
}
