// The follow-up feature's front door (DESIGN §8, issue #6): createFollowup builds the services
// (promises, disputes, pauses, plans, replies, notifications) over one shared context, and this
// file re-exports what other folders use (the pause and hold rules for approvals and the outbox,
// the outside-payment rules, the zoned-time helpers).
import type { HandlerGroup } from '../handlers';
import { FollowupContext, type FollowupDeps } from './context';
import type { OutreachPause } from './disputes';
import { DisputesService } from './disputes.service';
import { followupHandlers, type FollowupServices } from './followup.handlers';
import { NotificationsService } from './notifications.service';
import { PausesService } from './pauses.service';
import { PlansService } from './plans.service';
import { PromisesService } from './promises.service';
import { RepliesService } from './replies.service';

export type { FollowupDeps } from './context';
export type { FollowupServices } from './followup.handlers';
export { outreachHolds, type OutreachPause } from './disputes';
export { openlyDisputedInvoiceIds } from './disputes.repo';
export { outsidePaymentEffects, type InvoiceBalanceChange, type OutsidePaymentEffects } from './ledger-changes';
export { zonedDate, zoneOffsetMs } from './zoned';

/** The follow-up services, their contract handlers, and what the composition root calls on them. */
export interface Followup extends FollowupServices {
  readonly handlers: HandlerGroup[];
  /** Promise statuses from synced payments (the beforeSnapshot hook); returns how many changed. */
  evaluate(connectionId: string): number;
  /** Open promises dated today (BoardSummary.promisesDueToday). */
  dueToday(connectionId: string): number;
  /** Pauses not yet over, as the approval rules and the outbox read them. */
  activePauses(connectionId: string): OutreachPause[];
  /** Runs the notification schedule now, and every minute when `timer`. */
  start(opts: { timer: boolean }): void;
  stop(): void;
  /** One tick of the notification schedule; returns how many were shown. */
  tick(): number;
}

export function createFollowup(deps: FollowupDeps): Followup {
  const ctx = new FollowupContext(deps);
  const promises = new PromisesService(ctx);
  const disputes = new DisputesService(ctx);
  const pauses = new PausesService(ctx);
  const plans = new PlansService(ctx, promises);
  const replies = new RepliesService(ctx, promises, disputes, pauses);
  const notifications = new NotificationsService(ctx, promises);
  const services: FollowupServices = { promises, disputes, pauses, plans, replies, notifications };
  return {
    ...services,
    handlers: followupHandlers(services),
    evaluate: (connectionId) => promises.evaluate(connectionId),
    dueToday: (connectionId) => promises.dueToday(connectionId),
    activePauses: (connectionId) => pauses.active(connectionId),
    start: (opts) => notifications.start(opts),
    stop: () => notifications.stop(),
    tick: () => notifications.tick(),
  };
}
