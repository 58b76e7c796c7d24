// Outreach's own entry point, for what spans its sub-folders: the one reconcile pass over drafts
// and outbox items whose invoices changed in the ledger. Approvals, the outbox and the senders
// each have their own index.ts.
export { OutreachReconcile, type ReconcileDeps, type ReconcileSides } from './reconcile';
