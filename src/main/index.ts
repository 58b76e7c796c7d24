// The Electron composition root: one instance, the core built with real adapters (keychain,
// file log, system clock, Electron's online state), the contract served over IPC, and one
// sandboxed window. If the data file cannot be opened (damaged, or from a newer Settle), the
// owner is told why and the app quits without touching the file.
import { app, BrowserWindow, dialog, ipcMain, net, session, shell } from 'electron';
import { join } from 'node:path';
import { SettleError } from '../shared/errors';
import type { Settings } from '../shared/model';
import { createCore, type Core } from './core/app';
import { APP_DIR_NAME, resolveDataDir } from './core/data-dir';
import { getSettings } from './core/settings';
import { systemClock, type Logger, type NotifierTarget } from './core/ports';
import { createFileLogger } from './shell/file-logger';
import { forwardEvents, registerIpc } from './shell/ipc';
import { createKeychainStore } from './shell/keychain';
import { applyLoginItem } from './shell/login-item';
import { createNotifier } from './shell/notify';
import { externalUrlToOpen, isAppUrl, isPermissionAllowed, resolveRendererEntry } from './shell/policy';
import { SettleTray } from './shell/tray';
import { closeAction, loadTrayState, navigationFor, pauseUntil, type TrayCommand } from './shell/tray-menu';
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
let tray: SettleTray | undefined;
/** Set once the owner really quits, so closing the window no longer hides it to the tray. */
let quitting = false;

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
      notifier: createNotifier((target) => showTarget(target), logger),
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
  // settings.set from the page also updates the OS login item and the tray's pause state.
  const onSettings = (s: Settings): void => {
    applyLoginItem(app, s.launchAtLogin, logger);
    void tray?.refresh();
  };
  registerIpc(
    ipcMain,
    {
      async dispatch(method, input) {
        const result = await running.dispatch(method, input);
        if (method === 'settings.set' && result.ok) onSettings(result.value as Settings);
        return result;
      },
    },
    isTrustedSender,
    logger,
  );
  forwardEvents(running.events, () => BrowserWindow.getAllWindows().map((w) => w.webContents), isTrustedSender, logger);
  try {
    running.start();
  } catch (err) {
    // The window still opens: the ledger is readable even if the first-run bootstrap failed.
    logger.error('core: start failed', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }

  const openWindow = (): BrowserWindow => {
    mainWindow = createMainWindow({
      entry,
      preload: join(__dirname, '../preload/index.js'),
      icon: join(resourcesDir(__dirname), 'icon.png'),
      logger,
    });
    const win = mainWindow;
    win.on('close', (event) => {
      const closeToTray = core ? getSettings(core.db).closeToTray : false;
      if (closeAction({ platform: process.platform, closeToTray, quitting, hasTray: tray !== undefined }) === 'hide') {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined;
    });
    return win;
  };

  /** Brings the window forward and asks the page to open a notification's or the tray's target. */
  function showTarget(target: NotifierTarget | undefined): void {
    const nav = navigationFor(target);
    if (!mainWindow) {
      openWindow().webContents.once('did-finish-load', () => running.events.emit('ui.navigate', nav));
    } else {
      focusWindow(mainWindow);
      running.events.emit('ui.navigate', nav);
    }
  }

  const trayCommand = (command: TrayCommand): void => {
    const setPause = (until: string | null): void => {
      void running.call('settings.set', { notificationsPausedUntil: until }).then(onSettings, (err: unknown) =>
        logger.warn('tray: pause failed', { error: err instanceof Error ? err.message : String(err) }),
      );
    };
    switch (command) {
      case 'open':
        if (mainWindow) focusWindow(mainWindow);
        else openWindow();
        return;
      case 'promises':
        return showTarget({ view: 'promises' });
      case 'approvals':
        return showTarget({ view: 'approvals' });
      case 'sync':
        void running.call('sync.run', {}).catch((err: unknown) =>
          logger.warn('tray: sync failed', { error: err instanceof Error ? err.message : String(err) }),
        );
        return;
      case 'pause-hour':
      case 'pause-tomorrow':
        return setPause(pauseUntil(command, new Date()));
      case 'resume':
        return setPause(null);
      case 'quit':
        app.quit();
        return;
    }
  };

  try {
    tray = new SettleTray({
      iconDir: resourcesDir(__dirname),
      load: () => loadTrayState((method, input) => running.call(method, input)),
      onCommand: trayCommand,
      onClick: () => trayCommand('open'),
      logger,
    });
    void tray.refresh();
    running.events.on('ledger.changed', () => void tray?.refresh());
    running.events.on('followup.changed', () => void tray?.refresh());
    running.events.on('sync.progress', (p) => tray?.setSyncing(p.phase !== 'done' && p.phase !== 'error'));
  } catch (err) {
    // Some Linux desktops have no tray: closing the window then quits as before.
    logger.warn('tray: unavailable', { error: err instanceof Error ? err.message : String(err) });
    tray = undefined;
  }
  applyLoginItem(app, getSettings(running.db).launchAtLogin, logger);
  openWindow();

  app.on('activate', () => {
    if (mainWindow) focusWindow(mainWindow);
    else openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Stop the sync scheduler and let a running sync stop at a page boundary before quitting.
  app.on('before-quit', (event) => {
    quitting = true;
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
    tray?.destroy();
    tray = undefined;
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
