// Promises to pay (DESIGN §8, issue #6) over promises.repo: the Promises page's groups, recording
// and withdrawing a promise, the broken-promise follow-up draft, and evaluate(), which re-derives
// every promise of a company from the synced payments (the beforeSnapshot hook runs it before the
// snapshot reads broken promises into the customers' facts) and lets accepted plans follow their
// instalments. The rules themselves are pure, in promises.ts and plans.ts.
import { SettleError } from '../../../shared/errors';
import type { InvoiceRef, PromiseCreated, PromiseGroupsView, PromiseItem, PromiseStatus } from '../../../shared/followup';
import type { DraftView } from '../../../shared/model';
import type { FollowupContext } from './context';
import { invoicesAmong } from '../ledger';
import { planStatus } from './plans';
import { listPlanRecords, savePlanState } from './plans.repo';
import {
  cancelPromise,
  createPromise,
  evaluatePromises,
  groupPromises,
  promisesDueToday,
  type NewPromiseInput,
  type EvaluatedPromise,
  type PromiseToPay,
} from './promises';
import {
  appliedToPromisedInvoices,
  getPromiseRow,
  insertPromise,
  listPromiseRows,
  markPromiseCancelled,
  planPromiseRows,
  promiseInvoicesOf,
  saveEvaluation,
  toPromiseToPay,
  type PromiseRow,
} from './promises.repo';

/** A stored promise with its evaluation as of today and the invoices it covers. */
export type EvaluatedRow = EvaluatedPromise & { row: PromiseRow; invoices: InvoiceRef[] };

export class PromisesService {
  constructor(private readonly ctx: FollowupContext) {}

  /** Every promise of a company (or one customer) with its evaluation as of today (nothing is written). */
  evaluated(connectionId: string, customerId: number | null = null): EvaluatedRow[] {
    const db = this.ctx.db;
    const rows = listPromiseRows(db, connectionId, customerId);
    const invoices = promiseInvoicesOf(db, connectionId);
    const applied = rows.length > 0 ? appliedToPromisedInvoices(db, connectionId) : [];
    const promises = rows.map((r) => toPromiseToPay(r, (invoices.get(r.id) ?? []).map((i) => i.id)));
    const results = evaluatePromises(promises, applied, this.ctx.today(), { timeZone: this.ctx.clock.timeZone() });
    return results.map((e, n) => ({ ...e, row: rows[n]!, invoices: invoices.get(rows[n]!.id) ?? [] }));
  }

  /** Each promise's status as of today, by id. */
  statuses(connectionId: string, customerId: number | null): Map<number, PromiseStatus> {
    return new Map(this.evaluated(connectionId, customerId).map((e) => [e.row.id, e.evaluation.status]));
  }

  private item(e: EvaluatedRow): PromiseItem {
    return {
      id: e.row.id,
      customerId: e.row.customerId,
      customerName: e.row.customerName,
      date: e.row.date,
      deadline: e.evaluation.deadline,
      amountCents: e.row.amountCents,
      currency: e.row.currency,
      madeVia: e.row.madeVia,
      note: e.row.note,
      status: e.evaluation.status,
      paidCents: e.evaluation.paidByDeadlineCents,
      invoices: e.invoices,
      createdAt: e.row.createdAt,
      planId: e.row.planId,
    };
  }

  /**
   * Re-derives every promise of a company from the synced payments and saves what changed
   * (audited as system decisions). Called by the core's recompute, before the snapshot reads
   * broken promises into the customers' facts. Returns how many promises changed status.
   */
  evaluate(connectionId: string): number {
    const at = this.ctx.nowIso();
    let changed = 0;
    this.ctx.db.transaction(() => {
      const statuses = new Map<number, PromiseStatus>();
      for (const e of this.evaluated(connectionId)) {
        const ev = e.evaluation;
        statuses.set(e.row.id, ev.status);
        const same =
          !e.changed && e.row.paidByDeadlineCents === ev.paidByDeadlineCents && e.row.keptOn === ev.keptOn && e.row.brokenOn === ev.brokenOn;
        if (same) continue;
        saveEvaluation(this.ctx.db, { id: e.row.id, status: ev.status, paid: ev.paidByDeadlineCents, keptOn: ev.keptOn, brokenOn: ev.brokenOn, at });
        if (e.changed) {
          changed++;
          this.ctx.audit({
            actor: 'system',
            action: `promise.${ev.status}`,
            entity: 'promise',
            entityId: e.row.id,
            detail: { from: e.row.status, to: ev.status, paidByDeadlineCents: ev.paidByDeadlineCents, deadline: ev.deadline },
          });
        }
      }
      this.followPlans(connectionId, statuses);
    })();
    if (changed > 0) this.ctx.emit(connectionId, 'evaluate');
    return changed;
  }

  /** Accepted plans follow their promises (active, behind, completed); call inside evaluate's transaction. */
  private followPlans(connectionId: string, statuses: ReadonlyMap<number, PromiseStatus>): void {
    const db = this.ctx.db;
    for (const plan of listPlanRecords(db, connectionId, null)) {
      if (plan.status === 'proposed' || plan.status === 'cancelled') continue;
      const promises = planPromiseRows(db, plan.id).map((p) => ({ status: statuses.get(p.id) ?? p.status }));
      const next = planStatus({ state: 'accepted' }, promises);
      if (next === plan.status) continue;
      savePlanState(db, plan.id, next, plan.schedule, this.ctx.nowIso());
      this.ctx.audit({ actor: 'system', action: `plan.${next}`, entity: 'plan', entityId: plan.id, detail: { from: plan.status, to: next } });
    }
  }

