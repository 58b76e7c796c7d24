// Settings: appearance (theme), locale for money and dates, sync interval, the demo company,
// and connections (QuickBooks and Xero: connect, reconnect, disconnect), sending, the active
// company's payment details, email, AI and rules.
import { Monitor, Moon, Sun } from 'lucide-react';
import type { Theme } from '../../../../shared/model';
import { PageLoading } from '../../components/PageLoading';
import { Spinner } from '../../components/Spinner';
import { formatDate, formatMoney } from '../../lib/format';
import { useBoardStore } from '../../stores/board.store';
import { systemLocale, useLocale, useSettingsStore } from '../../stores/settings.store';
import { DemoActions, DemoBadge } from '../demo/DemoControls';
import { ConnectionsSection } from './ConnectionsSection';
import { AiSection } from './AiSection';
import { EmailSection } from './EmailSection';
import { PaymentDetailsSection } from './PaymentDetailsSection';
import { DesktopSection } from '../notifications/DesktopSection';
import { RulesSection } from './RulesSection';
import { SendingSection } from '../outbox/SendingSection';
import { Segmented } from '../../components/Segmented';

const THEMES: { id: Theme; label: string; Icon: typeof Sun }[] = [
  { id: 'system', label: 'System', Icon: Monitor },
  { id: 'light', label: 'Light', Icon: Sun },
  { id: 'dark', label: 'Dark', Icon: Moon },
];

const LOCALES: { id: string; label: string }[] = [
  { id: 'en-US', label: 'English (United States)' },
  { id: 'en-GB', label: 'English (United Kingdom)' },
  { id: 'en-AU', label: 'English (Australia)' },
  { id: 'en-CA', label: 'English (Canada)' },
  { id: 'de-DE', label: 'Deutsch (Deutschland)' },
  { id: 'fr-FR', label: 'Français (France)' },
  { id: 'es-ES', label: 'Español (España)' },
  { id: 'nl-NL', label: 'Nederlands (Nederland)' },
  { id: 'ja-JP', label: '日本語 (日本)' },
];

const INTERVALS = [5, 15, 30, 60, 120, 240, 720, 1440];

function intervalLabel(minutes: number): string {
  if (minutes < 60) return `Every ${minutes} minutes`;
  if (minutes === 60) return 'Every hour';
  if (minutes === 1440) return 'Once a day';
  return `Every ${minutes / 60} hours`;
}

export function SettingsPage(): React.JSX.Element {
  const settings = useSettingsStore((s) => s.settings);
  const error = useSettingsStore((s) => s.error);
  const saving = useSettingsStore((s) => s.saving);
  const update = useSettingsStore((s) => s.update);
  const connection = useBoardStore((s) => s.connection);
  const demoBusy = useBoardStore((s) => s.demoBusy);
  const demo = useBoardStore((s) => s.demo);
  const locale = useLocale();

  if (!settings) {
    return <PageLoading title="Settings" error={error} what="Loading settings…" />;
  }

  const intervals = INTERVALS.includes(settings.syncIntervalMinutes)
    ? INTERVALS
    : [...INTERVALS, settings.syncIntervalMinutes].sort((a, b) => a - b);

  return (
    <div className="page settings">
      <div className="page-head">
        <h1 className="page-title">Settings</h1>
        {saving && <Spinner size={13} label="Saving" />}
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}

      <section className="settings-section" aria-labelledby="set-appearance">
        <h2 id="set-appearance">Appearance</h2>
        <div className="setting">
          <div className="setting-text">
            <span className="setting-label" id="theme-label">
              Theme
            </span>
            <span className="setting-help">System follows your computer’s light or dark mode.</span>
          </div>
          <Segmented
            labelledBy="theme-label"
            options={THEMES.map(({ id, label, Icon }) => ({
              value: id,
              label: (
                <>
                  <Icon size={13} aria-hidden="true" />
                  {label}
                </>
              ),
            }))}
            value={settings.theme}
            onChange={(theme) => void update({ theme })}
          />
        </div>
        <div className="setting">
          <div className="setting-text">
            <label className="setting-label" htmlFor="locale">
              Language and region
            </label>
            <span className="setting-help">
              For money and dates, e.g. {formatMoney(123456789, 'USD', locale)} on {formatDate('2026-11-21', locale)}.
            </span>
          </div>
          <select
            id="locale"
            value={settings.locale ?? ''}
            onChange={(e) => void update({ locale: e.target.value || null })}
          >
            <option value="">System ({systemLocale()})</option>
            {LOCALES.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
      </section>

      <section className="settings-section" aria-labelledby="set-sync">
        <h2 id="set-sync">Sync</h2>
        <div className="setting">
          <div className="setting-text">
            <label className="setting-label" htmlFor="interval">
              Check the ledger for changes
            </label>
            <span className="setting-help">Settle also syncs when it starts and when you come back online.</span>
          </div>
          <select
            id="interval"
            value={settings.syncIntervalMinutes}
            onChange={(e) => void update({ syncIntervalMinutes: Number(e.target.value) })}
          >
            {intervals.map((m) => (
              <option key={m} value={m}>
                {intervalLabel(m)}
              </option>
            ))}
          </select>
        </div>
      </section>

      <DesktopSection />

      <section className="settings-section" aria-labelledby="set-connections">
        <h2 id="set-connections">Connections</h2>
        {/* QuickBooks and Xero companies are listed (with their actions) by ConnectionsSection. */}
        {connection?.isDemo && (
          <div className="setting">
            <div className="setting-text">
              <span className="setting-label">
                {connection.name} {connection.isDemo && <DemoBadge />}
              </span>
              <span className="setting-help">
                {connection.isDemo
                  ? 'A made-up company for exploring Settle. Reset regenerates it as of today; Remove deletes it.'
                  : `Connected (${connection.provider.toUpperCase()}), home currency ${connection.homeCurrency}.`}
              </span>
            </div>
            {connection.isDemo && <DemoActions />}
          </div>
        )}
        {!connection && (
          <div className="setting">
            <div className="setting-text">
              <span className="setting-label">Demo company</span>
              <span className="setting-help">About 60 customers and 900 made-up invoices to explore Settle with.</span>
            </div>
            <button type="button" className="btn" disabled={demoBusy !== null} onClick={() => void demo('create')}>
              {demoBusy === 'create' && <Spinner size={13} />}
              Explore the demo company
            </button>
          </div>
        )}
        <ConnectionsSection />
      </section>
      <SendingSection />
      <PaymentDetailsSection />
      <EmailSection />
      <AiSection />
      <RulesSection />
    </div>
  );
}
