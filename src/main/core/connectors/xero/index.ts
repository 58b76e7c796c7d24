// Xero connector: the service (xero.service.ts: connect and the organisation picker, disconnect,
// the sync source, the cross-check and the daily call budget in day-budget.ts), OAuth with PKCE
// (oauth.ts), the API client (client.ts), the SyncSource (source.ts), mapping (map.ts), the ledger
// reader (ledger-reader.ts) and the cross-check (crosscheck.ts, aging.repo.ts).
export * from './aging.repo';
export * from './client';
export * from './crosscheck';
export * from './day-budget';
export * from './ledger-reader';
export * from './map';
export * from './oauth';
export * from './source';
export * from './xero.service';
