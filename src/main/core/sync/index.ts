// Syncing as a feature: the SyncService (engine, scheduler, sync.* methods), the SyncSource
// contract a connector implements, the limited HTTP transport connectors send through, the
// cross-check bookkeeping and the reconnect/disconnect steps connectors share. What other
// folders use is exported here.
export { companyToday, crossCheckAfterSync, lastCrossCheck, saveCrossCheck } from './crosscheck';
export type { SyncContext, SyncOutcome, SyncPage, SyncSource, SyncTrigger } from './engine';
export { fetchConnectorHttp, limitedTransport, RateLimitedError, type ConnectorHttp, type HttpAuth, type HttpClient } from './http';
export { DailyLimitError, QBO_LIMITS, XERO_LIMITS, XERO_STARTER_LIMITS, type Limiter } from './limiter';
export { flagNeedsReconnect, markDisconnected } from './reconnect';
export { SyncService, type SyncDeps } from './sync.service';
export { deleteSyncStateOf } from './sync-runs.repo';
