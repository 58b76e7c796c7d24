// The scheduler on injected timers: the test decides when time passes.
import { describe, expect, it, vi } from 'vitest';
import type { SyncTrigger } from '../../../../src/main/core/sync/engine';
import { ReportedNetwork } from '../../../../src/main/core/sync/reported-network';
import { SyncScheduler, type OnlineSource, type Timers } from '../../../../src/main/core/sync/scheduler';

const MIN = 60_000;
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function fakeTimers(): Timers & { advance(ms: number): Promise<void>; pending(): number[] } {
  let now = 0;
  let id = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      timers.set(++id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}

function network(online = true): OnlineSource & { set(v: boolean): void; listeners: Set<(o: boolean) => void> } {
  let state = online;
  const listeners = new Set<(o: boolean) => void>();
  return {
    listeners,
    isOnline: () => state,
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(v) {
      state = v;
      for (const l of listeners) l(v);
    },
  };
}

/** A run the test can hold open. */
function runner() {
  const triggers: SyncTrigger[] = [];
  const signals: AbortSignal[] = [];
  let gate: Promise<void> | null = null;
  let open: (() => void) | null = null;
  let active = 0;
  let peak = 0;
  const run = vi.fn(async (trigger: SyncTrigger, signal: AbortSignal) => {
    triggers.push(trigger);
    signals.push(signal);
    active++;
    peak = Math.max(peak, active);
    try {
      if (gate) await gate;
      return triggers.length;
    } finally {
      active--;
    }
  });
  return {
    run,
    triggers,
    signals,
    peak: () => peak,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open?.();
    },
  };
}

