// Xero connector: OAuth with PKCE (oauth.ts), the API client (client.ts), the SyncSource
// (source.ts), mapping (map.ts), the ledger reader (ledger-reader.ts) and the cross-check.
export * from './client';
export * from './crosscheck';
export * from './ledger-reader';
export * from './map';
export * from './oauth';
export * from './source';
