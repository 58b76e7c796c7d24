// The audit feature as other folders see it: appending to the hash-chained log, the canonical
// JSON its hashes use, entries about one entity (the customer timeline's overrides) and the
// Activity page's handlers. Import audit through this file only.
export { appendAudit, canonicalJson, type AuditActor, type AuditInput, type AuditRow, type AuditVerdict } from './log';
export { auditEntriesAbout } from './audit.repo';
export { createActivityService } from './activity.service';
