// Settings → Desktop: keep running in the tray when the window closes, launch at login, and the
// notification pause (also set from the tray). The first two only apply in the desktop app.
import { useState } from 'react';
import { formatWhen } from '../../lib/format';
import { useLocale, useSettingsStore } from '../../stores/settings.store';

export function DesktopSection(): React.JSX.Element | null {
  const settings = useSettingsStore((s) => s.settings);
  const update = useSettingsStore((s) => s.update);
  const locale = useLocale();
  // Read when the page opens; the setting re-renders this after every change.
  const [openedAt] = useState(Date.now);
  if (!settings) return null;
  const desktop = typeof window !== 'undefined' && Boolean(window.settle);
  const pausedUntil = settings.notificationsPausedUntil;
  const paused = pausedUntil !== null && Date.parse(pausedUntil) > openedAt;

  return (
    <section className="settings-section" aria-labelledby="set-desktop">
      <h2 id="set-desktop">Desktop</h2>
      {!desktop && <p className="muted">These apply to the desktop app; this browser page shows notifications under the bell.</p>}
      <div className="setting">
        <div className="setting-text">
          <label className="setting-label" htmlFor="close-to-tray">
            Keep running in the tray when the window closes
          </label>
          <span className="setting-help">Windows and Linux. On macOS Settle stays in the Dock as usual.</span>
        </div>
        <input
          id="close-to-tray"
          type="checkbox"
          checked={settings.closeToTray}
          onChange={(e) => void update({ closeToTray: e.target.checked })}
        />
      </div>
      <div className="setting">
        <div className="setting-text">
          <label className="setting-label" htmlFor="launch-at-login">
            Launch at login
          </label>
          <span className="setting-help">Start Settle when you log in, so reminders arrive on time.</span>
        </div>
        <input
          id="launch-at-login"
          type="checkbox"
          checked={settings.launchAtLogin}
          onChange={(e) => void update({ launchAtLogin: e.target.checked })}
        />
      </div>
      <div className="setting">
        <div className="setting-text">
          <span className="setting-label">Notifications</span>
          <span className="setting-help">
            {paused ? `Paused until ${formatWhen(pausedUntil, locale, true)}.` : 'On: promises due, broken promises and approvals waiting.'}
          </span>
        </div>
        {paused ? (
          <button type="button" className="btn btn-sm" onClick={() => void update({ notificationsPausedUntil: null })}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void update({ notificationsPausedUntil: new Date(Date.now() + 3600_000).toISOString() })}
          >
            Pause for 1 hour
          </button>
        )}
      </div>
    </section>
  );
}
