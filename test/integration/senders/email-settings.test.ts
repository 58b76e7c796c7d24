// Settings → Email through the core (in-process transport, real settle.db, the SMTP fake):
// bad settings are refused with a clear message and nothing written, plain text to another
// computer needs an explicit consent, the password is write-only, "Send test email" reports
// success or the server's own error, changes and test sends are audited, and the password never
// reaches the settings table, the database file, the log file, a result or the audit log. The
// outbox's entry points (isEmailConfigured, smtpSenderFrom) read the same settings.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, DB_FILE, type Core } from '../../../src/main/core/app';
import { readAudit, verifyAudit } from '../../../src/main/core/audit/log';
import { getSetting } from '../../../src/main/core/settings/settings.repo';
import { isEmailConfigured, smtpSenderFrom } from '../../../src/main/core/outreach/senders/email.service';
import { fixedClock } from '../../../src/main/core/ports';
import { memorySecretStore, type MemorySecretStore } from '../../../src/main/core/secrets/memory';
import { EMAIL_SETTINGS_KEY, SMTP_PASSWORD_NAME } from '../../../src/main/core/outreach/senders/smtp-settings';
import { createFileLogger, type FileLogger } from '../../../src/main/shell/file-logger';
import type { EmailSettingsView } from '../../../src/shared/email';
import { SettleError } from '../../../src/shared/errors';
import { startFakeSmtp, type FakeSmtp } from '../../fakes/smtp-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const USER = 'owner@mueller-soehne.example';
const PASSWORD = 'smtp-secret-91f3c7a2e5';
const WRONG = 'smtp-wrong-4d8b0e6c1a';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Settings → Email wired into the core', () => {
  let fake: FakeSmtp;
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let secrets: MemorySecretStore;
  let logger: FileLogger;
  /** Every value a method returned, to prove the password is in none of them. */
  const outputs: unknown[] = [];
  const traced = async <T>(p: Promise<T>): Promise<T> => {
    const out = await p;
    outputs.push(out);
    return out;
  };
  /** The newest audit row (readAudit lists newest first). */
  const lastAudit = () => readAudit(core.db, { limit: 1 })[0];
  const auditCount = (): number => core.db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;

  beforeAll(async () => {
    fake = await startFakeSmtp({ users: { [USER]: PASSWORD } });
    dir = tempDir();
    secrets = memorySecretStore();
    logger = createFileLogger({ dir: join(dir.path, 'logs'), level: 'debug' });
    core = createCore({ dataDir: dir.path, clock: fixedClock('2026-11-21T15:00:00Z'), secrets, logger, autoDemo: false });
    call = inProcess(core);
  });

  afterAll(async () => {
    await core.shutdown();
    await fake.close();
    dir.cleanup();
  });

  beforeEach(() => fake.reset());

  it('starts not set up, says what is missing, and the outbox sees the same', async () => {
    const view = await traced(call('email.get'));
    expect(view).toMatchObject({ host: null, tls: 'starttls', port: 587, hasPassword: false, configured: false, warning: null });
    expect(view.missing).toMatch(/mail server/);
    expect(await isEmailConfigured(core.db, secrets)).toBe(false);
    const err = await smtpSenderFrom(core.db, secrets).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettleError);
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Email isn't set up/) as unknown });
    const test = await traced(call('email.test'));
    expect(test).toMatchObject({ ok: false, kind: 'not_configured' });
  });

  it.each([
    [{ host: 'smtp://mail.example.com' }, 'host'],
    [{ host: 'mail.example.com:587' }, 'host'],
    [{ port: 0 }, 'port'],
    [{ port: 70_000 }, 'port'],
    [{ port: 587.5 }, 'port'],
    [{ tls: 'ssl' }, 'tls'],
    [{ fromAddress: 'not an address' }, 'fromAddress'],
    [{ replyTo: 'a@' }, 'replyTo'],
    [{ fromName: 'Müller\r\nBcc: thief@evil.example' }, 'fromName'],
    [{ user: 'x'.repeat(255) }, 'user'],
    [{ password: 'sneaked-in' }, 'password'],
  ])('refuses %j naming %s, with nothing written', async (input, field) => {
    const before = auditCount();
    const err = await call.raw('email.set', input).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input' });
    expect((err as Error).message).toContain(field);
    expect(auditCount()).toBe(before);
    expect(getSetting(core.db, EMAIL_SETTINGS_KEY)).toBeUndefined();
  });

  it('refuses plain text to another computer unless the owner accepts it, and then warns', async () => {
    const before = auditCount();
    const err = await call('email.set', { host: 'mail.example.com', port: 25, tls: 'none' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^tls: .*mail\.example\.com.*unencrypted/) as unknown });
    expect(auditCount()).toBe(before);
    expect(getSetting(core.db, EMAIL_SETTINGS_KEY)).toBeUndefined();

    const accepted = await traced(call('email.set', { host: 'mail.example.com', port: 25, tls: 'none', allowInsecure: true }));
    expect(accepted.allowInsecure).toBe(true);
    expect(accepted.warning).toMatch(/unencrypted to mail\.example\.com/);

    // The consent is for that server: another host asks again.
    await expect(call('email.set', { host: 'other.example.com' })).rejects.toMatchObject({ code: 'invalid_input' });
    const encrypted = await traced(call('email.set', { host: 'smtp.example.com', tls: 'starttls', port: 587 }));
    expect(encrypted).toMatchObject({ allowInsecure: false, warning: null });
  });

  it('saves the fake as the server (no consent needed on this computer), audited without secrets', async () => {
    const before = auditCount();
    const view = await traced(
      call('email.set', { host: fake.host, port: fake.port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Müller & Söhne', replyTo: null }),
    );
    expect(view).toMatchObject({ host: '127.0.0.1', port: fake.port, tls: 'none', user: USER, fromAddress: USER, warning: null, hasPassword: false, configured: false });
    expect(view.missing).toBe(`Store the password for ${USER}.`);
    expect(auditCount()).toBe(before + 1);
    expect(lastAudit()).toMatchObject({ action: 'email.settings' });
    expect(lastAudit()!.detail).toMatchObject({ settings: { host: '127.0.0.1', port: fake.port, user: USER } });
    // Saving the same settings again changes nothing and audits nothing.
    await traced(call('email.set', { host: fake.host, port: fake.port }));
    expect(auditCount()).toBe(before + 1);
  });

  it('stores the password write-only in the SecretStore; the view only says it is there', async () => {
    const view = await traced(call('email.setPassword', { password: PASSWORD }));
    expect(view).toMatchObject({ hasPassword: true, configured: true, missing: null });
    expect(await secrets.get(SMTP_PASSWORD_NAME)).toBe(PASSWORD);
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(await isEmailConfigured(core.db, secrets)).toBe(true);
    expect(lastAudit()).toMatchObject({ action: 'email.password', detail: { stored: true } });
  });

  it('sends a real test email to the from address and reports the server reply (audited)', async () => {
    const result = await traced(call('email.test'));
    expect(result).toMatchObject({ ok: true, to: USER });
    const [got] = await fake.waitForMessages(1);
    expect(got!.envelope.to).toEqual([USER]);
    expect(got!.subject).toBe('Settle test email');
    expect(got!.from).toBe(`Müller & Söhne <${USER}>`);
    if (!result.ok) throw new Error('unreachable');
    expect(result.messageId).toBe(got!.messageId);
    expect(result.serverReply).toMatch(/^250 /);
    expect(lastAudit()).toMatchObject({
      action: 'email.test',
      detail: { ok: true, to: USER, host: '127.0.0.1', messageId: result.messageId },
    });
  });

  it('sends the test to another address when given one', async () => {
    const result = await traced(call('email.test', { to: 'me@elsewhere.example' }));
    expect(result).toMatchObject({ ok: true, to: 'me@elsewhere.example' });
    expect((await fake.waitForMessages(1))[0]!.envelope.to).toEqual(['me@elsewhere.example']);
    await expect(call.raw('email.test', { to: 'nope' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it("a wrong password shows the server's own error (535), audited as a failed test", async () => {
    await traced(call('email.setPassword', { password: WRONG }));
    const result = await traced(call('email.test'));
    expect(result).toMatchObject({ ok: false, kind: 'auth', serverReply: '535 Authentication failed' });
    if (result.ok) throw new Error('unreachable');
    expect(result.message).toContain('535 Authentication failed');
    expect(fake.messages).toHaveLength(0);
    expect(lastAudit()).toMatchObject({
      action: 'email.test',
      detail: { ok: false, kind: 'auth', serverReply: '535 Authentication failed' },
    });
    await traced(call('email.setPassword', { password: PASSWORD }));
  });

  it('a server that is not there gives a clear connection-refused message', async () => {
    const port = await closedPort();
    await traced(call('email.set', { port }));
    const result = await traced(call('email.test'));
    expect(result).toMatchObject({ ok: false, kind: 'connection', serverReply: null });
    if (result.ok) throw new Error('unreachable');
    expect(result.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
    await traced(call('email.set', { port: fake.port }));
  });

  it('gives the outbox a Sender over the stored settings', async () => {
    const sender = await smtpSenderFrom(core.db, secrets);
    expect(sender.channel).toBe('smtp');
    const receipt = await sender.send({ idempotencyKey: 'outbox:1', to: ['ap@tokyo-trading.example'], subject: 'Reminder', text: 'Hello', attachments: [] });
    const [got] = await fake.waitForMessages(1);
    expect(receipt.messageId).toBe(got!.messageId);
    expect(got!.replyTo).toBeNull();
  });

  it('removing the password makes email not set up again', async () => {
    const view = await traced(call('email.setPassword', { password: null }));
    expect(view).toMatchObject({ hasPassword: false, configured: false });
    expect(await isEmailConfigured(core.db, secrets)).toBe(false);
    await expect(smtpSenderFrom(core.db, secrets)).rejects.toMatchObject({ code: 'conflict' });
    await traced(call('email.setPassword', { password: PASSWORD }));
  });

  it('never lets the password out: not in results, the settings table, settle.db bytes, the audit log or the log file', async () => {
    const audit = readAudit(core.db, { limit: 100_000 });
    expect(verifyAudit(core.db)).toMatchObject({ ok: true });
    const settings = core.db.prepare('SELECT key, value_json FROM settings').all();
    const everything = JSON.stringify({ outputs, audit, settings });
    expect(outputs.length).toBeGreaterThan(10);
    for (const p of [PASSWORD, WRONG]) expect(everything).not.toContain(p);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [DB_FILE, `${DB_FILE}-wal`]) {
      const path = join(dir.path, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      for (const p of [PASSWORD, WRONG]) expect(bytes.includes(Buffer.from(p)), `${file} holds the password`).toBe(false);
    }
    const log = readFileSync(logger.path, 'utf8');
    expect(log).toContain('email sent');
    expect(log).toContain('email failed');
    for (const p of [PASSWORD, WRONG]) {
      expect(log).not.toContain(p);
      expect(log).not.toContain(Buffer.from(p).toString('base64'));
    }
  });
});

describe('email settings views', () => {
  it('report hasPassword from the SecretStore only', async () => {
    const dir = tempDir();
    const secrets = memorySecretStore({ [SMTP_PASSWORD_NAME]: PASSWORD });
    const core = createCore({ dataDir: dir.path, clock: fixedClock('2026-11-21T15:00:00Z'), secrets, autoDemo: false });
    try {
      const view: EmailSettingsView = await inProcess(core)('email.get');
      expect(view.hasPassword).toBe(true);
      expect(view.configured).toBe(false);
    } finally {
      core.close();
      dir.cleanup();
    }
  });
});
