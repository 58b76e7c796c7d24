// A real SMTP server for tests (the `smtp-server` package on 127.0.0.1, a free port by default).
// It speaks the protocol the way a mail provider does: EHLO, STARTTLS (with the package's built-in
// test certificate, which no client trusts), AUTH PLAIN/LOGIN checked against the accounts given
// (wrong ones get `535 Authentication failed`), and replies scripted per stage (`failNext`) for
// 4xx/5xx faults, and lost answers after DATA (`afterData`: the message is kept, as a real server
// would have queued it, then the connection drops or the server goes silent). Every accepted message is kept raw and parsed (headers with RFC 2047 words
// decoded, the text part, attachments as bytes), so tests assert on what a recipient would see.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type SmtpStage = 'connect' | 'auth' | 'mail' | 'rcpt' | 'data';

export interface SmtpFault {
  stage: SmtpStage;
  /** The reply code, e.g. 451 (try later) or 550 (refused). */
  code: number;
  message: string;
  /** How many times in a row (default 1). */
  times?: number;
}

/**
 * What happens after the message data arrived: `drop` closes the connection without a reply,
 * `silent` never answers. Either way the message counts as delivered (it is in `messages`).
 */
export type AfterDataFault = 'drop' | 'silent';

export interface ReceivedAttachment {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  /** The user that signed in for this message, or null. */
  user: string | null;
  /** The session was encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  raw: Buffer;
  /** Lower-cased header names; values unfolded and RFC 2047-decoded, in order. */
  headers: Map<string, string[]>;
  messageId: string | null;
  subject: string;
  from: string;
  to: string;
  replyTo: string | null;
  /** The text/plain part, decoded. */
  text: string;
  attachments: ReceivedAttachment[];
}

export interface FakeSmtpOptions {
  /** Accounts (user → password). When given, a message is only accepted after AUTH. */
  users?: Record<string, string>;
  /** Implicit TLS from the first byte (port 465 style). */
  secure?: boolean;
  /** Do not offer STARTTLS. */
  hideStartTls?: boolean;
  port?: number;
}

export interface FakeSmtp {
  readonly host: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Failed sign-ins, in order (user names only). */
  readonly authFailures: string[];
  /** Scripts the next reply(ies) at one stage. */
  failNext(fault: SmtpFault): void;
  /** Keeps the next message(s), then loses the answer (see AfterDataFault). */
  afterData(fault: AfterDataFault, times?: number): void;
  /** Resolves once `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Forgets messages, failures and scripted faults. */
  reset(): void;
  close(): Promise<void>;
}

class ReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

