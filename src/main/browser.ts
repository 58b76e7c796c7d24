// Browser mode (`npm run start:browser`): the core and the built renderer behind the loopback
// bridge, for machines where Electron cannot run and for the Playwright suite.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from './core/app';
import { DEMO_CONNECTION_ID } from './core/connectors/demo';
import { getInvoiceRow, upsertBatch } from './core/ledger';
import { startBridge } from './core/bridge/server';
import { resolveDataDir } from './core/data-dir';
import { consoleLogger } from './core/log';
import { fixedClock, systemClock, type Clock, type Logger, type SecretStore } from './core/ports';
import { chooseSecretStore } from './core/secrets';
import { createKeychainStore } from './shell/keychain';

const USAGE = `Usage: node out/main/browser.js [--data-dir DIR] [--port N] [--now ISO-INSTANT] [--demo-invoices N] [--test-hooks]
  --data-dir       where settle.db lives (default: SETTLE_DATA_DIR or the OS data folder)
  --port           loopback port (default: a free one)
  --now            freeze the clock at this instant (tests and demos)
  --demo-invoices  size of the demo company created on first start (default 900)
  --test-hooks     with --now: serve test.advanceClock and test.receivePayment (end-to-end tests only)
The token is random unless SETTLE_BRIDGE_TOKEN is set.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        now: { type: 'string' },
        'demo-invoices': { type: 'string' },
        'test-hooks': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const demoInvoices = values['demo-invoices'] === undefined ? undefined : Number(values['demo-invoices']);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (demoInvoices !== undefined && !(Number.isInteger(demoInvoices) && demoInvoices >= 10 && demoInvoices <= 100_000))) {
    process.stderr.write(`Bad --port or --demo-invoices\n${USAGE}\n`);
    process.exit(2);
  }
  let clock = systemClock;
  let frozen: MovableClock | null = null;
  if (values.now) {
    try {
      clock = frozen = movableClock(fixedClock(values.now, 'UTC'));
    } catch {
      process.stderr.write(`--now must be an ISO instant such as 2026-11-21T15:00:00Z\n`);
      process.exit(2);
    }
  }
  if (values['test-hooks'] && !frozen) {
    process.stderr.write(`--test-hooks needs --now (a frozen clock to move)\n${USAGE}\n`);
    process.exit(2);
  }
  const logger = consoleLogger('warn');
  const core = createCore({
    dataDir: resolveDataDir(values['data-dir']),
    clock,
    logger,
    demoInvoices,
    autoSync: true,
    secrets: chooseBrowserSecrets(values['data-dir'], logger),
    // No system browser to drive from here: the page opens the link (auth.open → window.open),
    // and it is printed too for when the page cannot (a popup blocker).
    openExternal: {
      open(url) {
        process.stdout.write(`Open this link to sign in:\n${url}\n`);
        core.events.emit('auth.open', { url });
        return Promise.resolve();
      },
    },
  });
  core.start();
  const bridge = await startBridge({
    core,
    staticDir: join(__dirname, '../renderer'),
    port,
    token: process.env.SETTLE_BRIDGE_TOKEN,
    ...(values['test-hooks'] && frozen ? { testHooks: testHooks(frozen, core) } : {}),
  });
  process.stdout.write(`Settle is running at ${bridge.url}\n(loopback only; press Ctrl+C to stop)\n`);
  const stop = (): void => {
    void bridge
      .close()
      .then(() => core.shutdown())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

interface MovableClock extends Clock {
  set(at: Date): void;
}

/** The frozen --now clock, which only the test hooks move. */
function movableClock(start: Clock): MovableClock {
  let at = start.now();
  return { now: () => new Date(at), timeZone: () => start.timeZone(), set: (next) => void (at = next) };
}

/**
 * test.advanceClock moves the frozen clock forward ({ms}) or to an instant ({to}, which may be
 * earlier: a suite puts the clock back for the specs after it), then runs the notification
 * schedule as its minute timer would; answers the new now and how many were shown.
 * test.receivePayment writes a payment on a demo invoice as a sync writes one (the same upsert),
 * dated today unless {date}, then rescores, so promises and views follow as after a real sync.
 */
function testHooks(clock: MovableClock, core: Core): Record<`test.${string}`, (input: unknown) => unknown> {
  return {
    'test.advanceClock': async (input) => {
      const { ms, to } = (input ?? {}) as { ms?: unknown; to?: unknown };
      const next = typeof to === 'string' ? new Date(to) : new Date(clock.now().getTime() + (typeof ms === 'number' ? ms : NaN));
      if (Number.isNaN(next.getTime()) || (typeof to !== 'string' && next < clock.now())) {
        throw new Error('Give {ms} (a positive number) or {to} (an ISO instant)');
      }
      clock.set(next);
      const shown = await core.call('notifications.run');
      return { now: next.toISOString(), shown: shown.shown };
    },
    'test.receivePayment': async (input) => {
      const { invoiceId, amountCents, date } = (input ?? {}) as { invoiceId?: unknown; amountCents?: unknown; date?: unknown };
      const found = typeof invoiceId === 'number' ? getInvoiceRow(core.db, invoiceId) : null;
      if (!found || found.connectionId !== DEMO_CONNECTION_ID || typeof amountCents !== 'number') throw new Error('Give {invoiceId} of a demo invoice and {amountCents}');
      const row = { customer: found.customerExternalId, invoice: found.externalId, currency: found.currency };
      const on = typeof date === 'string' ? date : core.today();
      const at = clock.now().toISOString();
      upsertBatch(core.db, DEMO_CONNECTION_ID, {
        payments: [
          {
            externalId: `test-pay-${invoiceId}-${at}`,
            customerExternalId: row.customer,
            date: on,
            currency: row.currency,
            amountCents,
            applications: [{ invoiceExternalId: row.invoice, amountCents, appliedOn: on }],
            updatedAt: at,
          },
        ],
      });
      await core.call('scores.recompute');
      return { date: on };
    },
  };
}

/** The OS keychain unless SETTLE_SECRET_STORE says otherwise; a weaker store is announced. */
function chooseBrowserSecrets(dataDir: string | undefined, logger: Logger): SecretStore {
  const chosen = chooseSecretStore({ dataDir: resolveDataDir(dataDir), keychain: () => createKeychainStore(), logger });
  if (chosen.warning) process.stderr.write(`Warning: ${chosen.warning}\n`);
  return chosen.store;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
