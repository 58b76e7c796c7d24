// Email wired into the core (issue 5): email.* behind Settings → Email (the SMTP server, TLS
// mode, user and sender in the settings table; the password write-only in the SecretStore), the
// "Send test email" button, and the SMTP Sender the outbox sends through. Settings changes and
// test sends are audited; the password never reaches SQLite, the audit log, a log line, a
// result or an event.
import { defineHandlers, type HandlerGroup } from '../../handlers';
import type { EmailSettingsView, EmailTestResult } from '../../../../shared/email';
import { SettleError } from '../../../../shared/errors';
import { appendAudit } from '../../audit';
import type { Db } from '../../db/open';
import { getSetting, setSetting } from '../../settings';
import type { Clock, Logger, SecretStore } from '../../ports';
import { createSmtpSender, sendTestEmail, type SmtpConfig, type SmtpSenderOptions } from './smtp';
import {
  checkSmtpSettings,
  EMAIL_SETTINGS_KEY,
  insecureWarning,
  missingForSending,
  readSmtpSettings,
  SMTP_PASSWORD_NAME,
  type SmtpSettings,
} from './smtp-settings';
import type { Sender } from './types';

export interface EmailDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  /** For tests: timeouts and trusted CAs of the SMTP client. */
  smtp?: Pick<SmtpSenderOptions, 'timeouts' | 'tls'>;
}

async function readPassword(secrets: SecretStore): Promise<string | null> {
  try {
    return await secrets.get(SMTP_PASSWORD_NAME);
  } catch {
    throw new SettleError('unavailable', 'Could not reach the system keychain to read the email password.');
  }
}

/** Settings plus password as a sender configuration, or the reason Settle cannot send yet. */
async function load(db: Db, secrets: SecretStore): Promise<{ config: SmtpConfig; password: string | null }> {
  const s = readSmtpSettings(getSetting(db, EMAIL_SETTINGS_KEY));
  const password = s.user ? await readPassword(secrets) : null;
  const missing = missingForSending(s, password !== null);
  if (missing || !s.host || !s.fromAddress) {
    throw new SettleError('conflict', `Email isn't set up: ${missing ?? 'add your mail server'} (Settings → Email).`);
  }
  const config = { host: s.host, port: s.port, tls: s.tls, user: s.user, fromAddress: s.fromAddress, fromName: s.fromName, replyTo: s.replyTo };
  return { config, password };
}

/** Whether the SMTP channel can send now (the outbox's default channel when it can). */
export async function isEmailConfigured(db: Db, secrets: SecretStore): Promise<boolean> {
  const s = readSmtpSettings(getSetting(db, EMAIL_SETTINGS_KEY));
  const hasPassword = s.user ? (await secrets.get(SMTP_PASSWORD_NAME).catch(() => null)) !== null : false;
  return missingForSending(s, hasPassword) === null;
}

/** The SMTP Sender over the stored settings; throws a "conflict" SettleError when email isn't set up. */
export async function smtpSenderFrom(
  db: Db,
  secrets: SecretStore,
  opts: SmtpSenderOptions = {},
): Promise<Sender> {
  const { config, password } = await load(db, secrets);
  return createSmtpSender(config, password, opts);
}

export function createEmailService(deps: EmailDeps): { handlers: HandlerGroup[] } {
  const { db, clock, logger, secrets } = deps;
  const nowIso = (): string => clock.now().toISOString();
  const settings = (): SmtpSettings => readSmtpSettings(getSetting(db, EMAIL_SETTINGS_KEY));

  const view = async (): Promise<EmailSettingsView> => {
    const s = settings();
    const hasPassword = (await readPassword(secrets)) !== null;
    const missing = missingForSending(s, hasPassword);
    return { ...s, hasPassword, configured: missing === null, missing, warning: insecureWarning(s) };
  };

  const handlers: HandlerGroup[] = [
    defineHandlers('email', {
      get: () => view(),
      set: async (patch) => {
        const before = settings();
        const next: SmtpSettings = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        // A consent to plain text is for one server: moving to another host or mode asks again.
        if (patch.allowInsecure === undefined && (next.host !== before.host || next.tls !== 'none')) next.allowInsecure = false;
        const problem = checkSmtpSettings(next);
        if (problem) throw new SettleError('invalid_input', problem);
        const changed = (Object.keys(next) as (keyof SmtpSettings)[]).filter((k) => next[k] !== before[k]);
        if (changed.length > 0) {
          db.transaction(() => {
            setSetting(db, EMAIL_SETTINGS_KEY, next, nowIso());
            appendAudit(db, clock, { actor: 'owner', action: 'email.settings', entity: 'settings', entityId: EMAIL_SETTINGS_KEY, detail: { changed, settings: next } });
          })();
        }
        return view();
      },
      setPassword: async ({ password }) => {
        try {
          if (password === null) await secrets.delete(SMTP_PASSWORD_NAME);
          else await secrets.set(SMTP_PASSWORD_NAME, password);
        } catch {
          throw new SettleError('unavailable', 'Could not reach the system keychain to store the email password.');
        }
        appendAudit(db, clock, { actor: 'owner', action: 'email.password', entity: 'settings', entityId: EMAIL_SETTINGS_KEY, detail: { stored: password !== null } });
        return view();
      },
      test: async (input = {}): Promise<EmailTestResult> => {
        let loaded;
        try {
          loaded = await load(db, secrets);
        } catch (err) {
          if (!(err instanceof SettleError) || err.code !== 'conflict') throw err;
          return { ok: false, to: input.to ?? null, kind: 'not_configured', message: err.message, serverReply: null };
        }
        const to = input.to ?? loaded.config.fromAddress;
        const result = await sendTestEmail(loaded.config, loaded.password, to, { clock, logger, ...deps.smtp });
        appendAudit(db, clock, {
          actor: 'owner',
          action: 'email.test',
          entity: 'settings',
          entityId: EMAIL_SETTINGS_KEY,
          detail: result.ok
            ? { ok: true, to, host: loaded.config.host, port: loaded.config.port, messageId: result.messageId, serverReply: result.serverReply }
            : { ok: false, to, host: loaded.config.host, port: loaded.config.port, kind: result.kind, serverReply: result.serverReply },
        });
        return result;
      },
    }),
  ];

  return { handlers };
}
