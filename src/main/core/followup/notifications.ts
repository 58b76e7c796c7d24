// What to tap the owner on the shoulder about, and when (DESIGN §8 Follow-up, issue #6).
// The schedule is pure: given the promises (with their status evaluated as of now), what has
// already been delivered, the instant and the owner's time zone, it returns what is due now.
//
// - For an open promise: "due tomorrow" at 09:00 local the day before, "due today" at 09:00 on
//   the day. For a broken (or partly kept) one: "broken" at 09:00 on the first day it counts as
//   broken (the day after the promised date plus the grace days).
// - "Approvals waiting", at most once per local day, from 09:00, while anything waits.
// - 09:00 is local wall-clock time in the owner's IANA zone, so it is a different UTC instant
//   either side of a daylight-saving change (zoned.ts works it out with Intl).
// - Each notification has a stable key (promise id, stage, promised date; or the day for
//   approvals). The caller records the keys it delivered, so a restart never repeats one, and a
//   rescheduled promise (new date) gets fresh reminders.
// - Nothing is skipped silently: one that fell due while Settle was closed is returned once,
//   marked catch-up. When a later stage of the same promise is also due (the app was closed
//   through "due tomorrow" and "due today"), only the latest is shown and the earlier ones come
//   back in `superseded`, to be recorded as delivered with that reason. Stages that fell before
//   the promise was even recorded never apply. Many catch-ups at once fold into one summary.
import type { IsoDate } from '../../../shared/dates';
import { addDays, formatDate, toEpochDay } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import type { Clock, Notifier } from '../ports';
import type { PromiseStatus } from './promises';
import { DEFAULT_GRACE_DAYS } from './promises';
import { zonedDate, zonedTime } from './zoned';

export type NotificationKind = 'promise_due_tomorrow' | 'promise_due_today' | 'promise_broken' | 'approvals_waiting';

/** Local time every follow-up notification fires at. */
export const NOTIFY_AT = { hour: 9, minute: 0 } as const;
/** A notification shown more than this late counts as a catch-up. */
export const DEFAULT_LATE_TOLERANCE_MS = 15 * 60_000;
/** More catch-ups than this at once are folded into one summary notification. */
export const DEFAULT_CATCH_UP_LIMIT = 3;

/** A promise as the scheduler needs it, with its status evaluated as of now. */
export interface NotifiablePromise {
  id: number;
  customerId: number;
  customerName: string;
  date: IsoDate;
  amountCents: number;
  currency: string;
  status: PromiseStatus;
  /** Money already counted toward it (evaluatePromise's paidByDeadlineCents), for the text. */
  paidCents?: number;
  /** ISO instant it was recorded: stages that fell before it never fire. */
  createdAt: string;
}

export interface PlannedNotification {
  key: string;
  kind: NotificationKind;
  /** ISO instant it falls due. */
  fireAt: string;
  promiseId: number | null;
  customerId: number | null;
}

export interface NotificationTarget {
  customerId?: number;
  promiseId?: number;
  view: 'customer' | 'approvals' | 'promises';
}

export interface DueNotification extends PlannedNotification {
  /** It fell due while Settle was closed (or notifications could not be shown). */
  catchUp: boolean;
  title: string;
  body: string;
  target: NotificationTarget;
}

export interface SupersededNotification extends PlannedNotification {
  /** Why it is not shown; record it as delivered with this reason. */
  reason: string;
  supersededBy: string;
}

export interface DueNotificationsInput {
  promises: readonly NotifiablePromise[];
  /** Keys already delivered (shown, grouped or superseded). */
  delivered: ReadonlySet<string>;
  now: Date;
  timeZone: string;
  /** When the schedule last ran; null on the first run. */
  lastRunAt: Date | null;
  /** Drafts waiting for approval right now. */
  approvalsWaiting?: number;
  graceDays?: number;
  /** "Pause notifications for…": nothing is delivered before this instant (and nothing lost). */
  pausedUntil?: Date | null;
  lateToleranceMs?: number;
  catchUpLimit?: number;
  /** Locale for amounts and dates in the text; en-US when not given. */
  locale?: string;
}

export interface DueNotificationsResult {
  /** Show these now, oldest first. */
  notifications: DueNotification[];
  /** Catch-ups folded into `summary`: record them as delivered, show the summary instead. */
  grouped: DueNotification[];
  /** Earlier stages replaced by a later one of the same promise: record, do not show. */
  superseded: SupersededNotification[];
  /** One notification standing for `grouped`, when there were too many catch-ups. */
  summary: { title: string; body: string; target: NotificationTarget } | null;
  /** The next instant something may fall due (for the shell's timer); null if nothing is planned. */
  nextAt: Date | null;
}

