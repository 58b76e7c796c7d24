// settings.get / settings.set: defaults, round trips, persistence across a restart, and
// refusals that leave every setting as it was.
import { DEFAULT_REDIRECT_URI } from '../../../src/main/core/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/shared/model';
import { events } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { openCore, type Opened } from '../core/helpers';

const DEFAULTS: Settings = {
  theme: 'system',
  locale: null,
  syncIntervalMinutes: 15,
  activeConnectionId: null,
  oauthRedirectUri: DEFAULT_REDIRECT_URI,
  qboRelayUrl: null,
  qboClientId: null,
  xeroClientId: null,
  xeroTier: 'standard',
  xeroLegacyScopes: false,
  closeToTray: true,
  launchAtLogin: false,
  notificationsPausedUntil: null,
};

describe('settings', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Opened['core'];
  let call: Opened['call'];
  const rows = (): unknown[] => core.db.prepare('SELECT key, value_json FROM settings ORDER BY key').raw().all();

  beforeEach(() => {
    dir = tempDir();
    ({ core, call } = openCore(dir.path, { autoDemo: false }));
  });
  afterEach(() => {
    core.close();
    dir.cleanup();
  });

  it('starts from the defaults', async () => {
    expect(await call('settings.get')).toEqual(DEFAULTS);
  });

  it('sets theme and locale, returns all settings, and keeps them across a restart', async () => {
    const log = events(core);
    const after = await call('settings.set', { theme: 'dark', locale: 'de-DE' });
    expect(after).toEqual({ ...DEFAULTS, theme: 'dark', locale: 'de-DE' });
    expect(await call('settings.get')).toEqual(after);
    // Theme and locale do not change the ledger view, so nothing tells the board to reload.
    expect(log.of('ledger.changed')).toEqual([]);

    // A partial patch leaves the others alone.
    expect(await call('settings.set', { syncIntervalMinutes: 30 })).toEqual({ ...after, syncIntervalMinutes: 30 });

    core.close();
    ({ core, call } = openCore(dir.path, { autoDemo: false }));
    expect(await call('settings.get')).toEqual({ ...DEFAULTS, theme: 'dark', locale: 'de-DE', syncIntervalMinutes: 30 });

    // null goes back to following the OS.
    expect((await call('settings.set', { locale: null })).locale).toBeNull();
  });

  it('switches the active company to one that exists', async () => {
    await call('demo.create', { invoices: 20 });
    await call('settings.set', { activeConnectionId: null });
    expect((await call('settings.get')).activeConnectionId).toBeNull();
    expect((await call('settings.set', { activeConnectionId: 'demo' })).activeConnectionId).toBe('demo');
  });

  it.each([
    ['an invalid locale', { locale: 'not a locale!' }],
    ['an underscore locale', { locale: 'en_US' }],
    ['an unknown theme', { theme: 'blue' }],
    ['a sync interval under 5 minutes', { syncIntervalMinutes: 1 }],
    ['a fractional sync interval', { syncIntervalMinutes: 7.5 }],
    ['an unknown key', { colour: 'red' }],
    ['an unknown key beside a good one', { theme: 'dark', colour: 'red' }],
    ['a good key beside a bad one', { theme: 'light', locale: 'xx_!!' }],
    ['an unknown company', { activeConnectionId: 'nope' }],
    ['an unknown company beside a good theme', { theme: 'dark', activeConnectionId: 'nope' }],
    ['no patch at all', undefined],
    ['a patch that is not an object', 'dark'],
  ])('refuses %s with invalid_input and changes nothing', async (_what, patch) => {
    await call('settings.set', { theme: 'light', locale: 'fr-FR' });
    const before = rows();
    const log = events(core);
    await expect(call.raw('settings.set', patch)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(rows()).toEqual(before);
    expect(await call('settings.get')).toEqual({ ...DEFAULTS, theme: 'light', locale: 'fr-FR' });
    expect(log.all).toEqual([]);
  });
});
