// The SecretStore port over the OS keychain (macOS Keychain, Windows Credential Manager, the
// Secret Service on Linux) via keytar. Secrets live only here, never in SQLite, logs or IPC.
// keytar is loaded on first use, so a machine without a keychain still starts and the failure
// is reported where a secret is needed. No electron import, so it is tested for real.
import { createRequire } from 'node:module';
import { SettleError } from '../../shared/errors';
import type { SecretStore } from '../core/ports';

export const KEYCHAIN_SERVICE = 'Settle';

/** The three keytar calls used (keytar's module satisfies it). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeychainOptions {
  /** The keychain service name; accounts are like 'qbo:<connectionId>'. */
  service?: string;
  /** Loads keytar (tests pass a fake). */
  load?: () => Promise<KeytarLike>;
}

const ACCOUNT = /^[\w.:@-]{1,200}$/;

// require, not import(): the CommonJS loader reads packages inside app.asar reliably, and keytar
// is a CommonJS native module (https://github.com/electron/electron/issues/38957).
function loadKeytar(): Promise<KeytarLike> {
  return Promise.resolve().then(() => createRequire(import.meta.url)('keytar') as KeytarLike);
}

export function createKeychainStore(opts: KeychainOptions = {}): SecretStore {
  const service = opts.service ?? KEYCHAIN_SERVICE;
  const load = opts.load ?? loadKeytar;
  let backend: Promise<KeytarLike> | undefined;

  const use = async <T>(what: string, fn: (k: KeytarLike) => Promise<T>): Promise<T> => {
    let keytar: KeytarLike;
    try {
      keytar = await (backend ??= load());
    } catch (err) {
      backend = undefined; // try again next time (e.g. after the user installs a keyring)
      throw new SettleError('unavailable', `The system keychain is not available (${describe(err)}).`);
    }
    try {
      return await fn(keytar);
    } catch (err) {
      throw unavailable(what, err);
    }
  };

  return {
    get: (account) => use('read', (k) => k.getPassword(service, checkAccount(account))),
    set: (account, secret) => {
      const name = checkAccount(account);
      if (typeof secret !== 'string' || secret.length === 0) {
        return Promise.reject(new SettleError('invalid_input', 'A secret cannot be empty; delete it instead'));
      }
      return use('write', (k) => k.setPassword(service, name, secret));
    },
    delete: (account) => use('delete', (k) => k.deletePassword(service, checkAccount(account))),
  };
}

function checkAccount(account: string): string {
  if (typeof account !== 'string' || !ACCOUNT.test(account)) {
    throw new SettleError('invalid_input', 'A keychain account name is 1-200 letters, digits or . : @ _ -');
  }
  return account;
}

/** keytar's messages name the failing API, never the secret; they are kept for the log. */
function unavailable(what: string, err: unknown): SettleError {
  if (err instanceof SettleError) return err;
  return new SettleError('unavailable', `The system keychain could not ${what} a secret (${describe(err)}).`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
