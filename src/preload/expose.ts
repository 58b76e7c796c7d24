// Builds the object the preload exposes as window.settle: one function per contract method,
// nested by domain, plus on(event). It is pure (no electron import) so tests drive it with fakes.
//
// Only type imports from src/shared: the contract module builds its zod schemas at load time, and
// a sandboxed preload cannot require('zod'). The names are therefore listed here, and the
// compiler checks the lists against the contract in both directions.
import type { EventName, IPC_PREFIX, Method, SettleBridge } from '../shared/contract';

const PREFIX: typeof IPC_PREFIX = 'settle:';

/** Every contract method. A missing or unknown name is a compile error (Record<Method, …>). */
const METHODS: Record<Method, true> = {
  'board.get': true,
  'customers.get': true,
  'invoices.get': true,
  'scores.explain': true,
  'scores.override': true,
  'scores.recompute': true,
  'settings.get': true,
  'settings.set': true,
  'demo.create': true,
  'demo.reset': true,
  'demo.remove': true,
  'sync.status': true,
  'sync.run': true,
  'sync.online': true,
  'connections.list': true,
  'connections.connectQbo': true,
  'connections.connectXero': true,
  'connections.addXeroTenants': true,
  'connections.cancelXero': true,
  'connections.xeroReminders': true,
  'connections.disconnect': true,
  'drafts.create': true,
  'drafts.get': true,
  'drafts.list': true,
  'drafts.check': true,
  'drafts.update': true,
  'drafts.regenerate': true,
  'drafts.cancel': true,
  'drafts.submit': true,
  'ai.get': true,
  'ai.set': true,
  'ai.setKey': true,
  'ai.test': true,
  'email.get': true,
  'email.set': true,
  'email.setPassword': true,
  'email.test': true,
  'templates.get': true,
  'templates.set': true,
  'templates.reset': true,
  'promises.list': true,
  'promises.create': true,
  'promises.cancel': true,
  'disputes.open': true,
  'disputes.resolve': true,
  'disputes.list': true,
  'plans.preview': true,
  'replies.triage': true,
  'replies.apply': true,
  'pauses.list': true,
  'pauses.create': true,
  'pauses.remove': true,
  'plans.list': true,
  'plans.save': true,
  'plans.propose': true,
  'plans.accept': true,
  'plans.cancel': true,
  'promises.followUp': true,
  'notifications.list': true,
  'approvals.list': true,
  'approvals.approve': true,
  'approvals.reject': true,
  'rules.get': true,
  'outbox.list': true,
  'outbox.get': true,
  'outbox.process': true,
  'outbox.cancel': true,
  'outbox.confirmSent': true,
  'outbox.requeue': true,
  'outbox.redraft': true,
  'outbox.settings': true,
  'outbox.configure': true,
  'drafts.setOptions': true,
  'rules.set': true,
  'notifications.run': true,
  'audit.list': true,
  'audit.export': true,
  'audit.verify': true,
};

/** Every contract event, checked the same way. */
const EVENTS: Record<EventName, true> = {
  'sync.progress': true,
  'ledger.changed': true,
  'followup.changed': true,
  'drafts.token': true,
  'auth.open': true,
  'ui.navigate': true,
  'outbox.changed': true,
};

export const PRELOAD_METHOD_NAMES = Object.freeze(Object.keys(METHODS) as Method[]);
export const PRELOAD_EVENT_NAMES = Object.freeze(Object.keys(EVENTS) as EventName[]);

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
    if (!Object.prototype.hasOwnProperty.call(EVENTS, event)) throw new TypeError(`Unknown Settle event: ${String(event)}`);
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
