// What the shell trusts, in one place: which URL is "the app" (the built renderer file in
// production, the electron-vite dev server in development), which links may leave for the system
// browser (https only) and which web permissions a page gets (almost none). IPC sender checks,
// navigation guards, window.open and the session handlers all ask this module. No electron
// import, so the policy is unit-tested.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RendererEntry = { kind: 'dev'; url: string } | { kind: 'file'; path: string };

export interface EntryOptions {
  /** process.env.ELECTRON_RENDERER_URL (set by `electron-vite dev`). */
  devServerUrl: string | undefined;
  /** app.isPackaged: a packaged app never trusts the environment variable. */
  isPackaged: boolean;
  /** The folder of the built main bundle (out/main). */
  mainDir: string;
}

export function resolveRendererEntry(opts: EntryOptions): RendererEntry {
  if (!opts.isPackaged && opts.devServerUrl) {
    const url = parseUrl(opts.devServerUrl);
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)) {
      return { kind: 'dev', url: url.href };
    }
  }
  return { kind: 'file', path: resolve(opts.mainDir, '../renderer/index.html') };
}

/** True when url is the app's own renderer page (any hash or query; nothing else). */
export function isAppUrl(url: string, entry: RendererEntry): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (entry.kind === 'dev') {
    const dev = new URL(entry.url);
    return u.origin === dev.origin && u.origin !== 'null';
  }
  if (u.protocol !== 'file:' || u.host !== '') return false;
  return samePath(u, pathToFileURL(entry.path));
}

/** The only links that may leave the app: https to the system browser, mailto: to the mail app (manual sends). */
export function externalUrlToOpen(url: string): string | null {
  const u = parseUrl(url);
  if (!u) return null;
  if (u.protocol === 'mailto:') return u.href;
  if (u.protocol !== 'https:' || u.username || u.password) return null;
  return u.href;
}

/** Web permissions the app's own page may use; everything else (camera, geolocation…) is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, entry: RendererEntry): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl, entry);
}

function samePath(a: URL, b: URL): boolean {
  const norm = (p: string): string => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  // Windows file URLs are case-insensitive (drive letters, folders).
  return process.platform === 'win32'
    ? norm(a.pathname).toLowerCase() === norm(b.pathname).toLowerCase()
    : norm(a.pathname) === norm(b.pathname);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
