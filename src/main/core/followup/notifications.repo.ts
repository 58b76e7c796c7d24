// The notifications_delivered table (migration 0004): every statement on it lives here. Each
// delivered (shown, grouped or superseded) notification is recorded once by its key, so a
// restart never shows it again; notifications.list reads the recent ones back.
import type { NotificationItem } from '../../../shared/followup';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { DeliveryRecord } from './notifications';

const stmts = perDb((db) => ({
  deliveredKeys: db.prepare<[], string>('SELECT key FROM notifications_delivered').pluck(),
  insertDelivery: db.prepare<Omit<DeliveryRecord, 'catchUp'> & { catchUp: number }>(
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

/** Every key ever delivered. */
export function deliveredKeys(db: Db): Set<string> {
  return new Set(stmts(db).deliveredKeys.all());
}

/** Records deliveries (a key already recorded is left as it is). Call inside a transaction. */
export function insertDeliveries(db: Db, entries: readonly DeliveryRecord[]): void {
  const s = stmts(db);
  for (const e of entries) s.insertDelivery.run({ ...e, catchUp: e.catchUp ? 1 : 0 });
}

/** The text a delivered notification was shown with. */
export function setDeliveryText(db: Db, key: string, title: string, body: string): void {
  stmts(db).setDeliveryText.run(title, body, key);
}

/** The last 100 notifications shown (alone or in a summary), newest first. */
export function recentDeliveries(db: Db): NotificationItem[] {
  return stmts(db)
    .recentDeliveries.all()
    .map((r) => ({ ...r, catchUp: r.catchUp === 1 }));
}
