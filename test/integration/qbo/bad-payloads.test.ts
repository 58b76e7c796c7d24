// Malformed records from QuickBooks (issue 3 "Bad input"): each becomes a clear per-record
// warning in the sync run, the rest of its page lands, and the bad record is not half-written.
import { afterEach, describe, expect, it } from 'vitest';
import { startQboServer, type QboCorruption } from '../../fakes/qbo-server';
import { coreWorld } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('bad payloads from QuickBooks', () => {
  it('skips each malformed invoice with a warning naming it, lands the rest, and lists the warnings for the Connections row', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 400, rateLimit: false });
    cleanups.push(() => qbo.close());
    // Invoices with no payments or credits against them, so nothing else depends on them.
    const snap = qbo.snapshot();
    // (Credit memos are applied through Payment lines too, so the payments name every such invoice.)
    const paid = new Set(snap.payments.flatMap((p) => p.Line.flatMap((l) => l.LinkedTxn.filter((t) => t.TxnType === 'Invoice').map((t) => t.TxnId))));
    const candidates = snap.invoices.filter((i) => !paid.has(i.Id) && i.Balance === i.TotalAmt && i.Balance > 0);
    const kinds: QboCorruption[] = ['noDueDate', 'unknownCurrency', 'nullLine', 'hugeNumber'];
    const bad = new Map(kinds.map((k, n) => [candidates[n]!.Id, k]));
    expect(bad.size).toBe(4);
    for (const [id, kind] of bad) qbo.corruptInvoice(id, kind);

    const w = await coreWorld(qbo);
    cleanups.push(() => w.close());
    const out = await w.call('sync.run', { connectionId: w.connectionId });
    const run = out.runs[0];
    expect(run).toMatchObject({ status: 'ok', kind: 'full' });
    expect(run?.warnings).toBeGreaterThanOrEqual(4);
    for (const id of bad.keys()) expect(run?.warningLines.some((l) => l.includes(`Invoice ${id}`)), `a warning for invoice ${id}`).toBe(true);
    const text = run?.warningLines.join('\n') ?? '';
    expect(text).toMatch(/DueDate is missing/);
    expect(text).toMatch(/unknown currency "XXX"/);
    expect(text).toMatch(/too large/);

    // The bad ones are absent (not half-written); every other invoice landed.
    const local = new Set(w.core.db.prepare('SELECT external_id FROM invoices WHERE connection_id = ?').pluck().all(w.connectionId) as string[]);
    for (const id of bad.keys()) expect(local.has(id)).toBe(false);
    expect(local.size).toBe(snap.invoices.length - bad.size);
    for (const id of bad.keys()) {
      expect(w.core.db.prepare('SELECT COUNT(*) FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id WHERE i.external_id = ?').pluck().get(id)).toBe(0);
    }

    // The run row keeps the lines: sync.status shows "N records, M warnings" per connection.
    const status = await w.call('sync.status');
    const last = status.lastRuns?.[w.connectionId];
    expect(last).toMatchObject({ status: 'ok', warnings: run?.warnings, records: run?.records });
    expect(last?.warningLines).toEqual(run?.warningLines);

    // Fixed in QuickBooks (an edit touches them), the next increment brings them in.
    for (const id of bad.keys()) {
      qbo.corruptInvoice(id, null);
      qbo.updateInvoice(id, { PrivateNote: 'fixed' });
    }
    const inc = await w.call('sync.run', { connectionId: w.connectionId });
    expect(inc.runs[0]).toMatchObject({ status: 'ok', kind: 'incremental', warnings: 0 });
    const after = w.core.db.prepare('SELECT COUNT(*) FROM invoices WHERE connection_id = ?').pluck().get(w.connectionId);
    expect(after).toBe(snap.invoices.length);
  });
});
