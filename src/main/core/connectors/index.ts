// The ledgers Settle connects to: the connections table and which company is active, one
// LedgerProvider per kind of company (QuickBooks, Xero, the demo, CSV) behind the ProviderRegistry,
// the outbound LedgerAccess port the outbox sends through, and the connections.* methods. What
// other folders use is exported here; each connector's own surface is in qbo/, xero/ and demo/.
export { activeConnection, removeCompany, requireActive } from './companies';
export { connectionHandlers, type ConnectionsDeps } from './connections.handlers';
export {
  connectionIds,
  getConnection,
  getConnectionRecord,
  listConnections,
  markSynced,
  setConnectionStatus,
  type ConnectionRecord,
} from './connections.repo';
export { DEMO_CONNECTION_ID } from './demo';
export { DemoService, type DemoDeps } from './demo';
export { LedgerRecordError, type LedgerAccess, type LedgerInvoiceNow } from './ledger-access';
export { QboApiError, QboAuthError, QboService, type HeadlessTokens, type QboConfig } from './qbo';
export { localProvider, ProviderRegistry, type LedgerProvider } from './registry';
export type { ConnectorServiceDeps } from './service-deps';
export { XeroApiError, XeroAuthError, XeroService, type XeroConfig, type XeroHeadlessTokens } from './xero';