  /** Open promises dated today in a company (BoardSummary.promisesDueToday). */
  dueToday(connectionId: string): number {
    return promisesDueToday(listPromiseRows(this.ctx.db, connectionId, null), this.ctx.today());
  }

  list(input: { customerId?: number } = {}): PromiseGroupsView {
    const asOf = this.ctx.today();
    const connectionId = this.ctx.connectionFor(input.customerId);
    if (connectionId === null) return { asOf, today: [], upcoming: [], broken: [], kept: [], dueToday: 0 };
    const items = this.evaluated(connectionId, input.customerId ?? null).map((e) => this.item(e));
    const groups = groupPromises(items, asOf);
    return { asOf, ...groups, dueToday: promisesDueToday(items, asOf) };
  }

  create(input: Omit<NewPromiseInput, 'planId'>): PromiseCreated {
    const cust = this.ctx.customer(input.customerId);
    const { promise, warnings } = this.validPromise(cust.connectionId, input);
    const id = this.ctx.db.transaction(() => this.storePromise(cust.connectionId, promise, {}))();
    this.ctx.changed(cust.connectionId, 'promise');
    const created = this.evaluated(cust.connectionId, input.customerId).find((e) => e.row.id === id);
    if (!created) throw new SettleError('internal', 'The promise was saved but could not be read back');
    return { promise: this.item(created), warnings };
  }

  /** A new promise checked against the ledger (past dates, over the balance, paid invoices); nothing is written. */
  validPromise(
    connectionId: string,
    input: Parameters<typeof createPromise>[0],
    earlier: readonly PromiseToPay[] = [],
  ): { promise: PromiseToPay; warnings: string[] } {
    const invoices = invoicesAmong(this.ctx.db, input.invoiceIds, connectionId);
    const existing = [
      ...this.evaluated(connectionId, input.customerId).map((e) => ({ ...e.promise, status: e.evaluation.status })),
      ...earlier,
    ];
    return createPromise(input, { id: 0, now: this.ctx.clock.now(), today: this.ctx.today(), invoices, existing });
  }

  /** Inserts a validated promise and audits it; call inside a transaction. */
  storePromise(connectionId: string, promise: PromiseToPay, detail: Record<string, unknown>): number {
    const newId = insertPromise(this.ctx.db, connectionId, promise);
    this.ctx.audit({
      actor: 'owner',
      action: 'promise.create',
      entity: 'promise',
      entityId: newId,
      detail: {
        customerId: promise.customerId,
        invoiceIds: promise.invoiceIds,
        date: promise.date,
        amountCents: promise.amountCents,
        currency: promise.currency,
        madeVia: promise.madeVia,
        ...detail,
      },
    });
    return newId;
  }

  cancel(promiseId: number): PromiseGroupsView {
    const row = getPromiseRow(this.ctx.db, promiseId);
    if (!row) throw new SettleError('not_found', `No promise ${promiseId}`);
    const current = this.evaluated(row.connectionId, row.customerId).find((e) => e.row.id === promiseId)!;
    const next = cancelPromise({ ...current.promise, status: current.evaluation.status });
    if (row.status !== 'cancelled' && next.status === 'cancelled') {
      const at = this.ctx.nowIso();
      this.ctx.db.transaction(() => {
        markPromiseCancelled(this.ctx.db, promiseId, at);
        this.ctx.audit({
          actor: 'owner',
          action: 'promise.cancel',
          entity: 'promise',
          entityId: promiseId,
          detail: { customerId: row.customerId, date: row.date, amountCents: row.amountCents, wasStatus: current.evaluation.status },
        });
      })();
      this.ctx.changed(row.connectionId, 'promise');
    }
    return this.list({ customerId: row.customerId });
  }

  /** "Draft follow-up" on a broken promise: a firm reminder whose facts include the promise (date and amount). */
  async followUp(promiseId: number): Promise<DraftView> {
    const row = getPromiseRow(this.ctx.db, promiseId);
    if (!row) throw new SettleError('not_found', `No promise ${promiseId}`);
    const current = this.evaluated(row.connectionId, row.customerId).find((e) => e.row.id === promiseId)!;
    const status = current.evaluation.status;
    if (status !== 'broken' && status !== 'partially_kept') {
      throw new SettleError('conflict', `This promise is ${status.replace('_', ' ')}; a follow-up is drafted for a broken one.`);
    }
    const draft = await this.ctx.drafter()(
      { customerId: row.customerId, tone: 'firm' },
      {
        promises: [
          {
            date: row.date,
            cents: row.amountCents,
            currency: row.currency,
            // How it broke, so the draft can name the missed date and what did arrive by the deadline.
            outcome: {
              status,
              deadline: current.evaluation.deadline,
              paidByDeadlineCents: current.evaluation.paidByDeadlineCents,
              shortfallCents: current.evaluation.shortfallCents,
            },
          },
        ],
      },
    );
    this.ctx.audit({ actor: 'owner', action: 'promise.follow_up', entity: 'promise', entityId: promiseId, detail: { draftId: draft.id, status } });
    return draft;
  }
}
