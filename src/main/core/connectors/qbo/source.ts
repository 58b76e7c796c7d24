// The QBO SyncSource (DESIGN §6): a backfill with `query` pages of 1000 (one SyncPage each),
// then increments with ONE CDC call for every entity, tombstones included. Cursors are the
// server's `time`, so the provider's clock, not ours, decides what "changed since" means:
//  - backfill: the cursor of an entity is the `time` of its first page, stored once the last
//    page lands; while paging it also remembers the next STARTPOSITION, so a crash resumes;
//  - increment: changedSince = the oldest cursor minus a safety margin; a response holding the
//    1000-object cap is narrowed (per entity, then a query for the updates and a later CDC
//    window for the deletes) instead of being trusted;
//  - a cursor older than CDC's 30-day look-back falls back to MetaData.LastUpdatedTime queries
//    (which cannot see deletions, said in a warning).
// Entities are synced in dependency order (Customer, Invoice, CreditMemo, Payment) so each
// page only refers to records already committed.
import type { CreditNoteRecord, LedgerBatch } from '../../ledger';
import { silentLogger, systemClock, type Clock, type Logger } from '../../ports';
import type { SyncContext, SyncPage, SyncSource } from '../../sync';
import { QBO_PAGE_SIZE, QboApiError, type QboClient } from './client';
import { CreditLinks, memoryCreditLinkStore, type CreditLinkStore } from './credit-links';
import {
  isTombstone,
  mapCreditMemo,
  mapPage,
  QBO_ENTITIES,
  toUtcIso,
  type CreditApplication,
  type QboEntity,
  type QboMapContext,
  type QboTombstone,
} from './map';
import type { TombstoneReader } from './tombstones';

const DAY_MS = 86_400_000;

export interface QboSourceOptions {
  client: QboClient;
  /** The connection's home currency (records without a CurrencyRef are in it). */
  homeCurrency: string;
  clock?: Clock;
  logger?: Logger;
  /** Where the credit-memo allocations of payments persist between runs (settingsCreditLinkStore in the app). */
  creditLinks?: CreditLinkStore;
  /** Reads deleted records back from the ledger so CDC deletions can be written (sqliteTombstoneReader). */
  tombstones?: TombstoneReader;
  termsById?: ReadonlyMap<string, number>;
  /** Rows per query page (default and maximum 1000). */
  pageSize?: number;
  /** Subtracted from the cursor for changedSince (default 2 minutes). */
  marginMs?: number;
  /** CDC look-back limit (default 30 days); older cursors use queries. */
  cdcMaxAgeMs?: number;
  /** Objects at which a CDC response counts as full (default 1000). */
  cdcCap?: number;
}

export type QboCursor =
  | { kind: 'done'; since: string }
  | { kind: 'backfill'; started: string | null; next: number }
  | { kind: 'catchup'; started: string; since: string; next: number };

/** A finished entity's cursor is the bare instant; one still paging is a small JSON object. */
export function encodeCursor(c: QboCursor): string {
  return c.kind === 'done' ? c.since : JSON.stringify(c);
}

export function decodeCursor(raw: string | null | undefined): QboCursor | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw.startsWith('{')) {
    try {
      const c = JSON.parse(raw) as Partial<QboCursor> & Record<string, unknown>;
      if (c.kind === 'backfill' && Number.isSafeInteger(c.next) && (c.started === null || typeof c.started === 'string')) {
        return { kind: 'backfill', started: c.started as string | null, next: c.next as number };
      }
      if (c.kind === 'catchup' && typeof c.started === 'string' && typeof c.since === 'string' && Number.isSafeInteger(c.next)) {
        return { kind: 'catchup', started: c.started, since: c.since, next: c.next as number };
      }
    } catch {
      return null;
    }
    return null;
  }
  const iso = toUtcIso(raw);
  return iso === null ? null : { kind: 'done', since: iso };
}

/** changedSince / LastUpdatedTime literal: UTC, whole seconds. */
function qboInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const LABELS: Record<QboEntity, string> = { Customer: 'customers', Invoice: 'invoices', CreditMemo: 'credit memos', Payment: 'payments' };

interface Changes {
  byEntity: Map<string, unknown[]>;
  time: string;
  warnings: string[];
}

/** The source's settings with the defaults filled in. */
interface QboSourceSettings {
  client: QboClient;
  clock: Clock;
  logger: Logger;
  /** Rows per query page. */
  size: number;
  margin: number;
  maxAge: number;
  cap: number;
  linkStore: CreditLinkStore;
  mapCtx: QboMapContext;
  tombstones: TombstoneReader | undefined;
}

