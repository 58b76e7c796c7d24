// One way to say "the owner must sign in again": an active connection moves to needs_reconnect,
// the change is audited, and the views are told. Tokens, the sync engine and both connectors call it.
// And one way to finish a disconnect (both connectors), once their provider calls are done.
import type { ConnectionSummary } from '../../../shared/model';
import { SettleError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { getConnection, setConnectionStatus } from '../connectors';
import { appendAudit } from '../audit';
import type { EventHub } from '../events';
import type { Clock } from '../ports';

export interface ReconnectDeps {
  db: Db;
  clock: Clock;
  events: Pick<EventHub, 'emit'>;
}

/** Returns whether the connection changed (it must be active to be flagged). */
export function flagNeedsReconnect(deps: ReconnectDeps, connectionId: string): boolean {
  const conn = getConnection(deps.db, connectionId);
  if (!conn || conn.status !== 'active') return false;
  setConnectionStatus(deps.db, connectionId, 'needs_reconnect', deps.clock.now().toISOString());
  appendAudit(deps.db, deps.clock, { actor: 'system', action: 'connection.needs_reconnect', entity: 'connection', entityId: connectionId });
  deps.events.emit('ledger.changed', { connectionId, reason: 'connection' });
  return true;
}

/** Marks the connection disconnected (its data stays), audits the owner's action, tells the views. */
export function markDisconnected(deps: ReconnectDeps, connectionId: string): ConnectionSummary {
  const before = getConnection(deps.db, connectionId);
  if (before && before.status !== 'disconnected') setConnectionStatus(deps.db, connectionId, 'disconnected', deps.clock.now().toISOString());
  appendAudit(deps.db, deps.clock, { actor: 'owner', action: 'connection.disconnect', entity: 'connection', entityId: connectionId });
  deps.events.emit('ledger.changed', { connectionId, reason: 'connection' });
  const after = getConnection(deps.db, connectionId);
  if (!after) throw new SettleError('internal', 'The connection vanished while disconnecting');
  return after;
}
