// Fixed facts the e2e suite and playwright.config.ts share: where the browser-mode server
// listens, its token, and the frozen "now" the demo company is dated against.
// SETTLE_E2E_PORT lets two checkouts (or two engineers) run the suite side by side.
export const E2E_PORT = Number(process.env.SETTLE_E2E_PORT ?? 47821);
export const E2E_TOKEN = 'e2e-settle-token-0123456789';
export const E2E_NOW = '2026-11-21T15:00:00Z';
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The QuickBooks emulator (test/fakes/run-qbo.ts) the e2e suite starts beside the app. */
export const E2E_QBO_PORT = Number(process.env.SETTLE_E2E_QBO_PORT ?? E2E_PORT + 1000);
export const E2E_QBO_URL = `http://127.0.0.1:${E2E_QBO_PORT}`;
export const E2E_QBO_CLIENT_ID = 'e2e-qbo-client-id';
export const E2E_QBO_CLIENT_SECRET = 'e2e-qbo-client-secret-0123456789';
