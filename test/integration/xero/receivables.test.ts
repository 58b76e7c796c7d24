// What counts as receivable from Xero (issue 11 §7), in a full core against the emulator: an
// invoice awaiting approval (SUBMITTED) is in no figure, queue or draft until it is approved, a
// deleted one disappears, and the cross-check nets unused credit as Xero's contact balances do.
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroServer, type XeroServer } from '../../fakes/xero-server';
import { connectWorld, type Cleanups, type ConnectWorld } from '../sync/connect-world';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type World = ConnectWorld & { x: XeroServer };

async function world(): Promise<World> {
  const x = await startXeroServer({ today: '2025-06-15', tenants: 1, invoices: 40, rateLimit: false });
  cleanups.push(() => x.close());
  const w = await connectWorld(cleanups, { clock: { now: () => x.now(), timeZone: () => 'UTC' }, xero: x });
  return { ...w, x };
}

async function connect(w: World): Promise<string> {
  const pending = await w.call('connections.connectXero', { clientId: w.x.clientId });
  const [conn] = await w.call('connections.addXeroTenants', { pendingId: pending.pendingId, tenantIds: [w.x.tenantId] });
  if (!conn) throw new Error('no connection added');
  return conn.id;
}

const usdOutstanding = async (w: World): Promise<number> => (await w.call('board.get')).summary.currencies.find((c) => c.currency === 'USD')?.outstandingCents ?? 0;

describe('Xero receivables', () => {
  it('leaves a SUBMITTED invoice out of the board, the queue and drafts until it is approved; a deleted one disappears', async () => {
    const w = await world();
    const contact = w.x.createContact({ name: 'Awaiting Approval Pty', email: 'ap@awaiting.example' });
    const waiting = w.x.createInvoice({ contactId: contact.ContactID, amount: 500, date: '2025-04-01', dueDate: '2025-05-01', status: 'SUBMITTED' });
    const dropped = w.x.createInvoice({ contactId: contact.ContactID, amount: 70, date: '2025-04-01', dueDate: '2025-05-01', status: 'SUBMITTED' });
    const connId = await connect(w);
    expect((await w.call('sync.run', { connectionId: connId })).runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    // Xero's own balances leave it out too, so the cross-check agrees.
    expect((await w.call('sync.status')).crossChecks?.[connId]?.mismatches).toEqual([]);

    const db = w.core.db;
    const customerId = db.prepare('SELECT id FROM customers WHERE connection_id = ? AND external_id = ?').pluck().get(connId, contact.ContactID) as number;
    const invoiceId = db.prepare('SELECT id FROM invoices WHERE connection_id = ? AND external_id = ?').pluck().get(connId, waiting.InvoiceID) as number;
    expect(db.prepare('SELECT status FROM invoices WHERE id = ?').pluck().get(invoiceId)).toBe('draft');
    const before = await usdOutstanding(w);
    expect((await w.call('board.get', { search: 'Awaiting Approval', scope: 'open' })).queue.rows).toEqual([]);
    await expect(w.call('drafts.create', { customerId, mode: 'template' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(w.call('drafts.create', { invoiceId, mode: 'template' })).rejects.toMatchObject({ code: 'conflict' });

    // Approved in Xero, the other one deleted: the next (incremental) sync makes the first open, drops the second.
    w.x.authoriseInvoice(waiting.InvoiceID);
    w.x.deleteInvoice(dropped.InvoiceID);
    expect((await w.call('sync.run', { connectionId: connId })).runs[0]).toMatchObject({ status: 'ok', kind: 'incremental' });
    expect(db.prepare('SELECT status FROM invoices WHERE id = ?').pluck().get(invoiceId)).toBe('open');
    expect(db.prepare('SELECT deleted_at IS NOT NULL FROM invoices WHERE connection_id = ? AND external_id = ?').pluck().get(connId, dropped.InvoiceID)).toBe(1);
    expect(await usdOutstanding(w)).toBe(before + 50_000);
    const rows = (await w.call('board.get', { search: 'Awaiting Approval', scope: 'open' })).queue.rows;
    expect(rows.map((r) => [r.customerId, r.invoices.map((i) => [i.number, i.balanceCents])])).toEqual([[customerId, [[waiting.InvoiceNumber, 50_000]]]]);
    const draft = await w.call('drafts.create', { customerId, mode: 'template' });
    expect(draft.invoices.map((i) => i.number)).toEqual([waiting.InvoiceNumber]);
    expect(draft.facts.totals).toEqual([expect.objectContaining({ currency: 'USD', balanceCents: 50_000, invoices: 1 })]);
  });

  it('raises no cross-check mismatch for a contact whose only item is an unused credit note of 12.00', async () => {
    const w = await world();
    const contact = w.x.createContact({ name: 'Credit Only Ltd', email: 'ap@credit-only.example' });
    w.x.createCreditNote(contact.ContactID, { amount: 12 });
    expect(w.x.contact(contact.ContactID)?.Balances?.AccountsReceivable?.Outstanding).toBe(-12);
    const connId = await connect(w);
    expect((await w.call('sync.run', { connectionId: connId })).runs[0]).toMatchObject({ status: 'ok', kind: 'full' });
    const check = (await w.call('sync.status')).crossChecks?.[connId];
    expect(check).toMatchObject({ asOf: w.x.today(), mismatches: [] });
    expect(check!.checked).toBeGreaterThan(1);
  });
});
