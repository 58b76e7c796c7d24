import { describe, expect, it, vi } from 'vitest';
import { createKeychainStore, KEYCHAIN_SERVICE, type KeytarLike } from '../../../src/main/shell/keychain';
import { SettleError } from '../../../src/shared/errors';

function memoryKeytar(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (s: string, a: string): string => `${s}\u0000${a}`;
  return {
    entries,
    getPassword: (s, a) => Promise.resolve(entries.get(key(s, a)) ?? null),
    setPassword: (s, a, p) => {
      entries.set(key(s, a), p);
      return Promise.resolve();
    },
    deletePassword: (s, a) => Promise.resolve(entries.delete(key(s, a))),
  };
}

describe('shell/keychain: SecretStore over keytar (fake backend)', () => {
  it("stores under the service 'Settle' with the account as given", async () => {
    const keytar = memoryKeytar();
    const store = createKeychainStore({ load: () => Promise.resolve(keytar) });
    expect(KEYCHAIN_SERVICE).toBe('Settle');
    await store.set('qbo:conn-1', 'refresh-token-value');
    expect([...keytar.entries.keys()]).toEqual(['Settle\u0000qbo:conn-1']);
    await expect(store.get('qbo:conn-1')).resolves.toBe('refresh-token-value');
    await expect(store.get('xero:missing')).resolves.toBeNull();
    await expect(store.delete('qbo:conn-1')).resolves.toBe(true);
    await expect(store.delete('qbo:conn-1')).resolves.toBe(false);
  });

  it('loads keytar once, lazily', async () => {
    const load = vi.fn(() => Promise.resolve(memoryKeytar()));
    const store = createKeychainStore({ load });
    expect(load).not.toHaveBeenCalled();
    await store.get('a');
    await store.get('b');
    expect(load).toHaveBeenCalledOnce();
  });

  it('reports a missing keychain as unavailable, and retries the load later', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('libsecret-1.so.0: cannot open shared object file')).mockResolvedValue(memoryKeytar());
    const store = createKeychainStore({ load });
    const err = await store.get('qbo:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettleError);
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringContaining('keychain is not available') });
    await expect(store.get('qbo:1')).resolves.toBeNull();
  });

  it('maps backend failures to unavailable without echoing the secret', async () => {
    const keytar = memoryKeytar();
    keytar.setPassword = () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    const store = createKeychainStore({ load: () => Promise.resolve(keytar) });
    const err = (await store.set('qbo:1', 'super-secret-value').catch((e: unknown) => e)) as SettleError;
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('D-Bus');
    expect(err.message).not.toContain('super-secret-value');
  });

  it('refuses empty secrets and odd account names', async () => {
    const store = createKeychainStore({ load: () => Promise.resolve(memoryKeytar()) });
    await expect(store.set('qbo:1', '')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.get('')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.get('a b')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.delete('x'.repeat(201))).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
