// The renderer's only door to the core. In Electron it is window.settle (the preload); in
// browser mode it is the loopback bridge. Either way calls return envelopes, unwrapped here
// into values or ApiError so components never see transport details.
import {
  type Envelope,
  type ErrorCode,
  type EventName,
  type Events,
  type Input,
  type Method,
  type Output,
  type SettleBridge,
} from '../../../shared/contract';

declare global {
  interface Window {
    settle?: SettleBridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'unauthorized' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Invoke = (method: Method, input: unknown) => Promise<Envelope<unknown>>;
type Subscribe = <E extends EventName>(event: E, listener: (p: Events[E]) => void) => () => void;

/** Browser mode: POST /api/<method> with the bearer token; events over one WebSocket. */
function httpTransport(): { invoke: Invoke; subscribe: Subscribe } {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('settle.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem('settle.token') ?? '';

  const invoke: Invoke = async (method, input) => {
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? null),
      });
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'Settle’s core is not reachable.' } };
    }
    if (res.status === 401) {
      return { ok: false, error: { code: 'unavailable', message: 'This page needs the link Settle printed (with its token).' } };
    }
    return (await res.json()) as Envelope<unknown>;
  };

  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events`;
    socket = new WebSocket(url, ['settle', `token.${token}`]);
    socket.onmessage = (msg) => {
      const { event, payload } = JSON.parse(String(msg.data)) as { event: EventName; payload: unknown };
      listeners.get(event)?.forEach((l) => l(payload));
    };
    socket.onopen = () => {
      retry = 500;
    };
    socket.onclose = () => {
      socket = null;
      // Reconnect with a bounded backoff while anyone is listening.
      if ([...listeners.values()].some((s) => s.size > 0)) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      }
    };
  };
  const subscribe: Subscribe = (event, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    if (!socket) connect();
    return () => set.delete(listener as (p: unknown) => void);
  };
  return { invoke, subscribe };
}

function electronTransport(bridge: SettleBridge): { invoke: Invoke; subscribe: Subscribe } {
  const invoke: Invoke = (method, input) => {
    const [domain, verb] = method.split('.') as [string, string];
    const group = (bridge as unknown as Record<string, Record<string, (i: unknown) => Promise<Envelope<unknown>>>>)[domain];
    const fn = group?.[verb];
    if (!fn) return Promise.resolve({ ok: false, error: { code: 'not_found', message: `Unknown method ${method}` } });
    return fn(input);
  };
  return { invoke, subscribe: (e, l) => bridge.on(e, l) };
}

const transport = typeof window !== 'undefined' && window.settle ? electronTransport(window.settle) : httpTransport();

/** Calls a contract method and returns its value, or throws ApiError. */
export async function call<M extends Method>(method: M, ...args: undefined extends Input<M> ? [Input<M>?] : [Input<M>]): Promise<Output<M>> {
  const envelope = await transport.invoke(method, args[0]);
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message);
  return envelope.value as Output<M>;
}

/** Subscribes to a contract event; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return transport.subscribe(event, listener);
}

