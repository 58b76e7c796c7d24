// What other features may use of drafting, and nothing else: the service the composition root
// wires, the frozen facts' type, the edit check the outbox repeats before sending, and the drafts
// repo's functions for the features that read or move drafts (approvals, the outbox, follow-up's
// reconcile pass and notifications, the audit query).
export { createDraftingService, type DraftExtras, type DraftingDeps, type DraftingService } from './drafting.service';
export type { DraftFacts } from './facts';
export { checkEdit, type EditProblem } from './compose';
export {
  countDraftsAwaitingApproval,
  draftCustomerSql,
  draftIdsByInvoiceNumber,
  draftsAwaitingApproval,
  editableDraftsOf,
  getDraftSummary,
  invoiceNumbersOfDrafts,
  setDraftStatus,
  type DraftScope,
  type DraftSummary,
} from './drafts.repo';
