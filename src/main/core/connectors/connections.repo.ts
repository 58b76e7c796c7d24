// A connection is one company in one ledger (a QBO realm, a Xero tenant, the demo, a CSV
// import). Every ledger row hangs off one, so deleting it removes that company's local copy.
import { isCurrencyCode } from '../../../shared/money';
import { SettleError } from '../../../shared/errors';
import type { ConnectionStatus, ConnectionSummary, Provider } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

const PROVIDERS: readonly Provider[] = ['demo', 'qbo', 'xero', 'csv'];
const STATUSES: readonly ConnectionStatus[] = ['active', 'needs_reconnect', 'disconnected'];

export interface NewConnection {
  id: string;
  provider: Provider;
  name: string;
  homeCurrency: string;
  externalTenantId?: string | null;
  /** Provider settings that are not secrets (base URL, relay URL…). Secrets go to the SecretStore. */
  options?: Record<string, unknown>;
}

/** The summary plus what only the core needs. */
export interface ConnectionRecord extends ConnectionSummary {
  externalTenantId: string | null;
  options: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  provider: Provider;
  name: string;
  external_tenant_id: string | null;
  status: ConnectionStatus;
  home_currency: string;
  options_json: string;
  created_at: string;
  updated_at: string;
  last_synced_at: string | null;
}

const stmts = perDb((db) => ({
  insert: db.prepare<[string, Provider, string, string | null, string, string, string, string]>(
    `INSERT INTO connections (id, provider, name, external_tenant_id, home_currency, options_json, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare<[string], Row>('SELECT * FROM connections WHERE id = ?'),
  list: db.prepare<[], Row>('SELECT * FROM connections ORDER BY created_at, id'),
  setStatus: db.prepare<[ConnectionStatus, string, string]>(
    'UPDATE connections SET status = ?, updated_at = ? WHERE id = ?',
  ),
  markSynced: db.prepare<[string, string, string]>(
    'UPDATE connections SET last_synced_at = ?, updated_at = ? WHERE id = ?',
  ),
  setOptions: db.prepare<[string, string, string]>('UPDATE connections SET options_json = ?, updated_at = ? WHERE id = ?'),
  setNameOptions: db.prepare<[string, string, string, string]>(
    'UPDATE connections SET name = ?, options_json = ?, updated_at = ? WHERE id = ?',
  ),
  delete: db.prepare<[string]>('DELETE FROM connections WHERE id = ?'),
}));

function toRecord(r: Row): ConnectionRecord {
  let options: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(r.options_json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) options = parsed as Record<string, unknown>;
  } catch {
    options = {};
  }
  return {
    id: r.id,
    provider: r.provider,
    name: r.name,
    status: r.status,
    homeCurrency: r.home_currency,
    lastSyncedAt: r.last_synced_at,
    isDemo: r.provider === 'demo',
    externalTenantId: r.external_tenant_id,
    options,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toSummary(r: Row): ConnectionSummary {
  return {
    id: r.id,
    provider: r.provider,
    name: r.name,
    status: r.status,
    homeCurrency: r.home_currency,
    lastSyncedAt: r.last_synced_at,
    isDemo: r.provider === 'demo',
  };
}

export function createConnection(db: Db, input: NewConnection, nowIso: string): ConnectionSummary {
  if (typeof input.id !== 'string' || input.id.trim() === '' || input.id.length > 100) {
    throw new SettleError('invalid_input', 'A connection needs an id of 1 to 100 characters');
  }
  if (!PROVIDERS.includes(input.provider)) {
    throw new SettleError('invalid_input', `Unknown provider "${String(input.provider)}"`);
  }
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    throw new SettleError('invalid_input', 'A connection needs a name');
  }
  if (!isCurrencyCode(input.homeCurrency)) {
    throw new SettleError('invalid_input', `"${input.homeCurrency}" is not an ISO 4217 currency code`);
  }
  const s = stmts(db);
  if (s.get.get(input.id)) throw new SettleError('conflict', `A connection "${input.id}" already exists`);
  s.insert.run(
    input.id,
    input.provider,
    input.name.trim(),
    input.externalTenantId ?? null,
    input.homeCurrency,
    JSON.stringify(input.options ?? {}),
    nowIso,
    nowIso,
  );
  const row = s.get.get(input.id);
  if (!row) throw new SettleError('internal', `Connection "${input.id}" vanished after insert`);
  return toSummary(row);
}

export function getConnection(db: Db, id: string): ConnectionSummary | null {
  const row = stmts(db).get.get(id);
  return row ? toSummary(row) : null;
}

/** The connection with its tenant id and options (core only; never sent to the renderer as is). */
export function getConnectionRecord(db: Db, id: string): ConnectionRecord | null {
  const row = stmts(db).get.get(id);
  return row ? toRecord(row) : null;
}

/** Every company's id, in id order. */
export function connectionIds(db: Db): string[] {
  return listConnections(db).map((c) => c.id).sort();
}

export function listConnections(db: Db): ConnectionSummary[] {
  return stmts(db).list.all().map(toSummary);
}

/** Deletes the connection row (removeCompany in companies.ts clears what refers to it first). */
export function deleteConnectionRow(db: Db, id: string): boolean {
  return stmts(db).delete.run(id).changes > 0;
}

export function setConnectionStatus(db: Db, id: string, status: ConnectionStatus, nowIso: string): void {
  if (!STATUSES.includes(status)) throw new SettleError('invalid_input', `Unknown connection status "${status}"`);
  if (stmts(db).setStatus.run(status, nowIso, id).changes === 0) {
    throw new SettleError('not_found', `No connection "${id}"`);
  }
}

/** Rewrites a connection's provider options (no secrets), and its name when given (a reconnect). */
export function saveConnectionOptions(db: Db, id: string, options: Record<string, unknown>, nowIso: string, name?: string): void {
  const json = JSON.stringify(options);
  if (name !== undefined) stmts(db).setNameOptions.run(name, json, nowIso, id);
  else stmts(db).setOptions.run(json, nowIso, id);
}

export function markSynced(db: Db, id: string, iso: string): void {
  if (stmts(db).markSynced.run(iso, iso, id).changes === 0) {
    throw new SettleError('not_found', `No connection "${id}"`);
  }
}
