// connections.*: the companies Settle knows, connecting QuickBooks and Xero (the first sync then
// starts in the background), Xero's organisation picker, and disconnecting through the company's
// own provider.
import { SettleError } from '../../../shared/errors';
import type { ConnectionSummary } from '../../../shared/model';
import type { Db } from '../db/open';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Snapshots } from '../ledger';
import type { SyncService } from '../sync';
import { getConnectionRecord, listConnections } from './connections.repo';
import type { QboService } from './qbo';
import type { ProviderRegistry } from './registry';
import type { XeroService } from './xero';

export interface ConnectionsDeps {
  db: Db;
  qbo: QboService;
  xero: XeroService;
  providers: ProviderRegistry;
  sync: SyncService;
  snapshots: Snapshots;
}

export function connectionHandlers({ db, qbo, xero, providers, sync, snapshots }: ConnectionsDeps): HandlerGroup {
  const afterConnect = (conn: ConnectionSummary): ConnectionSummary => {
    snapshots.forget(conn.id);
    sync.startInBackground(conn.id);
    return conn;
  };
  return defineHandlers('connections', {
    list: () => listConnections(db),
    connectQbo: async (input = {}) => afterConnect(await qbo.connect(input)),
    connectXero: (input = {}) => xero.connect(input),
    addXeroTenants: async ({ pendingId, tenantIds }) => (await xero.addTenants(pendingId, tenantIds)).map(afterConnect),
    cancelXero: async ({ pendingId }) => {
      await xero.cancelPending(pendingId);
      return null;
    },
    xeroReminders: ({ connectionId }) => xero.reminders(connectionId),
    disconnect: async ({ connectionId }) => {
      await sync.stopFor(connectionId);
      const record = getConnectionRecord(db, connectionId);
      if (!record) throw new SettleError('not_found', `No company "${connectionId}"`);
      const conn = await providers.for(record).disconnect(connectionId);
      snapshots.forget(connectionId);
      return conn;
    },
  });
}
