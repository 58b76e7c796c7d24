// Settings → Sending: how approved reminders leave (your mail server, the ledger's own invoice
// email, or your mail app) and, per ledger company, whether a short note is written back on the
// invoice after each send. The core validates and audits; its message is shown as is.
import { useEffect, useState } from 'react';
import type { Input } from '../../../../shared/contract';
import type { OutboxChannel, OutboxSettingsView } from '../../../../shared/outbox';
import { OUTBOX_CHANNELS } from '../../../../shared/outbox';
import { call } from '../../lib/api';
import { useConnectionsStore } from '../../stores/connections.store';
import { Segmented } from '../../components/Segmented';

const SHORT: Record<OutboxChannel, string> = { smtp: 'Mail server', ledger: 'Ledger email', manual: 'Mail app' };
const HELP: Record<OutboxChannel, string> = {
  smtp: 'Your text, sent through the mail server in Settings → Email.',
  ledger: "QuickBooks or Xero sends its standard invoice email. Your text is not included.",
  manual: 'You copy the text or open it in your mail app, send it, and mark it as sent.',
};

export function SendingSection(): React.JSX.Element {
  const [view, setView] = useState<OutboxSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const connections = useConnectionsStore((s) => s.list);
  const loadConnections = useConnectionsStore((s) => s.load);

  useEffect(() => {
    void call('outbox.settings').then(setView, (err: unknown) => setError((err as Error).message));
    void loadConnections();
  }, [loadConnections]);

  const save = async (patch: Input<'outbox.configure'>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setView(await call('outbox.configure', patch));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const ledgers = connections.filter((c) => c.provider === 'qbo' || c.provider === 'xero');

  return (
    <section className="settings-section" aria-labelledby="set-sending">
      <h2 id="set-sending">Sending</h2>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {!view ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="setting">
            <div className="setting-text">
              <span className="setting-label" id="sending-channel-label">
                Send approved reminders by
              </span>
              <span className="setting-help">
                {HELP[view.defaultChannel]}
                {!view.defaultChannelChosen && ' (Chosen for you: it follows whether email is set up.)'}
                {view.defaultChannel === 'smtp' && !view.smtpConfigured && ' Email is not set up yet, so sends will fail until it is.'}
              </span>
            </div>
            <Segmented
              labelledBy="sending-channel-label"
              options={OUTBOX_CHANNELS.map((c) => ({ value: c, label: SHORT[c], title: HELP[c] }))}
              value={view.defaultChannel}
              disabled={busy}
              onChange={(c) => void save({ defaultChannel: c })}
            />
          </div>
          {ledgers.map((c) => (
            <div className="setting" key={c.id}>
              <div className="setting-text">
                <label className="setting-label" htmlFor={`writeback-${c.id}`}>
                  Note sends on {c.name}
                </label>
                <span className="setting-help">
                  After each send, add a short note to the invoice in {c.provider === 'qbo' ? 'QuickBooks (private note)' : 'Xero (history)'}.
                </span>
              </div>
              <input
                id={`writeback-${c.id}`}
                type="checkbox"
                checked={view.writeBack[c.id] ?? false}
                disabled={busy || c.status === 'disconnected'}
                onChange={(e) => void save({ writeBack: { connectionId: c.id, enabled: e.target.checked } })}
              />
            </div>
          ))}
        </>
      )}
    </section>
  );
}