const STAGE_CODE: Record<Exclude<NotificationKind, 'approvals_waiting'>, string> = {
  promise_due_tomorrow: 'due-tomorrow',
  promise_due_today: 'due-today',
  promise_broken: 'broken',
};

/** The dedupe key: stable across restarts, new when the promised date changes. */
export function notificationKey(kind: NotificationKind, subject: { promiseId: number; date: IsoDate } | { day: IsoDate }): string {
  if (kind === 'approvals_waiting') {
    if (!('day' in subject)) throw new RangeError('approvals_waiting is keyed by day');
    return `approvals:${subject.day}`;
  }
  if (!('promiseId' in subject)) throw new RangeError(`${kind} is keyed by promise`);
  return `promise:${subject.promiseId}:${STAGE_CODE[kind]}:${subject.date}`;
}

function at9(date: IsoDate, timeZone: string): Date {
  return zonedTime(date, NOTIFY_AT.hour, NOTIFY_AT.minute, timeZone);
}

/** The three planned stages of a promise, whatever its status, in order. */
export function promiseNotificationPlan(
  p: Pick<NotifiablePromise, 'id' | 'customerId' | 'date'>,
  timeZone: string,
  graceDays = DEFAULT_GRACE_DAYS,
): PlannedNotification[] {
  const stage = (kind: Exclude<NotificationKind, 'approvals_waiting'>, day: IsoDate): PlannedNotification => ({
    key: notificationKey(kind, { promiseId: p.id, date: p.date }),
    kind,
    fireAt: at9(day, timeZone).toISOString(),
    promiseId: p.id,
    customerId: p.customerId,
  });
  return [
    stage('promise_due_tomorrow', addDays(p.date, -1)),
    stage('promise_due_today', p.date),
    stage('promise_broken', addDays(p.date, graceDays + 1)),
  ];
}

const STAGE_RANK: Record<NotificationKind, number> = {
  promise_due_tomorrow: 0,
  promise_due_today: 1,
  promise_broken: 2,
  approvals_waiting: 0,
};

const KIND_LABEL: Record<NotificationKind, string> = {
  promise_due_tomorrow: 'due tomorrow',
  promise_due_today: 'due today',
  promise_broken: 'broken',
  approvals_waiting: 'approvals waiting',
};

function promiseText(
  p: NotifiablePromise,
  kind: NotificationKind,
  today: IsoDate,
  catchUp: boolean,
  locale: string,
): { title: string; body: string } {
  const amount = formatMoney(p.amountCents, p.currency, locale);
  const when = formatDate(p.date, locale);
  const paid = p.paidCents ?? 0;
  const arrived =
    paid > 0 ? ` ${formatMoney(paid, p.currency, locale)} of it has arrived.` : '';
  const prefix = catchUp ? 'While Settle was closed: ' : '';
  if (kind === 'promise_broken') {
    const partly = p.status === 'partially_kept' || paid > 0;
    return {
      title: partly ? `Promise partly kept: ${p.customerName}` : `Promise broken: ${p.customerName}`,
      body: `${prefix}${p.customerName} promised ${amount} by ${when}; ${
        partly ? `only ${formatMoney(paid, p.currency, locale)} arrived.` : 'nothing arrived.'
      } Time to follow up.`,
    };
  }
  // The text describes the promise as of today, not as of the moment it was planned: a catch-up
  // "due tomorrow" shown on the day itself says "due today".
  const d = toEpochDay(p.date) - toEpochDay(today);
  const title =
    d === 0
      ? `Promise due today: ${p.customerName}`
      : d === 1
        ? `Promise due tomorrow: ${p.customerName}`
        : d < 0
          ? `Promise was due ${when}: ${p.customerName}`
          : `Promise due ${when}: ${p.customerName}`;
  return { title, body: `${prefix}${p.customerName} promised ${amount} by ${when}.${arrived}` };
}

function minDate(a: Date | null, b: Date): Date {
  return a === null || b.getTime() < a.getTime() ? b : a;
}

/** What one run of the schedule knows: the instant, the zone, what was delivered, how to word it. */
interface ScheduleRun {
  nowMs: number;
  timeZone: string;
  today: IsoDate;
  grace: number;
  locale: string;
  delivered: ReadonlySet<string>;
  /** It fell due while Settle was closed, or too long ago to be on time. */
  isCatchUp: (fireMs: number) => boolean;
}

