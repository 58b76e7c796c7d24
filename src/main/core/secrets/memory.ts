// An in-memory SecretStore for tests and throwaway cores. Nothing survives the process.
import { SettleError } from '../../../shared/errors';
import type { SecretStore } from '../ports';
import { checkAccount } from './account';

export interface MemorySecretStore extends SecretStore {
  /** The stored secrets, for assertions. */
  readonly entries: Map<string, string>;
}

export function memorySecretStore(initial: Record<string, string> = {}): MemorySecretStore {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    get: (account) => Promise.resolve().then(() => entries.get(checkAccount(account)) ?? null),
    set: (account, secret) =>
      Promise.resolve().then(() => {
        const name = checkAccount(account);
        if (typeof secret !== 'string' || secret.length === 0) {
          throw new SettleError('invalid_input', 'A secret cannot be empty; delete it instead');
        }
        entries.set(name, secret);
      }),
    delete: (account) => Promise.resolve().then(() => entries.delete(checkAccount(account))),
  };
}
