// The snapshot cache: today's scored picture of a company, plus one other as-of date the owner is
// looking at. recompute() runs the beforeSnapshot hook (follow-up and outreach bring their state
// in line with the ledger first), then stores today's scores in one transaction.
import type { Db } from '../db/open';
import type { Hooks } from '../hooks';
import { replaceScores, scoresAsOf } from '../scoring';
import { takeSnapshot, type Snapshot } from './snapshot';

/** Snapshots kept in memory: today's plus one other as-of date the owner is looking at. */
const SNAPSHOT_CACHE = 2;

export interface SnapshotsDeps {
  db: Db;
  hooks: Hooks;
  today(): string;
  nowIso(): string;
}

export class Snapshots {
  private readonly cache = new Map<string, Snapshot>();

  constructor(private readonly deps: SnapshotsDeps) {}

  /** Persists today's scores in one transaction and caches the snapshot they came from. */
  recompute(connectionId: string): Snapshot {
    const { db, hooks } = this.deps;
    this.forget(connectionId);
    hooks.run('beforeSnapshot', { connectionId });
    const asOf = this.deps.today();
    const snap = takeSnapshot(db, connectionId, asOf, this.deps.nowIso());
    replaceScores(db, connectionId, snap.scores, asOf, snap.computedAt);
    this.cache.set(`${connectionId}|${asOf}`, snap);
    return snap;
  }

  /** The company's picture as of a date; a new day (or a first look) rescores and stores today's scores. */
  get(connectionId: string, asOf: string): Snapshot {
    const key = `${connectionId}|${asOf}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (asOf === this.deps.today() && scoresAsOf(this.deps.db, connectionId) !== asOf) return this.recompute(connectionId);
    const snap = takeSnapshot(this.deps.db, connectionId, asOf, this.deps.nowIso());
    if (this.cache.size >= SNAPSHOT_CACHE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, snap);
    return snap;
  }

  /** Drops cached pictures of one company (or all): the next read takes a fresh one. */
  forget(connectionId?: string): void {
    for (const [key, snap] of this.cache) if (!connectionId || snap.connectionId === connectionId) this.cache.delete(key);
  }
}
