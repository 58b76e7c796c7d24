// The Xero SyncSource (DESIGN §6, issue 4 §3). Per-entity cursors are the latest UpdatedDateUTC
// seen, sent as If-Modified-Since next time (a backfill sends none). Each collection is paged
// with page/pageSize=1000 (`order=UpdatedDateUTC ASC`) until a short page or the last
// `pagination.pageCount`; every page is one SyncPage, and while an entity is still paging its
// cursor remembers the run's since and the next page, so a crash resumes where it stopped.
//
// Budget (60 calls a minute, 1,000–5,000 a day): an increment of a few changes costs exactly
// THREE requests: Contacts, Invoices and CreditNotes (one short page each). The Payments
// endpoint is only read by the backfill (it carries DELETED payments and every AR payment).
// Afterwards payments come from the Invoices pages: every ACCREC invoice carries its Payments[]
// summaries (PaymentID, Date, Amount, Reference), a new or deleted payment changes the invoice's
// AmountDue and UpdatedDateUTC, and an invoice's list is complete — so a stored payment that is
// no longer listed on its (changed) invoice was deleted in Xero. Contacts stay in the increment
// (one request) because new invoices may name new contacts and e-mail addresses matter for
// sending; CreditNotes stay because a new unallocated credit note changes no invoice.
import { silentLogger, type Logger } from '../../ports';
import type { PaymentRecord } from '../../ledger';
import type { SyncContext, SyncPage, SyncSource } from '../../sync';
import { XERO_PAGE_SIZE, type XeroClient } from './client';
import type { XeroLedgerReader } from './ledger-reader';
import {
  mapXeroPage,
  maxUpdated,
  XERO_ENTITIES,
  xeroInstant,
  type ContactBalance,
  type XeroEntity,
  type XeroMapContext,
  type XeroMappedPage,
} from './map';

export interface XeroSourceOptions {
  client: XeroClient;
  /** The organisation's base currency (records without a currency are in it). */
  baseCurrency: string;
  /** Reads the local ledger (sqliteXeroLedgerReader): unknown contacts and deleted payments. */
  ledger?: XeroLedgerReader;
  logger?: Logger;
  /** Rows per page (default and maximum 1000). */
  pageSize?: number;
}

export type XeroCursor =
  | { kind: 'done'; since: string }
  | { kind: 'paging'; since: string | null; page: number; max: string | null };

export function encodeXeroCursor(c: XeroCursor): string {
  return c.kind === 'done' ? c.since : JSON.stringify(c);
}

export function decodeXeroCursor(raw: string | null | undefined): XeroCursor | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw.startsWith('{')) {
    try {
      const c = JSON.parse(raw) as Record<string, unknown>;
      const okIso = (v: unknown): v is string | null => v === null || (typeof v === 'string' && xeroInstant(v) !== null);
      if (c.kind === 'paging' && okIso(c.since) && okIso(c.max) && Number.isSafeInteger(c.page) && (c.page as number) >= 1) {
        return { kind: 'paging', since: c.since, page: c.page as number, max: c.max };
      }
    } catch {
      return null;
    }
    return null;
  }
  const iso = xeroInstant(raw);
  return iso === null ? null : { kind: 'done', since: iso };
}

const FILTERS: Record<XeroEntity, { where?: string; includeArchived?: boolean }> = {
  Contacts: { includeArchived: true },
  Invoices: { where: 'Type=="ACCREC"' },
  CreditNotes: { where: 'Type=="ACCRECCREDIT"' },
  Payments: { where: 'PaymentType=="ACCRECPAYMENT"' },
};

const LABELS: Record<XeroEntity, string> = { Contacts: 'contacts', Invoices: 'invoices', CreditNotes: 'credit notes', Payments: 'payments' };

export interface XeroSyncSource extends SyncSource {
  /** Contacts' Balances.AccountsReceivable seen by the runs so far, by ContactID (for the cross-check). */
  balances(): Map<string, ContactBalance>;
  /** Whether the last run listed every contact from the first page to the last (a contacts backfill), so balances() covers them all. */
  contactsComplete(): boolean;
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** What the source remembers across runs, for the cross-check. */
interface XeroSourceMemory {
  balances: Map<string, ContactBalance>;
  contactsComplete: boolean;
}

/** The source's settings with the defaults filled in. */
interface XeroSourceSettings {
  client: XeroClient;
  baseCurrency: string;
  ledger: XeroLedgerReader | undefined;
  logger: Logger;
  /** Rows per page. */
  size: number;
}

export function createXeroSyncSource(opts: XeroSourceOptions): XeroSyncSource {
  const settings: XeroSourceSettings = {
    client: opts.client,
    baseCurrency: opts.baseCurrency,
    ledger: opts.ledger,
    logger: opts.logger ?? silentLogger,
    size: Math.min(XERO_PAGE_SIZE, Math.max(1, opts.pageSize ?? XERO_PAGE_SIZE)),
  };
  const memory: XeroSourceMemory = { balances: new Map(), contactsComplete: false };
  return {
    entities: [...XERO_ENTITIES],
    requests: () => settings.client.requests,
    balances: () => memory.balances,
    contactsComplete: () => memory.contactsComplete,
    async *pages(ctx): AsyncGenerator<SyncPage> {
      yield* new XeroRun(settings, memory, ctx).pages();
    },
  };
}

/** One run of the source: the cursors it started from and the contacts it has seen. */
class XeroRun {
  private readonly startWarnings: string[] = [];
  private readonly states = new Map<XeroEntity, XeroCursor | null>();
  /** Payments backfilled once: from then on they arrive inside the Invoices pages. */
  private readonly paymentsFromInvoices: boolean;
  private readonly seenContacts = new Set<string>();
  private readonly mapCtx: XeroMapContext;

