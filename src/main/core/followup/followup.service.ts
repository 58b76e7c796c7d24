// Follow-up wired into the core (DESIGN §8, issue #6): promises to pay, disputes, payment plan
// previews, reply triage and the notification schedule, over the tables of migration 0004. The
// rules themselves live in core/followup/* (pure); this module loads and stores rows, audits
// every change, and re-evaluates promises against synced payments whenever the core rescores a
// company (evaluate() runs inside the core's recompute, before the snapshot reads the facts).
import type { IsoDate } from '../../../shared/dates';
import { isIsoDate, localDate, toEpochDay } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import { DISPUTE_REASON_TEXT } from '../../../shared/followup';
import { formatMoney } from '../../../shared/money';
import type {
  DisputeItem,
  DisputeReason,
  DisputeResolution,
  InvoiceRef,
  NotificationItem,
  PauseItem,
  PlanItem,
  PlanPreview,
  PlanStatus,
  PromiseChannel,
  PromiseCreated,
  PromiseGroupsView,
  PromiseItem,
  PromiseStatus,
  ReplyAction,
  ReplyApplied,
  ReplyTriageResult,
} from '../../../shared/followup';
import type { DraftView } from '../../../shared/model';
import type { DraftExtras } from '../drafting/drafting.service';
import type { DraftFacts } from '../drafting/facts';
import { invoiceApplications } from '../ledger/invoices.repo';
import { outsidePaymentEffects, type InvoiceBalanceChange } from './ledger-changes';
import { appendAudit } from '../audit/log';
import type { Db } from '../db/open';
import { getCustomerInfo } from '../ledger/customers.repo';
import { perDb } from '../db/prepared';
import { getSetting, getSettings, setSetting } from '../settings/settings.repo';
import type { EventHub } from '../events';
import { openDispute, resolveDispute, type Dispute, type OutreachPause } from './disputes';
import { deliverDueNotifications, type DeliveryLog, type NotifiablePromise } from './notifications';
import { planStatus, tryBuildPlan, type Instalment } from './plans';
import {
  DEFAULT_GRACE_DAYS,
  cancelPromise,
  createPromise,
  evaluatePromises,
  groupPromises,
  promisesDueToday,
  type AppliedMoney,
  type PromiseToPay,
} from './promises';
import { triageReply } from './replies';
import type { Clock, Logger, Notifier } from '../ports';

const ACTION_LABEL: Record<ReplyAction['kind'], string> = {
  create_promise: 'Promise',
  open_dispute: 'Dispute',
  pause_outreach: 'Pause',
  recheck_ledger: 'Re-check',
};

/** When the notification schedule last ran (settings table). */
export const NOTIFY_LAST_RUN_KEY = 'followup.notifications.lastRunAt';
/** How often the schedule ticks while Settle runs with autoSync. */
export const NOTIFY_TICK_MS = 60_000;

export interface FollowupServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  /** OS notifications; without one (browser mode, tests) deliveries are only recorded for notifications.list. */
  notifier?: Notifier;
  /** Rescores a company (the core's recompute, which calls evaluate() first). */
  rescore: (connectionId: string) => void;
  /** The company the owner is looking at; throws not_found when there is none. */
  activeConnectionId: () => string;
  /** Creates a draft with extra facts (drafting.service createWith): plan proposals and broken-promise follow-ups. */
  createDraft?: (input: { customerId: number; tone?: 'friendly' | 'firm' | 'final'; mode?: 'auto' | 'template' | 'ai' }, extras: DraftExtras) => Promise<DraftView>;
  /** "Re-check with the ledger": starts a sync of the company; false when it has no ledger to ask (demo, disconnected). */
  recheck?: (connectionId: string) => boolean;
}

interface PauseRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  invoiceIdsJson: string | null;
  until: string;
  reason: string;
  createdAt: string;
}

interface PlanRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  balanceCents: number;
  currency: string;
  frequency: 'weekly' | 'fortnightly' | 'monthly';
  startDate: string;
  status: PlanStatus;
  scheduleJson: string;
  createdAt: string;
}

/** payment_plans.schedule_json: the instalments, and the draft that last proposed the plan. */
interface StoredSchedule {
  instalments: Instalment[];
  draftId: number | null;
}

interface PendingDraftRow {
  id: number;
  customerId: number;
  status: string;
  factsJson: string;
}

interface LedgerInvoice {
  id: number;
  number: string;
  currency: string;
  balanceCents: number;
  status: 'open' | 'paid' | 'void' | 'draft';
  deletedAt: string | null;
}

interface PromiseRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  date: string;
  amountCents: number;
  currency: string;
  madeVia: PromiseChannel;
  note: string;
  status: PromiseStatus;
  paidByDeadlineCents: number;
  keptOn: string | null;
  brokenOn: string | null;
  planId: number | null;
  createdAt: string;
}

/** A dispute row as stored, before its invoices are attached. */
type DisputeRow = Omit<DisputeItem, 'invoices'> & { connectionId: string };

interface InvoiceFacts {
  id: number;
  customerId: number;
  number: string;
  currency: string;
  balanceCents: number;
  status: 'open' | 'paid' | 'void' | 'draft';
}

const PROMISE_COLS = `p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName, p.date,
  p.amount_cents AS amountCents, p.currency, p.made_via AS madeVia, p.note, p.status,
  p.paid_by_deadline_cents AS paidByDeadlineCents, p.kept_on AS keptOn, p.broken_on AS brokenOn,
  p.plan_id AS planId, p.created_at AS createdAt`;
const DISPUTE_COLS = `d.id, d.connection_id AS connectionId, d.customer_id AS customerId, c.name AS customerName, d.reason,
  d.detail, d.status, d.opened_at AS openedAt, d.resolved_at AS resolvedAt, d.resolution, d.resolution_note AS resolutionNote`;

