// Real SQLite files in a fresh temp dir per test, closed and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Db, type OpenOptions } from '../../../src/main/core/db/open';
import { createConnection } from '../../../src/main/core/connectors/connections.repo';
import type { CustomerRecord, InvoiceRecord, PaymentRecord } from '../../../src/main/core/ledger/types';

export const NOW = '2025-06-15T12:00:00.000Z';

/** Call at module level: returns helpers whose files and handles are cleaned after each test. */
export function useTempDb(): {
  dir(): string;
  open(path?: string, opts?: OpenOptions): { db: Db; path: string };
} {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'settle-test-'));
    dirs.push(d);
    return d;
  };
  return {
    dir,
    open(path, opts) {
      const p = path ?? join(dir(), 'settle.db');
      const db = openDatabase(p, opts);
      dbs.push(db);
      return { db, path: p };
    },
  };
}

export function addConnection(db: Db, id = 'c1', homeCurrency = 'USD'): void {
  createConnection(db, { id, provider: 'qbo', name: `Company ${id}`, homeCurrency }, NOW);
}

export function countRows(db: Db, table: string): number {
  return db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).pluck().get() as number;
}

/** A customer record with only what matters to a test spelled out. */
export function customer(externalId: string, extra: Partial<CustomerRecord> = {}): CustomerRecord {
  return { externalId, name: `Customer ${externalId}`, currency: 'USD', updatedAt: NOW, ...extra };
}

export function invoice(
  externalId: string,
  customerExternalId: string,
  extra: Partial<InvoiceRecord> = {},
): InvoiceRecord {
  return {
    externalId,
    customerExternalId,
    number: externalId.toUpperCase(),
    issueDate: '2025-01-01',
    dueDate: '2025-01-31',
    currency: 'USD',
    totalCents: 10_000,
    balanceCents: 10_000,
    status: 'open',
    updatedAt: NOW,
    ...extra,
  };
}

export function payment(
  externalId: string,
  customerExternalId: string,
  date: string,
  applications: { invoiceExternalId: string; amountCents: number; appliedOn?: string }[],
  extra: Partial<PaymentRecord> = {},
): PaymentRecord {
  const apps = applications.map((a) => ({ ...a, appliedOn: a.appliedOn ?? date }));
  return {
    externalId,
    customerExternalId,
    date,
    currency: 'USD',
    amountCents: apps.reduce((s, a) => s + a.amountCents, 0),
    applications: apps,
    updatedAt: NOW,
    ...extra,
  };
}
