// Settings → Email: the SMTP account approved reminders are sent from. The password field is
// write-only (Settle only says whether one is stored in the keychain). "Send test email" sends a
// real message and shows what the server answered, its own error included (e.g. 535). Plain text
// to another computer needs an explicit tick, and stays flagged while it is on.
import { CircleAlert, CircleCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Input } from '../../../../shared/contract';
import {
  isLoopbackHost,
  SMTP_DEFAULT_PORTS,
  SMTP_TLS_LABELS,
  SMTP_TLS_MODES,
  type EmailErrorKind,
  type EmailSettingsView,
  type EmailTestResult,
  type SmtpTlsMode,
} from '../../../../shared/email';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import './ai.css';
import './email.css';
import { Segmented } from '../../components/Segmented';

const TLS_HELP: Record<SmtpTlsMode, string> = {
  starttls: 'Connects, then upgrades to TLS before signing in (usually port 587). The upgrade is required.',
  implicit: 'TLS from the first byte (usually port 465).',
  none: 'No encryption. Fine for a relay on this computer; anywhere else, anyone on the network can read it.',
};

const KIND_LABELS: Record<EmailErrorKind, string> = {
  not_configured: 'Not set up',
  auth: 'Sign-in refused',
  connection: 'Cannot connect',
  dns: 'Server not found',
  tls: 'Encryption failed',
  timeout: 'No answer',
  rejected: 'Message refused',
  other: 'Sending failed',
};

interface Form {
  host: string;
  port: string;
  tls: SmtpTlsMode;
  user: string;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  allowInsecure: boolean;
}

