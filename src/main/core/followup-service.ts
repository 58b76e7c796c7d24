// Follow-up wired into the core (DESIGN §8, issue #6): promises to pay, disputes, payment plan
// previews, reply triage and the notification schedule, over the tables of migration 0004. The
// rules themselves live in core/followup/* (pure); this module loads and stores rows, audits
// every change, and re-evaluates promises against synced payments whenever the core rescores a
// company (evaluate() runs inside the core's recompute, before the snapshot reads the facts).
import type { IsoDate } from '../../shared/dates';
import { localDate } from '../../shared/dates';
import { SettleError } from '../../shared/errors';
import type {
  DisputeItem,
  DisputeReason,
  DisputeResolution,
  InvoiceRef,
  NotificationItem,
  PlanPreview,
  PromiseChannel,
  PromiseCreated,
  PromiseGroupsView,
  PromiseItem,
  PromiseStatus,
  ReplyTriageResult,
} from '../../shared/followup';
import { appendAudit } from './audit/log';
import type { Db } from './db/open';
import { getCustomerInfo } from './db/repos/customers.repo';
import { perDb } from './db/repos/prepared';
import { getSetting, getSettings, setSetting } from './db/repos/settings.repo';
import type { EventHub } from './events';
import { openDispute, resolveDispute, type Dispute } from './followup/disputes';
import { deliverDueNotifications, type DeliveryLog, type NotifiablePromise } from './followup/notifications';
import { tryBuildPlan } from './followup/plans';
import {
  DEFAULT_GRACE_DAYS,
  cancelPromise,
  createPromise,
  evaluatePromises,
  groupPromises,
  promisesDueToday,
  type AppliedMoney,
  type PromiseToPay,
} from './followup/promises';
import { triageReply } from './followup/replies';
import type { Clock, Logger, Notifier } from './ports';

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

interface DisputeRow {
  id: number;
  connectionId: string;
  customerId: number;
  customerName: string;
  reason: DisputeReason;
  detail: string;
  status: 'open' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  resolution: DisputeResolution | null;
  resolutionNote: string | null;
}

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
      for (const e of this.evaluated(connectionId)) {
        const ev = e.evaluation;
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
    const s = stmts(this.db);
    const invoices = s.invoices.all(JSON.stringify(input.invoiceIds), cust.connectionId);
    const existing = this.evaluated(cust.connectionId, input.customerId).map((e) => ({ ...e.promise, status: e.evaluation.status }));
    const { promise, warnings } = createPromise(input, { id: 0, now: this.deps.clock.now(), today: this.today(), invoices, existing });
    const id = this.db.transaction(() => {
      const newId = s.insertPromise.get(
        cust.connectionId,
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
        detail: { customerId: promise.customerId, invoiceIds: promise.invoiceIds, date: promise.date, amountCents: promise.amountCents, currency: promise.currency, madeVia: promise.madeVia },
      });
      return newId;
    })();
    this.changed(cust.connectionId, 'promise');
    const created = this.evaluated(cust.connectionId, input.customerId).find((e) => e.row.id === id);
    if (!created) throw new SettleError('internal', 'The promise was saved but could not be read back');
    return { promise: this.item(created), warnings };
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
    const id = this.db.transaction(() => {
      const newId = s.insertDispute.get(cust.connectionId, d.customerId, d.reason, d.detail, d.openedAt) as number;
      for (const invoiceId of d.invoiceIds) s.insertDisputeInvoice.run(newId, invoiceId);
      appendAudit(this.db, this.deps.clock, {
        actor: 'owner',
        action: 'dispute.open',
        entity: 'dispute',
        entityId: newId,
        detail: { customerId: d.customerId, invoiceIds: d.invoiceIds, reason: d.reason },
      });
      return newId;
    })();
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
      { promises, graceDays: DEFAULT_GRACE_DAYS, pausedUntil: paused ? new Date(paused) : null },
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
