// Serves the contract over Electron IPC: one ipcMain.handle('settle:<method>') per contract
// method, and core events forwarded to the app's windows on 'settle:event:<name>'. Every call
// checks its sender frame first; the core's dispatch validates the input and maps errors to
// {code, message}. Electron is typed structurally here, so tests pass a fake ipcMain.
import { EVENT_NAMES, IPC_PREFIX, METHOD_NAMES, type Envelope, type EventName, type Events } from '../../shared/contract';
import type { Logger } from '../core/ports';

/** The parts of a WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/** The parts of IpcMainInvokeEvent the handlers read. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

/** The parts of ipcMain used here (Electron's ipcMain satisfies it). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the IPC layer needs from the core. */
export interface DispatchingCore {
  dispatch(method: string, input: unknown): Promise<Envelope<unknown>>;
}

/** Decides whether a top-level frame is the app's own renderer (see app-url.ts). */
export type IsTrustedSender = (frame: FrameLike) => boolean;

export const UNTRUSTED: Envelope<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'Untrusted sender' },
};

export function methodChannel(method: string): string {
  return `${IPC_PREFIX}${method}`;
}

export function eventChannel(event: EventName): string {
  return `${IPC_PREFIX}event:${event}`;
}

/** Only the top-level frame of an app window may call the core. */
export function isTrustedFrame(frame: FrameLike | null | undefined, isTrustedSender: IsTrustedSender): boolean {
  return !!frame && frame.parent === null && isTrustedSender(frame);
}

/** Registers one handler per contract method; returns a function that removes them. */
export function registerIpc(
  ipcMain: IpcMainLike,
  core: DispatchingCore,
  isTrustedSender: IsTrustedSender,
  logger?: Logger,
): () => void {
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = methodChannel(method);
    ipcMain.handle(channel, (event, ...args) => handle(method, event, args[0]));
    channels.push(channel);
  }

  async function handle(method: string, event: InvokeEventLike, input: unknown): Promise<Envelope<unknown>> {
    const frame = event.senderFrame;
    if (!isTrustedFrame(frame, isTrustedSender)) {
      logger?.warn('ipc: refused untrusted sender', { method, origin: originOf(frame?.url), subframe: !!frame?.parent });
      return UNTRUSTED;
    }
    try {
      return await core.dispatch(method, input);
    } catch (err) {
      // dispatch never throws; this is the last line of defence so no stack crosses IPC.
      logger?.error('ipc: dispatch threw', { method, error: err instanceof Error ? err.name : typeof err });
      return { ok: false, error: { code: 'internal', message: 'Something went wrong inside Settle; the details are in the log.' } };
    }
  }

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The parts of a WebContents that events are sent through. */
export interface EventSink {
  isDestroyed(): boolean;
  readonly mainFrame: FrameLike;
  send(channel: string, payload: unknown): void;
}

export interface EventSource {
  onAny(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
}

/** Forwards every core event to the app's windows; returns the unsubscribe. */
export function forwardEvents(
  events: EventSource,
  targets: () => Iterable<EventSink>,
  isTrustedSender: IsTrustedSender,
  logger?: Logger,
): () => void {
  const known = new Set<string>(EVENT_NAMES);
  return events.onAny((event, payload) => {
    if (!known.has(event)) return;
    const channel = eventChannel(event);
    for (const target of targets()) {
      if (target.isDestroyed()) continue;
      // Never hand core data to a page that is not the app (navigation is denied anyway).
      if (!isTrustedFrame(target.mainFrame, isTrustedSender)) continue;
      try {
        target.send(channel, payload);
      } catch (err) {
        logger?.warn('ipc: event not delivered', { event, error: err instanceof Error ? err.message : String(err) });
      }
    }
  });
}

function originOf(url: string | undefined): string {
  if (!url) return '(none)';
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? 'file://' : u.origin;
  } catch {
    return '(unparseable)';
  }
}
