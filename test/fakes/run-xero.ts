// Runs the Xero emulator as a process (the e2e suite's third webServer):
//   npx tsx test/fakes/run-xero.ts --port 49871 [--now ISO] [--invoices N] [--latency MS] [--client-id ID]
// Two organisations, Xero's own invoice reminders on. Prints "Xero emulator ready at URL" once
// listening, and answers GET /__e2e/expected (on port + 1) with the organisations' ids and names.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
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
  const side = createServer((req, res) => {
    if (req.url !== '/__e2e/expected') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tenants: xero.tenantIds.map((tenantId, i) => ({ tenantId, name: NAMES[i] })) }));
  });
  await new Promise<void>((resolve) => side.listen(Number(values.port) + 1, '127.0.0.1', resolve));
  process.stdout.write(`Xero emulator ready at ${xero.url}\n`);
  const stop = (): void => {
    side.close();
    void xero.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  process.stderr.write(`xero emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
