import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { externalUrlToOpen, isAppUrl, isPermissionAllowed, resolveRendererEntry } from '../../../src/main/shell/policy';

const mainDir = join('/opt', 'Settle', 'resources', 'app.asar', 'out', 'main');
const indexHtml = join(mainDir, '..', 'renderer', 'index.html');

describe('shell/policy: which URL is the app', () => {
  it('uses the built renderer file when packaged, whatever the environment says', () => {
    const entry = resolveRendererEntry({ devServerUrl: 'http://localhost:5173', isPackaged: true, mainDir });
    expect(entry).toEqual({ kind: 'file', path: indexHtml });
  });

  it('uses a loopback dev server in development, and ignores any other', () => {
    expect(resolveRendererEntry({ devServerUrl: 'http://localhost:5173', isPackaged: false, mainDir })).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
    });
    expect(resolveRendererEntry({ devServerUrl: 'https://evil.example', isPackaged: false, mainDir }).kind).toBe('file');
    expect(resolveRendererEntry({ devServerUrl: 'not a url', isPackaged: false, mainDir }).kind).toBe('file');
    expect(resolveRendererEntry({ devServerUrl: undefined, isPackaged: false, mainDir }).kind).toBe('file');
  });

  it('accepts the renderer file with any hash or query, and nothing else', () => {
    const entry = resolveRendererEntry({ devServerUrl: undefined, isPackaged: true, mainDir });
    const app = pathToFileURL(indexHtml).href;
    expect(isAppUrl(app, entry)).toBe(true);
    expect(isAppUrl(`${app}#/customers/4`, entry)).toBe(true);
    expect(isAppUrl(`${app}?x=1`, entry)).toBe(true);
    expect(isAppUrl(pathToFileURL(join(mainDir, '..', 'renderer', 'other.html')).href, entry)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', entry)).toBe(false);
    expect(isAppUrl(`file://evil-host${pathToFileURL(indexHtml).pathname}`, entry)).toBe(false);
    expect(isAppUrl('https://evil.example/index.html', entry)).toBe(false);
    expect(isAppUrl('about:blank', entry)).toBe(false);
    expect(isAppUrl('', entry)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    const entry = resolveRendererEntry({ devServerUrl: 'http://localhost:5173', isPackaged: false, mainDir });
    expect(isAppUrl('http://localhost:5173/', entry)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/board', entry)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', entry)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', entry)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', entry)).toBe(false);
  });
});

describe('shell/policy: links and permissions', () => {
  it('opens only https links in the system browser and mailto: links in the mail app', () => {
    expect(externalUrlToOpen('https://quickbooks.intuit.com/app/invoices')).toBe('https://quickbooks.intuit.com/app/invoices');
    expect(externalUrlToOpen('mailto:ap@example.com?subject=Invoice%20INV-1')).toBe('mailto:ap@example.com?subject=Invoice%20INV-1');
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'nonsense']) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });

  it('denies every permission except clipboard writes from the app itself', () => {
    const entry = resolveRendererEntry({ devServerUrl: undefined, isPackaged: true, mainDir });
    const app = pathToFileURL(indexHtml).href;
    expect(isPermissionAllowed('clipboard-sanitized-write', app, entry)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', entry)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, entry)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem', 'unknown']) {
      expect(isPermissionAllowed(p, app, entry), p).toBe(false);
    }
  });
});
