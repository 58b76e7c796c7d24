// The app's Logger port: JSON lines in <userData>/logs/settle.log, rotated by size. Secrets must
// never be logged; as a second line of defence, fields whose names look secret and values that
// look like bearer tokens or API keys are redacted. Writing a log line never throws.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogFields, Logger } from '../core/ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface FileLoggerOptions {
  dir: string;
  file?: string;
  /** Rotate when the file would grow past this many bytes (default 1 MB). */
  maxBytes?: number;
  /** Rotated files kept: settle.log.1 … settle.log.N (default 3). */
  keep?: number;
  /** Lowest level written (default 'info'). */
  level?: LogLevel;
  /** Also print to stderr (development). */
  echo?: boolean;
  now?: () => Date;
}

export interface FileLogger extends Logger {
  readonly path: string;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|passw|authori[sz]ation|api[-_]?key|cookie|credential/i;
const SECRET_VALUE = /\b(?:Bearer\s+[\w.~+/=-]+|sk-[\w-]{16,})/gi;
const MAX_VALUE = 2000;
const RESERVED = new Set(['t', 'level', 'msg']);

export function redactFields(fields: LogFields | undefined): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined || RESERVED.has(key)) continue;
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = redactText(value);
    else out[key] = value;
  }
  return out;
}

function redactText(text: string): string {
  const clean = text.replace(SECRET_VALUE, '[redacted]');
  return clean.length > MAX_VALUE ? `${clean.slice(0, MAX_VALUE)}…` : clean;
}

export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  const path = join(opts.dir, opts.file ?? 'settle.log');
  const maxBytes = opts.maxBytes ?? 1_000_000;
  const keep = Math.max(1, opts.keep ?? 3);
  const min = ORDER[opts.level ?? 'info'];
  const now = opts.now ?? (() => new Date());
  let size = -1;

  const rotate = (): void => {
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    }
    if (existsSync(path)) renameSync(path, `${path}.1`);
    size = 0;
  };

  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[level] < min) return;
    const line = `${JSON.stringify({ t: now().toISOString(), level, msg: redactText(msg), ...redactFields(fields) })}\n`;
    if (opts.echo) process.stderr.write(line);
    try {
      if (size < 0) {
        mkdirSync(opts.dir, { recursive: true });
        size = existsSync(path) ? statSync(path).size : 0;
      }
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(path, line, { mode: 0o600 });
      size += bytes;
    } catch {
      // A full disk or a read-only folder must not take the app down with it.
      size = -1;
    }
  };

  return {
    path,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
