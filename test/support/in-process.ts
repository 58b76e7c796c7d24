// The in-process test transport (DESIGN §4): calls go straight to core.dispatch, but input and
// envelope both pass through structuredClone, as they would crossing Electron IPC, so a test sees
// exactly what the renderer would. A failed envelope becomes a thrown CallError carrying
// {code, message}, so tests can write `await expect(call(...)).rejects.toMatchObject({ code })`.
import type { Envelope, ErrorCode, EventName, Events, Input, Method, Output } from '../../src/shared/contract';
import type { Core } from '../../src/main/core/app';

export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly method: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

export type Call = <M extends Method>(method: M, input?: Input<M>) => Promise<Output<M>>;

export interface InProcess extends Call {
  /** Untyped: any method name and any input (for invalid-input tests). */
  raw(method: string, input?: unknown): Promise<unknown>;
}

/** A typed client over `core.dispatch`, serialising both ways like IPC. */
export function inProcess(core: Pick<Core, 'dispatch'>): InProcess {
  const raw = async (method: string, input?: unknown): Promise<unknown> => {
    const sent = structuredClone(input);
    const envelope = structuredClone(await core.dispatch(method, sent)) as Envelope<unknown>;
    if (!envelope.ok) throw new CallError(envelope.error.code, envelope.error.message, method);
    return envelope.value;
  };
  const call = (<M extends Method>(method: M, input?: Input<M>) => raw(method, input) as Promise<Output<M>>) as InProcess;
  call.raw = raw;
  return call;
}

export type Emitted = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

export interface EventLog {
  /** Every event since the start (or the last clear), in order, each structuredClone'd. */
  readonly all: Emitted[];
  /** The payloads of one event, in order. */
  of<E extends EventName>(event: E): Events[E][];
  clear(): void;
  stop(): void;
}

/** Records what the core emits, cloned as a transport would forward it. */
export function events(core: Pick<Core, 'events'>): EventLog {
  const all: Emitted[] = [];
  const stop = core.events.onAny((event, payload) => {
    all.push({ event, payload: structuredClone(payload) } as Emitted);
  });
  return {
    all,
    of: <E extends EventName>(event: E) =>
      all.filter((e): e is Extract<Emitted, { event: E }> => e.event === event).map((e) => e.payload as Events[E]),
    clear: () => void all.splice(0),
    stop,
  };
}