export function createQboSyncSource(opts: QboSourceOptions): SyncSource {
  const settings: QboSourceSettings = {
    client: opts.client,
    clock: opts.clock ?? systemClock,
    logger: opts.logger ?? silentLogger,
    size: Math.min(QBO_PAGE_SIZE, Math.max(1, opts.pageSize ?? QBO_PAGE_SIZE)),
    margin: opts.marginMs ?? 120_000,
    maxAge: opts.cdcMaxAgeMs ?? 30 * DAY_MS,
    cap: opts.cdcCap ?? QBO_PAGE_SIZE,
    linkStore: opts.creditLinks ?? memoryCreditLinkStore(),
    mapCtx: { homeCurrency: opts.homeCurrency, ...(opts.termsById ? { termsById: opts.termsById } : {}) },
    tombstones: opts.tombstones,
  };
  return {
    entities: [...QBO_ENTITIES],
    requests: () => settings.client.requests,
    async *pages(ctx): AsyncGenerator<SyncPage> {
      const links = await CreditLinks.open(settings.linkStore);
      yield* new QboRun(settings, ctx, links).pages();
    },
  };
}

/** A query statement for one page of an entity (customers inactive ones too). */
function statement(entity: QboEntity, where: string[], orderBy: string, start: number, size: number): string {
  const all = entity === 'Customer' ? [...where, 'Active IN (true,false)'] : where;
  return `SELECT * FROM ${entity}${all.length ? ` WHERE ${all.join(' AND ')}` : ''} ORDERBY ${orderBy} STARTPOSITION ${start} MAXRESULTS ${size}`;
}

/** The instant an incremental cursor counts changes from. */
function sinceOf(c: QboCursor): string {
  return c.kind === 'done' ? c.since : c.kind === 'catchup' ? c.since : '';
}

/** One run of the source: the cursors it started from, the credit links and the memos it has seen. */
class QboRun {
  private readonly client: QboClient;
  private readonly signal: AbortSignal;
  /** Credit memos seen in this run, without applications (Payment pages re-emit them). */
  private readonly memos = new Map<string, CreditNoteRecord>();
  private readonly startWarnings: string[] = [];
  private readonly states = new Map<QboEntity, QboCursor | null>();

  constructor(
    private readonly s: QboSourceSettings,
    private readonly ctx: SyncContext,
    private readonly links: CreditLinks,
  ) {
    this.client = s.client;
    this.signal = ctx.signal;
    for (const e of QBO_ENTITIES) {
      const raw = ctx.cursors[e] ?? null;
      const c = decodeCursor(raw);
      if (raw !== null && c === null) this.startWarnings.push(`${e}: the stored sync position was unreadable, so it is fetched again in full`);
      this.states.set(e, c);
    }
    // A payment backfill from the top rebuilds the credit allocations; credit memo pages
    // before it must not re-write allocations of payments that may no longer exist.
    if (this.states.get('Payment') === null) links.reset();
  }

  // ---- the run ----

  async *pages(): AsyncGenerator<SyncPage> {
    const increment = QBO_ENTITIES.filter((e) => {
      const s = this.states.get(e);
      return s?.kind === 'done' || s?.kind === 'catchup';
    });
    const backfills = QBO_ENTITIES.filter((e) => !increment.includes(e));
    if (increment.length > 0) yield* this.increment(increment);
    for (const e of backfills) yield* this.backfill(e, this.states.get(e) ?? null);
    const left = this.takeWarnings();
    if (left.length) this.s.logger.warn('qbo sync warnings with no page to carry them', { count: left.length });
  }

  /** Entities synced before: one CDC call for all of them, or queries when the cursors are too old for CDC. */
  private async *increment(increment: QboEntity[]): AsyncGenerator<SyncPage> {
    const { clock, logger, margin, maxAge } = this.s;
    const oldest = Math.min(...increment.map((e) => Date.parse(sinceOf(this.states.get(e) as QboCursor))));
    const stale = increment.some((e) => this.states.get(e)?.kind === 'catchup') || clock.now().getTime() - (oldest - margin) > maxAge - 3_600_000;
    if (stale) {
      for (const e of increment) yield* this.catchUp(e, this.states.get(e) as QboCursor);
      return;
    }
    this.ctx.progress('Fetching changes from QuickBooks…');
    let found: Changes | null;
    try {
      found = await this.changes(increment, oldest - margin);
    } catch (err) {
      // Our clock and QuickBooks' disagree about the 30 days: QuickBooks' word wins.
      if (!(err instanceof QboApiError && err.status === 400 && /changedSince/i.test(err.message))) throw err;
      logger.info('qbo refused the CDC window; catching up with queries', { intuit_tid: err.intuitTid });
      found = null;
    }
    if (found === null) {
      for (const e of increment) yield* this.catchUp(e, this.states.get(e) as QboCursor);
      return;
    }
    let first = true;
    for (const e of increment) {
      const rows = found.byEntity.get(e) ?? [];
      yield await this.buildPage(e, rows, encodeCursor({ kind: 'done', since: found.time }), first ? found.warnings : []);
      first = false;
    }
  }

