import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { useTempDb } from '../db/helpers';

const TABLES = [
  'settings',
  'connections',
  'sync_runs',
  'sync_cursors',
  'customers',
  'invoices',
  'payments',
  'credit_notes',
  'payment_applications',
  'notes',
  'scores',
  'overrides',
  'audit_log',
];

const temp = useTempDb();

describe('migration 0001', () => {
  it('creates every table of the schema at user_version 1, with WAL and foreign keys on', () => {
    const { db } = temp.open(undefined, { migrations: [initial] });
    expect(schemaVersion(db)).toBe(1);
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const t of TABLES) expect(names).toContain(t);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[];
    // The FK actions on delete rely on these to avoid a scan per deleted row.
    expect(indexes).toEqual(expect.arrayContaining(['customers_by_parent', 'notes_by_invoice', 'applications_by_invoice']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('stores and reads back a row in each core table', () => {
    const { db } = temp.open();
    const at = '2025-06-15T12:00:00.000Z';
    db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', ?)").run(at);
    db.prepare(
      "INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES ('c1', 'qbo', 'Acme', 'USD', ?, ?)",
    ).run(at, at);
    db.prepare("INSERT INTO sync_runs (connection_id, kind, status, started_at) VALUES ('c1', 'full', 'running', ?)").run(at);
    db.prepare("INSERT INTO sync_cursors VALUES ('c1', 'Invoice', '2025-06-01T00:00:00Z', ?)").run(at);
    const cust = db
      .prepare(
        "INSERT INTO customers (connection_id, external_id, name, currency, updated_at) VALUES ('c1', '42', 'Müller & Söhne', 'EUR', ?) RETURNING id",
      )
      .pluck()
      .get(at) as number;
    const inv = db
      .prepare(
        `INSERT INTO invoices (connection_id, external_id, customer_id, number, issue_date, due_date, currency,
           total_cents, balance_cents, status, updated_at)
         VALUES ('c1', 'i1', ?, 'INV-1', '2025-05-01', '2025-05-31', 'EUR', 123456, 23456, 'open', ?) RETURNING id`,
      )
      .pluck()
      .get(cust, at) as number;
    const pay = db
      .prepare(
        `INSERT INTO payments (connection_id, external_id, customer_id, date, currency, amount_cents, updated_at)
         VALUES ('c1', 'p1', ?, '2025-06-01', 'EUR', 100000, ?) RETURNING id`,
      )
      .pluck()
      .get(cust, at) as number;
    db
      .prepare(
        `INSERT INTO credit_notes (connection_id, external_id, customer_id, date, currency, total_cents, updated_at)
         VALUES ('c1', 'cn1', ?, '2025-06-02', 'EUR', 500, ?)`,
      )
      .run(cust, at);
    db.prepare('INSERT INTO payment_applications (payment_id, invoice_id, applied_on, amount_cents) VALUES (?, ?, ?, ?)').run(
      pay,
      inv,
      '2025-06-01',
      100000,
    );
    db.prepare(
      "INSERT INTO notes (connection_id, customer_id, invoice_id, kind, body, occurred_at, created_at) VALUES ('c1', ?, ?, 'call', 'Left a voicemail', ?, ?)",
    ).run(cust, inv, at, at);
    db.prepare(
      "INSERT INTO scores VALUES (?, 77, 'high', 'call', '[]', '2025-06-15', ?)",
    ).run(inv, at);
    db.prepare("INSERT INTO overrides VALUES (?, 'low', 'Pays quarterly', ?)").run(cust, at);
    db.prepare(
      "INSERT INTO audit_log (at, actor, action, prev_hash, hash) VALUES (?, 'owner', 'test', ?, 'h1')",
    ).run(at, '0'.repeat(64));

    expect(db.prepare('SELECT value_json FROM settings').pluck().get()).toBe('"dark"');
    expect(db.prepare('SELECT status, options_json FROM connections').get()).toEqual({ status: 'active', options_json: '{}' });
    expect(db.prepare('SELECT kind, status, requests FROM sync_runs').get()).toEqual({ kind: 'full', status: 'running', requests: 0 });
    expect(db.prepare('SELECT cursor FROM sync_cursors').pluck().get()).toBe('2025-06-01T00:00:00Z');
    expect(db.prepare('SELECT name, active FROM customers').get()).toEqual({ name: 'Müller & Söhne', active: 1 });
    expect(db.prepare('SELECT total_cents, balance_cents FROM invoices').get()).toEqual({ total_cents: 123456, balance_cents: 23456 });
    expect(db.prepare('SELECT amount_cents, unapplied_cents FROM payments').get()).toEqual({ amount_cents: 100000, unapplied_cents: 0 });
    expect(db.prepare('SELECT status, remaining_cents FROM credit_notes').get()).toEqual({ status: 'open', remaining_cents: 0 });
    expect(db.prepare('SELECT amount_cents FROM payment_applications').pluck().get()).toBe(100000);
    expect(db.prepare('SELECT body FROM notes').pluck().get()).toBe('Left a voicemail');
    expect(db.prepare('SELECT score, tier FROM scores').get()).toEqual({ score: 77, tier: 'high' });
    expect(db.prepare('SELECT reason FROM overrides').pluck().get()).toBe('Pays quarterly');
    expect(db.prepare('SELECT detail_json FROM audit_log').pluck().get()).toBe('{}');
  });

  it('enforces its constraints: foreign keys, enums, one source per application', () => {
    const { db } = temp.open();
    const at = '2025-06-15T12:00:00.000Z';
    expect(() =>
      db.prepare("INSERT INTO customers (connection_id, external_id, name, currency, updated_at) VALUES ('nope', '1', 'x', 'USD', ?)").run(at),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare("INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES ('c', 'sage', 'x', 'USD', ?, ?)").run(at, at),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare('INSERT INTO payment_applications (invoice_id, applied_on, amount_cents) VALUES (1, ?, 1)').run('2025-01-01'),
    ).toThrow(/CHECK|FOREIGN KEY/);
  });
});
