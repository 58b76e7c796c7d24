// The notification schedule (DESIGN §8, issue #6) over notifications.repo: each tick re-evaluates
// every company's promises, works out what is due (notifications.ts, pure), shows it through the
// Notifier and records it, so a restart never repeats one. Runs once at start and, in the app,
// every minute.
import type { NotificationItem } from '../../../shared/followup';
import type { Notifier } from '../ports';
import { getSetting, getSettings, setSetting } from '../settings';
import type { FollowupContext } from './context';
import { connectionIds } from '../connectors';
import { countDraftsAwaitingApproval } from '../drafting';
import { deliverDueNotifications, type DeliveryLog, type NotifiablePromise } from './notifications';
import { deliveredKeys, insertDeliveries, recentDeliveries, setDeliveryText } from './notifications.repo';
import { DEFAULT_GRACE_DAYS } from './promises';
import type { PromisesService } from './promises.service';

/** When the notification schedule last ran (settings table). */
export const NOTIFY_LAST_RUN_KEY = 'followup.notifications.lastRunAt';
/** How often the schedule ticks while Settle runs with autoSync. */
export const NOTIFY_TICK_MS = 60_000;

export class NotificationsService {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly ctx: FollowupContext,
    private readonly promises: PromisesService,
  ) {}

  list(): NotificationItem[] {
    return recentDeliveries(this.ctx.db);
  }

  /**
   * One tick of the notification schedule over every company: re-evaluates promises (rescoring
   * a company whose promises changed), then shows what is due through the Notifier and records it,
   * so a restart never repeats one. Returns how many were shown.
   */
  tick(): number {
    const db = this.ctx.db;
    const promises = this.notifiable();
    const notifier: Notifier = this.ctx.deps.notifier ?? { notify: () => {} };
    // "Pause notifications for…" (tray, Settings): nothing is shown or recorded until then.
    const paused = getSettings(db).notificationsPausedUntil;
    const result = deliverDueNotifications(
      { clock: this.ctx.clock, notifier, log: this.deliveryLog() },
      { promises, approvalsWaiting: countDraftsAwaitingApproval(db), graceDays: DEFAULT_GRACE_DAYS, pausedUntil: paused ? new Date(paused) : null },
    );
    const recorded = new Set(result.recorded.map((r) => r.key));
    db.transaction(() => {
      for (const n of result.notifications) if (recorded.has(n.key)) setDeliveryText(db, n.key, n.title, n.body);
      if (result.summary) for (const n of result.grouped) if (recorded.has(n.key)) setDeliveryText(db, n.key, result.summary.title, result.summary.body);
    })();
    const shown = result.recorded.filter((r) => r.outcome !== 'superseded').length;
    if (shown > 0) this.ctx.emit(null, 'notification');
    for (const key of result.failed) this.ctx.deps.logger.warn('notification could not be shown', { key });
    return shown;
  }

  /** Every company's promises not yet kept or cancelled, evaluated now (rescoring a company whose promises changed). */
  private notifiable(): NotifiablePromise[] {
    const promises: NotifiablePromise[] = [];
    for (const connectionId of connectionIds(this.ctx.db)) {
      if (this.promises.evaluate(connectionId) > 0) this.ctx.deps.rescore(connectionId);
      for (const e of this.promises.evaluated(connectionId)) {
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
    return promises;
  }

  /** The delivery log over notifications_delivered and the last-run setting. */
  private deliveryLog(): DeliveryLog {
    const db = this.ctx.db;
    return {
      deliveredKeys: () => deliveredKeys(db),
      lastRunAt: () => {
        const at = getSetting<string>(db, NOTIFY_LAST_RUN_KEY);
        return at ? new Date(at) : null;
      },
      record: ({ at, entries }) => {
        db.transaction(() => {
          insertDeliveries(db, entries);
          setSetting(db, NOTIFY_LAST_RUN_KEY, at.toISOString(), at.toISOString());
        })();
      },
    };
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
      if (this.ctx.db.open) this.tick();
    } catch (err) {
      this.ctx.deps.logger.warn('notification schedule failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
