// The demo company as a feature: demo.create / demo.reset / demo.remove, and the first-run
// bootstrap (a demo company when there is no company yet and the owner has not removed it).
import type { ConnectionSummary } from '../../../../shared/model';
import { appendAudit } from '../../audit';
import type { Db } from '../../db/open';
import type { EventHub } from '../../events';
import { defineHandlers, type HandlerGroup } from '../../handlers';
import type { Snapshots } from '../../ledger';
import type { Clock } from '../../ports';
import { getSetting, getSettings, setSetting, setSettings } from '../../settings';
import { DEMO_CONNECTION_ID, DEMO_SEED_KEY, removeDemo, seedDemo, type DemoSeed } from './seed';

const DEMO_DISMISSED_KEY = 'demo.dismissed';

export interface DemoDeps {
  db: Db;
  clock: Clock;
  events: EventHub;
  snapshots: Snapshots;
}

export class DemoService {
  readonly handlers: readonly HandlerGroup[];

  constructor(private readonly deps: DemoDeps) {
    this.handlers = [
      defineHandlers('demo', {
        create: (input = {}) => this.create({ seed: input.seed, invoices: input.invoices }),
        reset: () => this.create(getSetting<DemoSeed>(deps.db, DEMO_SEED_KEY) ?? {}),
        remove: () => {
          this.remove();
          return null;
        },
      }),
    ];
  }

  /** First run: the demo company, unless the owner removed it before. */
  bootstrap(invoices?: number): void {
    if (getSetting<boolean>(this.deps.db, DEMO_DISMISSED_KEY) !== true) this.create({ invoices });
  }

  create(seed: Partial<DemoSeed>): ConnectionSummary {
    const { db, clock, events, snapshots } = this.deps;
    const progress = (connectionId: string, phase: 'start' | 'score' | 'done' | 'error', message: string, done = 0, total: number | null = null) =>
      events.emit('sync.progress', { connectionId, phase, done, total, message });
    progress(DEMO_CONNECTION_ID, 'start', 'Creating the demo company…');
    try {
      const conn = seedDemo(db, clock, seed);
      const at = clock.now().toISOString();
      setSetting(db, DEMO_DISMISSED_KEY, false, at);
      setSettings(db, { activeConnectionId: conn.id }, at);
      progress(conn.id, 'score', 'Scoring invoices…');
      snapshots.recompute(conn.id);
      appendAudit(db, clock, { actor: 'owner', action: 'demo.create', entity: 'connection', entityId: conn.id, detail: seed });
      progress(conn.id, 'done', 'Demo company ready', 1, 1);
      events.emit('ledger.changed', { connectionId: conn.id, reason: 'demo' });
      return conn;
    } catch (err) {
      progress(DEMO_CONNECTION_ID, 'error', 'Could not create the demo company');
      throw err;
    }
  }

  private remove(): void {
    const { db, clock, events, snapshots } = this.deps;
    const at = clock.now().toISOString();
    db.transaction(() => {
      removeDemo(db);
      setSetting(db, DEMO_DISMISSED_KEY, true, at);
      if (getSettings(db).activeConnectionId === DEMO_CONNECTION_ID) setSettings(db, { activeConnectionId: null }, at);
      appendAudit(db, clock, { actor: 'owner', action: 'demo.remove', entity: 'connection', entityId: DEMO_CONNECTION_ID });
    })();
    snapshots.forget(DEMO_CONNECTION_ID);
    events.emit('ledger.changed', { connectionId: null, reason: 'remove' });
  }
}