  constructor(
    private readonly s: XeroSourceSettings,
    private readonly memory: XeroSourceMemory,
    private readonly ctx: SyncContext,
  ) {
    for (const e of XERO_ENTITIES) {
      const raw = ctx.cursors[e] ?? null;
      const c = decodeXeroCursor(raw);
      if (raw !== null && c === null) this.startWarnings.push(`${e}: the stored sync position was unreadable, so it is fetched again in full`);
      this.states.set(e, c);
    }
    this.paymentsFromInvoices = this.states.get('Payments')?.kind === 'done';
    const ledger = s.ledger;
    this.mapCtx = {
      baseCurrency: s.baseCurrency,
      ...(ledger ? { knownContact: (id: string) => this.seenContacts.has(id) || ledger.hasContact(id) } : {}),
    };
  }

  async *pages(): AsyncGenerator<SyncPage> {
    for (const e of XERO_ENTITIES) {
      if (e === 'Payments' && this.paymentsFromInvoices) continue;
      yield* this.entityPages(e);
    }
    if (this.startWarnings.length) this.s.logger.warn('xero sync warnings with no page to carry them', { count: this.startWarnings.length });
  }

  private async *entityPages(entity: XeroEntity): AsyncGenerator<SyncPage> {
    const { client, size } = this.s;
    const from = this.states.get(entity) ?? null;
    const since = from === null ? null : from.since;
    let page = from?.kind === 'paging' ? from.page : 1;
    let max = from?.kind === 'paging' ? from.max : since;
    const listsAll = entity === 'Contacts' && since === null && page === 1;
    if (entity === 'Contacts') this.memory.contactsComplete = false;
    for (;;) {
      this.ctx.progress(
        since === null
          ? `Fetching ${LABELS[entity]} ${((page - 1) * size + 1).toLocaleString('en-US')}–${(page * size).toLocaleString('en-US')}…`
          : `Fetching ${LABELS[entity]} changed since ${since.slice(0, 16).replace('T', ' ')} UTC…`,
      );
      const res = await client.list(entity, { page, pageSize: size, ifModifiedSince: since, order: 'UpdatedDateUTC ASC', ...FILTERS[entity], signal: this.ctx.signal });
      const mapped = this.map(entity, res.rows);
      max = later(max, maxUpdated(res.rows));
      const pageCount = res.pagination?.pageCount ?? null;
      const last = res.rows.length < size || (pageCount !== null && page >= pageCount);
      const cursor: XeroCursor = last
        ? max === null
          ? { kind: 'paging', since: null, page: 1, max: null } // nothing at all yet: backfill again next time
          : { kind: 'done', since: max }
        : { kind: 'paging', since, page: page + 1, max };
      yield {
        entity,
        batch: mapped.batch,
        cursor: last && max === null ? null : encodeXeroCursor(cursor),
        warnings: [...this.startWarnings.splice(0), ...mapped.warnings],
        records: mapped.records,
        total: res.pagination ? res.pagination.itemCount : null,
      };
      if (last) {
        if (listsAll) this.memory.contactsComplete = true;
        return;
      }
      page++;
    }
  }

  /** Maps one page, remembering its contacts and balances; an increment's Invoices page also carries deleted payments. */
  private map(entity: XeroEntity, rows: unknown[]): XeroMappedPage {
    const fromInvoices = entity === 'Invoices' && this.paymentsFromInvoices;
    const mapped = mapXeroPage(entity, rows, this.mapCtx, { paymentsFromInvoices: fromInvoices });
    for (const c of mapped.batch.customers ?? []) this.seenContacts.add(c.externalId);
    for (const b of mapped.balances) this.memory.balances.set(b.contactId, b);
    if (fromInvoices) {
      const gone = this.deletedPayments(mapped.invoicePayments, mapped.batch.invoices ?? []);
      if (gone.length) mapped.batch.payments = [...(mapped.batch.payments ?? []), ...gone];
    }
    return mapped;
  }

  /** Stored live payments no longer listed on their (changed) invoice: deleted in Xero. */
  private deletedPayments(invoicePayments: Map<string, string[]>, invoices: { externalId: string; updatedAt: string }[]): PaymentRecord[] {
    const ledger = this.s.ledger;
    if (!ledger) return [];
    const out: PaymentRecord[] = [];
    const at = new Map(invoices.map((i) => [i.externalId, i.updatedAt]));
    for (const [invoiceId, listed] of invoicePayments) {
      const keep = new Set(listed);
      for (const p of ledger.livePaymentsOn(invoiceId)) {
        if (keep.has(p.externalId)) continue;
        const when = at.get(invoiceId) ?? p.updatedAt;
        out.push({ ...p, applications: [], updatedAt: when, deletedAt: when });
      }
    }
    return out;
  }
}