const stmts = perDb((db) => ({
  promises: db.prepare<{ conn: string; customer: number | null }, PromiseRow>(
    `SELECT ${PROMISE_COLS} FROM promises p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer) ORDER BY p.date, p.id`,
  ),
  promise: db.prepare<[number], PromiseRow>(
    `SELECT ${PROMISE_COLS} FROM promises p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?`,
  ),
  promiseInvoices: db.prepare<{ conn: string }, { promiseId: number; id: number; number: string }>(
    `SELECT pi.promise_id AS promiseId, i.id, i.number FROM promise_invoices pi
     JOIN promises p ON p.id = pi.promise_id JOIN invoices i ON i.id = pi.invoice_id
     WHERE p.connection_id = @conn ORDER BY i.due_date, i.id`,
  ),
  // Live money applied to invoices some promise covers, in the invoice's currency.
  applied: db.prepare<{ conn: string }, AppliedMoney>(
    `SELECT a.invoice_id AS invoiceId, a.applied_on AS date, a.amount_cents AS amountCents, i.currency,
            CASE WHEN a.payment_id IS NULL THEN 'credit' ELSE 'payment' END AS kind
     FROM payment_applications a
     JOIN invoices i ON i.id = a.invoice_id
     LEFT JOIN payments pay ON pay.id = a.payment_id
     LEFT JOIN credit_notes cn ON cn.id = a.credit_note_id
     WHERE a.invoice_id IN (SELECT pi.invoice_id FROM promise_invoices pi JOIN promises p ON p.id = pi.promise_id
                            WHERE p.connection_id = @conn AND p.status <> 'cancelled')
       AND COALESCE(pay.deleted_at, cn.deleted_at) IS NULL`,
  ),
  setEvaluated: db.prepare<{ id: number; status: string; paid: number; keptOn: string | null; brokenOn: string | null; at: string }>(
    `UPDATE promises SET status = @status, paid_by_deadline_cents = @paid, kept_on = @keptOn, broken_on = @brokenOn, updated_at = @at
     WHERE id = @id`,
  ),
  insertPromise: db
    .prepare<[string, number, string, number, string, string, string, string, number | null, string, string], number>(
      `INSERT INTO promises (connection_id, customer_id, date, amount_cents, currency, made_via, note, status, plan_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  insertPromiseInvoice: db.prepare<[number, number]>('INSERT INTO promise_invoices (promise_id, invoice_id) VALUES (?, ?)'),
  cancelPromise: db.prepare<[string, string, number]>(
    "UPDATE promises SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
  ),
  invoices: db.prepare<[string, string], InvoiceFacts>(
    `SELECT i.id, i.customer_id AS customerId, i.number, i.currency, i.balance_cents AS balanceCents, i.status
     FROM invoices i JOIN json_each(?) j ON j.value = i.id WHERE i.connection_id = ? AND i.deleted_at IS NULL`,
  ),
  openInvoiceNumbers: db
    .prepare<[number], string>(
      "SELECT number FROM invoices WHERE customer_id = ? AND deleted_at IS NULL AND status = 'open' AND balance_cents > 0",
    )
    .pluck(),
  disputes: db.prepare<{ conn: string; customer: number | null }, DisputeRow>(
    `SELECT ${DISPUTE_COLS} FROM disputes d JOIN customers c ON c.id = d.customer_id
     WHERE d.connection_id = @conn AND (@customer IS NULL OR d.customer_id = @customer)
     ORDER BY d.status = 'open' DESC, d.opened_at DESC, d.id DESC`,
  ),
  dispute: db.prepare<[number], DisputeRow>(
    `SELECT ${DISPUTE_COLS} FROM disputes d JOIN customers c ON c.id = d.customer_id WHERE d.id = ?`,
  ),
  disputeInvoices: db.prepare<[number], InvoiceRef>(
    `SELECT i.id, i.number FROM dispute_invoices di JOIN invoices i ON i.id = di.invoice_id
     WHERE di.dispute_id = ? ORDER BY i.due_date, i.id`,
  ),
  insertDispute: db
    .prepare<[string, number, string, string, string], number>(
      `INSERT INTO disputes (connection_id, customer_id, reason, detail, status, opened_at)
       VALUES (?, ?, ?, ?, 'open', ?) RETURNING id`,
    )
    .pluck(),
  insertDisputeInvoice: db.prepare<[number, number]>('INSERT INTO dispute_invoices (dispute_id, invoice_id) VALUES (?, ?)'),
  resolveDispute: db.prepare<[string | null, string | null, string | null, number]>(
    "UPDATE disputes SET status = 'resolved', resolved_at = ?, resolution = ?, resolution_note = ? WHERE id = ?",
  ),
  connections: db.prepare<[], string>('SELECT id FROM connections ORDER BY id').pluck(),
  /** Drafts waiting for the owner's approval in companies still connected (the daily nudge). */
  approvalsWaiting: db
    .prepare<[], number>(
      `SELECT COUNT(*) FROM drafts d JOIN connections c ON c.id = d.connection_id
       WHERE d.status = 'pending_approval' AND c.status != 'disconnected'`,
    )
    .pluck(),
  deliveredKeys: db.prepare<[], string>('SELECT key FROM notifications_delivered').pluck(),
  insertDelivery: db.prepare<{
    key: string;
    kind: string;
    outcome: string;
    catchUp: number;
    promiseId: number | null;
    customerId: number | null;
    fireAt: string;
    deliveredAt: string;
    reason: string | null;
  }>(
    `INSERT OR IGNORE INTO notifications_delivered (key, kind, outcome, catch_up, connection_id, promise_id, customer_id, fire_at, delivered_at, reason)
     VALUES (@key, @kind, @outcome, @catchUp, (SELECT connection_id FROM promises WHERE id = @promiseId), @promiseId, @customerId, @fireAt, @deliveredAt, @reason)`,
  ),
  setDeliveryText: db.prepare<[string, string, string]>('UPDATE notifications_delivered SET title = ?, body = ? WHERE key = ?'),
  pauses: db.prepare<{ conn: string; customer: number | null; today: string }, PauseRow>(
    `SELECT p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName,
            p.invoice_ids_json AS invoiceIdsJson, p.until, p.reason, p.created_at AS createdAt
     FROM outreach_pauses p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer) AND p.until > @today
     ORDER BY p.until, p.id`,
  ),
  pause: db.prepare<[number], { id: number; customerId: number; connectionId: string; until: string; reason: string }>(
    'SELECT id, customer_id AS customerId, connection_id AS connectionId, until, reason FROM outreach_pauses WHERE id = ?',
  ),
  insertPause: db
    .prepare<[string, number, string | null, string, string, string], number>(
      `INSERT INTO outreach_pauses (connection_id, customer_id, invoice_ids_json, until, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  deletePause: db.prepare<[number]>('DELETE FROM outreach_pauses WHERE id = ?'),
  invoiceRefs: db.prepare<[string], InvoiceRef>(
    'SELECT i.id, i.number FROM invoices i JOIN json_each(?) j ON j.value = i.id ORDER BY i.due_date, i.id',
  ),
  plans: db.prepare<{ conn: string; customer: number | null }, PlanRow>(
    `SELECT p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName, p.balance_cents AS balanceCents,
            p.currency, p.frequency, p.start_date AS startDate, p.status, p.schedule_json AS scheduleJson, p.created_at AS createdAt
     FROM payment_plans p JOIN customers c ON c.id = p.customer_id
     WHERE p.connection_id = @conn AND (@customer IS NULL OR p.customer_id = @customer)
     ORDER BY p.status IN ('completed', 'cancelled'), p.created_at DESC, p.id DESC`,
  ),
  plan: db.prepare<[number], PlanRow>(
    `SELECT p.id, p.connection_id AS connectionId, p.customer_id AS customerId, c.name AS customerName, p.balance_cents AS balanceCents,
            p.currency, p.frequency, p.start_date AS startDate, p.status, p.schedule_json AS scheduleJson, p.created_at AS createdAt
     FROM payment_plans p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?`,
  ),
  planInvoices: db.prepare<[number], InvoiceRef>(
    `SELECT i.id, i.number FROM plan_invoices pi JOIN invoices i ON i.id = pi.invoice_id WHERE pi.plan_id = ? ORDER BY i.due_date, i.id`,
  ),
  planPromises: db.prepare<[number], { id: number; status: PromiseStatus }>(
    'SELECT id, status FROM promises WHERE plan_id = ? ORDER BY date, id',
  ),
  insertPlan: db
    .prepare<[string, number, number, string, string, string, string, string, string], number>(
      `INSERT INTO payment_plans (connection_id, customer_id, balance_cents, currency, frequency, start_date, status, schedule_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?) RETURNING id`,
    )
    .pluck(),
  insertPlanInvoice: db.prepare<[number, number]>('INSERT INTO plan_invoices (plan_id, invoice_id) VALUES (?, ?)'),
  setPlan: db.prepare<[string, string, string, number]>('UPDATE payment_plans SET status = ?, schedule_json = ?, updated_at = ? WHERE id = ?'),
  pendingDrafts: db.prepare<[string], PendingDraftRow>(
    `SELECT id, customer_id AS customerId, status, facts_json AS factsJson FROM drafts
     WHERE connection_id = ? AND status IN ('draft', 'pending_approval')`,
  ),
  ledgerInvoices: db.prepare<[string], LedgerInvoice>(
    `SELECT i.id, i.number, i.currency, i.balance_cents AS balanceCents, i.status, i.deleted_at AS deletedAt
     FROM invoices i JOIN json_each(?) j ON j.value = i.id`,
  ),
  setDraftStatus: db.prepare<[string, string, number, string]>('UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?'),
  recentDeliveries: db.prepare<[], Omit<NotificationItem, 'catchUp'> & { catchUp: number }>(
    `SELECT key, kind, outcome, COALESCE(title, '') AS title, COALESCE(body, '') AS body, catch_up AS catchUp,
            customer_id AS customerId, promise_id AS promiseId, fire_at AS fireAt, delivered_at AS deliveredAt
     FROM notifications_delivered WHERE outcome IN ('shown', 'grouped') ORDER BY delivered_at DESC, key LIMIT 100`,
  ),
}));

const toPromise = (r: PromiseRow, invoiceIds: number[]): PromiseToPay => ({
  id: r.id,
  customerId: r.customerId,
  invoiceIds,
  date: r.date,
  amountCents: r.amountCents,
  currency: r.currency,
  madeVia: r.madeVia,
  note: r.note,
  status: r.status,
  createdAt: r.createdAt,
  planId: r.planId,
});

export class FollowupService {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: FollowupServiceDeps) {}

  private get db(): Db {
    return this.deps.db;
  }

  private today(): IsoDate {
    return localDate(this.deps.clock.now(), this.deps.clock.timeZone());
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  private customer(customerId: number): { connectionId: string; name: string; currency: string } {
    const found = getCustomerInfo(this.db, customerId);
    if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
    return { connectionId: found.connectionId, name: found.customer.name, currency: found.customer.currency };
  }

  /** Every promise of a company with its evaluation as of today (nothing is written). */
  private evaluated(connectionId: string, customerId: number | null = null) {
    const s = stmts(this.db);
    const rows = s.promises.all({ conn: connectionId, customer: customerId });
    const invoices = new Map<number, InvoiceRef[]>();
    for (const r of s.promiseInvoices.iterate({ conn: connectionId })) {
      let list = invoices.get(r.promiseId);
      if (!list) invoices.set(r.promiseId, (list = []));
      list.push({ id: r.id, number: r.number });
    }
    const applied = rows.length > 0 ? s.applied.all({ conn: connectionId }) : [];
    const promises = rows.map((r) => toPromise(r, (invoices.get(r.id) ?? []).map((i) => i.id)));
    const results = evaluatePromises(promises, applied, this.today(), { timeZone: this.deps.clock.timeZone() });
    return results.map((e, n) => ({ ...e, row: rows[n]!, invoices: invoices.get(rows[n]!.id) ?? [] }));
  }

  private item(e: ReturnType<FollowupService['evaluated']>[number]): PromiseItem {
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
    const s = stmts(this.db);
    const at = this.nowIso();
    let changed = 0;
    this.db.transaction(() => {
      const statuses = new Map<number, PromiseStatus>();
      for (const e of this.evaluated(connectionId)) {
        const ev = e.evaluation;
        statuses.set(e.row.id, ev.status);
        const same =
          !e.changed && e.row.paidByDeadlineCents === ev.paidByDeadlineCents && e.row.keptOn === ev.keptOn && e.row.brokenOn === ev.brokenOn;
        if (same) continue;
        s.setEvaluated.run({ id: e.row.id, status: ev.status, paid: ev.paidByDeadlineCents, keptOn: ev.keptOn, brokenOn: ev.brokenOn, at });
        if (e.changed) {
          changed++;
          appendAudit(this.db, this.deps.clock, {
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
    if (changed > 0) this.deps.events.emit('followup.changed', { connectionId, reason: 'evaluate' });
    return changed;
  }

  /** Open promises dated today in a company (BoardSummary.promisesDueToday). */
  dueToday(connectionId: string): number {
    const rows = stmts(this.db).promises.all({ conn: connectionId, customer: null });
    return promisesDueToday(rows, this.today());
  }

  /** The customer's company, or the active one; null when there is no company at all. */
  private connectionFor(customerId: number | undefined): string | null {
    if (customerId !== undefined) return this.customer(customerId).connectionId;
    try {
      return this.deps.activeConnectionId();
    } catch (err) {
      if (err instanceof SettleError && err.code === 'not_found') return null;
      throw err;
    }
  }

  listPromises(input: { customerId?: number } = {}): PromiseGroupsView {
    const asOf = this.today();
    const connectionId = this.connectionFor(input.customerId);
    if (connectionId === null) return { asOf, today: [], upcoming: [], broken: [], kept: [], dueToday: 0 };
    const items = this.evaluated(connectionId, input.customerId ?? null).map((e) => this.item(e));
    const groups = groupPromises(items, asOf);
    return { asOf, ...groups, dueToday: promisesDueToday(items, asOf) };
  }

  createPromise(input: {
    customerId: number;
    invoiceIds: number[];
    date: IsoDate;
    amountCents: number;
    currency: string;
    madeVia: PromiseChannel;
    note?: string;
  }): PromiseCreated {
    const cust = this.customer(input.customerId);
    const { promise, warnings } = this.validPromise(cust.connectionId, input);
    const id = this.db.transaction(() => this.storePromise(cust.connectionId, promise, {}))();
    this.changed(cust.connectionId, 'promise');
    const created = this.evaluated(cust.connectionId, input.customerId).find((e) => e.row.id === id);
    if (!created) throw new SettleError('internal', 'The promise was saved but could not be read back');
    return { promise: this.item(created), warnings };
  }

  /** A new promise checked against the ledger (past dates, over the balance, paid invoices); nothing is written. */
  private validPromise(
    connectionId: string,
    input: Parameters<typeof createPromise>[0],
    earlier: readonly PromiseToPay[] = [],
  ): { promise: PromiseToPay; warnings: string[] } {
    const invoices = stmts(this.db).invoices.all(JSON.stringify(input.invoiceIds), connectionId);
    const existing = [
      ...this.evaluated(connectionId, input.customerId).map((e) => ({ ...e.promise, status: e.evaluation.status })),
      ...earlier,
    ];
    return createPromise(input, { id: 0, now: this.deps.clock.now(), today: this.today(), invoices, existing });
  }

  /** Inserts a validated promise and audits it; call inside a transaction. */
  private storePromise(connectionId: string, promise: PromiseToPay, detail: Record<string, unknown>): number {
    const s = stmts(this.db);
    const newId = s.insertPromise.get(
      connectionId,
      promise.customerId,
      promise.date,
      promise.amountCents,
      promise.currency,
      promise.madeVia,
      promise.note,
      promise.status,
      promise.planId ?? null,
      promise.createdAt,
      promise.createdAt,
    ) as number;
    for (const invoiceId of promise.invoiceIds) s.insertPromiseInvoice.run(newId, invoiceId);
    appendAudit(this.db, this.deps.clock, {
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

  cancelPromise(promiseId: number): PromiseGroupsView {
    const row = stmts(this.db).promise.get(promiseId);
    if (!row) throw new SettleError('not_found', `No promise ${promiseId}`);
    const current = this.evaluated(row.connectionId, row.customerId).find((e) => e.row.id === promiseId)!;
    const next = cancelPromise({ ...current.promise, status: current.evaluation.status });
    if (row.status !== 'cancelled' && next.status === 'cancelled') {
      const at = this.nowIso();
      this.db.transaction(() => {
        stmts(this.db).cancelPromise.run(at, at, promiseId);
        appendAudit(this.db, this.deps.clock, {
          actor: 'owner',
          action: 'promise.cancel',
          entity: 'promise',
          entityId: promiseId,
          detail: { customerId: row.customerId, date: row.date, amountCents: row.amountCents, wasStatus: current.evaluation.status },
        });
      })();
      this.changed(row.connectionId, 'promise');
    }
    return this.listPromises({ customerId: row.customerId });
  }

  private disputeItem(r: DisputeRow): DisputeItem {
    const { connectionId: _conn, ...rest } = r;
    return { ...rest, invoices: stmts(this.db).disputeInvoices.all(r.id) };
  }

  listDisputes(input: { customerId?: number } = {}): DisputeItem[] {
    const connectionId = this.connectionFor(input.customerId);
    if (connectionId === null) return [];
    return stmts(this.db)
      .disputes.all({ conn: connectionId, customer: input.customerId ?? null })
      .map((r) => this.disputeItem(r));
  }

  openDispute(input: { customerId: number; invoiceIds: number[]; reason: DisputeReason; detail?: string }): DisputeItem {
    const cust = this.customer(input.customerId);
    const s = stmts(this.db);
    const invoices = s.invoices.all(JSON.stringify(input.invoiceIds), cust.connectionId);
    const d = openDispute(input, { id: 0, now: this.deps.clock.now(), invoices });
    const id = this.db.transaction(() => this.storeDispute(cust.connectionId, d, {}))();
    this.changed(cust.connectionId, 'dispute');
    return this.disputeItem(s.dispute.get(id)!);
  }

  resolveDispute(input: { disputeId: number; resolution: DisputeResolution; note?: string }): DisputeItem {
    const s = stmts(this.db);
    const row = s.dispute.get(input.disputeId);
    if (!row) throw new SettleError('not_found', `No dispute ${input.disputeId}`);
    const current: Dispute = { ...this.disputeItem(row), invoiceIds: s.disputeInvoices.all(row.id).map((i) => i.id) };
    const next = resolveDispute(current, { resolution: input.resolution, note: input.note }, this.deps.clock.now());
    this.db.transaction(() => {
      s.resolveDispute.run(next.resolvedAt, next.resolution, next.resolutionNote, row.id);
      appendAudit(this.db, this.deps.clock, {
        actor: 'owner',
        action: 'dispute.resolve',
        entity: 'dispute',
        entityId: row.id,
        detail: { customerId: row.customerId, resolution: next.resolution },
      });
    })();
    this.changed(row.connectionId, 'dispute');
    return this.disputeItem(s.dispute.get(row.id)!);
  }

  previewPlan(input: {
    balanceCents: number;
    currency: string;
    instalments?: number | null;
    amountCents?: number | null;
    frequency: 'weekly' | 'fortnightly' | 'monthly';
    startDate: IsoDate;
  }): PlanPreview {
    const result = tryBuildPlan(input, this.today());
    if (!result.ok) throw new SettleError('invalid_input', result.problems.map((p) => p.message).join(' '));
    const { instalments, ...rest } = result.plan;
    return { ...rest, instalments: instalments.map((i) => ({ ...i })) };
  }

  async triage(input: { customerId: number; text: string; receivedOn: IsoDate | null }): Promise<ReplyTriageResult> {
    const cust = this.customer(input.customerId);
    const invoiceNumbers = stmts(this.db).openInvoiceNumbers.all(input.customerId);
    // Rules mode: the LLM classifier arrives with drafting's AI settings.
    const result = await triageReply({ text: input.text, receivedOn: input.receivedOn, currency: cust.currency, invoiceNumbers });
    appendAudit(this.db, this.deps.clock, {
      actor: 'owner',
      action: 'reply.triage',
      entity: 'customer',
      entityId: input.customerId,
      // The reply itself is the customer's text: only its size and the verdict are kept.
      detail: { chars: input.text.length, class: result.triage.class, source: result.triage.source, proposals: result.proposals.map((p) => p.kind) },
    });
    return result;
  }

  // ---- reply triage: apply the owner's chosen proposals ----------------------------------------

  /**
   * Applies the updates the owner ticked in the triage dialog, as edited, in one transaction:
   * everything is validated first, so one bad field leaves nothing half-written. A re-check with
   * the ledger starts a sync once the rest is saved.
   */
  applyReply(input: { customerId: number; actions: ReplyAction[] }): ReplyApplied {
    const cust = this.customer(input.customerId);
    if (input.actions.length === 0) throw new SettleError('invalid_input', 'Choose at least one update to apply.');
    const s = stmts(this.db);
    const now = this.deps.clock.now();
    const today = this.today();
    type Ready =
      | { kind: 'promise'; promise: PromiseToPay }
      | { kind: 'dispute'; dispute: Dispute }
      | { kind: 'pause'; until: IsoDate; reason: string }
      | { kind: 'recheck' };
    const ready: Ready[] = [];
    const made: PromiseToPay[] = [];
    const problems: string[] = [];
    for (const a of input.actions) {
      try {
        if (a.kind === 'create_promise') {
          const { promise } = this.validPromise(
            cust.connectionId,
            { customerId: input.customerId, invoiceIds: a.invoiceIds, date: a.date, amountCents: a.amountCents, currency: a.currency, madeVia: 'reply', note: a.note },
            made,
          );
          made.push(promise);
          ready.push({ kind: 'promise', promise });
        } else if (a.kind === 'open_dispute') {
          const invoices = s.invoices.all(JSON.stringify(a.invoiceIds), cust.connectionId);
          const dispute = openDispute({ customerId: input.customerId, invoiceIds: a.invoiceIds, reason: a.reason, detail: a.detail }, { id: 0, now, invoices });
          ready.push({ kind: 'dispute', dispute });
        } else if (a.kind === 'pause_outreach') {
          ready.push({ kind: 'pause', ...this.validPause(a.until, a.reason, today) });
        } else {
          ready.push({ kind: 'recheck' });
        }
      } catch (err) {
        if (!(err instanceof SettleError)) throw err;
        problems.push(`${ACTION_LABEL[a.kind]}: ${err.message}`);
      }
    }
    if (problems.length > 0) throw new SettleError('invalid_input', problems.join(' '));

    const applied: string[] = [];
    const money = (cents: number, currency: string): string => formatMoney(cents, currency, 'en-US');
    this.db.transaction(() => {
      for (const r of ready) {
        if (r.kind === 'promise') {
          this.storePromise(cust.connectionId, r.promise, { from: 'reply' });
          applied.push(`Promise recorded: ${money(r.promise.amountCents, r.promise.currency)} by ${r.promise.date}.`);
        } else if (r.kind === 'dispute') {
          this.storeDispute(cust.connectionId, r.dispute, { from: 'reply' });
          applied.push(`Dispute opened: ${DISPUTE_REASON_TEXT[r.dispute.reason]}.`);
        } else if (r.kind === 'pause') {
          this.storePause(cust.connectionId, input.customerId, null, r.until, r.reason, { from: 'reply' });
          applied.push(`Outreach paused until ${r.until}.`);
        } else {
          applied.push('Re-checking with the ledger.');
        }
      }
      appendAudit(this.db, this.deps.clock, {
        actor: 'owner',
        action: 'reply.apply',
        entity: 'customer',
        entityId: input.customerId,
        detail: { actions: input.actions.map((a) => a.kind) },
      });
    })();
    let recheck: ReplyApplied['recheck'] = null;
    let recheckMessage: string | null = null;
    if (ready.some((r) => r.kind === 'recheck')) {
      const started = this.deps.recheck?.(cust.connectionId) ?? false;
      recheck = started ? 'started' : 'not_synced';
      recheckMessage = started
        ? 'Syncing now: a payment the ledger has will mark the invoices paid.'
        : 'This company is not synced with QuickBooks or Xero, so there is no ledger to re-check. Look for the payment yourself.';
    }
    this.changed(cust.connectionId, 'promise');
    return { applied, recheck, recheckMessage };
  }

  private storeDispute(connectionId: string, d: Dispute, detail: Record<string, unknown>): number {
    const s = stmts(this.db);
    const newId = s.insertDispute.get(connectionId, d.customerId, d.reason, d.detail, d.openedAt) as number;
    for (const invoiceId of d.invoiceIds) s.insertDisputeInvoice.run(newId, invoiceId);
    appendAudit(this.db, this.deps.clock, {
      actor: 'owner',
      action: 'dispute.open',
      entity: 'dispute',
      entityId: newId,
      detail: { customerId: d.customerId, invoiceIds: d.invoiceIds, reason: d.reason, ...detail },
    });
    return newId;
  }

  // ---- outreach pauses --------------------------------------------------------------------------

  private validPause(until: string, reason: string, today: IsoDate): { until: IsoDate; reason: string } {
    if (!isIsoDate(until)) throw new SettleError('invalid_input', 'Choose the date outreach resumes, as YYYY-MM-DD.');
    if (toEpochDay(until) <= toEpochDay(today)) {
      throw new SettleError('invalid_input', `Outreach resumes on ${until}, which is not after today (${today}): choose a later date.`);
    }
    const why = reason.trim();
    if (why.length < 3) throw new SettleError('invalid_input', 'Say why outreach is paused (at least 3 characters).');
    if (why.length > 500) throw new SettleError('invalid_input', 'Keep the reason under 500 characters.');
    return { until, reason: why };
  }

  private storePause(
    connectionId: string,
    customerId: number,
    invoiceIds: number[] | null,
    until: IsoDate,
    reason: string,
    detail: Record<string, unknown>,
  ): number {
    const id = stmts(this.db).insertPause.get(connectionId, customerId, invoiceIds ? JSON.stringify(invoiceIds) : null, until, reason, this.nowIso()) as number;
    appendAudit(this.db, this.deps.clock, {
      actor: 'owner',
      action: 'outreach.pause',
      entity: 'customer',
      entityId: customerId,
      detail: { pauseId: id, until, reason, invoiceIds, ...detail },
    });
    return id;
  }

  /** Pauses outreach to a customer (or some of their invoices) until a date; approvals hold their drafts until then. */
  pauseOutreach(input: { customerId: number; until: IsoDate; reason: string; invoiceIds?: number[] | null }): PauseItem[] {
    const cust = this.customer(input.customerId);
    const { until, reason } = this.validPause(input.until, input.reason, this.today());
    const ids = input.invoiceIds && input.invoiceIds.length > 0 ? [...new Set(input.invoiceIds)] : null;
    if (ids) {
      const found = stmts(this.db).invoices.all(JSON.stringify(ids), cust.connectionId);
      const bad = ids.filter((id) => !found.some((f) => f.id === id && f.customerId === input.customerId));
      if (bad.length > 0) throw new SettleError('invalid_input', `Invoice ${bad.join(', ')} is not one of ${cust.name}'s.`);
    }
    this.db.transaction(() => this.storePause(cust.connectionId, input.customerId, ids, until, reason, {}))();
    this.changed(cust.connectionId, 'promise');
    return this.listPauses({ customerId: input.customerId });
  }

  /** Pauses that have not reached their date, for a customer or the active company. */
  listPauses(input: { customerId?: number } = {}): PauseItem[] {
    const connectionId = this.connectionFor(input.customerId);
    if (connectionId === null) return [];
    const s = stmts(this.db);
    return s.pauses.all({ conn: connectionId, customer: input.customerId ?? null, today: this.today() }).map((r) => ({
      id: r.id,
      customerId: r.customerId,
      customerName: r.customerName,
      invoices: r.invoiceIdsJson === null ? null : s.invoiceRefs.all(r.invoiceIdsJson),
      until: r.until,
      reason: r.reason,
      createdAt: r.createdAt,
    }));
  }

  /** Pauses per company as the approval rules read them (every pause not yet over). */
  activePauses(connectionId: string): OutreachPause[] {
    return stmts(this.db)
      .pauses.all({ conn: connectionId, customer: null, today: this.today() })
      .map((r) => ({ customerId: r.customerId, invoiceIds: r.invoiceIdsJson === null ? null : (JSON.parse(r.invoiceIdsJson) as number[]), until: r.until, reason: r.reason }));
  }

  removePause(pauseId: number): PauseItem[] {
    const s = stmts(this.db);
    const row = s.pause.get(pauseId);
    if (!row) throw new SettleError('not_found', `No pause ${pauseId}`);
    this.db.transaction(() => {
      s.deletePause.run(pauseId);
      appendAudit(this.db, this.deps.clock, {
        actor: 'owner',
        action: 'outreach.resume',
        entity: 'customer',
        entityId: row.customerId,
        detail: { pauseId, until: row.until, reason: row.reason },
      });
    })();
    this.changed(row.connectionId, 'promise');
    return this.listPauses({ customerId: row.customerId });
  }

  // ---- payment plans ------------------------------------------------------------------------------

  private planItem(r: PlanRow): PlanItem {
    const s = stmts(this.db);
    const schedule = JSON.parse(r.scheduleJson) as StoredSchedule;
    const promises = s.planPromises.all(r.id);
    const statuses = new Map(this.evaluated(r.connectionId, r.customerId).map((e) => [e.row.id, e.evaluation.status]));
    return {
      id: r.id,
      customerId: r.customerId,
      customerName: r.customerName,
      status: r.status,
      balanceCents: r.balanceCents,
      currency: r.currency,
      frequency: r.frequency,
      startDate: r.startDate,
      instalments: schedule.instalments.map((i, n) => {
        const p = promises[n];
        return { seq: i.seq, dueDate: i.dueDate, amountCents: i.amountCents, promiseId: p?.id ?? null, status: p ? (statuses.get(p.id) ?? p.status) : null };
      }),
      invoices: s.planInvoices.all(r.id),
      draftId: schedule.draftId,
      createdAt: r.createdAt,
    };
  }

  private requirePlan(planId: number): PlanRow {
    const row = stmts(this.db).plan.get(planId);
    if (!row) throw new SettleError('not_found', `No payment plan ${planId}`);
    return row;
  }

  listPlans(input: { customerId?: number } = {}): PlanItem[] {
    const connectionId = this.connectionFor(input.customerId);
    if (connectionId === null) return [];
    return stmts(this.db)
      .plans.all({ conn: connectionId, customer: input.customerId ?? null })
      .map((r) => this.planItem(r));
  }

  /** Saves a proposed plan over some open invoices of one currency; the balance is theirs today. */
  savePlan(input: {
    customerId: number;
    invoiceIds: number[];
    instalments?: number | null;
    amountCents?: number | null;
    frequency: 'weekly' | 'fortnightly' | 'monthly';
    startDate: IsoDate;
  }): PlanItem {
    const cust = this.customer(input.customerId);
    const s = stmts(this.db);
    const ids = [...new Set(input.invoiceIds)];
    const invoices = s.invoices.all(JSON.stringify(ids), cust.connectionId);
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
    const built = tryBuildPlan({ ...input, balanceCents, currency }, this.today());
    if (!built.ok) throw new SettleError('invalid_input', built.problems.map((p) => p.message).join(' '));
    const plan = built.plan;
    const at = this.nowIso();
    const id = this.db.transaction(() => {
      const schedule: StoredSchedule = { instalments: plan.instalments, draftId: null };
      const newId = s.insertPlan.get(cust.connectionId, input.customerId, balanceCents, currency, plan.frequency, plan.startDate, JSON.stringify(schedule), at, at) as number;
      for (const invoiceId of ids) s.insertPlanInvoice.run(newId, invoiceId);
      appendAudit(this.db, this.deps.clock, {
        actor: 'owner',
        action: 'plan.save',
        entity: 'plan',
        entityId: newId,
        detail: { customerId: input.customerId, invoiceIds: ids, balanceCents, currency, frequency: plan.frequency, instalments: plan.instalments.length, startDate: plan.startDate },
      });
      return newId;
    })();
    this.changed(cust.connectionId, 'promise');
    return this.planItem(s.plan.get(id)!);
  }

  /** Drafts the proposal: a reminder whose facts carry the schedule, so the fact-check accepts its figures. */
  async proposePlan(input: { planId: number; tone?: 'friendly' | 'firm' | 'final' }): Promise<DraftView> {
    const row = this.requirePlan(input.planId);
    if (row.status !== 'proposed') throw new SettleError('conflict', `This plan is ${row.status}; only a proposed plan can be offered again.`);
    if (!this.deps.createDraft) throw new SettleError('unavailable', 'Drafting is not available here.');
    const schedule = JSON.parse(row.scheduleJson) as StoredSchedule;
    // The AI when it is configured (prompt reminder.v2 lists the schedule), else the template.
    const draft = await this.deps.createDraft(
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
    this.db.transaction(() => {
      stmts(this.db).setPlan.run(row.status, JSON.stringify({ ...schedule, draftId: draft.id }), this.nowIso(), row.id);
      appendAudit(this.db, this.deps.clock, { actor: 'owner', action: 'plan.propose', entity: 'plan', entityId: row.id, detail: { draftId: draft.id } });
    })();
    return draft;
  }

  /** The customer agreed: one promise per instalment (made via 'plan'), in one transaction. */
  acceptPlan(planId: number): PlanItem {
    const row = this.requirePlan(planId);
    if (row.status !== 'proposed') throw new SettleError('conflict', `This plan is ${row.status}; only a proposed plan can be accepted.`);
    const s = stmts(this.db);
    const schedule = JSON.parse(row.scheduleJson) as StoredSchedule;
    const invoiceIds = s.planInvoices.all(row.id).map((i) => i.id);
    const open = s.invoices.all(JSON.stringify(invoiceIds), row.connectionId).reduce((sum, i) => sum + (i.status === 'open' ? Math.max(0, i.balanceCents) : 0), 0);
    if (open < row.balanceCents) {
      throw new SettleError(
        'conflict',
        `The invoices now owe ${formatMoney(open, row.currency, 'en-US')}, less than the plan's ${formatMoney(row.balanceCents, row.currency, 'en-US')}: cancel this plan and make a new one.`,
      );
    }
    const first = schedule.instalments[0]!;
    if (toEpochDay(first.dueDate) < toEpochDay(this.today())) {
      throw new SettleError('conflict', `The first instalment (${first.dueDate}) is already past: cancel this plan and make a new one with a later start.`);
    }
    const n = schedule.instalments.length;
    const made: PromiseToPay[] = [];
    for (const i of schedule.instalments) {
      const { promise } = this.validPromise(
        row.connectionId,
        { customerId: row.customerId, invoiceIds, date: i.dueDate, amountCents: i.amountCents, currency: row.currency, madeVia: 'plan', note: `Instalment ${i.seq} of ${n}`, planId: row.id },
        made,
      );
      made.push(promise);
    }
    this.db.transaction(() => {
      for (const p of made) this.storePromise(row.connectionId, p, { planId: row.id });
      s.setPlan.run('active', row.scheduleJson, this.nowIso(), row.id);
      appendAudit(this.db, this.deps.clock, { actor: 'owner', action: 'plan.accept', entity: 'plan', entityId: row.id, detail: { promises: made.length } });
    })();
    this.changed(row.connectionId, 'promise');
    return this.planItem(s.plan.get(row.id)!);
  }

  /** Ends a plan: its instalments not yet kept are withdrawn. */
  cancelPlan(planId: number): PlanItem {
    const row = this.requirePlan(planId);
    const s = stmts(this.db);
    if (row.status === 'cancelled') return this.planItem(row);
    const at = this.nowIso();
    const statuses = new Map(this.evaluated(row.connectionId, row.customerId).map((e) => [e.row.id, e.evaluation.status]));
    this.db.transaction(() => {
      for (const p of s.planPromises.all(row.id)) {
        const st = statuses.get(p.id) ?? p.status;
        if (st !== 'kept' && st !== 'cancelled') s.cancelPromise.run(at, at, p.id);
      }
      s.setPlan.run('cancelled', row.scheduleJson, at, row.id);
      appendAudit(this.db, this.deps.clock, { actor: 'owner', action: 'plan.cancel', entity: 'plan', entityId: row.id, detail: { wasStatus: row.status } });
    })();
    this.changed(row.connectionId, 'promise');
    return this.planItem(s.plan.get(row.id)!);
  }

  /** Accepted plans follow their promises (active, behind, completed); call inside evaluate's transaction. */
  private followPlans(connectionId: string, statuses: ReadonlyMap<number, PromiseStatus>): void {
    const s = stmts(this.db);
    for (const plan of s.plans.all({ conn: connectionId, customer: null })) {
      if (plan.status === 'proposed' || plan.status === 'cancelled') continue;
      const promises = s.planPromises.all(plan.id).map((p) => ({ status: statuses.get(p.id) ?? p.status }));
      const next = planStatus({ state: 'accepted' }, promises);
      if (next === plan.status) continue;
      s.setPlan.run(next, plan.scheduleJson, this.nowIso(), plan.id);
      appendAudit(this.db, this.deps.clock, { actor: 'system', action: `plan.${next}`, entity: 'plan', entityId: plan.id, detail: { from: plan.status, to: next } });
    }
  }

  // ---- broken promises ------------------------------------------------------------------------------

  /** "Draft follow-up" on a broken promise: a firm reminder whose facts include the promise (date and amount). */
  async followUpPromise(promiseId: number): Promise<DraftView> {
    const row = stmts(this.db).promise.get(promiseId);
    if (!row) throw new SettleError('not_found', `No promise ${promiseId}`);
    const current = this.evaluated(row.connectionId, row.customerId).find((e) => e.row.id === promiseId)!;
    const status = current.evaluation.status;
    if (status !== 'broken' && status !== 'partially_kept') {
      throw new SettleError('conflict', `This promise is ${status.replace('_', ' ')}; a follow-up is drafted for a broken one.`);
    }
    if (!this.deps.createDraft) throw new SettleError('unavailable', 'Drafting is not available here.');
    const draft = await this.deps.createDraft(
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
    appendAudit(this.db, this.deps.clock, {
      actor: 'owner',
      action: 'promise.follow_up',
      entity: 'promise',
      entityId: promiseId,
      detail: { draftId: draft.id, status },
    });
    return draft;
  }

  // ---- payments outside Settle ------------------------------------------------------------------------

  /**
   * After a sync: pending drafts (draft or waiting for approval) whose invoices the ledger now shows
   * closed are cancelled, and those whose balances moved are superseded (the owner drafts again from
   * the new figures), each compared with the balances the draft's facts recorded and audited as a
   * system decision with the reason. Returns how many drafts changed.
   */
  reconcileDrafts(connectionId: string): number {
    const s = stmts(this.db);
    const at = this.nowIso();
    let touched = 0;
    this.db.transaction(() => {
      for (const d of s.pendingDrafts.all(connectionId)) {
        const facts = JSON.parse(d.factsJson) as DraftFacts;
        const ledger = new Map(s.ledgerInvoices.all(JSON.stringify(facts.invoices.map((i) => i.id))).map((i) => [i.id, i]));
        const changes: InvoiceBalanceChange[] = [];
        for (const f of facts.invoices) {
          const now = ledger.get(f.id);
          const after = now && !now.deletedAt ? { balanceCents: now.balanceCents, status: now.status } : { balanceCents: 0, status: 'void' as const };
          if (after.balanceCents === f.balanceCents && after.status === 'open') continue;
          const last = now ? invoiceApplications(this.db, f.id).at(-1) : undefined;
          changes.push({
            invoiceId: f.id,
            number: f.number,
            currency: f.currency,
            before: { balanceCents: f.balanceCents, status: 'open' },
            after,
            cause: last ? { kind: last.kind, date: last.date, reference: last.reference } : null,
          });
        }
        if (changes.length === 0) continue;
        const effects = outsidePaymentEffects(changes, [{ id: d.id, kind: 'draft', invoiceIds: facts.invoices.map((i) => i.id) }]);
        const decision = effects.decisions[0];
        if (!decision) continue;
        const status = decision.action === 'cancel' ? 'cancelled' : 'superseded';
        if (s.setDraftStatus.run(status, at, d.id, d.status).changes === 0) continue;
        touched++;
        appendAudit(this.db, this.deps.clock, {
          actor: 'sync',
          action: decision.action === 'cancel' ? 'draft.cancel' : 'draft.redraft',
          entity: 'draft',
          entityId: d.id,
          detail: { customerId: d.customerId, statusBefore: d.status, reason: decision.reason, ledger: effects.activity.map((a) => a.message) },
        });
      }
    })();
    if (touched > 0) this.deps.events.emit('followup.changed', { connectionId, reason: 'evaluate' });
    return touched;
  }

  listNotifications(): NotificationItem[] {
    return stmts(this.db)
      .recentDeliveries.all()
      .map((r) => ({ ...r, catchUp: r.catchUp === 1 }));
  }

  /**
   * One tick of the notification schedule over every company: re-evaluates promises (rescoring
   * a company whose promises changed), then shows what is due through the Notifier and records it,
   * so a restart never repeats one. Returns how many were shown.
   */
  tick(): number {
    const s = stmts(this.db);
    const promises: NotifiablePromise[] = [];
    for (const connectionId of s.connections.all()) {
      if (this.evaluate(connectionId) > 0) this.deps.rescore(connectionId);
      for (const e of this.evaluated(connectionId)) {
        const status = e.evaluation.status;
        if (status === 'kept' || status === 'cancelled') continue;
        promises.push({
          id: e.row.id,
          customerId: e.row.customerId,
          customerName: e.row.customerName,
          date: e.row.date,
          amountCents: e.row.amountCents,
          currency: e.row.currency,
          status,
          paidCents: e.evaluation.paidByDeadlineCents,
          createdAt: e.row.createdAt,
        });
      }
    }
    const db = this.db;
    const log: DeliveryLog = {
      deliveredKeys: () => new Set(s.deliveredKeys.all()),
      lastRunAt: () => {
        const at = getSetting<string>(db, NOTIFY_LAST_RUN_KEY);
        return at ? new Date(at) : null;
      },
      record: ({ at, entries }) => {
        db.transaction(() => {
          for (const e of entries) s.insertDelivery.run({ ...e, catchUp: e.catchUp ? 1 : 0 });
          setSetting(db, NOTIFY_LAST_RUN_KEY, at.toISOString(), at.toISOString());
        })();
      },
    };
    const notifier: Notifier = this.deps.notifier ?? { notify: () => {} };
    // "Pause notifications for…" (tray, Settings): nothing is shown or recorded until then.
    const paused = getSettings(db).notificationsPausedUntil;
    const result = deliverDueNotifications(
      { clock: this.deps.clock, notifier, log },
      { promises, approvalsWaiting: s.approvalsWaiting.get() ?? 0, graceDays: DEFAULT_GRACE_DAYS, pausedUntil: paused ? new Date(paused) : null },
    );
    const recorded = new Set(result.recorded.map((r) => r.key));
    db.transaction(() => {
      for (const n of result.notifications) if (recorded.has(n.key)) s.setDeliveryText.run(n.title, n.body, n.key);
      if (result.summary) for (const n of result.grouped) if (recorded.has(n.key)) s.setDeliveryText.run(result.summary.title, result.summary.body, n.key);
    })();
    const shown = result.recorded.filter((r) => r.outcome !== 'superseded').length;
    if (shown > 0) this.deps.events.emit('followup.changed', { connectionId: null, reason: 'notification' });
    for (const key of result.failed) this.deps.logger.warn('notification could not be shown', { key });
    return shown;
  }

  /** Runs the schedule now, and every minute when `timer` (the app, not tests or the CLI). */
  start(opts: { timer: boolean }): void {
    this.safeTick();
    if (opts.timer && !this.timer) {
      this.timer = setInterval(() => this.safeTick(), NOTIFY_TICK_MS);
      this.timer.unref?.();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private safeTick(): void {
    try {
      if (this.db.open) this.tick();
    } catch (err) {
      this.deps.logger.warn('notification schedule failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** After an owner's change: rescore (facts, board chips) and tell the views. */
  private changed(connectionId: string, reason: 'promise' | 'dispute'): void {
    this.deps.rescore(connectionId);
    this.deps.events.emit('followup.changed', { connectionId, reason });
  }
}
