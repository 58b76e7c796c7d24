// Runs the QuickBooks emulator as a process (the e2e suite's second webServer):
//   npx tsx test/fakes/run-qbo.ts --port 48831 [--now ISO] [--invoices N] [--latency MS]
// Prints "QuickBooks emulator ready at URL" once listening. Its side door (port + 1) answers
// GET /__e2e/expected with what a synced board must show (home-currency outstanding, the company
// name), and POST /__e2e/revoke-all and /__e2e/pay with the owner's actions at Intuit.
import { parseArgs } from 'node:util';
import { runEmulatorProcess } from './http';
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
  // A tiny side door for the test, on the next port: the figures the board must show, and the
  // owner's actions at Intuit (disconnecting the app, a payment).
  const expected = () => {
    const today = qbo.today();
    const outstanding = qbo
      .snapshot()
      .invoices.filter((i) => (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.TxnDate <= today && i.Balance > 0)
      .reduce((s, i) => s + cents(i.Balance), 0);
    return { today, usdOutstandingCents: outstanding, companyName: COMPANY, realmId: qbo.realmId };
  };
  const nextToPay = () => {
    const open = qbo.snapshot().invoices.find((i) => (i.CurrencyRef?.value ?? 'USD') === 'USD' && i.TxnDate <= qbo.today() && i.Balance > 0);
    if (!open) throw new Error('no open USD invoice');
    return open;
  };
  await runEmulatorProcess({
    port: Number(values.port) + 1,
    ready: `QuickBooks emulator ready at ${qbo.url}`,
    close: () => qbo.close(),
    routes: {
      'GET /__e2e/expected': expected,
      'POST /__e2e/revoke-all': () => qbo.revokeAll(),
      // A slower ledger, so a test can catch a sync while it runs.
      'POST /__e2e/latency/slow': () => void (qbo.faults.latencyMs = 1500),
      'POST /__e2e/latency/normal': () => void (qbo.faults.latencyMs = Number(values.latency)),
      // The invoice /__e2e/pay will pay next, so a test can record a promise on it first.
      'GET /__e2e/next-pay': () => {
        const open = nextToPay();
        const customer = qbo.snapshot().customers.find((c) => c.Id === open.CustomerRef.value);
        return { invoiceId: open.Id, docNumber: open.DocNumber, customerName: customer?.DisplayName ?? null, balanceCents: cents(open.Balance) };
      },
      // Pays the oldest open USD invoice in full; the board's Outstanding drops by its balance.
      'POST /__e2e/pay': () => {
        const open = nextToPay();
        qbo.payInvoice(open.Id);
        return { invoiceId: open.Id, paidCents: cents(open.Balance), ...expected() };
      },
    },
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`qbo emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
