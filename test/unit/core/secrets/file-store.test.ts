import { chmodSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../src/main/core/ports';
import { chooseSecretStore, createFileSecretStore, memorySecretStore, SECRET_FILE } from '../../../../src/main/core/secrets';
import { SettleError } from '../../../../src/shared/errors';
import { tempDir } from '../../../support/tmp';

const posix = process.platform !== 'win32';

// Lets one test make the final rename fail (a full disk, an I/O error) without touching the rest.
const io = vi.hoisted(() => ({ failRename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...orig,
    rename: (from: string, to: string) =>
      io.failRename ? Promise.reject(Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' })) : orig.rename(from, to),
  };
});
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function dataDir(): string {
  const d = tempDir('settle-secrets-');
  dirs.push(d);
  return join(d.path, 'data'); // not created yet: the store makes it
}

const mode = (p: string): number => statSync(p).mode & 0o777;

function spyLogger() {
  const warn = vi.fn<Logger['warn']>();
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
  return Object.assign(logger, { warn });
}

describe('secrets/file-store: SETTLE_SECRET_STORE=file', () => {
  it('stores, reads back after reopening, and deletes', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    expect(store.path).toBe(join(dir, SECRET_FILE));
    await expect(store.get('qbo:c1')).resolves.toBeNull();
    await store.set('qbo:c1', '{"refreshToken":"RT1"}');
    await store.set('xero:c2', 'second');
    const reopened = createFileSecretStore({ dataDir: dir });
    await expect(reopened.get('qbo:c1')).resolves.toBe('{"refreshToken":"RT1"}');
    await expect(reopened.get('xero:c2')).resolves.toBe('second');
    await expect(reopened.delete('qbo:c1')).resolves.toBe(true);
    await expect(reopened.delete('qbo:c1')).resolves.toBe(false);
    await expect(createFileSecretStore({ dataDir: dir }).get('qbo:c1')).resolves.toBeNull();
  });

  it('has a warning for the host to show', () => {
    const store = createFileSecretStore({ dataDir: dataDir() });
    expect(store.warning).toContain('Secrets are in a file, not the OS keychain');
  });

  it.runIf(posix)('creates the file 0600 (whatever the umask) and keeps it 0600 across writes', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    const old = process.umask(0o000);
    try {
      await store.set('qbo:c1', 'one');
      expect(mode(store.path)).toBe(0o600);
      await store.set('qbo:c1', 'two');
      expect(mode(store.path)).toBe(0o600);
    } finally {
      process.umask(old);
    }
    expect(mode(dir)).toBe(0o700);
  });

  it.runIf(posix)('tightens a group/world-readable file back to 0600 and logs it', async () => {
    const dir = dataDir();
    const logger = spyLogger();
    const store = createFileSecretStore({ dataDir: dir, logger });
    await store.set('qbo:c1', 'one');
    chmodSync(store.path, 0o644);
    await expect(store.get('qbo:c1')).resolves.toBe('one');
    expect(mode(store.path)).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('permissions reset to 0600'), expect.objectContaining({ mode: '644' }));
  });

  it.runIf(posix)('refuses a symlink', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    await store.set('a:b', 'x'); // creates the folder
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ version: 1, secrets: { 'a:b': 'planted' } }), { mode: 0o600 });
    const linked = createFileSecretStore({ dataDir: dir, fileName: 'linked.json' });
    symlinkSync(elsewhere, join(dir, 'linked.json'));
    await expect(linked.get('a:b')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not a regular file') });
  });

  it('writes atomically: a temp file renamed over the old one, no leftovers', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    await store.set('qbo:c1', 'one');
    const before = readFileSync(store.path, 'utf8');
    // Every write lands whole; concurrent writes are serialised and none is lost.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`acct:${i}`, `secret-${i}`)));
    const parsed = JSON.parse(readFileSync(store.path, 'utf8')) as { version: number; secrets: Record<string, string> };
    expect(parsed.version).toBe(1);
    expect(Object.keys(parsed.secrets)).toHaveLength(21);
    expect(before).not.toBe(readFileSync(store.path, 'utf8'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old file intact, and no temp file, when a write fails', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    await store.set('qbo:c1', 'one');
    io.failRename = true;
    try {
      const err = await store.set('qbo:c1', 'two').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SettleError);
      expect(err).toMatchObject({ code: 'unavailable', message: expect.stringContaining('could not write') });
      expect((err as Error).message).not.toContain('two');
    } finally {
      io.failRename = false;
    }
    await expect(store.get('qbo:c1')).resolves.toBe('one');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a damaged file and never overwrites it', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir });
    await store.set('qbo:c1', 'one');
    writeFileSync(store.path, '{"version":1,"secr', { mode: 0o600 });
    await expect(store.get('qbo:c1')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('damaged') });
    await expect(store.set('qbo:c1', 'two')).rejects.toMatchObject({ message: expect.stringContaining('damaged') });
    expect(readFileSync(store.path, 'utf8')).toBe('{"version":1,"secr');
  });

  it('validates account names and refuses empty secrets, like the keychain', async () => {
    const store = createFileSecretStore({ dataDir: dataDir() });
    await expect(store.set('bad name!', 'x')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.set('qbo:c1', '')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.get('__proto__')).resolves.toBeNull();
  });

  it('is what SETTLE_SECRET_STORE=file chooses', () => {
    const dir = dataDir();
    const keychain = vi.fn(() => memorySecretStore());
    const file = chooseSecretStore({ env: { SETTLE_SECRET_STORE: 'file' }, dataDir: dir, keychain });
    expect(file.kind).toBe('file');
    expect(file.warning).toContain('not the OS keychain');
    expect(keychain).not.toHaveBeenCalled();
    expect(existsSync(dir)).toBe(false); // nothing is written until a secret is
    expect(chooseSecretStore({ env: {}, dataDir: dir, keychain })).toMatchObject({ kind: 'keychain', warning: null });
    expect(chooseSecretStore({ env: { SETTLE_SECRET_STORE: 'memory' }, dataDir: dir, keychain }).kind).toBe('memory');
    expect(() => chooseSecretStore({ env: { SETTLE_SECRET_STORE: 'vault' }, dataDir: dir, keychain })).toThrow(/keychain, file or memory/);
  });
});

describe('secrets/memory', () => {
  it('behaves like a SecretStore', async () => {
    const store = memorySecretStore({ 'qbo:c1': 'x' });
    await expect(store.get('qbo:c1')).resolves.toBe('x');
    await store.set('qbo:c2', 'y');
    expect([...store.entries.keys()]).toEqual(['qbo:c1', 'qbo:c2']);
    await expect(store.delete('qbo:c1')).resolves.toBe(true);
    await expect(store.set('qbo:c3', '')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.get('no spaces allowed')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
