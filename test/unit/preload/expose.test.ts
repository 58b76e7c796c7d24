import { describe, expect, it, vi } from 'vitest';
// Before expose.ts: the names the build would inline.
import '../../support/contract-names';
import { EVENT_NAMES, IPC_PREFIX, METHOD_NAMES } from '../../../src/shared/contract';
import { buildSettleApi, PRELOAD_EVENT_NAMES, PRELOAD_METHOD_NAMES, type SubscribeChannel } from '../../../src/preload/expose';

function fakes() {
  const invoke = vi.fn((channel: string, input: unknown) => Promise.resolve({ ok: true, value: { channel, input } }));
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const subscribe = vi.fn<SubscribeChannel>((channel, listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  });
  const emit = (channel: string, payload: unknown): void => listeners.get(channel)?.forEach((l) => l(payload));
  return { invoke, subscribe, emit, listeners };
}

const asRecord = (v: unknown) => v as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;

describe('preload: window.settle builder', () => {
  it('lists exactly the contract methods and events', () => {
    expect([...PRELOAD_METHOD_NAMES].sort()).toEqual([...METHOD_NAMES].sort());
    expect([...PRELOAD_EVENT_NAMES].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('exposes one function per method at settle.<domain>.<verb>, plus on, and nothing else', () => {
    const api = asRecord(buildSettleApi(fakes().invoke, fakes().subscribe));
    const exposed: string[] = [];
    for (const [domain, group] of Object.entries(api)) {
      if (domain === 'on') {
        expect(typeof group).toBe('function');
        continue;
      }
      for (const [verb, fn] of Object.entries(group)) {
        expect(typeof fn).toBe('function');
        exposed.push(`${domain}.${verb}`);
      }
    }
    expect(exposed.sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(api).sort()).toEqual([...new Set(METHOD_NAMES.map((m) => m.split('.')[0]!)), 'on'].sort());
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('calls the method channel with the input, and only the input', async () => {
    const f = fakes();
    const api = asRecord(buildSettleApi(f.invoke, f.subscribe));
    for (const method of METHOD_NAMES) {
      const [domain, verb] = method.split('.') as [string, string];
      const input = { probe: method };
      const call = api[domain]![verb]! as (...args: unknown[]) => Promise<unknown>;
      await expect(call(input, 'extra', 42)).resolves.toEqual({ ok: true, value: { channel: `${IPC_PREFIX}${method}`, input } });
      expect(f.invoke).toHaveBeenLastCalledWith(`${IPC_PREFIX}${method}`, input);
      expect(f.invoke.mock.lastCall).toHaveLength(2);
    }
    expect(f.invoke).toHaveBeenCalledTimes(METHOD_NAMES.length);
    const [domain, verb] = METHOD_NAMES[0]!.split('.') as [string, string];
    await api[domain]![verb]!();
    expect(f.invoke).toHaveBeenLastCalledWith(`${IPC_PREFIX}${METHOD_NAMES[0]!}`, undefined);
  });

  it('on() listens on the event channel and returns a working unsubscribe', () => {
    const f = fakes();
    const api = buildSettleApi(f.invoke, f.subscribe);
    const got: unknown[] = [];
    const off = api.on('sync.progress', (p) => got.push(p));
    expect(f.subscribe).toHaveBeenCalledWith('settle:event:sync.progress', expect.any(Function));

    const payload = { phase: 'customers', done: 1, total: 2 };
    f.emit('settle:event:sync.progress', payload);
    f.emit('settle:event:ledger.changed', { other: true });
    expect(got).toEqual([payload]);

    off();
    off(); // idempotent
    f.emit('settle:event:sync.progress', payload);
    expect(got).toHaveLength(1);
    expect(f.listeners.get('settle:event:sync.progress')?.size).toBe(0);
  });

  it('refuses unknown events and non-function listeners', () => {
    const f = fakes();
    const api = buildSettleApi(f.invoke, f.subscribe) as unknown as { on(e: string, l: unknown): () => void };
    expect(() => api.on('../../secret', () => {})).toThrow(TypeError);
    expect(() => api.on('sync.progress', 'nope')).toThrow(TypeError);
    expect(f.subscribe).not.toHaveBeenCalled();
  });
});
