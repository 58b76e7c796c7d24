import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, redactFields } from '../../../src/main/shell/file-logger';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settle-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('shell/file-logger', () => {
  it('writes JSON lines at or above its level, creating the folder', () => {
    const log = createFileLogger({ dir: join(dir, 'logs'), now: () => new Date('2025-03-01T10:00:00Z') });
    log.debug('hidden');
    log.info('sync done', { connectionId: 'qbo-1', rows: 12, ok: true, skipped: undefined });
    log.error('boom', { msg: 'cannot override the message' });
    expect(lines(log.path)).toEqual([
      { t: '2025-03-01T10:00:00.000Z', level: 'info', msg: 'sync done', connectionId: 'qbo-1', rows: 12, ok: true },
      { t: '2025-03-01T10:00:00.000Z', level: 'error', msg: 'boom' },
    ]);
    if (process.platform !== 'win32') expect(statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('redacts secret-looking fields and values', () => {
    expect(
      redactFields({
        accessToken: 'abc',
        refresh_token: 'def',
        password: 'p',
        apiKey: 'k',
        Authorization: 'Bearer xyz',
        note: 'header was Bearer eyJhbGciOi.payload.sig and key sk-proj-abcdefghijklmnop1234',
        count: 3,
      }),
    ).toEqual({
      accessToken: '[redacted]',
      refresh_token: '[redacted]',
      password: '[redacted]',
      apiKey: '[redacted]',
      Authorization: '[redacted]',
      note: 'header was [redacted] and key [redacted]',
      count: 3,
    });
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const log = createFileLogger({ dir, maxBytes: 300, keep: 2 });
    for (let i = 0; i < 40; i++) log.info('line', { i, pad: 'x'.repeat(40) });
    expect(readdirSync(dir).sort()).toEqual(['settle.log', 'settle.log.1', 'settle.log.2']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(300);
    expect(lines(log.path).at(-1)).toMatchObject({ i: 39 });
  });

  it('never throws when the folder cannot be written', () => {
    createFileLogger({ dir }).info('x'); // settle.log is a file, so it cannot be a folder
    const log = createFileLogger({ dir: join(dir, 'settle.log', 'nested') });
    expect(() => log.error('still fine')).not.toThrow();
  });
});
