// The SMTP Sender against a real SMTP server (test/fakes/smtp-server.ts): what arrives is what a
// recipient would see (recipient, UTF-8 subject and names, text, attachment bytes, a Message-ID
// that only depends on the idempotency key), and every way a server can say no becomes a
// SendError the outbox can act on: 4xx and dropped connections transient, 5xx, bad sign-ins and
// TLS problems permanent, each carrying the server's own words and never the password; a
// connection dropped or a server silent after it took the message data is "may have been
// delivered" (maybeDelivered), never transient (issue 11 §2).
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpSender, messageIdFor, SmtpSendError, type SmtpConfig } from '../../../src/main/core/outreach/senders/smtp';
import { SendError, type OutgoingMessage } from '../../../src/main/core/outreach/senders/types';
import { startFakeSmtp, type FakeSmtp } from '../../fakes/smtp-server';

const USER = 'owner@mueller-soehne.example';
const PASSWORD = 'smtp-pass-7c1e9a4b2d';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Accepts connections and never says a word (no SMTP greeting). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s: Server = createServer((sock) => void sockets.add(sock));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    port: (s.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const sock of sockets) sock.destroy();
        s.close(() => r());
      }),
  };
}

async function failure(p: Promise<unknown>): Promise<SmtpSendError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the send should have failed').toBeInstanceOf(SmtpSendError);
  expect(err).toBeInstanceOf(SendError);
  return err as SmtpSendError;
}

