// Build-time constants: the contract's method and event names, read from src/shared/contract.ts by
// the build (electron.vite.config.ts) and inlined as JSON (tests set them as globals instead,
// test/support/contract-names.ts),
// because the sandboxed preload cannot load the contract itself (it builds zod schemas).
declare const __SETTLE_METHODS__: readonly import('../shared/contract').Method[];
declare const __SETTLE_EVENTS__: readonly import('../shared/contract').EventName[];