  private takeWarnings(): string[] {
    return this.startWarnings.splice(0);
  }

  // ---- building one page ----

  private async fetchMemos(ids: string[]): Promise<string[]> {
    const warnings: string[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const list = chunk.map((id) => `'${id.replace(/'/g, "\\'")}'`).join(', ');
      const page = await this.client.query(`SELECT * FROM CreditMemo WHERE Id IN (${list}) MAXRESULTS ${QBO_PAGE_SIZE}`, this.signal);
      for (const raw of page.rows) {
        const r = mapCreditMemo(raw, this.s.mapCtx);
        if (r.ok) this.memos.set(r.value.externalId, r.value);
        else warnings.push(r.warning);
      }
    }
    return warnings;
  }

  private async buildPage(entity: QboEntity, rows: readonly unknown[], cursor: string | null, extra: string[] = []): Promise<SyncPage> {
    const mapped = mapPage(entity, rows, this.s.mapCtx);
    const batch: LedgerBatch = mapped.batch;
    const warnings = [...this.takeWarnings(), ...extra, ...mapped.warnings];
    if (entity === 'CreditMemo') {
      for (const cn of batch.creditNotes ?? []) {
        this.memos.set(cn.externalId, { ...cn, applications: [] });
        cn.applications = this.links.applicationsFor(cn.externalId);
      }
    }
    if (entity === 'Payment') warnings.push(...(await this.reallocate(batch, mapped.credits, mapped.tombstones)));
    if (mapped.tombstones.length) warnings.push(...this.applyTombstones(batch, mapped.tombstones));
    await this.links.save();
    return { entity, batch, cursor, warnings, records: mapped.records };
  }

  /**
   * A Payment page: records each payment's credit allocations, and re-emits every credit memo
   * whose allocations changed (fetching the ones this run has not seen). Returns the warnings.
   */
  private async reallocate(batch: LedgerBatch, credits: ReadonlyMap<string, CreditApplication[]>, tombstones: QboTombstone[]): Promise<string[]> {
    const warnings: string[] = [];
    const touched = new Set<string>();
    for (const [paymentId, applied] of credits) for (const m of this.links.setPayment(paymentId, applied)) touched.add(m);
    for (const t of tombstones) for (const m of this.links.removePayment(t.externalId)) touched.add(m);
    const missing = [...touched].filter((id) => !this.memos.has(id));
    if (missing.length) warnings.push(...(await this.fetchMemos(missing)));
    const notes: CreditNoteRecord[] = [];
    for (const id of touched) {
      const memo = this.memos.get(id);
      if (memo) notes.push({ ...memo, applications: this.links.applicationsFor(id) });
    }
    if (notes.length) batch.creditNotes = [...(batch.creditNotes ?? []), ...notes];
    return warnings;
  }

  private applyTombstones(batch: LedgerBatch, tombstones: QboTombstone[]): string[] {
    if (!this.s.tombstones) {
      return tombstones.map((t) => `${t.entity} ${t.externalId} was deleted in QuickBooks, but this sync cannot mark it deleted (no ledger reader)`);
    }
    const dead = this.s.tombstones.records(tombstones);
    if (dead.customers) batch.customers = [...(batch.customers ?? []), ...dead.customers];
    if (dead.invoices) batch.invoices = [...(batch.invoices ?? []), ...dead.invoices];
    if (dead.payments) batch.payments = [...(batch.payments ?? []), ...dead.payments];
    if (dead.creditNotes) batch.creditNotes = [...(batch.creditNotes ?? []), ...dead.creditNotes];
    return [];
  }

  // ---- query paging (backfill and the 30-day catch-up) ----

