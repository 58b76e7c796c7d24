// The Electron composition root: one instance, the core built with real adapters (keychain,
// file log, system clock, Electron's online state), the contract served over IPC, and one
// sandboxed window. If the data file cannot be opened (damaged, or from a newer Settle), the
// owner is told why and the app quits without touching the file.
import { app, BrowserWindow, dialog, ipcMain, net, session, shell } from 'electron';
import { join } from 'node:path';
import { SettleError } from '../shared/errors';
import { createCore, type Core } from './core/app';
import { APP_DIR_NAME, resolveDataDir } from './core/data-dir';
import { systemClock, type Logger } from './core/ports';
import { createFileLogger } from './shell/file-logger';
import { forwardEvents, registerIpc } from './shell/ipc';
import { createKeychainStore } from './shell/keychain';
import { createNotifier } from './shell/notify';
import { externalUrlToOpen, isAppUrl, isPermissionAllowed, resolveRendererEntry } from './shell/policy';
import { createMainWindow, focusWindow, hardenWebContents, resourcesDir } from './shell/window';

// One data folder for the app and the CLI (SETTLE_DATA_DIR, else <appData>/Settle), whatever the
// package name; it also scopes the single-instance lock. Must be set before 'ready'.
app.setName(APP_DIR_NAME);
app.setPath('userData', resolveDataDir(undefined));

const entry = resolveRendererEntry({
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
  isPackaged: app.isPackaged,
  mainDir: __dirname,
});
const isTrustedSender = (frame: { url: string }): boolean => isAppUrl(frame.url, entry);

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  // Another Settle owns the database; it is told (second-instance) and focuses its window.
  app.quit();
} else {
  app.on('second-instance', () => focusWindow(mainWindow));
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail(err));
}

function start(): void {
  const logger = createFileLogger({
    dir: join(app.getPath('userData'), 'logs'),
    level: app.isPackaged ? 'info' : 'debug',
    echo: !app.isPackaged,
  });
  logger.info('app: starting', { version: app.getVersion(), platform: process.platform, electron: process.versions.electron });

  // Every web page the app creates gets the same guards, and no web permissions by default.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, entry, logger));
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, entry));
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl, entry),
  );

  try {
    core = createCore({
      dataDir: app.getPath('userData'),
      clock: systemClock,
      logger,
      secrets: createKeychainStore(),
      autoSync: true,
      network: { isOnline: () => net.isOnline() },
      notifier: createNotifier(() => focusWindow(mainWindow), logger),
      openExternal: {
        async open(url) {
          const external = externalUrlToOpen(url);
          if (!external) throw new SettleError('invalid_input', 'Only https links open in the browser');
          await shell.openExternal(external);
        },
      },
    });
  } catch (err) {
    fail(err, logger);
    return;
  }

  const running = core;
  registerIpc(ipcMain, running, isTrustedSender, logger);
  forwardEvents(running.events, () => BrowserWindow.getAllWindows().map((w) => w.webContents), isTrustedSender, logger);
  try {
    running.start();
  } catch (err) {
    // The window still opens: the ledger is readable even if the first-run bootstrap failed.
    logger.error('core: start failed', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }

  const openWindow = (): void => {
    mainWindow = createMainWindow({
      entry,
      preload: join(__dirname, '../preload/index.js'),
      icon: join(resourcesDir(__dirname), 'icon.png'),
      logger,
    });
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
  };
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Stop the sync scheduler and let a running sync stop at a page boundary before quitting.
  app.on('before-quit', (event) => {
    const c = core;
    if (!c) return;
    core = undefined;
    event.preventDefault();
    void c
      .shutdown()
      .catch((err: unknown) => logger.error('core: shutdown failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => app.quit());
  });
  app.on('will-quit', () => {
    closeCore(logger);
    logger.info('app: quit');
  });
}

function closeCore(logger?: Logger): void {
  const c = core;
  core = undefined;
  try {
    c?.close();
  } catch (err) {
    logger?.error('core: close failed', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** Tells the owner why Settle cannot start, then exits without touching the data file. */
function fail(err: unknown, logger?: Logger): void {
  const message =
    err instanceof SettleError || (err instanceof Error && err.name === 'SettleError')
      ? err.message
      : `Settle could not start: ${err instanceof Error ? err.message : String(err)}`;
  logger?.error('app: cannot start', { error: message });
  closeCore(logger);
  dialog.showErrorBox('Settle cannot start', message);
  app.exit(1);
}

// Quit cleanly (the database is closed in will-quit) when the OS or a terminal asks.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
