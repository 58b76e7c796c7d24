// A small structured logger for plain-Node hosts. Fields are flat scalars by type, which keeps
// objects holding secrets (tokens, keys) from being dumped into a log by accident.
import type { LogFields, Logger } from './ports';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export function formatLine(level: Level, msg: string, fields: LogFields | undefined, at: Date): string {
  return JSON.stringify({ at: at.toISOString(), level, msg, ...fields });
}

/** Logs to stderr at `min` and above. */
export function consoleLogger(min: Level = 'info'): Logger {
  const threshold = LEVELS.indexOf(min);
  const write = (level: Level) => (msg: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) >= threshold) process.stderr.write(`${formatLine(level, msg, fields, new Date())}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
