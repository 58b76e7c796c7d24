// A full core (createCore, real settle.db) pointed at the QBO and/or Xero emulators, with a test
// "browser" for the loopback sign-ins: it follows the authorize URL to the emulator's
// auto-consent and loads the redirect, like the owner's browser would. The browser can be held
// (a sign-in left waiting) and the redirect rewritten (the owner choosing another company).
import { createCore, type Core } from '../../../src/main/core/app';
import { formatLine } from '../../../src/main/core/log';
import type { Clock, SecretStore } from '../../../src/main/core/ports';
import { memorySecretStore } from '../../../src/main/core/secrets/memory';
import type { QboServer } from '../../fakes/qbo-server';
import type { XeroServer } from '../../fakes/xero-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { freeRedirectUri } from '../../support/ports';
import { tempDir } from '../../support/tmp';

export interface TestBrowser {
  /** Every URL the core asked to open. */
  visits: string[];
  /** Rewrites where the consent page sends the browser back to (null: as is). */
  redirect: ((location: URL) => URL) | null;
  /** While set, the browser waits on it before consenting (the owner has not finished yet). */
  hold: Promise<void> | null;
}

export interface ConnectWorld<S extends SecretStore = SecretStore> {
  core: Core;
  call: InProcess;
  secrets: S;
  dataDir: string;
  browser: TestBrowser;
  /** Everything the core logged, formatted as the log file would hold it. */
  logText(): string;
  /** Shuts the core down (idempotent; the cleanup calls it too). */
  shutdown(): Promise<void>;
}

export type Cleanups = (() => Promise<void> | void)[];

export { freePort } from '../../support/ports';

export async function connectWorld<S extends SecretStore = ReturnType<typeof memorySecretStore>>(
  cleanups: Cleanups,
  opts: { clock: Clock; qbo?: QboServer; xero?: XeroServer; secrets?: S; dataDir?: string },
): Promise<ConnectWorld<S>> {
  let dataDir = opts.dataDir;
  if (dataDir === undefined) {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    dataDir = dir.path;
  }
  const secrets = (opts.secrets ?? memorySecretStore()) as S;
  const lines: string[] = [];
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(formatLine(level, msg, fields as never, new Date()));
  const browser: TestBrowser = { visits: [], redirect: null, hold: null };
  const core = createCore({
    dataDir,
    clock: opts.clock,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    autoDemo: false,
    autoSync: false,
    secrets,
    env: {},
    ...(opts.qbo ? { qbo: { apiBase: opts.qbo.apiBase, oauthBase: opts.qbo.oauthBase, environment: 'sandbox' as const } } : {}),
    ...(opts.xero ? { xero: { apiBase: opts.xero.apiBase, identityBase: opts.xero.identityBase } } : {}),
    openExternal: {
      async open(url) {
        browser.visits.push(url);
        if (browser.hold) await browser.hold;
        const consent = await fetch(url, { redirect: 'manual' });
        const location = consent.headers.get('location');
        if (!location) throw new Error(`no redirect from the authorize page (HTTP ${consent.status})`);
        const back = await fetch(browser.redirect ? browser.redirect(new URL(location)) : location);
        await back.text();
      },
    },
  });
  let down: Promise<void> | null = null;
  const shutdown = (): Promise<void> => (down ??= core.shutdown());
  cleanups.push(shutdown);
  core.start();
  const call = inProcess(core);
  await call('settings.set', { oauthRedirectUri: await freeRedirectUri() });
  return { core, call, secrets, dataDir, browser, logText: () => lines.join('\n'), shutdown };
}
