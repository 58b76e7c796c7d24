// Builds the object the preload exposes as window.settle: one function per contract method,
// nested by domain, plus on(event). It is pure (no electron import) so tests drive it with fakes.
//
// Only type imports from src/shared: the contract module builds its zod schemas at load time, and
// a sandboxed preload cannot require('zod'). The names come from the contract itself, inlined by
// the build as constants (contract-names.d.ts), so adding a method never touches the preload.
import type { EventName, IPC_PREFIX, Method, SettleBridge } from '../shared/contract';

const PREFIX: typeof IPC_PREFIX = 'settle:';

/** Every contract method and event, inlined from the contract by the build (contract-names.d.ts). */
export const PRELOAD_METHOD_NAMES: readonly Method[] = Object.freeze([...__SETTLE_METHODS__]);
export const PRELOAD_EVENT_NAMES: readonly EventName[] = Object.freeze([...__SETTLE_EVENTS__]);
const EVENTS: ReadonlySet<string> = new Set(PRELOAD_EVENT_NAMES);

/** The IPC channel of a method: `settle:board.get`. */
export function methodChannel(method: Method): string {
  return `${PREFIX}${method}`;
}

/** The IPC channel of an event: `settle:event:sync.progress`. */
export function eventChannel(event: EventName): string {
  return `${PREFIX}event:${event}`;
}

/** Sends one request and resolves with the main process's reply (ipcRenderer.invoke). */
export type InvokeChannel = (channel: string, input: unknown) => Promise<unknown>;
/** Listens on one channel and returns the unsubscribe (ipcRenderer.on/removeListener). */
export type SubscribeChannel = (channel: string, listener: (payload: unknown) => void) => () => void;

export function buildSettleApi(
  invoke: InvokeChannel,
  subscribe: SubscribeChannel,
  methods: readonly Method[] = PRELOAD_METHOD_NAMES,
): SettleBridge {
  const domains: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const method of methods) {
    const dot = method.indexOf('.');
    const domain = method.slice(0, dot);
    const verb = method.slice(dot + 1);
    const channel = methodChannel(method);
    // Exactly one argument crosses: extra arguments from the page are dropped.
    (domains[domain] ??= {})[verb] = (input?: unknown) => invoke(channel, input);
  }
  for (const group of Object.values(domains)) Object.freeze(group);

  const on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!EVENTS.has(event)) throw new TypeError(`Unknown Settle event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('on(event, listener) needs a function');
    const off = subscribe(eventChannel(event), (payload) => listener(payload));
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      off();
    };
  };

  return Object.freeze({ ...domains, on }) as unknown as SettleBridge;
}
