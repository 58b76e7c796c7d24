// Runs the QuickBooks emulator as a process (the e2e suite's second webServer):
//   npx tsx test/fakes/run-qbo.ts --port 48831 [--now ISO] [--invoices N] [--latency MS]
// Prints "QuickBooks emulator ready at URL" once listening, and answers GET /__e2e/expected
// with what a synced board must show (home-currency outstanding, the company name).
import { parseArgs } from 'node:util';
import { startQboServer } from './qbo-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '48831' },
    now: { type: 'string' },
    invoices: { type: 'string', default: '300' },
    latency: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'e2e-qbo-client-id' },
    'client-secret': { type: 'string', default: 'e2e-qbo-client-secret-0123456789' },
  },
});

const COMPANY = 'Harbor Lane Ceramics';
const cents = (n: number): number => Math.round(n * 100);

async function main(): Promise<void> {
  const qbo = await startQboServer({
    port: Number(values.port),
    invoices: Number(values.invoices),
    rateLimit: false,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    companyName: COMPANY,
    ...(values.now ? { now: values.now } : {}),
    faults: { latencyMs: Number(values.latency) },
  });
  // A tiny side door for the test, on the next port: the figures the board must show.
  const { createServer } = await import('node:http');
  const side = createServer((req, res) => {
    if (req.url !== '/__e2e/expected') {
      res.writeHead(404).end();
      return;
    }
    const today = qbo.today();
    const snap = qbo.snapshot();
    const outstanding = snap.invoices
      .filter((i) => (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.TxnDate <= today && i.Balance > 0)
      .reduce((s, i) => s + cents(i.Balance), 0);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ today, usdOutstandingCents: outstanding, companyName: COMPANY, realmId: qbo.realmId }));
  });
  await new Promise<void>((resolve) => side.listen(Number(values.port) + 1, '127.0.0.1', resolve));
  process.stdout.write(`QuickBooks emulator ready at ${qbo.url}\n`);
  const stop = (): void => {
    side.close();
    void qbo.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  process.stderr.write(`qbo emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
