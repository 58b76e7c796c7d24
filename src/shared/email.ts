// Settings → Email (issue 5): the SMTP account reminders are sent through, and the result of a
// test send. Shared by the core and the renderer. The password is never part of these shapes:
// the view only says whether one is stored.

/** implicit: TLS from the first byte (usually port 465); starttls: upgrade required (587); none: plain text. */
export type SmtpTlsMode = 'implicit' | 'starttls' | 'none';

export const SMTP_TLS_MODES: readonly SmtpTlsMode[] = ['starttls', 'implicit', 'none'];

export const SMTP_TLS_LABELS: Record<SmtpTlsMode, string> = {
  starttls: 'STARTTLS',
  implicit: 'TLS',
  none: 'None',
};

/** The port each mode usually uses, offered when the owner switches modes. */
export const SMTP_DEFAULT_PORTS: Record<SmtpTlsMode, number> = { starttls: 587, implicit: 465, none: 25 };

export interface EmailSettingsView {
  host: string | null;
  port: number;
  tls: SmtpTlsMode;
  /** The SMTP user name; null when the server needs no sign-in. */
  user: string | null;
  fromAddress: string | null;
  fromName: string | null;
  replyTo: string | null;
  /** The owner accepted sending without encryption to a host that is not this computer. */
  allowInsecure: boolean;
  /** A password is in the keychain (the password itself never leaves the core). */
  hasPassword: boolean;
  /** Ready to send: host and from address set, and a password stored when a user is set. */
  configured: boolean;
  /** What is still missing when not configured, in words. */
  missing: string | null;
  /** Shown while the settings are risky (no encryption to another computer). */
  warning: string | null;
}

/** Why a send or a test failed, for the message and its icon. */
export type EmailErrorKind = 'not_configured' | 'auth' | 'connection' | 'dns' | 'tls' | 'timeout' | 'rejected' | 'other';

export type EmailTestResult =
  | { ok: true; to: string; messageId: string; latencyMs: number; serverReply: string | null }
  | { ok: false; to: string | null; kind: EmailErrorKind; message: string; serverReply: string | null };

/** This computer: the only place plain-text SMTP is fine without asking (a local relay or test server). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::1';
}
