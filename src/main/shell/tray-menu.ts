// The tray's decisions, without electron: the menu model (labels, ids, enabled), the tooltip, the
// icon state, the pause instants and what closing the window does. tray.ts maps the model onto
// Menu.buildFromTemplate; everything here is unit-tested.
import type { Input, Output, UiNavigate } from '../../shared/contract';
import type { NotifierTarget } from '../core/ports';

export interface TrayState {
  promisesToday: number;
  approvalsWaiting: number;
  /** ISO instant notifications are paused until, or null. */
  paused: string | null;
  syncing: boolean;
}

export type TrayCommand =
  | 'open'
  | 'promises'
  | 'approvals'
  | 'sync'
  | 'pause-hour'
  | 'pause-tomorrow'
  | 'resume'
  | 'quit';

export type TrayMenuItem =
  | { type: 'item'; id: TrayCommand; label: string; enabled: boolean }
  | { type: 'separator' }
  | { type: 'submenu'; label: string; items: TrayMenuItem[] };

export type TrayIconState = 'normal' | 'due';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** True while a pause is in force at `now`. */
export function isPaused(paused: string | null, now: Date): boolean {
  if (!paused) return false;
  const at = Date.parse(paused);
  return Number.isFinite(at) && at > now.getTime();
}

export function buildTrayMenu(state: TrayState, now: Date = new Date()): TrayMenuItem[] {
  const paused = isPaused(state.paused, now);
  return [
    { type: 'item', id: 'open', label: 'Open Settle', enabled: true },
    { type: 'separator' },
    { type: 'item', id: 'promises', label: `Today's promises (${state.promisesToday})`, enabled: true },
    { type: 'item', id: 'approvals', label: `Approvals waiting (${state.approvalsWaiting})`, enabled: true },
    { type: 'separator' },
    { type: 'item', id: 'sync', label: state.syncing ? 'Syncing…' : 'Sync now', enabled: !state.syncing },
    {
      type: 'submenu',
      label: paused ? 'Notifications paused' : 'Pause notifications for…',
      items: [
        { type: 'item', id: 'pause-hour', label: '1 hour', enabled: true },
        { type: 'item', id: 'pause-tomorrow', label: 'Until tomorrow', enabled: true },
        { type: 'item', id: 'resume', label: 'Resume notifications', enabled: paused },
      ],
    },
    { type: 'separator' },
    { type: 'item', id: 'quit', label: 'Quit Settle', enabled: true },
  ];
}

export function trayTooltip(state: TrayState, now: Date = new Date()): string {
  const parts = [
    `${count(state.promisesToday, 'promise', 'promises')} due today`,
    `${count(state.approvalsWaiting, 'approval', 'approvals')} waiting`,
  ];
  if (isPaused(state.paused, now)) parts.push('notifications paused');
  return `Settle: ${parts.join(', ')}`;
}

export function trayIconState(state: TrayState): TrayIconState {
  return state.promisesToday + state.approvalsWaiting > 0 ? 'due' : 'normal';
}

/** The icon file for a state: template images on macOS, colour PNGs elsewhere (resources/). */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return state === 'due' ? 'trayDueTemplate.png' : 'trayTemplate.png';
  const size = platform === 'win32' ? 16 : 32;
  return state === 'due' ? `tray-due-${size}.png` : `tray-${size}.png`;
}

/**
 * When a pause command ends: an hour from now, or the next local midnight ("until tomorrow").
 * Local is the process's time zone, which is the owner's on a desktop.
 */
export function pauseUntil(command: 'pause-hour' | 'pause-tomorrow', now: Date): string {
  if (command === 'pause-hour') return new Date(now.getTime() + 60 * 60_000).toISOString();
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
  return next.toISOString();
}

/** What closing the main window does: hide it (keep running in the tray) or really close. */
export function closeAction(opts: {
  platform: NodeJS.Platform;
  closeToTray: boolean;
  quitting: boolean;
  hasTray: boolean;
}): 'hide' | 'close' {
  // macOS keeps its usual dock behaviour: the window closes and the app stays in the dock.
  if (opts.quitting || opts.platform === 'darwin' || !opts.hasTray) return 'close';
  return opts.closeToTray ? 'hide' : 'close';
}

/** Where a clicked notification (or a tray item) takes the page; no target opens Promises. */
export function navigationFor(target: NotifierTarget | undefined): UiNavigate {
  if (target?.view === 'approvals') return { view: 'approvals' };
  if (target?.customerId !== undefined && target.view !== 'promises') return { view: 'customer', customerId: target.customerId };
  return { view: 'promises' };
}

/** The tray's counts and pause, read through the contract (so it sees what the page sees). */
export async function loadTrayState(call: CoreCall): Promise<Omit<TrayState, 'syncing'>> {
  const [promises, drafts, settings] = await Promise.all([
    call('promises.list', {}),
    call('drafts.list', { status: 'pending_approval' }).catch(() => []),
    call('settings.get'),
  ]);
  return { promisesToday: promises.dueToday, approvalsWaiting: drafts.length, paused: settings.notificationsPausedUntil };
}

type CoreCall = <M extends 'promises.list' | 'drafts.list' | 'settings.get'>(method: M, input?: Input<M>) => Promise<Output<M>>;
