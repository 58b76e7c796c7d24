// Settings → Email: the SMTP server reminders go through (issue 5). Kept as one JSON value in
// the settings table, validated by the contract's EmailSettingsInput on the way in and on the way
// out. The password is not a setting: it lives in the SecretStore under SMTP_PASSWORD_NAME.
import { EmailSettingsInput } from '../../../../shared/contract';
import { isLoopbackHost, type EmailSettingsView } from '../../../../shared/email';

export const EMAIL_SETTINGS_KEY = 'email.smtp';
export const SMTP_PASSWORD_NAME = 'smtp:password';

/** What is stored (the password lives in the SecretStore, the rest is derived). */
export type SmtpSettings = Omit<EmailSettingsView, 'hasPassword' | 'configured' | 'missing' | 'warning'>;

export const DEFAULT_SMTP_SETTINGS: Readonly<SmtpSettings> = Object.freeze({
  host: null,
  port: 587,
  tls: 'starttls',
  user: null,
  fromAddress: null,
  fromName: null,
  replyTo: null,
  allowInsecure: false,
});

/** Stored settings over the defaults; an unreadable stored value reads as "not set up". */
export function readSmtpSettings(stored: unknown): SmtpSettings {
  const parsed = EmailSettingsInput.safeParse(stored ?? {});
  return { ...DEFAULT_SMTP_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

/** Why these settings are risky, or null. */
export function insecureWarning(s: SmtpSettings): string | null {
  if (s.tls !== 'none' || !s.host || isLoopbackHost(s.host)) return null;
  return `Messages${s.user ? ' and your password' : ''} travel unencrypted to ${s.host}; anyone on the network can read them. Choose STARTTLS or TLS if the server offers it.`;
}

/** The settings as they would be after a patch, or the reason they cannot be saved. */
export function checkSmtpSettings(next: SmtpSettings): string | null {
  if (next.tls === 'none' && next.host && !isLoopbackHost(next.host) && !next.allowInsecure) {
    return `tls: sending without encryption to ${next.host} would expose ${next.user ? 'your password and ' : ''}every message on the network. Choose STARTTLS or TLS, or confirm that you accept sending unencrypted.`;
  }
  return null;
}

/** What is still missing before Settle can send, or null when it can. */
export function missingForSending(s: SmtpSettings, hasPassword: boolean): string | null {
  if (!s.host) return 'Add your mail server (SMTP host).';
  if (!s.fromAddress) return 'Add the address reminders are sent from.';
  if (s.user && !hasPassword) return `Store the password for ${s.user}.`;
  if (checkSmtpSettings(s)) return 'Confirm sending without encryption, or choose STARTTLS or TLS.';
  return null;
}
