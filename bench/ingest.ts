// Ingest: our upsert path (validation, external-id resolution, UPSERT … RETURNING) against a
// plain better-sqlite3 INSERT of the very same rows into the same schema, in one transaction each.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../src/main/core/connectors/demo';
import { openDatabase, type Db } from '../src/main/core/db/open';
import { createConnection } from '../src/main/core/connectors/connections.repo';
import { upsertBatch } from '../src/main/core/ledger/ledger.repo';
import type { LedgerBatch } from '../src/main/core/ledger/types';
import { median, time } from './stats';

const NOW = '2026-11-21T15:00:00.000Z';

function freshDb(dir: string, name: string): Db {
  const path = join(dir, `${name}.db`);
  rmSync(path, { force: true });
  const db = openDatabase(path);
  createConnection(db, { id: 'c', provider: 'qbo', name: 'Bench', homeCurrency: 'USD' }, NOW);
  return db;
}

/** The baseline: the same rows, straight INSERTs, ids resolved from in-memory maps. */
function rawInsert(db: Db, batch: LedgerBatch): number {
  const customer = db.prepare(
    `INSERT INTO customers (connection_id, external_id, name, company_name, contact_name, email, phone, address,
       terms_label, terms_days, currency, active, updated_at) VALUES ('c',?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const invoice = db.prepare(
    `INSERT INTO invoices (connection_id, external_id, customer_id, number, issue_date, due_date, currency,
       total_cents, balance_cents, status, memo, updated_at) VALUES ('c',?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const payment = db.prepare(
    `INSERT INTO payments (connection_id, external_id, customer_id, date, currency, amount_cents, unapplied_cents,
       reference, method, updated_at) VALUES ('c',?,?,?,?,?,?,?,?,?)`,
  );
  const credit = db.prepare(
    `INSERT INTO credit_notes (connection_id, external_id, customer_id, number, date, currency, total_cents,
       remaining_cents, status, reason, updated_at) VALUES ('c',?,?,?,?,?,?,?,?,?,?)`,
  );
  const payApp = db.prepare('INSERT INTO payment_applications (payment_id, invoice_id, applied_on, amount_cents) VALUES (?,?,?,?)');
  const creditApp = db.prepare('INSERT INTO payment_applications (credit_note_id, invoice_id, applied_on, amount_cents) VALUES (?,?,?,?)');
  const note = db.prepare(
    `INSERT INTO notes (connection_id, customer_id, invoice_id, kind, body, occurred_at, created_at) VALUES ('c',?,?,?,?,?,?)`,
  );
  let rows = 0;
  db.transaction(() => {
    const cust = new Map<string, number | bigint>();
    const inv = new Map<string, number | bigint>();
    for (const c of batch.customers ?? []) {
      cust.set(c.externalId, customer.run(c.externalId, c.name, c.companyName ?? null, c.contactName ?? null, c.email ?? null,
        c.phone ?? null, c.address ?? null, c.termsLabel ?? null, c.termsDays ?? null, c.currency, c.active === false ? 0 : 1, c.updatedAt).lastInsertRowid);
    }
    for (const i of batch.invoices ?? []) {
      inv.set(i.externalId, invoice.run(i.externalId, cust.get(i.customerExternalId), i.number, i.issueDate, i.dueDate, i.currency,
        i.totalCents, i.balanceCents, i.status, i.memo ?? null, i.updatedAt).lastInsertRowid);
    }
    for (const p of batch.payments ?? []) {
      const id = payment.run(p.externalId, cust.get(p.customerExternalId), p.date, p.currency, p.amountCents, p.unappliedCents ?? 0,
        p.reference ?? null, p.method ?? null, p.updatedAt).lastInsertRowid;
      for (const a of p.applications) payApp.run(id, inv.get(a.invoiceExternalId), a.appliedOn, a.amountCents);
      rows += p.applications.length;
    }
    for (const n of batch.creditNotes ?? []) {
      const id = credit.run(n.externalId, cust.get(n.customerExternalId), n.number ?? null, n.date, n.currency, n.totalCents,
        n.remainingCents ?? 0, n.status ?? 'open', n.reason ?? null, n.updatedAt).lastInsertRowid;
      for (const a of n.applications) creditApp.run(id, inv.get(a.invoiceExternalId), a.appliedOn, a.amountCents);
      rows += n.applications.length;
    }
    for (const n of batch.notes ?? []) {
      note.run(cust.get(n.customerExternalId), n.invoiceExternalId ? inv.get(n.invoiceExternalId) : null, n.kind, n.body, n.occurredAt, NOW);
    }
  })();
  rows += (batch.customers?.length ?? 0) + (batch.invoices?.length ?? 0) + (batch.payments?.length ?? 0) +
    (batch.creditNotes?.length ?? 0) + (batch.notes?.length ?? 0);
  return rows;
}

export interface IngestResult {
  invoices: number;
  rows: number;
  rawMs: number;
  oursMs: number;
  ratio: number;
}

export function benchIngest(dir: string, invoices: number, runs = 3): IngestResult {
  const { batch } = generateDemo({ invoices, today: '2026-11-21' });
  const raw: number[] = [];
  const ours: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always runs on a warmer page cache.
    const order = i % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw'];
    for (const which of order) {
      const db = freshDb(dir, which);
      if (which === 'raw') raw.push(time(() => (rows = rawInsert(db, batch))));
      else ours.push(time(() => upsertBatch(db, 'c', batch, { nowIso: NOW })));
      db.close();
    }
  }
  const rawMs = median(raw);
  const oursMs = median(ours);
  return { invoices, rows, rawMs, oursMs, ratio: rawMs / oursMs };
}