function formOf(v: EmailSettingsView): Form {
  return {
    host: v.host ?? '',
    port: String(v.port),
    tls: v.tls,
    user: v.user ?? '',
    fromName: v.fromName ?? '',
    fromAddress: v.fromAddress ?? '',
    replyTo: v.replyTo ?? '',
    allowInsecure: v.allowInsecure,
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

function patchOf(f: Form): Input<'email.set'> {
  const port = Number(f.port);
  if (f.port.trim() === '' || !Number.isInteger(port)) throw new Error('Port: enter a number such as 587');
  return {
    host: orNull(f.host),
    port,
    tls: f.tls,
    user: orNull(f.user),
    fromName: orNull(f.fromName),
    fromAddress: orNull(f.fromAddress),
    replyTo: orNull(f.replyTo),
    // Consent is only kept for the case it is for: plain text to another computer.
    allowInsecure: f.tls === 'none' && !isLoopbackHost(f.host) && f.allowInsecure,
  };
}

export function EmailSection(): React.JSX.Element {
  const [view, setView] = useState<EmailSettingsView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState('');
  const [testTo, setTestTo] = useState('');
  const { busy, error, setError, run } = useAction<'save' | 'test' | 'forget'>();
  const [saved, setSaved] = useState(false);
  const [test, setTest] = useState<EmailTestResult | null>(null);

  const adopt = (v: EmailSettingsView): void => {
    setView(v);
    setForm(formOf(v));
  };
  useEffect(() => {
    void call('email.get').then(adopt, (err: unknown) => setError((err as Error).message));
  }, [setError]);

  if (!view || !form) {
    return (
      <section className="settings-section" aria-labelledby="set-email">
        <h2 id="set-email">Email</h2>
        <p className="muted">{error ?? 'Loading…'}</p>
      </section>
    );
  }

  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(view)) || password !== '';
  const plainRemote = form.tls === 'none' && form.host.trim() !== '' && !isLoopbackHost(form.host);
  const set = (patch: Partial<Form>): void => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };

  /** Saves the fields, then the password if one was typed. */
  const save = async (): Promise<void> => {
    let next = await call('email.set', patchOf(form));
    if (password !== '') {
      next = await call('email.setPassword', { password });
      setPassword('');
    }
    adopt(next);
    setSaved(true);
  };

  return (
    <section className="settings-section" aria-labelledby="set-email">
      <h2 id="set-email">Email</h2>
      <div className="email-body">
        <p className="setting-help email-intro">
          Reminders you approve are sent from your own mail account over SMTP. Your provider lists these settings under “SMTP” or “other
          mail apps”. The password stays in your system keychain.
        </p>
        <form
          className="ai-form email-form"
          aria-label="Email server"
          onSubmit={(e) => {
            e.preventDefault();
            void run('save', async () => {
              setTest(null);
              await save();
            });
          }}
        >
          <div className="email-grid">
            <label className="ai-field email-host">
              <span>SMTP server</span>
              <input type="text" value={form.host} placeholder="smtp.example.com" autoComplete="off" spellCheck={false} onChange={(e) => set({ host: e.target.value })} />
            </label>
            <label className="ai-field email-port">
              <span>Port</span>
              <input type="number" min={1} max={65535} value={form.port} onChange={(e) => set({ port: e.target.value })} />
            </label>
          </div>
          <div className="ai-field">
            <span id="email-tls-label">Encryption</span>
            <Segmented
              labelledBy="email-tls-label"
              options={SMTP_TLS_MODES.map((m) => ({ value: m, label: SMTP_TLS_LABELS[m] }))}
              value={form.tls}
              onChange={(m) =>
                // The usual port follows the mode unless the owner typed another one.
                set({ tls: m, port: form.port === String(SMTP_DEFAULT_PORTS[form.tls]) ? String(SMTP_DEFAULT_PORTS[m]) : form.port })
              }
            />
            <span className="setting-help">{TLS_HELP[form.tls]}</span>
          </div>
          {plainRemote && (
            <label className="email-consent">
              <input type="checkbox" checked={form.allowInsecure} onChange={(e) => set({ allowInsecure: e.target.checked })} />
              Send to {form.host.trim()} without encryption anyway
            </label>
          )}
          <div className="email-grid">
            <label className="ai-field">
              <span>User name</span>
              <input type="text" value={form.user} placeholder="you@example.com" autoComplete="off" spellCheck={false} onChange={(e) => set({ user: e.target.value })} />
            </label>
            <label className="ai-field">
              <span>Password {view.hasPassword ? '(stored in the keychain)' : ''}</span>
              <input
                type="password"
                value={password}
                autoComplete="new-password"
                placeholder={view.hasPassword ? '•••••••• (leave empty to keep)' : 'App password'}
                onChange={(e) => {
                  setSaved(false);
                  setPassword(e.target.value);
                }}
              />
            </label>
            <label className="ai-field">
              <span>From name</span>
              <input type="text" value={form.fromName} placeholder="Your business" onChange={(e) => set({ fromName: e.target.value })} />
            </label>
            <label className="ai-field">
              <span>From address</span>
              <input type="email" value={form.fromAddress} placeholder="accounts@example.com" spellCheck={false} onChange={(e) => set({ fromAddress: e.target.value })} />
            </label>
            <label className="ai-field">
              <span>Reply-to (optional)</span>
              <input type="email" value={form.replyTo} placeholder="Replies go to the from address" spellCheck={false} onChange={(e) => set({ replyTo: e.target.value })} />
            </label>
          </div>
          {view.warning && (
            <p className="banner banner-warn" role="note">
              <CircleAlert size={14} aria-hidden="true" />
              {view.warning}
            </p>
          )}
          <div className="ai-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null || !dirty}>
              {busy === 'save' && <Spinner size={12} />} Save
            </button>
            {view.hasPassword && (
              <button type="button" className="btn btn-quiet" disabled={busy !== null} onClick={() => void run('forget', async () => adopt(await call('email.setPassword', { password: null })))}>
                Remove password
              </button>
            )}
            <span className="setting-help" role="status">
              {dirty ? 'Unsaved changes' : saved ? 'Saved.' : view.configured ? `Ready to send from ${view.fromAddress}.` : view.missing}
            </span>
          </div>
        </form>

        <form
          className="ai-actions email-test"
          aria-label="Test email"
          onSubmit={(e) => {
            e.preventDefault();
            void run('test', async () => {
              setTest(null);
              if (dirty) await save();
              setTest(await call('email.test', testTo.trim() ? { to: testTo.trim() } : undefined));
            });
          }}
        >
          <label className="ai-field email-test-to">
            <span>Send a test to</span>
            <input type="email" value={testTo} placeholder={view.fromAddress ?? 'you@example.com'} spellCheck={false} onChange={(e) => setTestTo(e.target.value)} />
          </label>
          <button type="submit" className="btn" disabled={busy !== null}>
            {busy === 'test' && <Spinner size={12} />} Send test email
          </button>
        </form>
        {test && (
          <div className={`banner ${test.ok ? 'banner-ok' : 'banner-error'} email-result`} role="status" data-testid="email-test">
            {test.ok ? <CircleCheck size={14} aria-hidden="true" /> : <CircleAlert size={14} aria-hidden="true" />}
            <div>
              <strong>{test.ok ? `Test email sent to ${test.to} in ${test.latencyMs} ms.` : KIND_LABELS[test.kind]}</strong>
              {!test.ok && <div>{test.message}</div>}
              {test.serverReply && (test.ok || !test.message.includes(test.serverReply)) && (
                <div className="email-reply">
                  The server said: <code>{test.serverReply}</code>
                </div>
              )}
            </div>
          </div>
        )}
        {error && (
          <p className="banner banner-error email-result" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
