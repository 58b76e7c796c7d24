// QuickBooks Online connector: the service (qbo.service.ts: connect, disconnect, the sync source
// and the cross-check for each company), OAuth (oauth.ts), the API client (client.ts), the
// SyncSource (source.ts), mapping (map.ts), credit allocations (credit-links.ts), CDC deletions
// (tombstones.ts) and the A/R cross-check (crosscheck.ts, receivables.repo.ts).
export * from './client';
export * from './credit-links';
export * from './crosscheck';
export * from './map';
export * from './oauth';
export * from './qbo.service';
export * from './receivables.repo';
export * from './source';
export * from './tombstones';
