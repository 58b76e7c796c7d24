// The SMTP channel as the outbox sees it: whether email is set up, and a sender for the current
// settings. Kept apart from the outbox so tests (and other hosts) can hand it a fake.
import type { Db } from '../../db/open';
import type { SecretStore } from '../../ports';
import { getSetting } from '../../settings';
import { smtpSenderFrom } from './email.service';
import type { SmtpSenderOptions } from './smtp';
import { EMAIL_SETTINGS_KEY, missingForSending, readSmtpSettings } from './smtp-settings';
import type { Sender } from './types';

export interface SmtpPort {
  /** Email is set up enough to send (host and from address; the password may be optional). */
  configured(): boolean;
  /** A sender for the current settings; throws a clear SettleError when email is not set up. */
  sender(): Promise<Sender>;
}

/**
 * The SMTP channel over Settings → Email. "Configured" is judged from the settings alone (a
 * missing password shows up as a clear failure when sending), so approval can decide it inside
 * its transaction.
 */
export function smtpPortFrom(db: Db, secrets: SecretStore, opts: Pick<SmtpSenderOptions, 'timeouts' | 'tls'> = {}): SmtpPort {
  return {
    configured: () => missingForSending(readSmtpSettings(getSetting(db, EMAIL_SETTINGS_KEY)), true) === null,
    sender: () => smtpSenderFrom(db, secrets, opts),
  };
}
