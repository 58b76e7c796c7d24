// Migration 0006 (audit indexes) on a file written by the schema before it: the audit rows and
// their chain are untouched, and a customer's rows are found through the new indexes rather
// than by reading the whole log.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../../src/main/core/audit/log';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';
import { auditIndex } from '../../../src/main/core/db/migrations/0006-audit-index';
import { openDatabase } from '../../../src/main/core/db/open';
import { fixedClock } from '../../../src/main/core/ports';
import { useTempDb } from '../db/helpers';

const temp = useTempDb();
const clock = fixedClock('2026-11-21T15:00:00Z');
// Everything before this migration, whatever number the others end up with.
const BEFORE = migrations.slice(0, migrations.indexOf(auditIndex));

describe('migration 0006 (audit indexes)', () => {
  it('keeps the log and its chain, and serves customer lookups from the indexes', () => {
    const path = join(temp.dir(), 'settle.db');
    const old = openDatabase(path, { migrations: BEFORE });
    for (let i = 0; i < 20; i++) appendAudit(old, clock, { actor: 'owner', action: 'score.override', entity: 'customer', entityId: i % 4, detail: { customerId: i % 4, n: i } });
    const before = old.prepare('SELECT * FROM audit_log ORDER BY id').all();
    old.close();

    const { db } = temp.open(path, { migrations: [...BEFORE, auditIndex] });
    expect(schemaVersion(db)).toBe(auditIndex.version);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY id').all()).toEqual(before);
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 20 });
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'").pluck().all();
    expect(names).toEqual(expect.arrayContaining(['audit_log_by_entity', 'audit_log_by_detail_customer']));
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(2) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id FROM audit_log WHERE json_extract(detail_json, '$.customerId') = ?")).toMatch(/audit_log_by_detail_customer/);
    expect(plan("SELECT id FROM audit_log WHERE entity = 'customer' AND entity_id = CAST(? AS TEXT)")).toMatch(/audit_log_by_entity/);
    // The triggers still guard the rows.
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
  });
});