/** One promise: its latest due stage to show (if any), the earlier due stages it replaces, its next wake-up. */
function promiseDue(
  p: NotifiablePromise,
  run: ScheduleRun,
): { shown: DueNotification | null; superseded: SupersededNotification[]; nextAt: Date | null } {
  const { nowMs } = run;
  let nextAt: Date | null = null;
  const createdMs = Date.parse(p.createdAt);
  const isBroken = p.status === 'broken' || p.status === 'partially_kept';
  const plan = promiseNotificationPlan(p, run.timeZone, run.grace).filter(
    (s) => Number.isNaN(createdMs) || Date.parse(s.fireAt) >= createdMs,
  );
  const pending = plan.filter((s) => !run.delivered.has(s.key));
  // An open promise may still break: its "broken" stage is a future wake-up, not a notification.
  const live = pending.filter((s) => (isBroken ? s.kind === 'promise_broken' : s.kind !== 'promise_broken'));
  for (const s of pending) {
    const ms = Date.parse(s.fireAt);
    const wakes = s.kind === 'promise_broken' || !isBroken;
    if (ms > nowMs && wakes) nextAt = minDate(nextAt, new Date(ms));
  }
  const due = live.filter((s) => Date.parse(s.fireAt) <= nowMs);
  if (due.length === 0) return { shown: null, superseded: [], nextAt };
  const latest = due.reduce((a, b) => (STAGE_RANK[b.kind] > STAGE_RANK[a.kind] ? b : a));
  const catchUp = run.isCatchUp(Date.parse(latest.fireAt));
  const shown: DueNotification = {
    ...latest,
    catchUp,
    ...promiseText(p, latest.kind, run.today, catchUp, run.locale),
    target: { customerId: p.customerId, promiseId: p.id, view: 'customer' },
  };
  // Earlier stages still pending (and due) are replaced by the one shown.
  const superseded: SupersededNotification[] = [];
  for (const s of pending) {
    if (s === latest || STAGE_RANK[s.kind] >= STAGE_RANK[latest.kind]) continue;
    if (Date.parse(s.fireAt) > nowMs) continue;
    superseded.push({
      ...s,
      supersededBy: latest.key,
      reason: `Not shown: the later "${KIND_LABEL[latest.kind]}" notification for the same promise replaced it.`,
    });
  }
  return { shown, superseded, nextAt };
}

/** "Approvals waiting": shown on the first run of the day from 09:00, else when it next may be. */
function approvalsDue(waiting: number, run: ScheduleRun): { shown: DueNotification | null; nextAt: Date | null } {
  if (waiting <= 0) return { shown: null, nextAt: null };
  const key = notificationKey('approvals_waiting', { day: run.today });
  const fire = at9(run.today, run.timeZone);
  if (!run.delivered.has(key) && fire.getTime() <= run.nowMs) {
    // A state, not an event: it is simply shown on the first run of the day from 09:00.
    return {
      shown: {
        key,
        kind: 'approvals_waiting',
        fireAt: fire.toISOString(),
        promiseId: null,
        customerId: null,
        catchUp: false,
        title: waiting === 1 ? '1 draft waiting for approval' : `${waiting} drafts waiting for approval`,
        body: 'Open Settle to review and approve them.',
        target: { view: 'approvals' },
      },
      nextAt: null,
    };
  }
  return { shown: null, nextAt: fire.getTime() > run.nowMs ? fire : at9(addDays(run.today, 1), run.timeZone) };
}

/** What is due now; see the header for the rules. */
export function dueNotifications(input: DueNotificationsInput): DueNotificationsResult {
  const { now, timeZone, delivered } = input;
  const tolerance = input.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS;
  const nowMs = now.getTime();
  const lastRunMs = input.lastRunAt ? input.lastRunAt.getTime() : null;

  if (input.pausedUntil && input.pausedUntil.getTime() > nowMs) {
    return { notifications: [], grouped: [], superseded: [], summary: null, nextAt: input.pausedUntil };
  }

  const run: ScheduleRun = {
    nowMs,
    timeZone,
    today: zonedDate(now, timeZone),
    grace: input.graceDays ?? DEFAULT_GRACE_DAYS,
    locale: input.locale ?? 'en-US',
    delivered,
    isCatchUp: (fireMs) => nowMs - fireMs > tolerance || (lastRunMs !== null && fireMs <= lastRunMs),
  };
  const shown: DueNotification[] = [];
  const names = new Map<string, string>();
  const superseded: SupersededNotification[] = [];
  let nextAt: Date | null = null;

  for (const p of input.promises) {
    if (p.status === 'kept' || p.status === 'cancelled') continue;
    const due = promiseDue(p, run);
    if (due.nextAt) nextAt = minDate(nextAt, due.nextAt);
    if (!due.shown) continue;
    names.set(due.shown.key, p.customerName);
    shown.push(due.shown);
    superseded.push(...due.superseded);
  }
  const approvals = approvalsDue(input.approvalsWaiting ?? 0, run);
  if (approvals.shown) shown.push(approvals.shown);
  if (approvals.nextAt) nextAt = minDate(nextAt, approvals.nextAt);

  shown.sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : a.key < b.key ? -1 : 1));
  return foldCatchUps(shown, names, superseded, nextAt, input.catchUpLimit ?? DEFAULT_CATCH_UP_LIMIT);
}

