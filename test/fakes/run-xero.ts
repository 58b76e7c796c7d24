// Runs the Xero emulator as a process (the e2e suite's third webServer):
//   npx tsx test/fakes/run-xero.ts --port 49871 [--now ISO] [--invoices N] [--latency MS] [--client-id ID]
// Two organisations, Xero's own invoice reminders on. Prints "Xero emulator ready at URL" once
// listening. Its side door (port + 1) answers GET /__e2e/expected with the organisations' ids and
// names, and POST /__e2e/revoke-all disconnects the app as the owner would in Xero.
import { parseArgs } from 'node:util';
import { runEmulatorProcess } from './http';
import { startXeroServer } from './xero-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '49871' },
    now: { type: 'string' },
    invoices: { type: 'string', default: '300' },
    latency: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'e2e-xero-client-id' },
  },
});

const NAMES = ['Kauri Street Bakery', 'Kauri Street Catering'];

async function main(): Promise<void> {
  const xero = await startXeroServer({
    port: Number(values.port),
    invoices: Number(values.invoices),
    tenants: NAMES.length,
    tenantNames: NAMES,
    rateLimit: false,
    invoiceReminders: true,
    clientId: values['client-id'],
    ...(values.now ? { now: values.now } : {}),
    faults: { latencyMs: Number(values.latency) },
  });
  await runEmulatorProcess({
    port: Number(values.port) + 1,
    ready: `Xero emulator ready at ${xero.url}`,
    close: () => xero.close(),
    routes: {
      'GET /__e2e/expected': () => ({ tenants: xero.tenantIds.map((tenantId, i) => ({ tenantId, name: NAMES[i] })) }),
      'POST /__e2e/revoke-all': () => xero.revokeAll(),
    },
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`xero emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
