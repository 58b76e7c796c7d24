// Outreach pauses (DESIGN §8, issue #6) over pauses.repo: "don't chase this customer (or these
// invoices) until a date", from the owner or from reply triage. The approval rules and the outbox
// read activePauses() and hold what a pause covers until its date.
import type { IsoDate } from '../../../shared/dates';
import { isIsoDate, toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import type { PauseItem } from '../../../shared/followup';
import type { FollowupContext } from './context';
import type { OutreachPause } from './disputes';
import { invoiceRefs, invoicesAmong } from '../ledger';
import { deletePause, getPause, insertPause, listActivePauses } from './pauses.repo';

export class PausesService {
  constructor(private readonly ctx: FollowupContext) {}

  /** A pause's date and reason, checked (a date after today, a reason of 3 to 500 characters). */
  validPause(until: string, reason: string, today: IsoDate): { until: IsoDate; reason: string } {
    if (!isIsoDate(until)) throw new SettleError('invalid_input', 'Choose the date outreach resumes, as YYYY-MM-DD.');
    if (toEpochDay(until) <= toEpochDay(today)) {
      throw new SettleError('invalid_input', `Outreach resumes on ${until}, which is not after today (${today}): choose a later date.`);
    }
    const why = reason.trim();
    if (why.length < 3) throw new SettleError('invalid_input', 'Say why outreach is paused (at least 3 characters).');
    if (why.length > 500) throw new SettleError('invalid_input', 'Keep the reason under 500 characters.');
    return { until, reason: why };
  }

  /** Inserts a validated pause and audits it. */
  storePause(
    connectionId: string,
    customerId: number,
    invoiceIds: number[] | null,
    until: IsoDate,
    reason: string,
    detail: Record<string, unknown>,
  ): number {
    const id = insertPause(this.ctx.db, { connectionId, customerId, invoiceIds, until, reason, createdAt: this.ctx.nowIso() });
    this.ctx.audit({
      actor: 'owner',
      action: 'outreach.pause',
      entity: 'customer',
      entityId: customerId,
      detail: { pauseId: id, until, reason, invoiceIds, ...detail },
    });
    return id;
  }

  /** Pauses outreach to a customer (or some of their invoices) until a date; approvals hold their drafts until then. */
  create(input: { customerId: number; until: IsoDate; reason: string; invoiceIds?: number[] | null }): PauseItem[] {
    const cust = this.ctx.customer(input.customerId);
    const { until, reason } = this.validPause(input.until, input.reason, this.ctx.today());
    const ids = input.invoiceIds && input.invoiceIds.length > 0 ? [...new Set(input.invoiceIds)] : null;
    if (ids) {
      const found = invoicesAmong(this.ctx.db, ids, cust.connectionId);
      const bad = ids.filter((id) => !found.some((f) => f.id === id && f.customerId === input.customerId));
      if (bad.length > 0) throw new SettleError('invalid_input', `Invoice ${bad.join(', ')} is not one of ${cust.name}'s.`);
    }
    this.ctx.db.transaction(() => this.storePause(cust.connectionId, input.customerId, ids, until, reason, {}))();
    this.ctx.changed(cust.connectionId, 'promise');
    return this.list({ customerId: input.customerId });
  }

  /** Pauses that have not reached their date, for a customer or the active company. */
  list(input: { customerId?: number } = {}): PauseItem[] {
    const connectionId = this.ctx.connectionFor(input.customerId);
    if (connectionId === null) return [];
    const db = this.ctx.db;
    return listActivePauses(db, { connectionId, customerId: input.customerId ?? null, today: this.ctx.today() }).map((r) => ({
      id: r.id,
      customerId: r.customerId,
      customerName: r.customerName,
      invoices: r.invoiceIds === null ? null : invoiceRefs(db, r.invoiceIds),
      until: r.until,
      reason: r.reason,
      createdAt: r.createdAt,
    }));
  }

  /** Pauses per company as the approval rules read them (every pause not yet over). */
  active(connectionId: string): OutreachPause[] {
    return listActivePauses(this.ctx.db, { connectionId, customerId: null, today: this.ctx.today() }).map((r) => ({
      customerId: r.customerId,
      invoiceIds: r.invoiceIds,
      until: r.until,
      reason: r.reason,
    }));
  }

  remove(pauseId: number): PauseItem[] {
    const db = this.ctx.db;
    const row = getPause(db, pauseId);
    if (!row) throw new SettleError('not_found', `No pause ${pauseId}`);
    db.transaction(() => {
      deletePause(db, pauseId);
      this.ctx.audit({
        actor: 'owner',
        action: 'outreach.resume',
        entity: 'customer',
        entityId: row.customerId,
        detail: { pauseId, until: row.until, reason: row.reason },
      });
    })();
    this.ctx.changed(row.connectionId, 'promise');
    return this.list({ customerId: row.customerId });
  }
}
