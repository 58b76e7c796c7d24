// The SMTP channel (issue 5, DESIGN §8): one approved message, delivered through the owner's own
// mail server with nodemailer. Plain-text UTF-8 body, attachments passed through, and a
// Message-ID derived from the outbox item's idempotency key, so a resend of the same item
// carries the same Message-ID and mail clients thread or drop the duplicate. Every failure
// becomes a SendError: 4xx replies, refused or dropped connections and timeouts are transient
// (the outbox retries them), 5xx rejections, bad sign-ins and TLS problems are not. Once the
// server has taken DATA, a lost answer (the connection dropped, silence, the deadline) may mean a
// delivered message: that failure is `maybeDelivered` and never retried (issue 11 §2). The
// server's own words travel in `serverReply`; the password never does.
import { createHash, randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { domainToASCII } from 'node:url';
import { createTransport } from 'nodemailer';
import type { EmailErrorKind, EmailTestResult, SmtpTlsMode } from '../../../../shared/email';
import { silentLogger, systemClock, type Clock, type Logger } from '../../ports';
import { SendError, type OutgoingMessage, type SendReceipt, type Sender } from './types';

export interface SmtpConfig {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  /** null: the server takes mail without a sign-in (a local relay). */
  user: string | null;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
}

export interface SmtpTimeouts {
  /** Opening the TCP (or TLS) connection. */
  connectMs: number;
  /** Waiting for the server's greeting. */
  greetingMs: number;
  /** Silence on an open connection. */
  socketMs: number;
  /** The whole send, whatever the server does. */
  totalMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: Readonly<SmtpTimeouts> = Object.freeze({
  connectMs: 10_000,
  greetingMs: 10_000,
  socketMs: 30_000,
  totalMs: 60_000,
});

/** The test button waits less: the owner is watching a spinner. */
const TEST_TIMEOUTS: Partial<SmtpTimeouts> = { connectMs: 8_000, greetingMs: 8_000, socketMs: 15_000, totalMs: 20_000 };

export interface SmtpSenderOptions {
  clock?: Clock;
  logger?: Logger;
  timeouts?: Partial<SmtpTimeouts>;
  /** Extra TLS options (tests: a CA to trust). Certificates are always verified. */
  tls?: Pick<ConnectionOptions, 'ca' | 'servername'>;
}

/** A SendError that also says which kind of failure it was (for the test button and the log). */
export class SmtpSendError extends SendError {
  constructor(
    message: string,
    transient: boolean,
    readonly kind: EmailErrorKind,
    serverReply?: string,
    readonly responseCode: number | null = null,
    maybeDelivered = false,
  ) {
    super(message, transient, serverReply, maybeDelivered);
    this.name = 'SmtpSendError';
  }
}

/** What nodemailer attaches to its errors (see nodemailer's NodemailerError). */
interface MailerError extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
  permanent?: boolean;
  command?: string;
  originalCode?: string;
}

const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const TLS_CODES = /^(?:ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$)/;

/** `<hash@domain>`: stable for one idempotency key and sender domain, and reveals neither. */
export function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const domain = domainToASCII(fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase()) || 'settle.invalid';
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${hash}.settle@${domain}>`;
}

/** Removes the password (and its base64 forms, as AUTH sends it) from text a server sent back. */
function scrub(text: string, password: string | null): string {
  if (!password) return text;
  let out = text.split(password).join('•••');
  for (const b64 of [Buffer.from(password).toString('base64')]) out = out.split(b64).join('•••');
  return out;
}

function tlsMessage(e: MailerError, where: string): string {
  const text = `${e.originalCode ?? ''} ${e.message ?? ''}`;
  if (/wrong version number|packet length too long|unknown protocol|record layer failure/i.test(text)) {
    return `${where} does not speak TLS from the start: choose STARTTLS (usually port 587), or TLS on the server's TLS port (usually 465).`;
  }
  if (/STARTTLS/i.test(text) && !/certificate/i.test(text)) return `${where} does not offer STARTTLS, so the connection cannot be encrypted.`;
  const why = /certificate|self[- ]signed|CERT_|UNABLE_TO_|altname|hostname/i.test(text)
    ? `its certificate is not trusted (${(e.message ?? '').split('\n')[0]})`
    : (e.message ?? 'TLS error').split('\n')[0];
  return `A secure connection to ${where} failed: ${why}. Check the host name, TLS mode and port.`;
}

