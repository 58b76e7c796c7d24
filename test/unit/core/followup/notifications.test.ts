import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  DeliveryLog,
  DeliveryRecord,
  NotifiablePromise,
} from '../../../../src/main/core/followup/notifications';
import {
  deliverDueNotifications,
  dueNotifications,
  notificationKey,
  promiseNotificationPlan,
} from '../../../../src/main/core/followup/notifications';
import type { Clock, Notifier } from '../../../../src/main/core/ports';

const NY = 'America/New_York';

function promise(over: Partial<NotifiablePromise> = {}): NotifiablePromise {
  return {
    id: 7,
    customerId: 3,
    customerName: 'Acme Ltd',
    date: '2026-03-10',
    amountCents: 50_000,
    currency: 'USD',
    status: 'open',
    createdAt: '2026-03-01T15:00:00Z',
    ...over,
  };
}

const at = (iso: string): Date => new Date(iso);

function due(now: string, promises: NotifiablePromise[], over: Partial<Parameters<typeof dueNotifications>[0]> = {}) {
  return dueNotifications({
    promises,
    delivered: new Set<string>(),
    now: at(now),
    timeZone: NY,
    lastRunAt: null,
    ...over,
  });
}

/** A delivery log backed by memory, as the notifications_delivered table would be. */
class MemoryLog implements DeliveryLog {
  readonly rows: DeliveryRecord[] = [];
  last: Date | null = null;
  deliveredKeys(): ReadonlySet<string> {
    return new Set(this.rows.map((r) => r.key));
  }
  lastRunAt(): Date | null {
    return this.last;
  }
  record(run: { at: Date; entries: DeliveryRecord[] }): void {
    this.rows.push(...run.entries);
    this.last = run.at;
  }
}

