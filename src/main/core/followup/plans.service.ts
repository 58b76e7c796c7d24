// Payment plans (DESIGN §8, issue #6) over plans.repo: previewing a schedule, saving a proposed
// plan over some open invoices, drafting the proposal, and accepting it (one promise per
// instalment) or cancelling it. While a plan is accepted, PromisesService.evaluate keeps its
// status following its instalments. The schedule rules are pure, in plans.ts.
import { toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import type { PlanItem, PlanPreview } from '../../../shared/followup';
import { formatMoney } from '../../../shared/money';
import type { DraftView } from '../../../shared/model';
import type { FollowupContext } from './context';
import { invoicesAmong } from '../ledger';
import { tryBuildPlan, type PlanInput } from './plans';
import { getPlanRecord, insertPlan, listPlanRecords, planInvoiceRefs, savePlanState, type PlanRecord } from './plans.repo';
import type { PromiseToPay } from './promises';
import { markPromiseCancelled, planPromiseRows } from './promises.repo';
import type { PromisesService } from './promises.service';

/** A plan over some of a customer's invoices: the schedule's terms, the balance from the ledger. */
export type SavePlanInput = Omit<PlanInput, 'balanceCents' | 'currency'> & { customerId: number; invoiceIds: number[] };

export class PlansService {
  constructor(
    private readonly ctx: FollowupContext,
    private readonly promises: PromisesService,
  ) {}

  private item(r: PlanRecord): PlanItem {
    const promises = planPromiseRows(this.ctx.db, r.id);
    const statuses = this.promises.statuses(r.connectionId, r.customerId);
    return {
      id: r.id,
      customerId: r.customerId,
      customerName: r.customerName,
      status: r.status,
      balanceCents: r.balanceCents,
      currency: r.currency,
      frequency: r.frequency,
      startDate: r.startDate,
      instalments: r.schedule.instalments.map((i, n) => {
        const p = promises[n];
        return { seq: i.seq, dueDate: i.dueDate, amountCents: i.amountCents, promiseId: p?.id ?? null, status: p ? (statuses.get(p.id) ?? p.status) : null };
      }),
      invoices: planInvoiceRefs(this.ctx.db, r.id),
      draftId: r.schedule.draftId,
      createdAt: r.createdAt,
    };
  }

  private require(planId: number): PlanRecord {
    const row = getPlanRecord(this.ctx.db, planId);
    if (!row) throw new SettleError('not_found', `No payment plan ${planId}`);
    return row;
  }

  preview(input: PlanInput): PlanPreview {
    const result = tryBuildPlan(input, this.ctx.today());
    if (!result.ok) throw new SettleError('invalid_input', result.problems.map((p) => p.message).join(' '));
    const { instalments, ...rest } = result.plan;
    return { ...rest, instalments: instalments.map((i) => ({ ...i })) };
  }

  list(input: { customerId?: number } = {}): PlanItem[] {
    const connectionId = this.ctx.connectionFor(input.customerId);
    if (connectionId === null) return [];
    return listPlanRecords(this.ctx.db, connectionId, input.customerId ?? null).map((r) => this.item(r));
  }

  /** Saves a proposed plan over some open invoices of one currency; the balance is theirs today. */
  save(input: SavePlanInput): PlanItem {
    const cust = this.ctx.customer(input.customerId);
    const ids = [...new Set(input.invoiceIds)];
    const invoices = invoicesAmong(this.ctx.db, ids, cust.connectionId);
    const problems: string[] = [];
    for (const id of ids) {
      const inv = invoices.find((i) => i.id === id);
      if (!inv || inv.customerId !== input.customerId) problems.push(`Invoice ${id} is not one of ${cust.name}'s.`);
      else if (inv.status !== 'open' || inv.balanceCents <= 0) problems.push(`${inv.number} has nothing left to pay.`);
    }
    const currencies = new Set(invoices.map((i) => i.currency));
    if (currencies.size > 1) problems.push('A plan covers invoices in one currency; choose invoices of the same currency.');
    if (problems.length > 0) throw new SettleError('invalid_input', problems.join(' '));
    const currency = invoices[0]!.currency;
    const balanceCents = invoices.reduce((sum, i) => sum + i.balanceCents, 0);
    const built = tryBuildPlan({ ...input, balanceCents, currency }, this.ctx.today());
    if (!built.ok) throw new SettleError('invalid_input', built.problems.map((p) => p.message).join(' '));
    const plan = built.plan;
    const at = this.ctx.nowIso();
    const id = this.ctx.db.transaction(() => {
      const schedule = { instalments: plan.instalments, draftId: null };
      const newId = insertPlan(this.ctx.db, {
        connectionId: cust.connectionId,
        customerId: input.customerId,
        balanceCents,
        currency,
        frequency: plan.frequency,
        startDate: plan.startDate,
        schedule,
        invoiceIds: ids,
        createdAt: at,
      });
      this.ctx.audit({
        actor: 'owner',
        action: 'plan.save',
        entity: 'plan',
        entityId: newId,
        detail: { customerId: input.customerId, invoiceIds: ids, balanceCents, currency, frequency: plan.frequency, instalments: plan.instalments.length, startDate: plan.startDate },
      });
      return newId;
    })();
    this.ctx.changed(cust.connectionId, 'promise');
    return this.item(getPlanRecord(this.ctx.db, id)!);
  }

  /** Drafts the proposal: a reminder whose facts carry the schedule, so the fact-check accepts its figures. */
  async propose(input: { planId: number; tone?: 'friendly' | 'firm' | 'final' }): Promise<DraftView> {
    const row = this.require(input.planId);
    if (row.status !== 'proposed') throw new SettleError('conflict', `This plan is ${row.status}; only a proposed plan can be offered again.`);
    const createDraft = this.ctx.drafter();
    const schedule = row.schedule;
    // The AI when it is configured (prompt reminder.v2 lists the schedule), else the template.
    const draft = await createDraft(
      { customerId: row.customerId, tone: input.tone ?? 'friendly' },
      {
        plan: {
          currency: row.currency,
          frequency: row.frequency,
          totalCents: row.balanceCents,
          instalments: schedule.instalments.map((i) => ({ seq: i.seq, date: i.dueDate, cents: i.amountCents })),
        },
      },
    );
    this.ctx.db.transaction(() => {
      savePlanState(this.ctx.db, row.id, row.status, { ...schedule, draftId: draft.id }, this.ctx.nowIso());
      this.ctx.audit({ actor: 'owner', action: 'plan.propose', entity: 'plan', entityId: row.id, detail: { draftId: draft.id } });
    })();
    return draft;
  }

  /** The instalment promises of a proposed plan the customer agreed to, each checked; nothing is written. */
  private instalmentPromises(row: PlanRecord): PromiseToPay[] {
    const invoiceIds = planInvoiceRefs(this.ctx.db, row.id).map((i) => i.id);
    const open = invoicesAmong(this.ctx.db, invoiceIds, row.connectionId).reduce((sum, i) => sum + (i.status === 'open' ? Math.max(0, i.balanceCents) : 0), 0);
    if (open < row.balanceCents) {
      throw new SettleError(
        'conflict',
        `The invoices now owe ${formatMoney(open, row.currency, 'en-US')}, less than the plan's ${formatMoney(row.balanceCents, row.currency, 'en-US')}: cancel this plan and make a new one.`,
      );
    }
    const first = row.schedule.instalments[0]!;
    if (toEpochDay(first.dueDate) < toEpochDay(this.ctx.today())) {
      throw new SettleError('conflict', `The first instalment (${first.dueDate}) is already past: cancel this plan and make a new one with a later start.`);
    }
    const n = row.schedule.instalments.length;
    const made: PromiseToPay[] = [];
    for (const i of row.schedule.instalments) {
      const { promise } = this.promises.validPromise(
        row.connectionId,
        { customerId: row.customerId, invoiceIds, date: i.dueDate, amountCents: i.amountCents, currency: row.currency, madeVia: 'plan', note: `Instalment ${i.seq} of ${n}`, planId: row.id },
        made,
      );
      made.push(promise);
    }
    return made;
  }

  /** The customer agreed: one promise per instalment (made via 'plan'), in one transaction. */
  accept(planId: number): PlanItem {
    const row = this.require(planId);
    if (row.status !== 'proposed') throw new SettleError('conflict', `This plan is ${row.status}; only a proposed plan can be accepted.`);
    const made = this.instalmentPromises(row);
    this.ctx.db.transaction(() => {
      for (const p of made) this.promises.storePromise(row.connectionId, p, { planId: row.id });
      savePlanState(this.ctx.db, row.id, 'active', row.schedule, this.ctx.nowIso());
      this.ctx.audit({ actor: 'owner', action: 'plan.accept', entity: 'plan', entityId: row.id, detail: { promises: made.length } });
    })();
    this.ctx.changed(row.connectionId, 'promise');
    return this.item(getPlanRecord(this.ctx.db, row.id)!);
  }

  /** Ends a plan: its instalments not yet kept are withdrawn. */
  cancel(planId: number): PlanItem {
    const row = this.require(planId);
    if (row.status === 'cancelled') return this.item(row);
    const db = this.ctx.db;
    const at = this.ctx.nowIso();
    const statuses = this.promises.statuses(row.connectionId, row.customerId);
    db.transaction(() => {
      for (const p of planPromiseRows(db, row.id)) {
        const st = statuses.get(p.id) ?? p.status;
        if (st !== 'kept' && st !== 'cancelled') markPromiseCancelled(db, p.id, at);
      }
      savePlanState(db, row.id, 'cancelled', row.schedule, at);
      this.ctx.audit({ actor: 'owner', action: 'plan.cancel', entity: 'plan', entityId: row.id, detail: { wasStatus: row.status } });
    })();
    this.ctx.changed(row.connectionId, 'promise');
    return this.item(getPlanRecord(db, row.id)!);
  }
}