/**
 * Follows one SMTP session through nodemailer's transaction log, only to learn whether the message
 * was handed over: the server answered DATA with its 3xx go-ahead, or the message bytes were
 * written. From then on a lost answer may mean a delivered message. Nothing logged is kept.
 */
class HandOverWatch {
  private askedData = false;
  handedOver = false;
  /** A bunyan-style logger for nodemailer (levels it lacks fall back to `info`). */
  readonly logger = {
    debug: (entry: unknown, text?: unknown): void => this.see(entry, text),
    info: (entry: unknown, text?: unknown): void => this.see(entry, text),
  };

  private see(entry: unknown, text: unknown): void {
    const tnx = typeof entry === 'object' && entry !== null ? (entry as { tnx?: unknown }).tnx : undefined;
    const line = typeof text === 'string' ? text : '';
    if (tnx === 'client' && /^DATA\s*$/i.test(line)) this.askedData = true;
    else if (tnx === 'server' && this.askedData && /^3\d\d/.test(line)) this.handedOver = true;
    else if (tnx === 'message') this.handedOver = true; // the message stream ended on the socket
  }
}

/**
 * nodemailer's error as a SendError the outbox and the owner can act on. `handedOver`: the server
 * had taken DATA, so a failure without a final reply may have delivered the message.
 */
export function toSmtpSendError(err: unknown, where: string, password: string | null, timedOut = false, handedOver = false): SmtpSendError {
  const e = (err ?? {}) as MailerError;
  const reply = e.response ? scrub(e.response.trim(), password) : undefined;
  const code = e.responseCode ?? null;
  const said = reply ? `: ${reply}` : '';
  const low = `${e.originalCode ?? ''} ${e.message ?? ''}`;
  if (handedOver && code === null) {
    // No final reply to the message (a 4xx/5xx after the data is a clear "not taken", handled below).
    const silent = timedOut || e.code === 'ETIMEDOUT' || e.code === 'EABORT';
    const what = silent ? 'did not answer' : 'dropped the connection';
    return new SmtpSendError(`${where} ${what} after the message was handed over; it may have gone out.`, false, silent ? 'timeout' : 'connection', reply, code, true);
  }
  if (timedOut || e.code === 'ETIMEDOUT') {
    return new SmtpSendError(`${where} did not answer in time; Settle will try again.`, true, 'timeout', reply, code);
  }
  if (e.code === 'EABORT') return new SmtpSendError('Sending was cancelled before the server confirmed it.', true, 'other', reply, code);
  if (e.code === 'EAUTH') {
    // 454 and other 4xx: the server's sign-in service is down for now.
    const transient = code !== null && code >= 400 && code < 500;
    return new SmtpSendError(`${where} refused the user name or password${said}`, transient, 'auth', reply, code);
  }
  if (e.code === 'ENOAUTH') return new SmtpSendError(`${where} asks for a sign-in: set the user and password in Settings → Email.`, false, 'auth', reply, code);
  if (e.code === 'ETLS' || TLS_CODES.test(e.originalCode ?? '') || /certificate|ssl|tls/i.test(e.message ?? '')) {
    return new SmtpSendError(tlsMessage(e, where), false, 'tls', reply, code);
  }
  if (code === 530) return new SmtpSendError(`${where} asks for a sign-in: set the user and password in Settings → Email${said}`, false, 'auth', reply, code);
  if (code !== null) {
    // RFC 5321: 4yz is transient, 5yz permanent (nodemailer's `permanent` also treats 503 as transient).
    const transient = e.permanent === undefined ? code < 500 : !e.permanent;
    return new SmtpSendError(`${where} ${transient ? 'turned the message away for now' : 'refused the message'}${said}`, transient, 'rejected', reply, code);
  }
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(low)) {
    return new SmtpSendError(`Could not find the mail server ${where.slice(0, where.lastIndexOf(':'))}: check the host name, or the network.`, true, 'dns', reply, code);
  }
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE/.test(low)) {
    const refused = /ECONNREFUSED/.test(low);
    return new SmtpSendError(
      refused ? `Nothing is answering at ${where} (connection refused): check the host and port.` : `The connection to ${where} dropped: ${scrub(e.message ?? '', password)}`,
      true,
      'connection',
      reply,
      code,
    );
  }
  return new SmtpSendError(`Sending through ${where} failed: ${scrub(e.message ?? String(err), password)}`, false, 'other', reply, code);
}

