import { describe, expect, it } from 'vitest';
import { removeCompany } from '../../../src/main/core/connectors/companies';
import {
  createConnection,
  getConnection,
  getConnectionRecord,
  listConnections,
  markSynced,
  setConnectionStatus,
} from '../../../src/main/core/connectors/connections.repo';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import { replaceScores } from '../../../src/main/core/scoring/scores.repo';
import { setOverride } from '../../../src/main/core/scoring/overrides.repo';
import {
  DEFAULT_SETTINGS,
  getSetting,
  getSettings,
  setSetting,
  setSettings,
} from '../../../src/main/core/settings/settings.repo';
import {
  clearCursors,
  finishRun,
  getCursor,
  lastRun,
  setCursor,
  startRun,
} from '../../../src/main/core/sync/sync-runs.repo';
import { addConnection, countRows, customer, invoice, NOW, payment, useTempDb } from '../db/helpers';

const temp = useTempDb();

describe('settings', () => {
  it('reads defaults, then what was set, and keeps internal keys apart', () => {
    const { db } = temp.open();
    expect(getSettings(db)).toEqual(DEFAULT_SETTINGS);
    expect(setSettings(db, { theme: 'dark', locale: 'fr-FR' }, NOW)).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      locale: 'fr-FR',
      syncIntervalMinutes: 15,
      activeConnectionId: null,
    });
    setSettings(db, { locale: null, syncIntervalMinutes: 60 }, NOW);
    expect(getSettings(db)).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', locale: null, syncIntervalMinutes: 60, activeConnectionId: null });

    setSetting(db, 'demo.seed', { seed: 7, invoices: 900 }, NOW);
    expect(getSetting(db, 'demo.seed')).toEqual({ seed: 7, invoices: 900 });
    expect(getSetting(db, 'demo.dismissed')).toBeUndefined();
    setSetting(db, 'demo.seed', undefined, NOW);
    expect(getSetting(db, 'demo.seed')).toBeUndefined();
  });

  it('rejects a bad patch as a whole and writes nothing', () => {
    const { db } = temp.open();
    expect(() => setSettings(db, { theme: 'dark', syncIntervalMinutes: 1 }, NOW)).toThrow();
    expect(() => setSettings(db, { colour: 'red' }, NOW)).toThrow();
    expect(getSettings(db)).toEqual(DEFAULT_SETTINGS);
    expect(countRows(db, 'settings')).toBe(0);
  });

  it('falls back to the default for a stored value that no longer validates', () => {
    const { db } = temp.open();
    db.prepare("INSERT INTO settings VALUES ('theme', '\"neon\"', ?), ('syncIntervalMinutes', 'not json', ?)").run(NOW, NOW);
    expect(getSettings(db)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('connections', () => {
  it('creates, lists, updates and summarises connections', () => {
    const { db } = temp.open();
    const demo = createConnection(db, { id: 'demo', provider: 'demo', name: 'Juniper & Finch', homeCurrency: 'USD' }, NOW);
    expect(demo).toEqual({
      id: 'demo',
      provider: 'demo',
      name: 'Juniper & Finch',
      status: 'active',
      homeCurrency: 'USD',
      lastSyncedAt: null,
      isDemo: true,
    });
    createConnection(
      db,
      { id: 'qbo-1', provider: 'qbo', name: 'Acme', homeCurrency: 'GBP', externalTenantId: '9130', options: { apiBase: 'http://127.0.0.1:1' } },
      '2025-06-16T00:00:00.000Z',
    );
    setConnectionStatus(db, 'qbo-1', 'needs_reconnect', NOW);
    markSynced(db, 'qbo-1', '2025-06-16T10:00:00.000Z');
    expect(listConnections(db).map((c) => [c.id, c.status, c.isDemo, c.lastSyncedAt])).toEqual([
      ['demo', 'active', true, null],
      ['qbo-1', 'needs_reconnect', false, '2025-06-16T10:00:00.000Z'],
    ]);
    expect(getConnectionRecord(db, 'qbo-1')).toMatchObject({ externalTenantId: '9130', options: { apiBase: 'http://127.0.0.1:1' } });
    expect(getConnection(db, 'nope')).toBeNull();
  });

  it('refuses duplicates, bad currencies and unknown ids', () => {
    const { db } = temp.open();
    addConnection(db, 'c1');
    expect(() => addConnection(db, 'c1')).toThrow(/already exists/);
    expect(() => createConnection(db, { id: 'x', provider: 'qbo', name: 'X', homeCurrency: 'usd' }, NOW)).toThrow(/ISO 4217/);
    expect(() => setConnectionStatus(db, 'ghost', 'active', NOW)).toThrow(/No connection "ghost"/);
    expect(() => markSynced(db, 'ghost', NOW)).toThrow(/No connection "ghost"/);
    expect(countRows(db, 'connections')).toBe(1);
  });

  it('deletes a connection with its whole ledger and nothing of the others', () => {
    const { db } = temp.open();
    for (const id of ['c1', 'c2']) {
      addConnection(db, id);
      upsertBatch(db, id, {
        customers: [customer('parent'), customer('kid', { parentExternalId: 'parent' })],
        invoices: [invoice('i1', 'kid')],
        payments: [payment('p1', 'kid', '2025-02-01', [{ invoiceExternalId: 'i1', amountCents: 100 }])],
        creditNotes: [
          { externalId: 'cn1', customerExternalId: 'kid', date: '2025-02-02', currency: 'USD', totalCents: 50, applications: [{ invoiceExternalId: 'i1', amountCents: 50, appliedOn: '2025-02-02' }], updatedAt: NOW },
        ],
        notes: [{ customerExternalId: 'kid', invoiceExternalId: 'i1', kind: 'call', body: 'hi', occurredAt: NOW }],
      });
      const inv = db.prepare('SELECT id, customer_id FROM invoices WHERE connection_id = ?').get(id) as { id: number; customer_id: number };
      replaceScores(db, id, [{ invoiceId: inv.id, customerId: inv.customer_id, score: 50, tier: 'medium', nextAction: 'email', factors: [] }], '2025-06-15', NOW);
      setOverride(db, inv.customer_id, 'low', 'why', NOW);
      startRun(db, id, 'full', NOW);
      setCursor(db, id, 'Invoice', 'x', NOW);
      setSetting(db, `payment.details.${id}`, { bankDetails: `IBAN of ${id}` }, NOW);
    }
    const tables = ['customers', 'invoices', 'payments', 'credit_notes', 'payment_applications', 'notes', 'scores', 'overrides', 'sync_runs', 'sync_cursors'];
    const before = Object.fromEntries(tables.map((t) => [t, countRows(db, t)]));

    expect(removeCompany(db, 'c1')).toBe(true);
    expect(removeCompany(db, 'c1')).toBe(false);
    expect(Object.fromEntries(tables.map((t) => [t, countRows(db, t)]))).toEqual(
      Object.fromEntries(tables.map((t) => [t, before[t]! / 2])),
    );
    expect(db.prepare('SELECT DISTINCT connection_id FROM invoices').pluck().all()).toEqual(['c2']);
    // Settings → Payment details go with their company; the other company keeps its own.
    expect(getSetting(db, 'payment.details.c1')).toBeUndefined();
    expect(getSetting(db, 'payment.details.c2')).toEqual({ bankDetails: 'IBAN of c2' });
  });
});

describe('sync runs and cursors', () => {
  it('records runs and reports the latest, per connection or overall', () => {
    const { db } = temp.open();
    addConnection(db, 'c1');
    addConnection(db, 'c2');
    expect(lastRun(db)).toBeNull();
    const r1 = startRun(db, 'c1', 'full', '2025-06-15T10:00:00.000Z');
    finishRun(db, r1, { status: 'ok', requests: 12, records: 5000, atIso: '2025-06-15T10:01:00.000Z' });
    const r2 = startRun(db, 'c2', 'incremental', '2025-06-15T11:00:00.000Z');
    finishRun(db, r2, { status: 'failed', requests: 1, records: 0, error: 'HTTP 503', atIso: '2025-06-15T11:00:05.000Z' });

    expect(lastRun(db, 'c1')).toEqual({
      id: r1,
      connectionId: 'c1',
      kind: 'full',
      status: 'ok',
      startedAt: '2025-06-15T10:00:00.000Z',
      finishedAt: '2025-06-15T10:01:00.000Z',
      requests: 12,
      records: 5000,
      error: null,
      warnings: 0,
      warningLines: [],
      trigger: null,
      retryAt: null,
    });
    expect(lastRun(db)).toMatchObject({ id: r2, status: 'failed', error: 'HTTP 503' });
    expect(() => startRun(db, 'ghost', 'full', NOW)).toThrow(/No connection/);
    expect(() => finishRun(db, 424242, { status: 'ok', requests: 0, records: 0, atIso: NOW })).toThrow(/No sync run/);
  });

  it('keeps one cursor per connection and entity', () => {
    const { db } = temp.open();
    addConnection(db, 'c1');
    expect(getCursor(db, 'c1', 'Invoice')).toBeNull();
    setCursor(db, 'c1', 'Invoice', '2025-06-01T00:00:00Z', NOW);
    setCursor(db, 'c1', 'Invoice', '2025-06-02T00:00:00Z', NOW);
    setCursor(db, 'c1', 'Payment', 'p', NOW);
    expect(getCursor(db, 'c1', 'Invoice')).toBe('2025-06-02T00:00:00Z');
    clearCursors(db, 'c1');
    expect(getCursor(db, 'c1', 'Payment')).toBeNull();
  });
});
