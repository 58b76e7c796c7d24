// The main window and the guards every web page in the app gets: sandboxed renderer, no
// navigation away from the app, no new windows (https links go to the system browser), no
// <webview>. Guards are attached to every WebContents the app creates, not just this window.
import { BrowserWindow, nativeTheme, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import { externalUrlToOpen, isAppUrl, type RendererEntry } from './policy';

/** Painted before the renderer's first frame, so the window never flashes the wrong colour. */
export const BACKGROUND = { dark: '#16181c', light: '#f7f7f5' } as const;

export function backgroundColor(): string {
  return nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light;
}

export function hardenWebContents(contents: WebContents, entry: RendererEntry, logger: Logger): void {
  const refuse = (kind: string, url: string): void => {
    logger.warn(`window: ${kind} refused`, { origin: safeOrigin(url) });
  };
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url, entry)) {
      details.preventDefault();
      refuse(details.isMainFrame ? 'navigation' : 'frame navigation', details.url);
    }
  });
  contents.on('will-redirect', (details) => {
    if (!isAppUrl(details.url, entry)) {
      details.preventDefault();
      refuse('redirect', details.url);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    refuse('webview', 'about:blank');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) {
      shell.openExternal(external).catch((err: unknown) => {
        logger.warn('window: openExternal failed', { error: err instanceof Error ? err.message : String(err) });
      });
    } else {
      refuse('window.open', url);
    }
    return { action: 'deny' };
  });
}

export interface MainWindowOptions {
  entry: RendererEntry;
  /** Absolute path of the built preload (out/preload/index.js). */
  preload: string;
  /** The window icon on Linux (mac and Windows take it from the bundle). */
  icon?: string;
  logger: Logger;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Settle',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    backgroundColor: backgroundColor(),
    ...(process.platform === 'linux' && opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  });

  const onTheme = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(backgroundColor());
  };
  nativeTheme.on('updated', onTheme);
  win.on('closed', () => nativeTheme.off('updated', onTheme));

  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (!isMainFrame) return;
    opts.logger.error('window: renderer failed to load', { code, description, origin: safeOrigin(url) });
    if (!win.isVisible()) win.show();
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    opts.logger.error('window: renderer process gone', { reason: details.reason, exitCode: details.exitCode });
  });

  const loading = opts.entry.kind === 'dev' ? win.loadURL(opts.entry.url) : win.loadFile(opts.entry.path);
  loading.catch((err: unknown) => {
    opts.logger.error('window: load failed', { error: err instanceof Error ? err.message : String(err) });
  });
  return win;
}

/** Focuses a window, restoring it if minimised (second instance, notification click). */
export function focusWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/** The folder of app resources (icons) in development and in the packaged app. */
export function resourcesDir(mainDir: string): string {
  return join(mainDir, '../../resources');
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? 'file://' : u.origin;
  } catch {
    return '(unparseable)';
  }
}