class TestClock implements Clock {
  constructor(
    public instant: Date,
    private readonly zone = NY,
  ) {}
  now(): Date {
    return new Date(this.instant);
  }
  timeZone(): string {
    return this.zone;
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

class RecordingNotifier implements Notifier {
  readonly shown: { title: string; body: string; target?: { customerId?: number } }[] = [];
  failNext = 0;
  notify(n: { title: string; body: string; target?: { customerId?: number } }): void {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('notifications unavailable');
    }
    this.shown.push(n);
  }
}

describe('the plan of a promise', () => {
  it('fires at 09:00 local the day before, on the day, and the morning after the grace days', () => {
    const plan = promiseNotificationPlan(promise(), NY, 2);
    expect(plan.map((p) => [p.kind, p.fireAt, p.key])).toEqual([
      ['promise_due_tomorrow', '2026-03-09T13:00:00.000Z', 'promise:7:due-tomorrow:2026-03-10'],
      ['promise_due_today', '2026-03-10T13:00:00.000Z', 'promise:7:due-today:2026-03-10'],
      ['promise_broken', '2026-03-13T13:00:00.000Z', 'promise:7:broken:2026-03-10'],
    ]);
  });

  it('keys are stable and change with the promised date', () => {
    expect(notificationKey('promise_due_today', { promiseId: 7, date: '2026-03-10' })).toBe('promise:7:due-today:2026-03-10');
    expect(notificationKey('promise_due_today', { promiseId: 7, date: '2026-03-17' })).not.toBe(
      notificationKey('promise_due_today', { promiseId: 7, date: '2026-03-10' }),
    );
    expect(notificationKey('approvals_waiting', { day: '2026-03-10' })).toBe('approvals:2026-03-10');
  });
});

describe('dueNotifications: daylight saving', () => {
  it('New York spring forward: "due tomorrow" on 2026-03-08 fires at 09:00 EDT (13:00Z), not 14:00Z', () => {
    const p = promise({ date: '2026-03-09' });
    expect(due('2026-03-08T12:59:00Z', [p]).notifications).toEqual([]);
    const n = due('2026-03-08T13:00:00Z', [p]).notifications;
    expect(n).toHaveLength(1);
    expect(n[0]).toMatchObject({ kind: 'promise_due_tomorrow', fireAt: '2026-03-08T13:00:00.000Z', catchUp: false });
    expect(n[0]!.title).toBe('Promise due tomorrow: Acme Ltd');
    // The day itself is after the change too.
    const today = due('2026-03-09T13:00:00Z', [p], { delivered: new Set([n[0]!.key]) }).notifications;
    expect(today.map((x) => [x.kind, x.fireAt])).toEqual([['promise_due_today', '2026-03-09T13:00:00.000Z']]);
  });

  it('New York fall back: "due tomorrow" on 2026-11-01 fires at 09:00 EST (14:00Z), not an hour early', () => {
    const p = promise({ date: '2026-11-02', createdAt: '2026-10-20T12:00:00Z' });
    // 13:30Z is 08:30 EST; a fixed EDT offset carried over from the day before would fire here.
    expect(due('2026-11-01T13:30:00Z', [p]).notifications).toEqual([]);
    expect(due('2026-11-01T14:00:00Z', [p]).notifications.map((x) => x.fireAt)).toEqual(['2026-11-01T14:00:00.000Z']);
    // The day before the change is still EDT.
    const q = promise({ id: 8, date: '2026-11-01', createdAt: '2026-10-20T12:00:00Z' });
    expect(due('2026-10-31T13:00:00Z', [q]).notifications.map((x) => [x.kind, x.fireAt])).toEqual([
      ['promise_due_tomorrow', '2026-10-31T13:00:00.000Z'],
    ]);
  });

  it('Europe/London: a promise due on the first day of summer time', () => {
    const p = promise({ date: '2026-03-30', createdAt: '2026-03-20T10:00:00Z' });
    const opts = { timeZone: 'Europe/London' };
    expect(due('2026-03-29T07:59:00Z', [p], opts).notifications).toEqual([]);
    expect(due('2026-03-29T08:00:00Z', [p], opts).notifications.map((x) => x.kind)).toEqual(['promise_due_tomorrow']);
    const broken = promise({ date: '2026-03-27', status: 'broken', createdAt: '2026-03-20T10:00:00Z' });
    // 27th + 2 grace days = 29th; broken from the 30th at 09:00 BST = 08:00Z.
    expect(due('2026-03-30T07:59:00Z', [broken], opts).notifications).toEqual([]);
    expect(due('2026-03-30T08:00:00Z', [broken], opts).notifications.map((x) => x.kind)).toEqual(['promise_broken']);
  });

  it('the same promise is a different instant for owners in different zones', () => {
    const p = promise();
    const tokyo = due('2026-03-09T00:00:00Z', [p], { timeZone: 'Asia/Tokyo' }).notifications;
    expect(tokyo.map((x) => x.fireAt)).toEqual(['2026-03-09T00:00:00.000Z']);
    expect(due('2026-03-09T00:00:00Z', [p]).notifications).toEqual([]);
  });
});

describe('dueNotifications: what fires', () => {
  it('the day before, on the day and broken, each once', () => {
    const delivered = new Set<string>();
    const run = (now: string, p: NotifiablePromise) => {
      const r = due(now, [p], { delivered, lastRunAt: at(now) });
      r.notifications.forEach((n) => delivered.add(n.key));
      return r.notifications.map((n) => n.kind);
    };
    expect(run('2026-03-09T12:00:00Z', promise())).toEqual([]);
    expect(run('2026-03-09T13:01:00Z', promise())).toEqual(['promise_due_tomorrow']);
    expect(run('2026-03-09T18:00:00Z', promise())).toEqual([]);
    expect(run('2026-03-10T13:05:00Z', promise())).toEqual(['promise_due_today']);
    expect(run('2026-03-12T13:05:00Z', promise())).toEqual([]);
    // The caller's evaluation says it broke (no money by 12 March).
    expect(run('2026-03-13T12:59:00Z', promise({ status: 'broken' }))).toEqual([]);
    expect(run('2026-03-13T13:00:00Z', promise({ status: 'broken' }))).toEqual(['promise_broken']);
    expect(run('2026-03-20T13:00:00Z', promise({ status: 'broken' }))).toEqual([]);
  });

  it('texts describe the promise as of now', () => {
    const [n] = due('2026-03-09T13:00:00Z', [promise()]).notifications;
    expect(n).toMatchObject({
      title: 'Promise due tomorrow: Acme Ltd',
      body: 'Acme Ltd promised $500.00 by Mar 10, 2026.',
      target: { customerId: 3, promiseId: 7, view: 'customer' },
    });
    const [b] = due('2026-03-13T13:00:00Z', [promise({ status: 'partially_kept', paidCents: 20_000 })]).notifications;
    expect(b!.title).toBe('Promise partly kept: Acme Ltd');
    expect(b!.body).toContain('only $200.00 arrived');
  });

  it('kept and cancelled promises notify nothing', () => {
    for (const status of ['kept', 'cancelled'] as const) {
      expect(due('2026-03-10T13:00:00Z', [promise({ status })]).notifications).toEqual([]);
    }
  });

  it('an open promise never gets a "broken" notification (only the evaluation can break it)', () => {
    const r = due('2026-03-20T13:00:00Z', [promise()], { delivered: new Set(['promise:7:due-tomorrow:2026-03-10', 'promise:7:due-today:2026-03-10']) });
    expect(r.notifications).toEqual([]);
  });

  it('stages before the promise was recorded never fire', () => {
    // Recorded on the evening of the 9th for the 10th: no "due tomorrow", not even as a catch-up.
    const p = promise({ createdAt: '2026-03-09T23:00:00Z' });
    expect(due('2026-03-10T08:00:00Z', [p]).notifications).toEqual([]);
    const r = due('2026-03-10T13:00:00Z', [p]);
    expect(r.notifications.map((n) => n.kind)).toEqual(['promise_due_today']);
    expect(r.superseded).toEqual([]);
  });

  it('a rescheduled promise gets fresh reminders', () => {
    const delivered = new Set(['promise:7:due-tomorrow:2026-03-10', 'promise:7:due-today:2026-03-10']);
    const moved = promise({ date: '2026-03-17' });
    expect(due('2026-03-16T13:00:00Z', [moved], { delivered }).notifications.map((n) => n.key)).toEqual([
      'promise:7:due-tomorrow:2026-03-17',
    ]);
  });

  it('nextAt is the next instant anything may fall due', () => {
    expect(due('2026-03-02T00:00:00Z', [promise()]).nextAt?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    const delivered = new Set(['promise:7:due-tomorrow:2026-03-10', 'promise:7:due-today:2026-03-10']);
    // After both reminders, the next wake-up is when it would count as broken.
    expect(due('2026-03-11T00:00:00Z', [promise()], { delivered }).nextAt?.toISOString()).toBe('2026-03-13T13:00:00.000Z');
    expect(due('2026-03-11T00:00:00Z', [promise({ status: 'kept' })]).nextAt).toBeNull();
  });
});

describe('dueNotifications: catch-up after being closed', () => {
  it('shows what fell due while closed once, marked catch-up, and supersedes earlier stages', () => {
    // Closed from the evening of the 8th to 11:00 EDT on the 10th.
    const r = due('2026-03-10T15:00:00Z', [promise()], { lastRunAt: at('2026-03-08T20:00:00Z') });
    expect(r.notifications).toHaveLength(1);
    expect(r.notifications[0]).toMatchObject({ kind: 'promise_due_today', catchUp: true, title: 'Promise due today: Acme Ltd' });
    expect(r.notifications[0]!.body.startsWith('While Settle was closed: ')).toBe(true);
    expect(r.superseded.map((s) => [s.kind, s.supersededBy])).toEqual([
      ['promise_due_tomorrow', 'promise:7:due-today:2026-03-10'],
    ]);
    expect(r.superseded[0]!.reason).toMatch(/later "due today"/);
  });

  it('a promise that broke while closed shows "broken" only', () => {
    const r = due('2026-03-14T15:00:00Z', [promise({ status: 'broken' })], { lastRunAt: at('2026-03-08T20:00:00Z') });
    expect(r.notifications.map((n) => [n.kind, n.catchUp])).toEqual([['promise_broken', true]]);
    expect(r.superseded.map((s) => s.kind)).toEqual(['promise_due_tomorrow', 'promise_due_today']);
  });

  it('a catch-up "due tomorrow" shown on the day itself says "due today"', () => {
    // Closed through 09:00 on the 9th, opened at 08:00 on the 10th (before the "due today" time).
    const r = due('2026-03-10T12:00:00Z', [promise()], { lastRunAt: at('2026-03-08T20:00:00Z') });
    expect(r.notifications.map((n) => [n.kind, n.catchUp, n.title])).toEqual([
      ['promise_due_tomorrow', true, 'Promise due today: Acme Ltd'],
    ]);
  });

  it('on time within the tolerance is not a catch-up', () => {
    const r = due('2026-03-09T13:10:00Z', [promise()], { lastRunAt: at('2026-03-09T12:59:00Z') });
    expect(r.notifications[0]!.catchUp).toBe(false);
  });

  it('many catch-ups fold into one summary', () => {
    const many = [1, 2, 3, 4, 5].map((i) => promise({ id: i, customerId: i, customerName: `Customer ${i}` }));
    const r = due('2026-03-10T15:00:00Z', many, { lastRunAt: at('2026-03-05T20:00:00Z') });
    expect(r.notifications).toEqual([]);
    expect(r.grouped).toHaveLength(5);
    expect(r.summary).toEqual({
      title: '5 follow-ups while Settle was closed',
      body: 'Promises to check: Customer 1, Customer 2, Customer 3 and 2 more.',
      target: { view: 'promises' },
    });
  });

  it('paused: nothing now, nothing lost; it comes back as a catch-up', () => {
    const paused = due('2026-03-09T13:00:00Z', [promise()], { pausedUntil: at('2026-03-09T20:00:00Z') });
    expect(paused.notifications).toEqual([]);
    expect(paused.nextAt?.toISOString()).toBe('2026-03-09T20:00:00.000Z');
    const after = due('2026-03-09T20:00:00Z', [promise()], { pausedUntil: at('2026-03-09T20:00:00Z') });
    expect(after.notifications.map((n) => [n.kind, n.catchUp])).toEqual([['promise_due_tomorrow', true]]);
  });
});

describe('approvals waiting', () => {
  it('at most once per local day, from 09:00, while something waits', () => {
    const delivered = new Set<string>();
    const run = (now: string, n: number) => {
      const r = due(now, [], { delivered, approvalsWaiting: n });
      r.notifications.forEach((x) => delivered.add(x.key));
      return r;
    };
    const early = run('2026-03-10T12:00:00Z', 2);
    expect(early.notifications).toEqual([]);
    expect(early.nextAt?.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(run('2026-03-10T13:00:00Z', 2).notifications.map((n) => [n.key, n.title])).toEqual([
      ['approvals:2026-03-10', '2 drafts waiting for approval'],
    ]);
    expect(run('2026-03-10T20:00:00Z', 5).notifications).toEqual([]);
    // Local day, not UTC day: 01:00Z on the 11th is still the 10th in New York.
    expect(run('2026-03-11T01:00:00Z', 5).notifications).toEqual([]);
    expect(run('2026-03-11T13:00:00Z', 0).notifications).toEqual([]);
    expect(run('2026-03-11T14:00:00Z', 1).notifications.map((n) => n.title)).toEqual(['1 draft waiting for approval']);
  });
});

describe('deliverDueNotifications: through the ports, across restarts', () => {
  it('never repeats after a restart, and catches up once', () => {
    const log = new MemoryLog();
    const clock = new TestClock(at('2026-03-09T13:00:30Z'));
    const notifier = new RecordingNotifier();
    const input = { promises: [promise()] };

    expect(deliverDueNotifications({ clock, notifier, log }, input).recorded.map((r) => r.key)).toEqual([
      'promise:7:due-tomorrow:2026-03-10',
    ]);
    expect(notifier.shown).toHaveLength(1);
    expect(notifier.shown[0]!.target).toEqual({ customerId: 3, promiseId: 7, view: 'customer' });

    // Same minute, then a "restart": a new notifier and clock over the same stored log.
    deliverDueNotifications({ clock, notifier, log }, input);
    const restartedNotifier = new RecordingNotifier();
    const restartedClock = new TestClock(at('2026-03-09T18:00:00Z'));
    deliverDueNotifications({ clock: restartedClock, notifier: restartedNotifier, log }, input);
    expect(notifier.shown).toHaveLength(1);
    expect(restartedNotifier.shown).toEqual([]);

    // Closed until the morning after the break; the evaluation now says broken.
    restartedClock.set('2026-03-13T15:00:00Z');
    const r = deliverDueNotifications(
      { clock: restartedClock, notifier: restartedNotifier, log },
      { promises: [promise({ status: 'broken' })] },
    );
    expect(restartedNotifier.shown.map((s) => s.title)).toEqual(['Promise broken: Acme Ltd']);
    expect(r.recorded.map((x) => [x.kind, x.outcome, x.catchUp])).toEqual([
      ['promise_broken', 'shown', true],
      ['promise_due_today', 'superseded', true],
    ]);
    // And once more after another restart: nothing.
    const again = deliverDueNotifications(
      { clock: new TestClock(at('2026-03-13T16:00:00Z')), notifier: restartedNotifier, log },
      { promises: [promise({ status: 'broken' })] },
    );
    expect(again.notifications).toEqual([]);
    expect(restartedNotifier.shown).toHaveLength(1);
    expect(new Set(log.rows.map((x) => x.key)).size).toBe(log.rows.length);
  });

  it('a notification the OS failed to show is not recorded, and is tried again', () => {
    const log = new MemoryLog();
    const clock = new TestClock(at('2026-03-09T13:00:00Z'));
    const notifier = new RecordingNotifier();
    notifier.failNext = 1;
    const first = deliverDueNotifications({ clock, notifier, log }, { promises: [promise()] });
    expect(first.failed).toEqual(['promise:7:due-tomorrow:2026-03-10']);
    expect(log.rows).toEqual([]);
    clock.set('2026-03-09T13:01:00Z');
    deliverDueNotifications({ clock, notifier, log }, { promises: [promise()] });
    expect(notifier.shown).toHaveLength(1);
    expect(log.rows.map((r) => r.outcome)).toEqual(['shown']);
  });

  it('the summary records every grouped catch-up', () => {
    const log = new MemoryLog();
    log.last = at('2026-03-05T20:00:00Z');
    const notifier = new RecordingNotifier();
    const many = [1, 2, 3, 4].map((i) => promise({ id: i, customerId: i, customerName: `C${i}` }));
    deliverDueNotifications({ clock: new TestClock(at('2026-03-10T15:00:00Z')), notifier, log }, { promises: many });
    expect(notifier.shown.map((s) => s.title)).toEqual(['4 follow-ups while Settle was closed']);
    expect(log.rows.filter((r) => r.outcome === 'grouped')).toHaveLength(4);
    expect(log.rows.filter((r) => r.outcome === 'superseded')).toHaveLength(4);
  });

  it('property: over any run of ticks and restarts, no key is shown twice and none is skipped silently', () => {
    const start = Date.parse('2026-03-05T00:00:00Z');
    const end = Date.parse('2026-03-16T00:00:00Z');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: start, max: end }), { minLength: 1, maxLength: 25 }),
        fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo'),
        (ticks, tz) => {
          const log = new MemoryLog();
          const notifier = new RecordingNotifier();
          const p = promise({ createdAt: '2026-03-04T12:00:00Z' });
          for (const t of [...ticks].sort((a, b) => a - b)) {
            const now = new Date(t);
            // The evaluation a caller would make: no money arrives, so it breaks after the 12th.
            const status = now.toISOString() >= '2026-03-13' ? 'broken' : 'open';
            deliverDueNotifications({ clock: new TestClock(now, tz), notifier, log }, { promises: [{ ...p, status }] });
          }
          const keys = log.rows.map((r) => r.key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(notifier.shown.length).toBe(log.rows.filter((r) => r.outcome !== 'superseded').length);
          // …and every stage whose time has passed is accounted for, shown or superseded.
          const last = Math.max(...ticks);
          const brokenAtEnd = new Date(last).toISOString() >= '2026-03-13';
          const plan = promiseNotificationPlan(p, tz);
          const brokenFire = Date.parse(plan[2]!.fireAt);
          for (const stage of plan) {
            const fire = Date.parse(stage.fireAt);
            if (!brokenAtEnd && stage.kind !== 'promise_broken' && fire <= last) expect(keys).toContain(stage.key);
            if (brokenAtEnd && brokenFire <= last) expect(keys).toContain(stage.key);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