describe('sync/scheduler', () => {
  it('syncs shortly after start, then every N minutes counted from the end of the last run', async () => {
    const timers = fakeTimers();
    const r = runner();
    let minutes = 15;
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => minutes, timers, startDelayMs: 3000 });
    s.start();
    s.start(); // idempotent
    await timers.advance(2999);
    expect(r.triggers).toEqual([]);
    await timers.advance(1);
    expect(r.triggers).toEqual(['start']);
    expect(timers.pending()).toEqual([15 * MIN]);
    await timers.advance(15 * MIN);
    expect(r.triggers).toEqual(['start', 'interval']);
    minutes = 60; // the setting is read each time
    await timers.advance(15 * MIN);
    expect(r.triggers).toEqual(['start', 'interval', 'interval']);
    await timers.advance(59 * MIN);
    expect(r.triggers).toHaveLength(3);
    await timers.advance(MIN);
    expect(r.triggers).toHaveLength(4);
    await s.stop();
  });

  it('never overlaps: Sync now and the online event join the run going, and no tick fires during it', async () => {
    const timers = fakeTimers();
    const net = network(true);
    const r = runner();
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => 5, timers, network: net, startDelayMs: 0 });
    r.hold();
    s.start();
    await timers.advance(0);
    expect(s.running).toBe(true);
    const now1 = s.syncNow();
    const now2 = s.syncNow();
    expect(now2).toBe(now1);
    net.set(false);
    net.set(true);
    await timers.advance(60 * MIN); // a long run: no interval tick piles up behind it
    expect(r.triggers).toEqual(['start']);
    r.release();
    await expect(now1).resolves.toEqual({ ran: true, trigger: 'start', value: 1 });
    expect(r.peak()).toBe(1);
    expect(s.running).toBe(false);
    expect(timers.pending()).toEqual([5 * MIN]);
    await expect(s.syncNow()).resolves.toMatchObject({ ran: true, trigger: 'manual' });
    await s.stop();
  });

  it('syncs when the network comes back, and not while it is away', async () => {
    const timers = fakeTimers();
    const net = network(true);
    const r = runner();
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => 10, timers, network: net, startDelayMs: 0 });
    s.start();
    await timers.advance(0);
    expect(r.triggers).toEqual(['start']);
    net.set(true); // still online: not a change
    await flush();
    expect(r.triggers).toHaveLength(1);
    net.set(false);
    await timers.advance(10 * MIN); // interval tick while offline: skipped, re-armed
    expect(r.triggers).toHaveLength(1);
    expect(timers.pending()).toEqual([10 * MIN]);
    await expect(s.syncNow()).resolves.toEqual({ ran: false, trigger: 'manual', reason: 'offline' });
    net.set(true);
    await flush();
    expect(r.triggers).toEqual(['start', 'online']);
    await s.stop();
  });

  it("hears browser mode's page reports (ReportedNetwork): an 'online' whose 'offline' never arrived still counts as coming back", async () => {
    const timers = fakeTimers();
    const net = new ReportedNetwork();
    const r = runner();
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => 60, timers, network: net, startDelayMs: 0 });
    s.start();
    await timers.advance(0);
    // The page went offline and could not tell the core; now it is back.
    net.report(true);
    await flush();
    expect(r.triggers).toEqual(['start', 'online']);
    // Offline reported: no sync, and Sync now waits for the network.
    net.report(false);
    expect(net.isOnline()).toBe(false);
    await expect(s.syncNow()).resolves.toMatchObject({ ran: false, reason: 'offline' });
    net.report(true);
    await flush();
    expect(r.triggers).toEqual(['start', 'online', 'online']);
    await s.stop();
  });

  it('polls isOnline when the network port has no change events', async () => {
    const timers = fakeTimers();
    let online = true;
    const r = runner();
    const s = new SyncScheduler({
      run: r.run,
      intervalMinutes: () => 60,
      timers,
      network: { isOnline: () => online },
      startDelayMs: 0,
      onlinePollMs: 30_000,
    });
    s.start();
    await timers.advance(0);
    online = false;
    await timers.advance(30_000);
    online = true;
    await timers.advance(30_000);
    expect(r.triggers).toEqual(['start', 'online']);
    await s.stop();
    expect(timers.pending()).toEqual([]);
  });

  it('keeps its schedule after a failed run', async () => {
    const timers = fakeTimers();
    const run = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue('ok');
    const s = new SyncScheduler({ run, intervalMinutes: () => 5, timers, startDelayMs: 0 });
    s.start();
    await timers.advance(0);
    await expect(s.syncNow()).resolves.toMatchObject({ ran: true, value: 'ok' });
    expect(run).toHaveBeenCalledTimes(2);
    expect(timers.pending()).toEqual([5 * MIN]);
    await s.stop();
  });

  it('reschedule() re-times the next tick; 0 minutes turns the timer off', async () => {
    const timers = fakeTimers();
    const r = runner();
    let minutes = 30;
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => minutes, timers, startDelayMs: 0 });
    s.start();
    await timers.advance(10 * MIN);
    expect(timers.pending()).toEqual([20 * MIN]);
    minutes = 5;
    s.reschedule();
    expect(timers.pending()).toEqual([5 * MIN]);
    minutes = 0;
    s.reschedule();
    expect(timers.pending()).toEqual([]);
    await s.stop();
  });

  it('stop() clears every timer and subscription, aborts the run, and refuses later triggers', async () => {
    const timers = fakeTimers();
    const net = network(true);
    const r = runner();
    const s = new SyncScheduler({ run: r.run, intervalMinutes: () => 5, timers, network: net, startDelayMs: 0 });
    r.hold();
    s.start();
    await timers.advance(0);
    expect(net.listeners.size).toBe(1);
    const stopping = s.stop();
    expect(r.signals[0]?.aborted).toBe(true);
    r.release();
    await stopping;
    expect(timers.pending()).toEqual([]);
    expect(net.listeners.size).toBe(0);
    await expect(s.syncNow()).resolves.toEqual({ ran: false, trigger: 'manual', reason: 'stopped' });
    net.set(false);
    net.set(true);
    await timers.advance(60 * MIN);
    expect(r.triggers).toEqual(['start']);
  });
});
