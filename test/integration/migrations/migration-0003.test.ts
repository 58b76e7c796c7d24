// Migration 0003 adds drafts and draft_invoices to a v2 file without touching its rows, with the
// constraints the drafting service relies on and cascades from companies, customers and invoices.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { syncRunsDetail } from '../../../src/main/core/db/migrations/0002-sync-runs-detail';
import { drafts } from '../../../src/main/core/db/migrations/0003-drafts';
import { openDatabase } from '../../../src/main/core/db/open';
import { NOW, useTempDb } from '../db/helpers';

const temp = useTempDb();

function seedV2(path: string): void {
  const db = openDatabase(path, { migrations: [initial, syncRunsDetail] });
  try {
    db.prepare("INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES ('c1', 'qbo', 'Co', 'USD', ?, ?)").run(NOW, NOW);
    db.prepare("INSERT INTO customers (id, connection_id, external_id, name, currency, updated_at) VALUES (1, 'c1', 'x1', 'Acme', 'USD', ?)").run(NOW);
    db.prepare(
      `INSERT INTO invoices (id, connection_id, external_id, customer_id, number, issue_date, due_date, currency, total_cents, balance_cents, status, updated_at)
       VALUES (10, 'c1', 'i10', 1, 'INV-10', '2025-05-01', '2025-05-31', 'USD', 12345, 12345, 'open', ?)`,
    ).run(NOW);
    db.prepare("INSERT INTO sync_runs (connection_id, kind, status, started_at) VALUES ('c1', 'full', 'ok', ?)").run(NOW);
    expect(schemaVersion(db)).toBe(2);
  } finally {
    db.close();
  }
}

const insertDraft = `INSERT INTO drafts (connection_id, customer_id, scope, invoice_id, tone, subject, body, source, facts_json, facts_hash, factcheck_json, status, created_at, updated_at)
  VALUES ('c1', 1, @scope, @invoiceId, 'friendly', 'S', 'B', 'template', '{}', 'h', '{}', @status, '${NOW}', '${NOW}') RETURNING id`;

describe('migration 0003 (drafts)', () => {
  it('keeps the v2 rows, adds the tables with their checks, and cascades', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV2(path);
    const backups: string[] = [];
    // Exactly up to 0003, so later migrations never change what this test proves.
    const { db } = temp.open(path, { migrations: [initial, syncRunsDetail, drafts], onBackup: (p) => backups.push(p) });
    expect(schemaVersion(db)).toBe(3);
    expect(backups).toEqual([`${path}.v2.bak`]);
    expect(db.prepare('SELECT COUNT(*) FROM invoices').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM sync_runs').pluck().get()).toBe(1);

    const ins = db.prepare(insertDraft).pluck();
    const a = ins.get({ scope: 'customer', invoiceId: null, status: 'draft' }) as number;
    const b = ins.get({ scope: 'invoice', invoiceId: 10, status: 'pending_approval' }) as number;
    db.prepare('INSERT INTO draft_invoices (draft_id, invoice_id) VALUES (?, 10), (?, 10)').run(a, b);
    const row = db.prepare('SELECT channel, flagged, status, model, prompt_version, override_reason, to_email FROM drafts WHERE id = ?').get(a);
    expect(row).toEqual({ channel: 'email', flagged: 0, status: 'draft', model: null, prompt_version: null, override_reason: null, to_email: null });

    expect(() => ins.get({ scope: 'customer', invoiceId: null, status: 'sent' })).toThrow(/CHECK/);
    expect(() => ins.get({ scope: 'invoice', invoiceId: null, status: 'draft' })).toThrow(/CHECK/);
    expect(() => ins.get({ scope: 'customer', invoiceId: 10, status: 'draft' })).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE drafts SET source = 'robot' WHERE id = ?").run(a)).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO draft_invoices (draft_id, invoice_id) VALUES (?, 999)').run(a)).toThrow(/FOREIGN KEY/);

    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('drafts','draft_invoices')").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['drafts_by_customer', 'drafts_by_status', 'drafts_by_invoice', 'draft_invoices_by_invoice']));
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // Deleting the invoice drops the invoice draft and the links; the customer draft stays.
    db.prepare('DELETE FROM invoices WHERE id = 10').run();
    expect(db.prepare('SELECT id FROM drafts ORDER BY id').pluck().all()).toEqual([a]);
    expect(db.prepare('SELECT COUNT(*) FROM draft_invoices').pluck().get()).toBe(0);
    // Deleting the company drops everything.
    db.prepare("DELETE FROM connections WHERE id = 'c1'").run();
    expect(db.prepare('SELECT COUNT(*) FROM drafts').pluck().get()).toBe(0);
  });
});
