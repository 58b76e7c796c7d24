// Activity page (issue 5, item 7): finding one customer's audit rows among 100k without reading
// them all. Rows name a customer through their entity (customer, draft, promise, dispute,
// outbox) or a customerId in their detail; these two indexes serve both lookups.
import type { Migration } from '../migrate';

export const auditIndex: Migration = {
  version: 6,
  name: 'audit-index',
  up(db) {
    db.exec(`
      CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id);
      CREATE INDEX audit_log_by_detail_customer ON audit_log(json_extract(detail_json, '$.customerId'));
    `);
  },
};
