// Disputes (DESIGN §8, issue #6) over disputes.repo: opening one on some of a customer's
// invoices (which holds outreach about them and counts in their score) and resolving it. The
// rules are pure, in disputes.ts; reply triage opens disputes through storeDispute.
import { SettleError } from '../../../shared/errors';
import type { DisputeItem, DisputeReason, DisputeResolution } from '../../../shared/followup';
import type { FollowupContext } from './context';
import { openDispute, resolveDispute, type Dispute } from './disputes';
import { disputeInvoiceRefs, getDisputeRow, insertDispute, listDisputeRows, markDisputeResolved, type DisputeRow } from './disputes.repo';
import { invoicesAmong } from '../ledger';

export class DisputesService {
  constructor(private readonly ctx: FollowupContext) {}

  private item(r: DisputeRow): DisputeItem {
    const { connectionId: _conn, ...rest } = r;
    return { ...rest, invoices: disputeInvoiceRefs(this.ctx.db, r.id) };
  }

  list(input: { customerId?: number } = {}): DisputeItem[] {
    const connectionId = this.ctx.connectionFor(input.customerId);
    if (connectionId === null) return [];
    return listDisputeRows(this.ctx.db, connectionId, input.customerId ?? null).map((r) => this.item(r));
  }

  /** A new dispute checked against the ledger (the invoices must be the customer's); nothing is written. */
  validDispute(
    connectionId: string,
    input: { customerId: number; invoiceIds: number[]; reason: DisputeReason; detail?: string },
    now: Date = this.ctx.clock.now(),
  ): Dispute {
    const invoices = invoicesAmong(this.ctx.db, input.invoiceIds, connectionId);
    return openDispute(input, { id: 0, now, invoices });
  }

  open(input: { customerId: number; invoiceIds: number[]; reason: DisputeReason; detail?: string }): DisputeItem {
    const cust = this.ctx.customer(input.customerId);
    const d = this.validDispute(cust.connectionId, input);
    const id = this.ctx.db.transaction(() => this.storeDispute(cust.connectionId, d, {}))();
    this.ctx.changed(cust.connectionId, 'dispute');
    return this.item(getDisputeRow(this.ctx.db, id)!);
  }

  resolve(input: { disputeId: number; resolution: DisputeResolution; note?: string }): DisputeItem {
    const db = this.ctx.db;
    const row = getDisputeRow(db, input.disputeId);
    if (!row) throw new SettleError('not_found', `No dispute ${input.disputeId}`);
    const current: Dispute = { ...this.item(row), invoiceIds: disputeInvoiceRefs(db, row.id).map((i) => i.id) };
    const next = resolveDispute(current, { resolution: input.resolution, note: input.note }, this.ctx.clock.now());
    db.transaction(() => {
      markDisputeResolved(db, row.id, next);
      this.ctx.audit({
        actor: 'owner',
        action: 'dispute.resolve',
        entity: 'dispute',
        entityId: row.id,
        detail: { customerId: row.customerId, resolution: next.resolution },
      });
    })();
    this.ctx.changed(row.connectionId, 'dispute');
    return this.item(getDisputeRow(db, row.id)!);
  }

  /** Inserts a validated dispute and audits it; call inside a transaction. */
  storeDispute(connectionId: string, d: Dispute, detail: Record<string, unknown>): number {
    const newId = insertDispute(this.ctx.db, connectionId, d);
    this.ctx.audit({
      actor: 'owner',
      action: 'dispute.open',
      entity: 'dispute',
      entityId: newId,
      detail: { customerId: d.customerId, invoiceIds: d.invoiceIds, reason: d.reason, ...detail },
    });
    return newId;
  }
}
