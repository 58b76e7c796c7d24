// The outbox as other folders see it: the service (outbox.* handlers, enqueue for approvals, the
// send pass's start and stop).
export { OutboxService, type EnqueueOptions, type OutboxDeps } from './outbox.service';
export * from './outbox.repo';
export * from './signals';
