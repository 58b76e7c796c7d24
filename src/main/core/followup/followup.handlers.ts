// The follow-up domains behind the contract: promises, disputes, pauses, plans, replies and
// notifications, each one group over its follow-up service.
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { DisputesService } from './disputes.service';
import type { NotificationsService } from './notifications.service';
import type { PausesService } from './pauses.service';
import type { PlansService } from './plans.service';
import type { PromisesService } from './promises.service';
import type { RepliesService } from './replies.service';

export interface FollowupServices {
  promises: PromisesService;
  disputes: DisputesService;
  pauses: PausesService;
  plans: PlansService;
  replies: RepliesService;
  notifications: NotificationsService;
}

export function followupHandlers(s: FollowupServices): HandlerGroup[] {
  return [
    defineHandlers('promises', {
      list: (input = {}) => s.promises.list(input),
      create: (input) => s.promises.create(input),
      cancel: ({ promiseId }) => s.promises.cancel(promiseId),
      followUp: ({ promiseId }) => s.promises.followUp(promiseId),
    }),
    defineHandlers('disputes', {
      open: (input) => s.disputes.open(input),
      resolve: (input) => s.disputes.resolve(input),
      list: (input = {}) => s.disputes.list(input),
    }),
    defineHandlers('pauses', {
      list: (input = {}) => s.pauses.list(input),
      create: (input) => s.pauses.create(input),
      remove: ({ pauseId }) => s.pauses.remove(pauseId),
    }),
    defineHandlers('plans', {
      preview: (input) => s.plans.preview(input),
      list: (input = {}) => s.plans.list(input),
      save: (input) => s.plans.save(input),
      propose: (input) => s.plans.propose(input),
      accept: ({ planId }) => s.plans.accept(planId),
      cancel: ({ planId }) => s.plans.cancel(planId),
    }),
    defineHandlers('replies', {
      triage: (input) => s.replies.triage(input),
      apply: (input) => s.replies.apply(input),
    }),
    defineHandlers('notifications', {
      list: () => s.notifications.list(),
      run: () => ({ shown: s.notifications.tick() }),
    }),
  ];
}
