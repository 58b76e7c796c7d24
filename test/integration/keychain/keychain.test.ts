// Round-trips secrets through the real OS keychain via keytar. Uses its own service name and
// random accounts, and deletes what it wrote, so a developer's keychain is left as it was.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeychainStore } from '../../../src/main/shell/keychain';

const service = `Settle-test-${process.pid}`;
const store = createKeychainStore({ service });
const accounts = [`qbo:${randomUUID()}`, `xero:${randomUUID()}`];

afterAll(async () => {
  for (const account of accounts) await store.delete(account).catch(() => false);
});

describe('keychain (real keytar)', () => {
  it('returns null for a secret that was never stored', async () => {
    await expect(store.get(`missing:${randomUUID()}`)).resolves.toBeNull();
  });

  it('sets, gets, replaces and deletes a secret', async () => {
    const [account] = accounts as [string];
    const token = JSON.stringify({ refresh_token: randomUUID(), expires_at: '2030-01-01T00:00:00Z', note: 'ünïcødé ✓' });
    await store.set(account, token);
    await expect(store.get(account)).resolves.toBe(token);

    await store.set(account, 'rotated');
    await expect(store.get(account)).resolves.toBe('rotated');

    await expect(store.delete(account)).resolves.toBe(true);
    await expect(store.get(account)).resolves.toBeNull();
    await expect(store.delete(account)).resolves.toBe(false);
  });

  it('keeps accounts apart', async () => {
    const [a, b] = accounts as [string, string];
    await store.set(a, 'secret-a');
    await store.set(b, 'secret-b');
    await expect(store.get(a)).resolves.toBe('secret-a');
    await expect(store.get(b)).resolves.toBe('secret-b');
    await store.delete(a);
    await expect(store.get(b)).resolves.toBe('secret-b');
  });
});