/** More catch-ups than `limit` at once are folded into one summary naming the customers. */
function foldCatchUps(
  shown: DueNotification[],
  names: ReadonlyMap<string, string>,
  superseded: SupersededNotification[],
  nextAt: Date | null,
  limit: number,
): DueNotificationsResult {
  const catchUps = shown.filter((n) => n.catchUp);
  if (catchUps.length > limit) {
    const who = [...new Set(catchUps.map((n) => names.get(n.key)).filter((x): x is string => Boolean(x)))];
    const listed = who.length <= 3 ? who.join(', ') : `${who.slice(0, 3).join(', ')} and ${who.length - 3} more`;
    return {
      notifications: shown.filter((n) => !n.catchUp),
      grouped: catchUps,
      superseded,
      summary: {
        title: `${catchUps.length} follow-ups while Settle was closed`,
        body: `Promises to check: ${listed}.`,
        target: { view: 'promises' },
      },
      nextAt,
    };
  }
  return { notifications: shown, grouped: [], superseded, summary: null, nextAt };
}

// ---- delivery through the ports ----------------------------------------------------------------

export type DeliveryOutcome = 'shown' | 'grouped' | 'superseded';

export interface DeliveryRecord {
  key: string;
  kind: NotificationKind;
  outcome: DeliveryOutcome;
  catchUp: boolean;
  promiseId: number | null;
  customerId: number | null;
  fireAt: string;
  deliveredAt: string;
  /** Why a superseded one was not shown. */
  reason: string | null;
}

/** Where deliveries are kept (the notifications_delivered table; a Map in tests). */
export interface DeliveryLog {
  deliveredKeys(): ReadonlySet<string>;
  lastRunAt(): Date | null;
  /** Records the run's deliveries and its time together (one transaction). */
  record(run: { at: Date; entries: DeliveryRecord[] }): void;
}

export interface DeliverInput {
  promises: readonly NotifiablePromise[];
  approvalsWaiting?: number;
  graceDays?: number;
  pausedUntil?: Date | null;
  locale?: string;
}

/**
 * One tick of the scheduler: works out what is due from the clock, shows it through the
 * Notifier, and records it. A notification whose notify() throws is not recorded, so it is
 * tried again on the next tick rather than lost.
 */
export function deliverDueNotifications(
  deps: { clock: Clock; notifier: Notifier; log: DeliveryLog },
  input: DeliverInput,
): DueNotificationsResult & { recorded: DeliveryRecord[]; failed: string[] } {
  const now = deps.clock.now();
  const result = dueNotifications({
    ...input,
    delivered: deps.log.deliveredKeys(),
    now,
    timeZone: deps.clock.timeZone() ?? 'UTC',
    lastRunAt: deps.log.lastRunAt(),
  });
  const at = now.toISOString();
  const entries: DeliveryRecord[] = [];
  const failed: string[] = [];
  const entry = (n: PlannedNotification, outcome: DeliveryOutcome, catchUp: boolean, reason: string | null): DeliveryRecord => ({
    key: n.key,
    kind: n.kind,
    outcome,
    catchUp,
    promiseId: n.promiseId,
    customerId: n.customerId,
    fireAt: n.fireAt,
    deliveredAt: at,
    reason,
  });
  const show = (title: string, body: string, target: NotificationTarget): boolean => {
    try {
      deps.notifier.notify({ title, body, target: { ...target } });
      return true;
    } catch {
      return false;
    }
  };
  for (const n of result.notifications) {
    if (show(n.title, n.body, n.target)) entries.push(entry(n, 'shown', n.catchUp, null));
    else failed.push(n.key);
  }
  if (result.summary) {
    if (show(result.summary.title, result.summary.body, result.summary.target)) {
      for (const n of result.grouped) entries.push(entry(n, 'grouped', true, null));
    } else {
      failed.push(...result.grouped.map((n) => n.key));
    }
  }
  // An earlier stage is settled only once the notification replacing it was actually shown.
  const shownKeys = new Set(entries.map((e) => e.key));
  for (const s of result.superseded) {
    if (shownKeys.has(s.supersededBy)) entries.push(entry(s, 'superseded', true, s.reason));
  }
  if (!(input.pausedUntil && input.pausedUntil.getTime() > now.getTime())) deps.log.record({ at: now, entries });
  return { ...result, recorded: entries, failed };
}
