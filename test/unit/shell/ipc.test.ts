import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import {
  forwardEvents,
  registerIpc,
  UNTRUSTED,
  type EventSink,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../src/main/shell/ipc';
import { isAppUrl, resolveRendererEntry } from '../../../src/main/shell/policy';
import { IPC_PREFIX, METHOD_NAMES, type Envelope } from '../../../src/shared/contract';
import type { SyncProgress } from '../../../src/shared/model';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Imitates ipcRenderer.invoke: arguments and the reply are structured-cloned. */
  async invoke(frame: FrameLike | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)));
  }
}

const mainDir = join(tmpdir(), 'settle-app', 'out', 'main');
const entry = resolveRendererEntry({ devServerUrl: undefined, isPackaged: true, mainDir });
const appUrl = pathToFileURL(join(mainDir, '../renderer/index.html')).href;
const trusted = (frame: FrameLike): boolean => isAppUrl(frame.url, entry);
const appFrame: FrameLike = { url: `${appUrl}#/board`, parent: null };

let dataDir: string;
let core: Core;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'settle-ipc-'));
  core = createCore({ dataDir, autoDemo: false });
});

afterAll(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('shell/ipc: registerIpc', () => {
  it('registers one handler per contract method on settle:<method>, and removes them', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerIpc(ipc, core, trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `${IPC_PREFIX}${m}`).sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses untrusted senders without calling the core', async () => {
    const spy = { dispatch: vi.fn((m: string, i: unknown) => core.dispatch(m, i)) };
    const warn = vi.fn();
    const ipc = new FakeIpcMain();
    registerIpc(ipc, spy, trusted, { debug() {}, info() {}, warn, error() {} });
    const channel = `${IPC_PREFIX}board.get`;

    const strangers: (FrameLike | null)[] = [
      null, // frame navigated away or destroyed
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/other.html', parent: null },
      { url: `${appUrl}`, parent: appFrame }, // a subframe, even at the app's URL
      { url: 'about:blank', parent: null },
    ];
    for (const frame of strangers) {
      await expect(ipc.invoke(frame, channel, {})).resolves.toEqual(UNTRUSTED);
    }
    expect(spy.dispatch).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(strangers.length);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('evil.example/'); // origin only, no path

    await ipc.invoke(appFrame, channel, {});
    expect(spy.dispatch).toHaveBeenCalledWith('board.get', {});
  });

  it('returns invalid_input envelopes for bad input, through structuredClone', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, core, trusted);
    const bad: [string, unknown][] = [
      ['customers.get', { customerId: -1 }],
      ['customers.get', { customerId: 1, extra: true }],
      ['board.get', { limit: 10_000 }],
      ['board.get', { asOf: '2024-02-30' }],
      ['settings.set', { theme: 'neon' }],
      ['scores.override', { customerId: 1, tier: 'high', reason: '' }],
      ['settings.get', 'not an object'],
    ];
    for (const [method, input] of bad) {
      const reply = (await ipc.invoke(appFrame, `${IPC_PREFIX}${method}`, input)) as Envelope<unknown>;
      expect(reply.ok, method).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code, method).toBe('invalid_input');
        expect(reply.error.message.length).toBeGreaterThan(0);
        expect(Object.keys(reply.error).sort()).toEqual(['code', 'message']);
      }
    }
  });

  it('answers every method with an envelope that survives structuredClone', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, core, trusted);
    for (const method of METHOD_NAMES) {
      const raw = (await ipc.handlers.get(`${IPC_PREFIX}${method}`)!({ senderFrame: appFrame }, undefined)) as Envelope<unknown>;
      expect(structuredClone(raw)).toEqual(raw);
      expect(typeof raw.ok).toBe('boolean');
      if (!raw.ok) expect(['invalid_input', 'not_found', 'conflict', 'unavailable']).toContain(raw.error.code);
    }
  });

  it('registers no channel outside the contract; the core answers unknown methods with not_found', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, core, trusted);
    await expect(ipc.invoke(appFrame, `${IPC_PREFIX}db.exec`, 'DROP TABLE invoices')).rejects.toThrow(/No handler/);
    await expect(core.dispatch('db.exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('turns a throwing core into an internal error without leaking the stack', async () => {
    const ipc = new FakeIpcMain();
    const error = vi.fn();
    registerIpc(ipc, { dispatch: () => Promise.reject(new Error('secret stack detail')) }, trusted, {
      debug() {},
      info() {},
      warn() {},
      error,
    });
    const reply = (await ipc.invoke(appFrame, `${IPC_PREFIX}sync.status`)) as Envelope<unknown>;
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('secret stack detail');
    expect(error).toHaveBeenCalledOnce();
  });
});

describe('shell/ipc: forwardEvents', () => {
  function sink(url: string, destroyed = false): EventSink & { sent: [string, unknown][] } {
    const sent: [string, unknown][] = [];
    return {
      sent,
      isDestroyed: () => destroyed,
      mainFrame: { url, parent: null },
      send(channel, payload) {
        sent.push([channel, structuredClone(payload)]);
      },
    };
  }

  it('sends core events to app windows on settle:event:<name>, and stops on unsubscribe', () => {
    const app = sink(appUrl);
    const gone = sink(appUrl, true);
    const stranger = sink('https://evil.example/');
    const off = forwardEvents(core.events, () => [app, gone, stranger], trusted);

    const payload: SyncProgress = { connectionId: 'demo', phase: 'fetch', done: 10, total: 20, message: 'Invoices' };
    core.events.emit('sync.progress', payload);
    expect(app.sent).toEqual([['settle:event:sync.progress', payload]]);
    expect(gone.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);

    off();
    core.events.emit('sync.progress', payload);
    expect(app.sent).toHaveLength(1);
  });

  it('keeps delivering to other windows when one send throws', () => {
    const broken: EventSink = {
      isDestroyed: () => false,
      mainFrame: { url: appUrl, parent: null },
      send: () => {
        throw new Error('closed');
      },
    };
    const app = sink(appUrl);
    const off = forwardEvents(core.events, () => [broken, app], trusted);
    core.events.emit('ledger.changed', { connectionId: null, reason: 'demo' });
    expect(app.sent).toHaveLength(1);
    off();
  });
});
