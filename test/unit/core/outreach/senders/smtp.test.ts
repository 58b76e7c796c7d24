// The pure parts of the SMTP channel: Message-IDs from idempotency keys, how nodemailer's error
// shapes map to SendError (the cases a local server cannot produce: DNS, 503, timeouts by code),
// and the rules of Settings → Email (plain text only on this computer unless accepted, what is
// missing before Settle can send, unreadable stored settings).
import { describe, expect, it } from 'vitest';
import { messageIdFor, toSmtpSendError } from '../../../../../src/main/core/outreach/senders/smtp';
import {
  checkSmtpSettings,
  DEFAULT_SMTP_SETTINGS,
  insecureWarning,
  missingForSending,
  readSmtpSettings,
  type SmtpSettings,
} from '../../../../../src/main/core/outreach/senders/smtp-settings';
import { isLoopbackHost } from '../../../../../src/shared/email';

/** An error shaped the way nodemailer hands them out. */
function mailerError(fields: Record<string, unknown>, message = 'failed'): Error {
  return Object.assign(new Error(message), fields);
}

describe('messageIdFor', () => {
  it('is a valid, stable Message-ID per key and sender domain that does not reveal the key', () => {
    const a = messageIdFor('outbox:42:attempt', 'ar@example.com');
    expect(a).toMatch(/^<[0-9a-f]{32}\.settle@example\.com>$/);
    expect(messageIdFor('outbox:42:attempt', 'AR@Example.COM')).toBe(a);
    expect(messageIdFor('outbox:43:attempt', 'ar@example.com')).not.toBe(a);
    expect(a).not.toContain('outbox');
  });

  it('puts an internationalised domain in its ASCII form', () => {
    expect(messageIdFor('k', 'info@müller.example')).toMatch(/@xn--mller-kva\.example>$/);
  });
});

