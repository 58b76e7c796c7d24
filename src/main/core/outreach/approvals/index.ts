// Approvals as other folders see it: the service (approvals.* and rules.* handlers, autoApprove
// for the draftSubmitted hook).
export { ApprovalsService, type ApprovalsDeps } from './approvals.service';
