// What the outbox tells the rest of the app when an item moves: the outbox.changed event (ids
// only) and, for an item held or failed, an OS notification pointing at the customer. Shared by
// the service, the send pass and the reconcile pass so all three say it the same way.
import type { OutboxChanged } from '../../../../shared/outbox';
import type { EventHub } from '../../events';
import type { Logger, Notifier } from '../../ports';

export interface OutboxSignalsDeps {
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  notifier?: Notifier;
}

export class OutboxSignals {
  constructor(private readonly deps: OutboxSignalsDeps) {}

  changed(connectionId: string, itemIds: number[], reason: OutboxChanged['reason']): void {
    this.deps.events.emit('outbox.changed', { connectionId, itemIds, reason });
  }

  /** A notification about an item's customer; a failing notifier is logged, never thrown. */
  notify(item: { customerId: number }, title: string, body: string): void {
    try {
      this.deps.notifier?.notify({ title, body, target: { view: 'customer', customerId: item.customerId } });
    } catch (err) {
      this.deps.logger.warn('outbox notification failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
