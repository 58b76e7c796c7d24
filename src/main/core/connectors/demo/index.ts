// The demo connector: a generated studio (generate.ts) written through the same ingest a real sync
// uses (seed.ts), and the demo.* methods with the first-run bootstrap (demo.service.ts).
export * from './demo.service';
export * from './generate';
export * from './seed';
