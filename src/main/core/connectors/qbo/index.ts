// QuickBooks Online connector: OAuth (oauth.ts), the API client (client.ts), the SyncSource
// (source.ts), mapping (map.ts) and the A/R cross-check (crosscheck.ts).
export * from './client';
export * from './credit-links';
export * from './crosscheck';
export * from './map';
export * from './oauth';
export * from './source';
export * from './tombstones';
