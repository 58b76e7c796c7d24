// A tiny typed event hub: the core emits contract events, transports (IPC, bridge) forward them.
import { EVENT_NAMES, type EventName, type Events } from '../../shared/contract';

type Listener<E extends EventName> = (payload: Events[E]) => void;

export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  /** Subscribes to every event; used by transports that forward all of them. */
  onAny(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
    const offs = EVENT_NAMES.map((e) =>
      this.on(e, (p) => listener(e, p)),
    );
    return () => offs.forEach((off) => off());
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch {
        // A failing listener (e.g. a closed window) must not break the emitter.
      }
    }
  }
}