describe('toSmtpSendError', () => {
  const where = 'smtp.example.com:587';

  it.each([
    [{ code: 'ETIMEDOUT' }, 'timeout', true],
    [{ code: 'EDNS', originalCode: 'ENOTFOUND' }, 'dns', true],
    [{ code: 'ESOCKET', originalCode: 'ECONNRESET' }, 'connection', true],
    [{ code: 'ECONNECTION' }, 'connection', true],
    [{ code: 'EENVELOPE', responseCode: 503, permanent: false, response: '503 Bad sequence of commands' }, 'rejected', true],
    [{ code: 'EMESSAGE', responseCode: 552, response: '552 Mailbox full' }, 'rejected', false],
    [{ code: 'EENVELOPE', responseCode: 451, response: '451 Greylisted, try again in 5 minutes' }, 'rejected', true],
    [{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Username and Password not accepted' }, 'auth', false],
    [{ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Too many login attempts' }, 'auth', true],
    [{ code: 'ENOAUTH' }, 'auth', false],
    [{ code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls', false],
    [{ code: 'ECONFIG' }, 'other', false],
  ] as const)('%j is %s, transient %s', (fields, kind, transient) => {
    const err = toSmtpSendError(mailerError(fields), where, null);
    expect(err.kind).toBe(kind);
    expect(err.transient).toBe(transient);
    expect(err.serverReply).toBe('response' in fields ? fields.response : undefined);
    expect(err.message.length).toBeGreaterThan(10);
  });

  it('counts the overall deadline as a timeout even when nodemailer reports an abort', () => {
    expect(toSmtpSendError(mailerError({ code: 'EABORT' }), where, null, true)).toMatchObject({ kind: 'timeout', transient: true });
    expect(toSmtpSendError(mailerError({ code: 'EABORT' }), where, null, false)).toMatchObject({ kind: 'other', transient: true });
  });

  it('after the server took DATA, a failure with no final reply may have delivered it: never retried (issue 11 §2)', () => {
    for (const fields of [{ code: 'ECONNECTION', command: 'CONN' }, { code: 'ESOCKET', originalCode: 'ECONNRESET' }, { code: 'ETIMEDOUT', command: 'CONN' }]) {
      const err = toSmtpSendError(mailerError(fields), where, null, false, true);
      expect(err).toMatchObject({ transient: false, maybeDelivered: true });
      expect(err.message).toMatch(/may have gone out/);
      // The same failure before DATA: a passing failure, retried, nothing delivered.
      expect(toSmtpSendError(mailerError(fields), where, null, false, false)).toMatchObject({ transient: true, maybeDelivered: false });
    }
    expect(toSmtpSendError(mailerError({ code: 'EABORT' }), where, null, true, true)).toMatchObject({ kind: 'timeout', transient: false, maybeDelivered: true });
    // A final 4xx/5xx reply to the message is a clear "not taken": retried or failed as before.
    const later = toSmtpSendError(mailerError({ code: 'EMESSAGE', command: 'DATA', responseCode: 451, response: '451 Try again later' }), where, null, false, true);
    expect(later).toMatchObject({ kind: 'rejected', transient: true, maybeDelivered: false });
    const refused = toSmtpSendError(mailerError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554, response: '554 Spam' }), where, null, false, true);
    expect(refused).toMatchObject({ transient: false, maybeDelivered: false });
  });

  it('scrubs the password, plain or base64, from anything the server echoed', () => {
    const password = 'hunter2-correct-horse';
    const b64 = Buffer.from(password).toString('base64');
    const err = toSmtpSendError(mailerError({ code: 'EAUTH', responseCode: 535, response: `535 bad credentials ${b64} (${password})` }, `AUTH ${password}`), where, password);
    expect(JSON.stringify({ m: err.message, r: err.serverReply })).not.toContain(password);
    expect(JSON.stringify({ m: err.message, r: err.serverReply })).not.toContain(b64);
    expect(err.serverReply).toMatch(/^535 bad credentials/);
  });
});

describe('Settings → Email rules', () => {
  const base: SmtpSettings = { ...DEFAULT_SMTP_SETTINGS, host: 'smtp.example.com', fromAddress: 'ar@example.com' };

  it.each(['localhost', 'LOCALHOST', 'mail.localhost', '127.0.0.1', '127.1.2.3', '::1'])('%s is this computer', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });

  it.each(['smtp.example.com', '10.0.0.5', '127.0.0.1.example.com', 'localhost.example.com', '::2'])('%s is not', (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });

  it('allows plain text to this computer, and to another only with consent (and then warns)', () => {
    expect(checkSmtpSettings({ ...base, host: '127.0.0.1', tls: 'none' })).toBeNull();
    expect(insecureWarning({ ...base, host: '127.0.0.1', tls: 'none' })).toBeNull();
    expect(checkSmtpSettings({ ...base, tls: 'none' })).toMatch(/^tls: .*smtp\.example\.com/);
    expect(checkSmtpSettings({ ...base, tls: 'none', allowInsecure: true })).toBeNull();
    expect(insecureWarning({ ...base, tls: 'none', allowInsecure: true, user: 'ar' })).toMatch(/password travel unencrypted to smtp\.example\.com/);
    expect(checkSmtpSettings({ ...base, tls: 'starttls' })).toBeNull();
    expect(insecureWarning({ ...base, tls: 'implicit' })).toBeNull();
  });

  it('says what is missing before Settle can send', () => {
    expect(missingForSending(DEFAULT_SMTP_SETTINGS, false)).toMatch(/SMTP host/);
    expect(missingForSending({ ...base, fromAddress: null }, false)).toMatch(/sent from/);
    expect(missingForSending({ ...base, user: 'ar' }, false)).toBe('Store the password for ar.');
    expect(missingForSending({ ...base, user: 'ar' }, true)).toBeNull();
    expect(missingForSending(base, false)).toBeNull();
    expect(missingForSending({ ...base, tls: 'none' }, false)).toMatch(/Confirm/);
  });

  it('reads stored settings over the defaults and ignores an unreadable value', () => {
    expect(readSmtpSettings(undefined)).toEqual(DEFAULT_SMTP_SETTINGS);
    expect(readSmtpSettings({ host: 'smtp.example.com', port: 465, tls: 'implicit' })).toEqual({ ...DEFAULT_SMTP_SETTINGS, host: 'smtp.example.com', port: 465, tls: 'implicit' });
    expect(readSmtpSettings({ host: 'smtp://bad', port: 'x' })).toEqual(DEFAULT_SMTP_SETTINGS);
    expect(readSmtpSettings('garbage')).toEqual(DEFAULT_SMTP_SETTINGS);
  });
});