export async function startFakeSmtp(opts: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  const authFailures: string[] = [];
  const faults: SmtpFault[] = [];
  const waiters = new Set<() => void>();
  const users = opts.users ?? null;
  const afterData: AfterDataFault[] = [];
  /** Client sockets by remote port (every client is on 127.0.0.1), to drop one mid-session. */
  const sockets = new Map<number, Socket>();

  /** The scripted fault for this stage, used up one reply at a time. */
  const take = (stage: SmtpStage): ReplyError | null => {
    const i = faults.findIndex((f) => f.stage === stage);
    if (i < 0) return null;
    const f = faults[i]!;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) faults.splice(i, 1);
    else faults[i] = { ...f, times: left };
    return new ReplyError(f.message, f.code);
  };

  const server = new SMTPServer({
    secure: opts.secure ?? false,
    hideSTARTTLS: opts.hideStartTls ?? false,
    // Hidden is not enough: the package would still accept the command when a client insists.
    disabledCommands: opts.hideStartTls ? ['STARTTLS'] : [],
    authOptional: users === null,
    // Like a submission port behind a test harness: sign-in over plain text is allowed here so
    // tests can exercise AUTH without trusting the built-in certificate.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onConnect(_session, cb) {
      cb(take('connect'));
    },
    onAuth(auth, _session, cb) {
      const fault = take('auth');
      if (fault) return cb(fault);
      const user = auth.username ?? '';
      if (!users || users[user] === undefined || users[user] !== auth.password) {
        authFailures.push(user);
        return cb(new ReplyError('Authentication failed', 535));
      }
      cb(null, { user });
    },
    onMailFrom(_address, _session, cb) {
      cb(take('mail'));
    },
    onRcptTo(_address, _session, cb) {
      cb(take('rcpt'));
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const fault = take('data');
        if (fault) return cb(fault);
        const lost = afterData.shift();
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          ...parseMessage(raw),
          envelope: { from: mailFrom ? mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
          user: typeof session.user === 'string' ? session.user : null,
          secure: session.secure,
          raw,
        });
        for (const w of [...waiters]) w();
        if (lost === 'drop') return void sockets.get(session.remotePort)?.destroy();
        if (lost === 'silent') return; // the callback is never called: no final reply
        cb(null, `OK: queued as ${messages.length}`);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  server.server.on('connection', (sock: Socket) => {
    const remote = sock.remotePort;
    if (remote === undefined) return;
    sockets.set(remote, sock);
    sock.once('close', () => sockets.delete(remote));
  });

  return {
    host: '127.0.0.1',
    port,
    messages,
    authFailures,
    failNext: (fault) => void faults.push(fault),
    afterData: (fault, times = 1) => void afterData.push(...Array<AfterDataFault>(times).fill(fault)),
    waitForMessages(count, timeoutMs = 5_000) {
      if (messages.length >= count) return Promise.resolve(messages.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`The SMTP fake got ${messages.length} of ${count} messages in ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (): void => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice(0, count));
        };
        waiters.add(check);
      });
    },
    reset() {
      messages.splice(0);
      authFailures.splice(0);
      faults.splice(0);
      afterData.splice(0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of [...waiters]) waiters.delete(w);
        server.close(() => resolve());
        // A silent session would otherwise hold the server open until its close timeout.
        for (const sock of sockets.values()) sock.destroy();
      }),
  };
}

// ---- a small MIME reader: enough for what nodemailer writes (RFC 5322, 2045-2047, 2231) ----

type Parsed = Omit<ReceivedMail, 'envelope' | 'user' | 'secure' | 'raw'>;

interface Part {
  headers: Map<string, string[]>;
  body: Buffer;
}

/** Parses one message as a mail client would show it. */
export function parseMessage(raw: Buffer): Parsed {
  const top = splitPart(raw);
  const leaves = flatten(top);
  const textPart = leaves.find((p) => mediaType(p) === 'text/plain' && !isAttachment(p));
  const header = (name: string): string | null => top.headers.get(name)?.[0] ?? null;
  return {
    headers: top.headers,
    messageId: header('message-id'),
    subject: header('subject') ?? '',
    from: header('from') ?? '',
    to: header('to') ?? '',
    replyTo: header('reply-to'),
    text: textPart ? decodeText(textPart) : '',
    attachments: leaves
      .filter((p) => p !== textPart && isAttachment(p))
      .map((p) => ({ filename: filenameOf(p), contentType: mediaType(p), content: decodeBody(p) })),
  };
}

function splitPart(buf: Buffer): Part {
  let end = buf.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = buf.length;
    sep = 0;
  }
  const headers = new Map<string, string[]>();
  const unfolded = buf.subarray(0, end).toString('latin1').replace(/\r\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Header bytes are UTF-8 when nodemailer writes them raw (SMTPUTF8); re-read them as such.
    const value = decodeWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { headers, body: buf.subarray(Math.min(buf.length, end + sep)) };
}

function flatten(part: Part): Part[] {
  const type = mediaType(part);
  if (!type.startsWith('multipart/')) return [part];
  const boundary = param(part.headers.get('content-type')?.[0] ?? '', 'boundary');
  if (!boundary) return [part];
  const delimiter = `--${boundary}`;
  const text = part.body.toString('latin1');
  const pieces = text.split(delimiter).slice(1);
  const out: Part[] = [];
  for (const piece of pieces) {
    if (piece.startsWith('--')) break; // the closing delimiter
    const body = piece.replace(/^\r\n/, '').replace(/\r\n$/, '');
    out.push(...flatten(splitPart(Buffer.from(body, 'latin1'))));
  }
  return out;
}

function mediaType(p: Part): string {
  return (p.headers.get('content-type')?.[0] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
}

function isAttachment(p: Part): boolean {
  const disposition = (p.headers.get('content-disposition')?.[0] ?? '').split(';')[0]!.trim().toLowerCase();
  return disposition === 'attachment' || (disposition === '' && !mediaType(p).startsWith('text/'));
}

function filenameOf(p: Part): string | null {
  return param(p.headers.get('content-disposition')?.[0] ?? '', 'filename') ?? param(p.headers.get('content-type')?.[0] ?? '', 'name');
}

/** A header parameter, with RFC 2231 extended (`name*=utf-8''…`) and continued (`name*0*=`) forms. */
function param(header: string, name: string): string | null {
  const found: { index: number; value: string; extended: boolean }[] = [];
  const re = /;\s*([\w-]+)(\*(\d+))?(\*)?\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)/g;
  for (const m of header.matchAll(re)) {
    if (m[1]!.toLowerCase() !== name) continue;
    const quoted = m[6];
    found.push({ index: m[3] ? Number(m[3]) : 0, value: quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : m[5]!, extended: m[4] === '*' });
  }
  if (found.length === 0) return null;
  found.sort((a, b) => a.index - b.index);
  if (!found.some((f) => f.extended)) return found.map((f) => f.value).join('');
  let charset = 'utf-8';
  const bytes: number[] = [];
  found.forEach((f, i) => {
    let v = f.value;
    if (f.extended && i === 0) {
      const [cs, , rest] = v.split("'");
      charset = cs || 'utf-8';
      v = rest ?? '';
    }
    if (f.extended) v = v.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    for (const ch of v) bytes.push(ch.charCodeAt(0) & 0xff);
  });
  return new TextDecoder(charset).decode(Uint8Array.from(bytes));
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); whitespace between two words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset.split('*')[0]).decode(bytes);
    });
}

function decodeBody(p: Part): Buffer {
  const cte = (p.headers.get('content-transfer-encoding')?.[0] ?? '7bit').trim().toLowerCase();
  if (cte === 'base64') return Buffer.from(p.body.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (cte === 'quoted-printable') {
    const s = p.body
      .toString('latin1')
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(s, 'latin1');
  }
  return p.body;
}

function decodeText(p: Part): string {
  const charset = param(p.headers.get('content-type')?.[0] ?? '', 'charset') ?? 'us-ascii';
  return new TextDecoder(charset).decode(decodeBody(p));
}
