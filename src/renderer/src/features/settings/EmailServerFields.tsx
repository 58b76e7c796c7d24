// Settings → Email's server fields (split out of EmailSection.tsx): host, port, encryption, and
// the explicit consent plain text to another computer needs.
import { isLoopbackHost, SMTP_DEFAULT_PORTS, SMTP_TLS_LABELS, SMTP_TLS_MODES, type SmtpTlsMode } from '../../../../shared/email';
import { Segmented } from '../../components/Segmented';
import type { EmailForm } from './email-form';

const TLS_HELP: Record<SmtpTlsMode, string> = {
  starttls: 'Connects, then upgrades to TLS before signing in (usually port 587). The upgrade is required.',
  implicit: 'TLS from the first byte (usually port 465).',
  none: 'No encryption. Fine for a relay on this computer; anywhere else, anyone on the network can read it.',
};

export function EmailServerFields({ form, set }: { form: EmailForm; set(patch: Partial<EmailForm>): void }): React.JSX.Element {
  const plainRemote = form.tls === 'none' && form.host.trim() !== '' && !isLoopbackHost(form.host);
  return (
    <>
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
    </>
  );
}