function checkRecipients(to: string[]): void {
  if (to.length === 0) throw new SmtpSendError('The message has no recipient.', false, 'rejected');
  const bad = to.find((a) => !ADDRESS.test(a));
  if (bad !== undefined) throw new SmtpSendError(`Not an email address: ${JSON.stringify(bad)}`, false, 'rejected');
}

/** One message through one SMTP session, with the server's final reply. */
async function deliver(
  config: SmtpConfig,
  password: string | null,
  message: OutgoingMessage,
  opts: SmtpSenderOptions,
  signal?: AbortSignal,
): Promise<SendReceipt & { response: string | null }> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const t = { ...DEFAULT_SMTP_TIMEOUTS, ...opts.timeouts };
  const where = `${config.host}:${config.port}`;
  checkRecipients(message.to);
  const messageId = messageIdFor(message.idempotencyKey, config.fromAddress);
  const watch = new HandOverWatch();
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.tls === 'implicit',
    requireTLS: config.tls === 'starttls',
    ignoreTLS: config.tls === 'none',
    auth: config.user ? { user: config.user, pass: password ?? '' } : undefined,
    connectionTimeout: t.connectMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
    dnsTimeout: t.connectMs,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...opts.tls },
    // Only to see whether the message was handed over (HandOverWatch); the body is never logged.
    logger: watch.logger,
    transactionLog: true,
    debug: false,
  });
  const deadline = AbortSignal.timeout(t.totalMs);
  const started = Date.now();
  try {
    const info = await transport.sendMail({
      messageId,
      date: clock.now(),
      from: config.fromName ? { name: config.fromName, address: config.fromAddress } : config.fromAddress,
      replyTo: config.replyTo ?? undefined,
      to: message.to,
      envelope: { from: config.fromAddress, to: message.to },
      subject: message.subject.replace(/[\r\n]+/g, ' '),
      text: message.text,
      textEncoding: 'quoted-printable',
      attachments: message.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      })),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    const accepted = [...info.accepted];
    logger.info('email sent', { messageId, recipients: accepted.length, host: config.host, ms: Date.now() - started });
    return { messageId: info.messageId || messageId, accepted, response: info.response ? scrub(info.response.trim(), password) : null };
  } catch (err) {
    const failure = toSmtpSendError(err, where, password, deadline.aborted && !signal?.aborted, watch.handedOver);
    logger.warn('email failed', { kind: failure.kind, transient: failure.transient, maybeDelivered: failure.maybeDelivered, responseCode: failure.responseCode, host: config.host });
    throw failure;
  } finally {
    transport.close();
  }
}

/** A Sender over one SMTP account. The password is held in this closure only. */
export function createSmtpSender(config: SmtpConfig, password: string | null, opts: SmtpSenderOptions = {}): Sender {
  return {
    channel: 'smtp',
    async send(message, signal) {
      const { messageId, accepted } = await deliver(config, password, message, opts, signal);
      return { messageId, accepted };
    },
  };
}

/** The test send behind "Send test email": a short real message, and what the server said. */
export async function sendTestEmail(config: SmtpConfig, password: string | null, to: string, opts: SmtpSenderOptions = {}): Promise<EmailTestResult> {
  const started = Date.now();
  try {
    const r = await deliver(
      config,
      password,
      {
        idempotencyKey: `test:${randomUUID()}`,
        to: [to],
        subject: 'Settle test email',
        text: `This is a test message from Settle.\n\nReminders you approve will be sent through ${config.host} from ${config.fromAddress}.\n`,
        attachments: [],
      },
      { ...opts, timeouts: { ...TEST_TIMEOUTS, ...opts.timeouts } },
    );
    return { ok: true, to, messageId: r.messageId, latencyMs: Date.now() - started, serverReply: r.response };
  } catch (err) {
    const e = err instanceof SmtpSendError ? err : toSmtpSendError(err, `${config.host}:${config.port}`, password);
    return { ok: false, to, kind: e.kind, message: e.message, serverReply: e.serverReply ?? null };
  }
}
