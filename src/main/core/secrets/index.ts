// Picks the SecretStore for a host: the OS keychain by default, the file store when
// SETTLE_SECRET_STORE=file (no usable keychain), or memory (throwaway runs and tests).
// The keychain adapter lives in the shell, so the host passes a factory for it.
import { SettleError } from '../../../shared/errors';
import type { Logger, SecretStore } from '../ports';
import { createFileSecretStore } from './file-store';
import { memorySecretStore } from './memory';

export { createFileSecretStore, SECRET_FILE, type FileSecretStore } from './file-store';
export { memorySecretStore, type MemorySecretStore } from './memory';

export type SecretStoreKind = 'keychain' | 'file' | 'memory';

export interface ChosenSecretStore {
  kind: SecretStoreKind;
  store: SecretStore;
  /** Shown by the host (settings, CLI stderr) while a weaker store is in use; null for the keychain. */
  warning: string | null;
}

export function chooseSecretStore(opts: {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  keychain: () => SecretStore;
  logger?: Logger;
}): ChosenSecretStore {
  const raw = (opts.env ?? process.env).SETTLE_SECRET_STORE?.trim().toLowerCase() || 'keychain';
  switch (raw) {
    case 'keychain':
      return { kind: 'keychain', store: opts.keychain(), warning: null };
    case 'file': {
      const store = createFileSecretStore({ dataDir: opts.dataDir, logger: opts.logger });
      return { kind: 'file', store, warning: store.warning };
    }
    case 'memory':
      return { kind: 'memory', store: memorySecretStore(), warning: 'Secrets are kept in memory only; connections are forgotten when Settle quits.' };
    default:
      throw new SettleError('invalid_input', `SETTLE_SECRET_STORE must be keychain, file or memory, not "${raw}"`);
  }
}
