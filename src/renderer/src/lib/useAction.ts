// One action at a time for a form or a dialog: `busy` names the running one (for its spinner)
// and `error` keeps the message of the last failure for the alert.
import { useState } from 'react';

export function useAction<K extends string = 'submit'>(): {
  busy: K | null;
  error: string | null;
  setError(message: string | null): void;
  run(key: K, action: () => Promise<void>): Promise<void>;
} {
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (key: K, action: () => Promise<void>): Promise<void> => {
    setError(null);
    setBusy(key);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, setError, run };
}
