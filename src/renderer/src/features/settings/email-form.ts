// Settings → Email's form model (split out of EmailSection.tsx): the editable fields as text, built
// from the core's view, and turned back into the email.set patch.
import type { Input } from '../../../../shared/contract';
import { isLoopbackHost, type EmailSettingsView, type SmtpTlsMode } from '../../../../shared/email';

export interface EmailForm {
  host: string;
  port: string;
  tls: SmtpTlsMode;
  user: string;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  allowInsecure: boolean;
}

export function formOf(v: EmailSettingsView): EmailForm {
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

export function patchOf(f: EmailForm): Input<'email.set'> {
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
