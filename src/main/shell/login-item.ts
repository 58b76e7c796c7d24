// "Launch at login" (Settings → Desktop): mirrors the setting into the OS's login items. Typed
// against electron's App but takes it as a parameter, so it loads without electron.
import type { App } from 'electron';
import type { Logger } from '../core/ports';

export type LoginItemApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

/** Turns the login item on or off when it differs from `enabled`; returns whether it changed. */
export function applyLoginItem(app: LoginItemApp, enabled: boolean, logger: Logger): boolean {
  try {
    if (app.getLoginItemSettings().openAtLogin === enabled) return false;
    app.setLoginItemSettings({ openAtLogin: enabled });
    logger.info('login item: updated', { openAtLogin: enabled });
    return true;
  } catch (err) {
    // Unsupported on some Linux desktops: the setting stays, the OS simply ignores it.
    logger.warn('login item: could not update', { error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}
