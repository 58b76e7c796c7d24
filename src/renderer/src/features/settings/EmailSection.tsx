// Settings → Email: the SMTP account approved reminders are sent from. The password field is
// write-only (Settle only says whether one is stored in the keychain). "Send test email" sends a
// real message and shows what the server answered, its own error included (e.g. 535). Plain text
// to another computer needs an explicit tick, and stays flagged while it is on.
import { CircleAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { EmailSettingsView, EmailTestResult } from '../../../../shared/email';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import './ai.css';
import './email.css';
import { formOf, patchOf, type EmailForm } from './email-form';
import { EmailServerFields } from './EmailServerFields';
import { EmailTestResultBanner } from './EmailTestResult';

export function EmailSection(): React.JSX.Element {
  const [view, setView] = useState<EmailSettingsView | null>(null);
  const [form, setForm] = useState<EmailForm | null>(null);
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
  const set = (patch: Partial<EmailForm>): void => {
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
          <EmailServerFields form={form} set={set} />
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
        {test && <EmailTestResultBanner test={test} />}
        {error && (
          <p className="banner banner-error email-result" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
