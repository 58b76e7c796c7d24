// Browser mode (`npm run start:browser`): the core and the built renderer behind the loopback
// bridge, for machines where Electron cannot run and for the Playwright suite.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from './core/app';
import { startBridge } from './core/bridge/server';
import { resolveDataDir } from './core/data-dir';
import { consoleLogger } from './core/log';
import { fixedClock, systemClock, type Logger, type SecretStore } from './core/ports';
import { chooseSecretStore } from './core/secrets';
import { createKeychainStore } from './shell/keychain';

const USAGE = `Usage: node out/main/browser.js [--data-dir DIR] [--port N] [--now ISO-INSTANT] [--demo-invoices N]
  --data-dir       where settle.db lives (default: SETTLE_DATA_DIR or the OS data folder)
  --port           loopback port (default: a free one)
  --now            freeze the clock at this instant (tests and demos)
  --demo-invoices  size of the demo company created on first start (default 900)
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
  if (values.now) {
    try {
      clock = fixedClock(values.now, 'UTC');
    } catch {
      process.stderr.write(`--now must be an ISO instant such as 2026-11-21T15:00:00Z\n`);
      process.exit(2);
    }
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
