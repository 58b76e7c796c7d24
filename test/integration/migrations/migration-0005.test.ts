// Migration 0005 adds the outbox to a v4 file: existing drafts keep their rows and gain the
// pay-link / PDF toggles (off), the outbox refuses a second item for a draft, a reused
// idempotency key and unknown states or channels, and cascades from the draft and the company.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { syncRunsDetail } from '../../../src/main/core/db/migrations/0002-sync-runs-detail';
import { drafts } from '../../../src/main/core/db/migrations/0003-drafts';
import { followup } from '../../../src/main/core/db/migrations/0004-followup';
import { outbox } from '../../../src/main/core/db/migrations/0005-outbox';
import { openDatabase } from '../../../src/main/core/db/open';
import { NOW, useTempDb } from '../db/helpers';

const temp = useTempDb();
const UP_TO_4 = [initial, syncRunsDetail, drafts, followup];

function seedV4(path: string): void {
  const db = openDatabase(path, { migrations: UP_TO_4 });
  try {
    db.prepare("INSERT INTO connections (id, provider, name, home_currency, created_at, updated_at) VALUES ('c1', 'qbo', 'Co', 'USD', ?, ?)").run(NOW, NOW);
    db.prepare("INSERT INTO customers (id, connection_id, external_id, name, currency, updated_at) VALUES (1, 'c1', 'x1', 'Acme', 'USD', ?)").run(NOW);
    db.prepare(
      `INSERT INTO invoices (id, connection_id, external_id, customer_id, number, issue_date, due_date, currency, total_cents, balance_cents, status, updated_at)
       VALUES (10, 'c1', 'i10', 1, 'INV-10', '2025-05-01', '2025-05-31', 'USD', 12345, 12345, 'open', ?)`,
    ).run(NOW);
    db.prepare(
      `INSERT INTO drafts (id, connection_id, customer_id, scope, invoice_id, tone, subject, body, source, facts_json, facts_hash, factcheck_json, to_email, status, created_at, updated_at)
       VALUES (5, 'c1', 1, 'invoice', 10, 'firm', 'Invoice INV-10', 'Please pay', 'template', '{}', 'h', '{}', 'ap@acme.example', 'approved', ?, ?)`,
    ).run(NOW, NOW);
    expect(schemaVersion(db)).toBe(4);
  } finally {
    db.close();
  }
}

const insertItem = `INSERT INTO outbox (connection_id, draft_id, customer_id, idempotency_key, channel, recipients_json, subject, body, approved_by, state, max_attempts, created_at, updated_at)
  VALUES ('c1', @draft, 1, @key, @channel, '[]', 'S', 'B', 'owner', @state, 5, '${NOW}', '${NOW}') RETURNING id`;

describe('migration 0005 (outbox)', () => {
  it('keeps the v4 drafts with the toggles off, adds the outbox with its checks, and cascades', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV4(path);
    // Exactly up to 0005, so later migrations never change what this test proves.
    const { db } = temp.open(path, { migrations: [...UP_TO_4, outbox] });
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT body, pay_link, attach_pdf FROM drafts WHERE id = 5').get()).toEqual({ body: 'Please pay', pay_link: 0, attach_pdf: 0 });
    expect(() => db.prepare('UPDATE drafts SET pay_link = 2 WHERE id = 5').run()).toThrow(/CHECK/);

    const ins = db.prepare(insertItem).pluck();
    const id = ins.get({ draft: 5, key: 'k1', channel: 'smtp', state: 'queued' }) as number;
    db.prepare("INSERT INTO outbox_invoices (outbox_id, invoice_id, number, currency, balance_cents) VALUES (?, 10, 'INV-10', 'USD', 12345)").run(id);
    const item = db.prepare('SELECT state, attempts, writeback_state FROM outbox WHERE id = ?').get(id);
    expect(item).toEqual({ state: 'queued', attempts: 0, writeback_state: 'off' });
    // One item per draft, one use per key, known channels and states only.
    expect(() => ins.get({ draft: 5, key: 'k2', channel: 'smtp', state: 'queued' })).toThrow(/UNIQUE/);
    db.prepare(
      `INSERT INTO drafts (id, connection_id, customer_id, scope, tone, subject, body, source, facts_json, facts_hash, factcheck_json, status, created_at, updated_at)
       VALUES (6, 'c1', 1, 'customer', 'firm', 'S', 'B', 'template', '{}', 'h', '{}', 'approved', ?, ?)`,
    ).run(NOW, NOW);
    expect(() => ins.get({ draft: 6, key: 'k1', channel: 'smtp', state: 'queued' })).toThrow(/UNIQUE/);
    expect(() => ins.get({ draft: 6, key: 'k3', channel: 'fax', state: 'queued' })).toThrow(/CHECK/);
    expect(() => ins.get({ draft: 6, key: 'k3', channel: 'smtp', state: 'lost' })).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    db.prepare('DELETE FROM drafts WHERE id = 5').run();
    expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM outbox_invoices').pluck().get()).toBe(0);
  });
});
