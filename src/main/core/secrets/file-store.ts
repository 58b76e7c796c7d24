// A SecretStore in a JSON file in the data folder, for machines without a usable OS keychain
// (headless Linux, CI, containers): chosen with SETTLE_SECRET_STORE=file. It is weaker than the
// keychain (anyone who can read your files as you can read it), so the host shows `warning`.
//
// Permissions: the file is created 0600 inside the data folder. If it is found group- or
// world-accessible it is tightened back to 0600 and a warning is logged, rather than refused:
// refusing would lock the owner out of their own connections and would not un-expose what was
// already readable, while fixing it closes the hole from now on. What we do refuse is a file we
// cannot trust at all: a symlink, something that is not a regular file, or a file owned by
// another user (someone else could have planted tokens for us to use). Mode bits mean nothing
// on Windows, where the folder's ACL (the user profile) is what protects it.
//
// Writes are atomic: a temp file in the same folder (created 0600, exclusive), fsync, rename.
// Writers in this process are serialised; two processes writing at once may lose one update.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SettleError } from '../../../shared/errors';
import type { Logger, SecretStore } from '../ports';
import { checkAccount } from './account';

export const SECRET_FILE = 'secrets.json';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

const FileShape = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });
type FileShape = z.infer<typeof FileShape>;

export interface FileSecretStore extends SecretStore {
  readonly path: string;
  /** What the host shows the owner while this store is in use. */
  readonly warning: string;
}

export interface FileSecretStoreOptions {
  /** The data folder; the file is `secrets.json` in it. */
  dataDir: string;
  /** Another file name inside dataDir (tests). */
  fileName?: string;
  logger?: Logger;
  /** Platform for the permission checks (tests); defaults to process.platform. */
  platform?: NodeJS.Platform;
}

export function createFileSecretStore(opts: FileSecretStoreOptions): FileSecretStore {
  const file: SecretFile = {
    dir: opts.dataDir,
    fileName: opts.fileName ?? SECRET_FILE,
    path: join(opts.dataDir, opts.fileName ?? SECRET_FILE),
    posix: (opts.platform ?? process.platform) !== 'win32',
    logger: opts.logger,
  };
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs read-modify-write steps one at a time, so two `set`s never lose each other. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    path: file.path,
    warning: `Secrets are in a file, not the OS keychain (${file.path}). Anyone who can read your files can read them.`,
    get: (account) =>
      serial(async () => {
        const name = checkAccount(account);
        const data = await readSecrets(file);
        return Object.hasOwn(data.secrets, name) ? (data.secrets[name] ?? null) : null;
      }),
    set: (account, secret) =>
      serial(async () => {
        const name = checkAccount(account);
        if (typeof secret !== 'string' || secret.length === 0) {
          throw new SettleError('invalid_input', 'A secret cannot be empty; delete it instead');
        }
        const data = await readSecrets(file);
        data.secrets[name] = secret;
        await writeSecrets(file, data);
      }),
    delete: (account) =>
      serial(async () => {
        const name = checkAccount(account);
        const data = await readSecrets(file);
        if (!Object.hasOwn(data.secrets, name)) return false;
        delete data.secrets[name];
        await writeSecrets(file, data);
        return true;
      }),
  };
}

/** Where the secrets live and how to treat the file. */
interface SecretFile {
  /** The data folder. */
  dir: string;
  fileName: string;
  path: string;
  /** Whether mode bits and owners mean anything (not on Windows). */
  posix: boolean;
  logger: Logger | undefined;
}

/** Whether the file exists; throws for one we cannot trust, and tightens one others can read. */
async function checkFile(file: SecretFile): Promise<boolean> {
  const { path } = file;
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return false;
    throw unavailable(`could not inspect ${path}`, err);
  }
  if (st.isSymbolicLink() || !st.isFile()) {
    throw new SettleError('unavailable', `The secret file ${path} is not a regular file; Settle will not use it. Move it aside and reconnect.`);
  }
  if (file.posix) {
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw new SettleError('unavailable', `The secret file ${path} belongs to another user; Settle will not use it. Move it aside and reconnect.`);
    }
    if ((st.mode & 0o077) !== 0) {
      await chmod(path, FILE_MODE).catch((err: unknown) => {
        throw unavailable(`could not restrict the permissions of ${path}`, err);
      });
      file.logger?.warn('secret file was readable by others; permissions reset to 0600', {
        path,
        mode: (st.mode & 0o777).toString(8),
      });
    }
  }
  return true;
}

async function readSecrets(file: SecretFile): Promise<FileShape> {
  const { path } = file;
  if (!(await checkFile(file))) return { version: 1, secrets: {} };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw unavailable(`could not read ${path}`, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = FileShape.safeParse(parsed);
  if (!result.success) {
    // Never overwrite it: it may be recoverable by hand, and silently starting empty would
    // look like every connection was revoked.
    throw new SettleError(
      'unavailable',
      `The secret file ${path} is damaged. Settle left it untouched; move it aside and reconnect your companies.`,
    );
  }
  return result.data;
}

async function writeSecrets(file: SecretFile, data: FileShape): Promise<void> {
  const { dir, path, posix } = file;
  await mkdir(dir, { recursive: true, mode: DIR_MODE }).catch((err: unknown) => {
    throw unavailable(`could not create the folder ${dir}`, err);
  });
  const tmp = join(dir, `.${file.fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (posix) await chmod(tmp, FILE_MODE); // in case an odd umask or ACL widened it
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw unavailable(`could not write ${path}`, err);
  }
  if (posix) await syncDir(dir);
}

/** Makes the rename durable; best effort (some file systems refuse to fsync a folder). */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Not every platform lets you fsync a directory; the rename itself is still atomic.
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** File-system messages name the path and the errno, never a secret. */
function unavailable(what: string, err: unknown): SettleError {
  if (err instanceof SettleError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SettleError('unavailable', `Settle ${what} (${detail}).`);
}
