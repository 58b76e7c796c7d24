// The follow-up domains behind the contract: promises, disputes, pauses, plans, replies and
// notifications, each one group over the follow-up services.
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { FollowupService } from './followup.service';

export function followupHandlers(followup: FollowupService): HandlerGroup[] {
  return [
    defineHandlers('promises', {
      list: (input = {}) => followup.listPromises(input),
      create: (input) => followup.createPromise(input),
      cancel: ({ promiseId }) => followup.cancelPromise(promiseId),
      followUp: ({ promiseId }) => followup.followUpPromise(promiseId),
    }),
    defineHandlers('disputes', {
      open: (input) => followup.openDispute(input),
      resolve: (input) => followup.resolveDispute(input),
      list: (input = {}) => followup.listDisputes(input),
    }),
    defineHandlers('pauses', {
      list: (input = {}) => followup.listPauses(input),
      create: (input) => followup.pauseOutreach(input),
      remove: ({ pauseId }) => followup.removePause(pauseId),
    }),
    defineHandlers('plans', {
      preview: (input) => followup.previewPlan(input),
      list: (input = {}) => followup.listPlans(input),
      save: (input) => followup.savePlan(input),
      propose: (input) => followup.proposePlan(input),
      accept: ({ planId }) => followup.acceptPlan(planId),
      cancel: ({ planId }) => followup.cancelPlan(planId),
    }),
    defineHandlers('replies', {
      triage: (input) => followup.triage(input),
      apply: (input) => followup.applyReply(input),
    }),
    defineHandlers('notifications', {
      list: () => followup.listNotifications(),
      run: () => ({ shown: followup.tick() }),
    }),
  ];
}
