// Migration 0004 adds the follow-up tables (promises, disputes, pauses, plans, delivered
// notifications) to a v3 file without touching its rows, with their checks and cascades.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { syncRunsDetail } from '../../../src/main/core/db/migrations/0002-sync-runs-detail';
import { drafts } from '../../../src/main/core/db/migrations/0003-drafts';
import { followup } from '../../../src/main/core/db/migrations/0004-followup';
import { openDatabase } from '../../../src/main/core/db/open';
import { NOW, useTempDb } from '../db/helpers';

const temp = useTempDb();
const UP_TO_3 = [initial, syncRunsDetail, drafts];

function seedV3(path: string): void {
  const db = openDatabase(path, { migrations: UP_TO_3 });
  try {
    db.prepare("INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES ('c1', 'qbo', 'Co', 'USD', ?, ?)").run(NOW, NOW);
    db.prepare("INSERT INTO customers (id, connection_id, external_id, name, currency, updated_at) VALUES (1, 'c1', 'x1', 'Acme', 'USD', ?)").run(NOW);
    db.prepare(
      `INSERT INTO invoices (id, connection_id, external_id, customer_id, number, issue_date, due_date, currency, total_cents, balance_cents, status, updated_at)
       VALUES (10, 'c1', 'i10', 1, 'INV-10', '2025-05-01', '2025-05-31', 'USD', 12345, 12345, 'open', ?)`,
    ).run(NOW);
    expect(schemaVersion(db)).toBe(3);
  } finally {
    db.close();
  }
}

const insertPromise = `INSERT INTO promises (connection_id, customer_id, date, amount_cents, currency, made_via, status, created_at, updated_at)
  VALUES ('c1', 1, '2025-06-20', @amount, 'USD', 'phone', @status, '${NOW}', '${NOW}') RETURNING id`;

describe('migration 0004 (follow-up)', () => {
  it('keeps the v3 rows, adds the tables with their checks, and cascades from the customer', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV3(path);
    // Exactly up to 0004, so later migrations never change what this test proves.
    const { db } = temp.open(path, { migrations: [...UP_TO_3, followup] });
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT balance_cents FROM invoices WHERE id = 10').pluck().get()).toBe(12345);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['promises', 'promise_invoices', 'disputes', 'dispute_invoices', 'outreach_pauses', 'payment_plans', 'plan_invoices', 'notifications_delivered']) {
      expect(tables).toContain(t);
    }

    const ins = db.prepare(insertPromise).pluck();
    const pid = ins.get({ amount: 5000, status: 'open' }) as number;
    expect(() => ins.get({ amount: 0, status: 'open' })).toThrow(/CHECK/);
    expect(() => ins.get({ amount: 100, status: 'maybe' })).toThrow(/CHECK/);
    db.prepare('INSERT INTO promise_invoices (promise_id, invoice_id) VALUES (?, 10)').run(pid);
    const did = db
      .prepare("INSERT INTO disputes (connection_id, customer_id, reason, opened_at) VALUES ('c1', 1, 'pricing', ?) RETURNING id")
      .pluck()
      .get(NOW) as number;
    db.prepare('INSERT INTO dispute_invoices (dispute_id, invoice_id) VALUES (?, 10)').run(did);
    expect(() => db.prepare("INSERT INTO disputes (connection_id, customer_id, reason, opened_at) VALUES ('c1', 1, 'angry', ?)").run(NOW)).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO notifications_delivered (key, kind, outcome, catch_up, connection_id, promise_id, customer_id, fire_at, delivered_at)
       VALUES ('promise:1:due-today:2025-06-20', 'promise_due_today', 'shown', 0, 'c1', ?, 1, ?, ?)`,
    ).run(pid, NOW, NOW);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    db.prepare('DELETE FROM customers WHERE id = 1').run();
    for (const t of ['promises', 'promise_invoices', 'disputes', 'dispute_invoices', 'notifications_delivered']) {
      expect(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()).toBe(0);
    }
  });
});
