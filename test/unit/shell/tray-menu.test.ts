// The tray's pure decisions: the menu model, tooltip, icon state, pause instants, close action
// and where a clicked notification goes.
import { describe, expect, it } from 'vitest';
import {
  buildTrayMenu,
  closeAction,
  isPaused,
  loadTrayState,
  navigationFor,
  pauseUntil,
  trayIconFile,
  trayIconState,
  trayTooltip,
  type TrayMenuItem,
  type TrayState,
} from '../../../src/main/shell/tray-menu';

const NOW = new Date('2026-11-21T15:00:00Z');
const base: TrayState = { promisesToday: 2, approvalsWaiting: 1, paused: null, syncing: false };

const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => (i.type === 'submenu' ? [i, ...flat(i.items)] : [i]));
const byId = (items: TrayMenuItem[], id: string) => flat(items).find((i) => i.type === 'item' && i.id === id) as Extract<TrayMenuItem, { type: 'item' }>;

describe('buildTrayMenu', () => {
  it('lists the items in order with the counts', () => {
    const menu = buildTrayMenu(base, NOW);
    expect(flat(menu).filter((i) => i.type !== 'separator').map((i) => i.label)).toEqual([
      'Open Settle',
      "Today's promises (2)",
      'Approvals waiting (1)',
      'Sync now',
      'Pause notifications for…',
      '1 hour',
      'Until tomorrow',
      'Resume notifications',
      'Quit Settle',
    ]);
    expect(byId(menu, 'resume').enabled).toBe(false);
    expect(byId(menu, 'sync').enabled).toBe(true);
    // Serialisable: survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });

  it('disables Sync while syncing and offers Resume while paused', () => {
    const menu = buildTrayMenu({ ...base, syncing: true, paused: '2026-11-21T16:00:00Z' }, NOW);
    expect(byId(menu, 'sync')).toMatchObject({ label: 'Syncing…', enabled: false });
    expect(byId(menu, 'resume').enabled).toBe(true);
    expect(menu.find((i) => i.type === 'submenu')!).toMatchObject({ label: 'Notifications paused' });
  });

  it('treats a pause in the past as no pause', () => {
    expect(isPaused('2026-11-21T14:00:00Z', NOW)).toBe(false);
    expect(isPaused('not a date', NOW)).toBe(false);
    expect(byId(buildTrayMenu({ ...base, paused: '2026-11-21T14:00:00Z' }, NOW), 'resume').enabled).toBe(false);
  });
});

describe('tooltip and icon', () => {
  it('says the counts', () => {
    expect(trayTooltip(base, NOW)).toBe('Settle: 2 promises due today, 1 approval waiting');
    expect(trayTooltip({ ...base, promisesToday: 1, approvalsWaiting: 0, paused: '2026-11-22T00:00:00Z' }, NOW)).toBe(
      'Settle: 1 promise due today, 0 approvals waiting, notifications paused',
    );
  });

  it('shows the due state when anything waits, per platform', () => {
    expect(trayIconState(base)).toBe('due');
    expect(trayIconState({ ...base, promisesToday: 0, approvalsWaiting: 0 })).toBe('normal');
    expect(trayIconFile('normal', 'darwin')).toBe('trayTemplate.png');
    expect(trayIconFile('due', 'darwin')).toBe('trayDueTemplate.png');
    expect(trayIconFile('due', 'win32')).toBe('tray-due-16.png');
    expect(trayIconFile('normal', 'linux')).toBe('tray-32.png');
  });
});

describe('pauseUntil', () => {
  it('pauses for an hour or until the next local midnight', () => {
    expect(pauseUntil('pause-hour', NOW)).toBe('2026-11-21T16:00:00.000Z');
    const tomorrow = new Date(pauseUntil('pause-tomorrow', NOW));
    expect(tomorrow.getTime()).toBeGreaterThan(NOW.getTime());
    expect([tomorrow.getHours(), tomorrow.getMinutes()]).toEqual([0, 0]);
    expect(tomorrow.getTime() - NOW.getTime()).toBeLessThanOrEqual(25 * 3600_000);
  });
});

describe('closeAction', () => {
  const opts = { platform: 'win32' as NodeJS.Platform, closeToTray: true, quitting: false, hasTray: true };
  it('hides to the tray on Windows/Linux when the setting is on', () => {
    expect(closeAction(opts)).toBe('hide');
    expect(closeAction({ ...opts, platform: 'linux' })).toBe('hide');
  });
  it('closes when quitting, off, without a tray, or on macOS', () => {
    expect(closeAction({ ...opts, quitting: true })).toBe('close');
    expect(closeAction({ ...opts, closeToTray: false })).toBe('close');
    expect(closeAction({ ...opts, hasTray: false })).toBe('close');
    expect(closeAction({ ...opts, platform: 'darwin' })).toBe('close');
  });
});

describe('navigationFor', () => {
  it('maps notification targets to page navigation', () => {
    expect(navigationFor({ view: 'customer', customerId: 3, promiseId: 7 })).toEqual({ view: 'customer', customerId: 3 });
    expect(navigationFor({ view: 'approvals' })).toEqual({ view: 'approvals' });
    expect(navigationFor({ view: 'promises' })).toEqual({ view: 'promises' });
    expect(navigationFor(undefined)).toEqual({ view: 'promises' });
  });
});

describe('loadTrayState', () => {
  it('reads the counts and pause through the contract', async () => {
    const calls: string[] = [];
    const state = await loadTrayState((async (method: string) => {
      calls.push(method);
      if (method === 'promises.list') return { dueToday: 3 };
      if (method === 'drafts.list') return [{}, {}];
      return { notificationsPausedUntil: null };
    }) as never);
    expect(state).toEqual({ promisesToday: 3, approvalsWaiting: 2, paused: null });
    expect(calls.sort()).toEqual(['drafts.list', 'promises.list', 'settings.get']);
  });
});
