// Shared pieces for the drafting integration tests: an in-memory SecretStore and a logger that
// records everything, so tests can prove the API key never reaches a log line.
import type { LogFields, Logger, SecretStore } from '../../../src/main/core/ports';

export function memorySecrets(initial: Record<string, string> = {}): SecretStore & { store: Map<string, string> } {
  const store = new Map(Object.entries(initial));
  return {
    store,
    get: async (k) => store.get(k) ?? null,
    set: async (k, v) => void store.set(k, v),
    delete: async (k) => store.delete(k),
  };
}

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (msg: string, fields?: LogFields): void =>
      void lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