  private async *backfill(entity: QboEntity, from: QboCursor | null): AsyncGenerator<SyncPage> {
    const { size } = this.s;
    let started = from?.kind === 'backfill' ? from.started : null;
    let pos = from?.kind === 'backfill' ? from.next : 1;
    for (;;) {
      this.ctx.progress(`Fetching ${LABELS[entity]} ${pos.toLocaleString('en-US')}–${(pos + size - 1).toLocaleString('en-US')}…`);
      const page = await this.client.query(statement(entity, [], 'Id', pos, size), this.signal);
      started ??= page.time;
      const last = page.rows.length < size;
      const cursor = last ? encodeCursor({ kind: 'done', since: started }) : encodeCursor({ kind: 'backfill', started, next: pos + size });
      yield await this.buildPage(entity, page.rows, cursor);
      if (last) return;
      pos += size;
    }
  }

  private async *catchUp(entity: QboEntity, from: QboCursor): AsyncGenerator<SyncPage> {
    const { size } = this.s;
    const since = from.kind === 'catchup' ? from.since : from.kind === 'done' ? from.since : (from.started ?? '');
    let started = from.kind === 'catchup' ? from.started : null;
    let pos = from.kind === 'catchup' ? from.next : 1;
    const literal = qboInstant(Date.parse(since) - this.s.margin);
    const extra =
      pos === 1
        ? [`${entity}: last synced more than 30 days ago, so changes were read with queries; deletions since ${since.slice(0, 10)} cannot be seen (a full resync reconciles them)`]
        : [];
    for (;;) {
      this.ctx.progress(`Catching up ${LABELS[entity]} changed since ${since.slice(0, 10)}…`);
      const page = await this.client.query(statement(entity, [`MetaData.LastUpdatedTime > '${literal}'`], 'MetaData.LastUpdatedTime', pos, size), this.signal);
      started ??= page.time;
      const last = page.rows.length < size;
      const cursor = last ? encodeCursor({ kind: 'done', since: started }) : encodeCursor({ kind: 'catchup', started, since, next: pos + size });
      yield await this.buildPage(entity, page.rows, cursor, pos === 1 ? extra : []);
      if (last) return;
      pos += size;
    }
  }

  // ---- CDC with the 1000-object cap ----

  private async queryAll(entity: QboEntity, sinceLiteral: string): Promise<unknown[]> {
    const { size } = this.s;
    const out: unknown[] = [];
    for (let pos = 1; ; pos += size) {
      const page = await this.client.query(statement(entity, [`MetaData.LastUpdatedTime > '${sinceLiteral}'`], 'MetaData.LastUpdatedTime', pos, size), this.signal);
      out.push(...page.rows);
      if (page.rows.length < size) return out;
    }
  }

  private async changes(entities: QboEntity[], sinceMs: number): Promise<Changes> {
    const res = await this.client.cdc(entities, qboInstant(sinceMs), this.signal);
    if (res.objects < this.s.cap) return { byEntity: res.byEntity, time: res.time, warnings: [] };
    this.s.logger.info('qbo cdc response is full; narrowing', { entities: entities.join(','), objects: res.objects });
    if (entities.length > 1) {
      const byEntity = new Map<string, unknown[]>();
      const warnings: string[] = [];
      for (const e of entities) {
        const one = await this.changes([e], sinceMs);
        byEntity.set(e, one.byEntity.get(e) ?? []);
        warnings.push(...one.warnings);
      }
      return { byEntity, time: res.time, warnings };
    }
    return this.narrow(entities[0] as QboEntity, sinceMs, res.time);
  }

  /**
   * One entity with more changes than a CDC response holds: the updates come from a paged query
   * (no cap); the deletions from CDC over a window late enough to fit.
   */
  private async narrow(entity: QboEntity, sinceMs: number, time: string): Promise<Changes> {
    const { cap } = this.s;
    const rows = await this.queryAll(entity, qboInstant(sinceMs));
    let lo = sinceMs;
    const hi = Date.parse(time);
    let deletedFrom: number | null = null;
    let tombstones: unknown[] = [];
    for (let i = 0; i < 12 && hi - lo > 1000; i++) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const r = await this.client.cdc([entity], qboInstant(mid), this.signal);
      if (r.objects < cap) {
        tombstones = (r.byEntity.get(entity) ?? []).filter(isTombstone);
        deletedFrom = mid;
        break;
      }
      lo = mid;
    }
    const from = deletedFrom === null ? 'now' : new Date(deletedFrom).toISOString();
    return {
      byEntity: new Map([[entity, [...rows, ...tombstones]]]),
      time,
      warnings: [`${entity}: more than ${cap} changes since the last sync; deletions before ${from} may not be seen (a full resync reconciles them)`],
    };
  }
}