describe('the SMTP sender against a real SMTP server', () => {
  let fake: FakeSmtp;
  let config: SmtpConfig;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]);

  const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    idempotencyKey: `outbox:${randomBytes(6).toString('hex')}`,
    to: ['accounts@tokyo-trading.example'],
    subject: 'Überfällige Rechnung INV-1042 — 東京トレーディング様',
    text: 'Sehr geehrte Damen und Herren,\n\nRechnung INV-1042 über 1.234,50 € ist seit 12 Tagen fällig.\n東京トレーディング株式会社 御中\n\nMüller & Söhne\n',
    attachments: [{ filename: 'INV-1042.pdf', contentType: 'application/pdf', content: new Uint8Array(pdf) }],
    ...over,
  });

  beforeAll(async () => {
    fake = await startFakeSmtp({ users: { [USER]: PASSWORD } });
    config = { host: fake.host, port: fake.port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Müller & Söhne', replyTo: 'ar@mueller-soehne.example' };
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('delivers one message with the right recipient, UTF-8 subject and names, text, attachment bytes and Message-ID', async () => {
    const m = message();
    const receipt = await createSmtpSender(config, PASSWORD).send(m);
    const [got] = await fake.waitForMessages(1);
    expect(fake.messages).toHaveLength(1);
    expect(got!.envelope).toEqual({ from: USER, to: m.to });
    expect(got!.user).toBe(USER);
    expect(got!.to).toBe(m.to[0]);
    expect(got!.from).toBe(`Müller & Söhne <${USER}>`);
    expect(got!.replyTo).toBe(config.replyTo);
    expect(got!.subject).toBe(m.subject);
    expect(got!.text.replace(/\r\n/g, '\n')).toBe(m.text);
    expect(got!.attachments).toHaveLength(1);
    expect(got!.attachments[0]!.filename).toBe('INV-1042.pdf');
    expect(got!.attachments[0]!.contentType).toBe('application/pdf');
    expect(got!.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(got!.messageId).toBe(messageIdFor(m.idempotencyKey, USER));
    expect(receipt).toEqual({ messageId: got!.messageId, accepted: m.to });
    expect(got!.raw.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('gives a resend of the same item the same Message-ID, and another item a different one', async () => {
    const sender = createSmtpSender(config, PASSWORD);
    const m = message();
    const first = await sender.send(m);
    const again = await sender.send({ ...m });
    const other = await sender.send(message());
    await fake.waitForMessages(3);
    expect(again.messageId).toBe(first.messageId);
    expect(fake.messages[1]!.messageId).toBe(fake.messages[0]!.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(first.messageId).not.toContain(m.idempotencyKey);
  });

  it('keeps non-ASCII attachment names and several recipients', async () => {
    const m = message({
      to: ['a@tokyo-trading.example', 'b@tokyo-trading.example'],
      attachments: [{ filename: 'Rechnung Müller 東京.pdf', contentType: 'application/pdf', content: new Uint8Array(pdf) }],
    });
    const receipt = await createSmtpSender(config, PASSWORD).send(m);
    const [got] = await fake.waitForMessages(1);
    expect(got!.envelope.to).toEqual(m.to);
    expect(receipt.accepted).toEqual(m.to);
    expect(got!.attachments[0]!.filename).toBe('Rechnung Müller 東京.pdf');
  });

  it('cannot be made to inject headers through the subject', async () => {
    await createSmtpSender(config, PASSWORD).send(message({ subject: 'Reminder\r\nBcc: thief@evil.example' }));
    const [got] = await fake.waitForMessages(1);
    expect(got!.headers.has('bcc')).toBe(false);
    expect(got!.envelope.to).toEqual(['accounts@tokyo-trading.example']);
    expect(got!.subject).toBe('Reminder Bcc: thief@evil.example');
  });

  it("reports a wrong password as a permanent auth failure with the server's 535 reply", async () => {
    const err = await failure(createSmtpSender(config, 'not-the-password').send(message()));
    expect(err.kind).toBe('auth');
    expect(err.transient).toBe(false);
    expect(err.serverReply).toBe('535 Authentication failed');
    expect(err.message).toContain('535 Authentication failed');
    expect(fake.authFailures).toEqual([USER]);
    expect(fake.messages).toHaveLength(0);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('not-the-password');
  });

  it('treats a temporary sign-in failure (454) as transient', async () => {
    fake.failNext({ stage: 'auth', code: 454, message: 'Temporary authentication failure' });
    const err = await failure(createSmtpSender(config, PASSWORD).send(message()));
    expect(err).toMatchObject({ kind: 'auth', transient: true, serverReply: '454 Temporary authentication failure' });
  });

  it('asks for a sign-in when the server needs one and no user is set', async () => {
    const err = await failure(createSmtpSender({ ...config, user: null }, null).send(message()));
    expect(err.kind).toBe('auth');
    expect(err.transient).toBe(false);
    expect(err.serverReply).toMatch(/^530 /);
  });

  it.each([
    ['mail', 421, 'Too many connections, try again later'],
    ['rcpt', 450, 'Mailbox temporarily unavailable'],
    ['rcpt', 452, 'Insufficient system storage'],
    ['data', 451, 'Local error in processing'],
  ] as const)('a %s-stage %i reply is a transient SendError carrying the reply', async (stage, code, text) => {
    fake.failNext({ stage, code, message: text });
    const err = await failure(createSmtpSender(config, PASSWORD).send(message()));
    expect(err.transient).toBe(true);
    expect(err.kind).toBe('rejected');
    expect(err.serverReply).toBe(`${code} ${text}`);
    expect(err.responseCode).toBe(code);
    expect(fake.messages).toHaveLength(0);
    // The next attempt of the same item goes through.
    await createSmtpSender(config, PASSWORD).send(message());
    expect(fake.messages).toHaveLength(1);
  });

  it.each([
    ['rcpt', 550, 'No such user here'],
    ['rcpt', 553, 'Mailbox name not allowed'],
    ['data', 554, 'Message rejected as spam'],
    ['mail', 552, 'Message size exceeds fixed maximum'],
  ] as const)('a %s-stage %i reply is a permanent SendError carrying the reply', async (stage, code, text) => {
    fake.failNext({ stage, code, message: text });
    const err = await failure(createSmtpSender(config, PASSWORD).send(message()));
    expect(err.transient).toBe(false);
    expect(err.kind).toBe('rejected');
    expect(err.serverReply).toBe(`${code} ${text}`);
    expect(err.message).toContain(text);
  });

  it('a 421 greeting (server busy) is transient', async () => {
    fake.failNext({ stage: 'connect', code: 421, message: 'Service not available, closing channel' });
    const err = await failure(createSmtpSender(config, PASSWORD).send(message()));
    expect(err).toMatchObject({ transient: true, serverReply: '421 Service not available, closing channel' });
  });

  it('a connection dropped after the server took the message data: one delivery, "may have been delivered", not transient', async () => {
    fake.afterData('drop');
    const err = await failure(createSmtpSender(config, PASSWORD).send(message()));
    expect(err).toMatchObject({ kind: 'connection', transient: false, maybeDelivered: true });
    expect(err.message).toContain(`${fake.host}:${fake.port}`);
    expect(fake.messages).toHaveLength(1);
  });

  it('a server that never answers after the message data: one delivery, "may have been delivered", within the socket timeout', async () => {
    fake.afterData('silent');
    const started = Date.now();
    const err = await failure(createSmtpSender(config, PASSWORD, { timeouts: { socketMs: 400 } }).send(message()));
    expect(err).toMatchObject({ kind: 'timeout', transient: false, maybeDelivered: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.messages).toHaveLength(1);
    // …and when the whole-send deadline ends it first.
    fake.afterData('silent');
    const err2 = await failure(createSmtpSender(config, PASSWORD, { timeouts: { socketMs: 60_000, totalMs: 500 } }).send(message()));
    expect(err2).toMatchObject({ kind: 'timeout', transient: false, maybeDelivered: true });
    expect(fake.messages).toHaveLength(2);
  });

  it('a failure before DATA, or a final refusal of the message, is never "may have been delivered"', async () => {
    fake.failNext({ stage: 'rcpt', code: 451, message: 'Greylisted' });
    expect(await failure(createSmtpSender(config, PASSWORD).send(message()))).toMatchObject({ transient: true, maybeDelivered: false });
    fake.failNext({ stage: 'data', code: 554, message: 'Message refused' });
    expect(await failure(createSmtpSender(config, PASSWORD).send(message()))).toMatchObject({ transient: false, maybeDelivered: false });
    expect(fake.messages).toHaveLength(0);
  });

  it('says clearly when nothing is listening (connection refused), and that it is transient', async () => {
    const port = await closedPort();
    const err = await failure(createSmtpSender({ ...config, port }, PASSWORD).send(message()));
    expect(err.kind).toBe('connection');
    expect(err.transient).toBe(true);
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toMatch(/connection refused/);
  });

  it('gives up on a server that never greets, within the bounded timeout, as transient', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const err = await failure(createSmtpSender({ ...config, port: silent.port }, PASSWORD, { timeouts: { greetingMs: 300 } }).send(message()));
      expect(err).toMatchObject({ kind: 'timeout', transient: true });
      expect(Date.now() - started).toBeLessThan(5_000);
      const total = Date.now();
      const err2 = await failure(
        createSmtpSender({ ...config, port: silent.port }, PASSWORD, { timeouts: { greetingMs: 60_000, totalMs: 400 } }).send(message()),
      );
      expect(err2).toMatchObject({ kind: 'timeout', transient: true });
      expect(Date.now() - total).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it('stops when the outbox aborts, as transient, without delivering', async () => {
    const silent = await silentServer();
    try {
      const ctl = new AbortController();
      const p = createSmtpSender({ ...config, port: silent.port }, PASSWORD).send(message(), ctl.signal);
      setTimeout(() => ctl.abort(), 100);
      const err = await failure(p);
      expect(err.transient).toBe(true);
      expect(err.kind).not.toBe('timeout');
    } finally {
      await silent.close();
    }
  });

  it('reports TLS problems as permanent: implicit TLS to a plain port, an untrusted certificate, STARTTLS not offered', async () => {
    const implicit = await failure(createSmtpSender({ ...config, tls: 'implicit' }, PASSWORD).send(message()));
    expect(implicit).toMatchObject({ kind: 'tls', transient: false });
    expect(implicit.message).toMatch(/STARTTLS/);

    // The fake's built-in certificate is a published test certificate: it must not be trusted.
    const untrusted = await failure(createSmtpSender({ ...config, tls: 'starttls' }, PASSWORD).send(message()));
    expect(untrusted).toMatchObject({ kind: 'tls', transient: false });
    expect(untrusted.message).toMatch(/certificate/);

    const plain = await startFakeSmtp({ users: { [USER]: PASSWORD }, hideStartTls: true });
    try {
      const missing = await failure(createSmtpSender({ ...config, port: plain.port, tls: 'starttls' }, PASSWORD).send(message()));
      expect(missing).toMatchObject({ kind: 'tls', transient: false });
      expect(missing.message).toMatch(/does not offer STARTTLS/);
      expect(plain.messages).toHaveLength(0);
      expect(plain.authFailures).toEqual([]);
    } finally {
      await plain.close();
    }
    expect(fake.messages).toHaveLength(0);
  });

  it('refuses a recipient that is not an address, permanently, before connecting', async () => {
    for (const to of [[], ['not an address'], ['a@b.example', 'x@y.example>\r\nRCPT TO:<z@evil.example']]) {
      const err = await failure(createSmtpSender(config, PASSWORD).send(message({ to })));
      expect(err).toMatchObject({ transient: false, kind: 'rejected' });
    }
    expect(fake.messages).toHaveLength(0);
  });
});
