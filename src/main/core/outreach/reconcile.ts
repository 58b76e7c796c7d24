// "The invoice changed under this text": one reconcile pass for everything written but not yet
// sent. Drafts (being written or waiting for approval) and outbox items (queued or waiting for the
// owner) state the balances of their invoices; when the local ledger now shows an invoice paid,
// voided, deleted or with another balance, the text must not go out as written. The decisions
// come from followup/ledger-changes.ts (outsidePaymentEffects); this module reads the texts and
// the ledger once per pass and applies the decisions to each side with its own audit rows and
// events: a draft is cancelled or superseded (followup.changed), an outbox item is cancelled or
// held for a redraft (outbox.changed, and a notification for a held one).
import type { InvoiceStatus } from '../../../shared/model';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { outsidePaymentEffects, type InvoiceBalanceChange, type OutsidePaymentEffects } from '../followup';
import { getInvoiceRow, invoiceApplications, type InvoiceApplication, type InvoiceRow } from '../ledger';
import type { Clock, Logger, Notifier } from '../ports';
import { getSettings } from '../settings';
import { editableDraftsOf, setDraftStatus, type DraftSummary } from '../drafting';
import { moveOutboxItem, outboxInvoicesByItem, unsentOutboxItems, type OutboxInvoice, type OutboxItem } from './outbox';
import { OutboxSignals } from './outbox';

export interface ReconcileDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  notifier?: Notifier;
}

/**
 * Which texts a pass looks at. The two sides run at different moments (see app.ts): outbox items
 * before every snapshot is taken, drafts after a sync.
 */
export interface ReconcileSides {
  outbox?: boolean;
  drafts?: boolean;
}

/** An invoice as a text states it. */
interface Frozen {
  invoiceId: number;
  number: string;
  currency: string;
  balanceCents: number;
}

/** The local ledger's invoices, each read once per pass however many texts mention it. */
class LedgerNow {
  private readonly rows = new Map<number, InvoiceRow | null>();
  private readonly lastApplied = new Map<number, InvoiceApplication | undefined>();

  constructor(private readonly db: Db) {}

  /** How the invoice moved since the text was written; null when it is still open at the stated balance. */
  change(f: Frozen): InvoiceBalanceChange | null {
    const local = this.row(f.invoiceId);
    const after: { balanceCents: number; status: InvoiceStatus } =
      !local || local.deletedAt !== null ? { balanceCents: 0, status: 'void' } : { balanceCents: local.balanceCents, status: local.status };
    if (after.balanceCents === f.balanceCents && after.status === 'open') return null;
    const last = local ? this.last(f.invoiceId) : undefined;
    return {
      invoiceId: f.invoiceId,
      number: f.number,
      currency: f.currency,
      before: { balanceCents: f.balanceCents, status: 'open' },
      after,
      cause: last ? { kind: last.kind, date: last.date, reference: last.reference } : null,
    };
  }

  private row(invoiceId: number): InvoiceRow | null {
    if (!this.rows.has(invoiceId)) this.rows.set(invoiceId, getInvoiceRow(this.db, invoiceId));
    return this.rows.get(invoiceId) ?? null;
  }

  private last(invoiceId: number): InvoiceApplication | undefined {
    if (!this.lastApplied.has(invoiceId)) this.lastApplied.set(invoiceId, invoiceApplications(this.db, invoiceId).at(-1));
    return this.lastApplied.get(invoiceId);
  }
}

const defined = <T>(x: T | undefined | null): x is T => x !== undefined && x !== null;

export class OutreachReconcile {
  private readonly signals: OutboxSignals;

  constructor(private readonly deps: ReconcileDeps) {
    this.signals = new OutboxSignals(deps);
  }

  /** One pass over a company's unsent texts on the chosen sides; returns how many of each changed. Synchronous. */
  run(connectionId: string, sides: ReconcileSides): { outbox: number; drafts: number } {
    const ledger = new LedgerNow(this.deps.db);
    return {
      outbox: sides.outbox ? this.outbox(connectionId, ledger) : 0,
      drafts: sides.drafts ? this.drafts(connectionId, ledger) : 0,
    };
  }

  // ---- outbox items ----

  /**
   * Items not yet sent whose invoices are now closed are cancelled ("paid in the ledger on …");
   * those whose balance changed are held for a redraft. Compares the balances the approved text
   * states with the local ledger; one decision over all of the company's items.
   */
  private outbox(connectionId: string, ledger: LedgerNow): number {
    const { db } = this.deps;
    const items = unsentOutboxItems(db, connectionId);
    if (items.length === 0) return 0;
    const byItem = outboxInvoicesByItem(db, connectionId);
    // One change per invoice, from the first item whose figures differ from the ledger's.
    const changes = new Map<number, InvoiceBalanceChange>();
    for (const item of items) {
      for (const inv of byItem.get(item.id) ?? []) {
        if (changes.has(inv.invoiceId)) continue;
        const change = ledger.change(inv);
        if (change) changes.set(inv.invoiceId, change);
      }
    }
    if (changes.size === 0) return 0;
    const locale = getSettings(db).locale ?? 'en-US';
    const effects = outsidePaymentEffects(
      [...changes.values()],
      items.map((i) => ({ id: i.id, kind: 'outbox' as const, invoiceIds: (byItem.get(i.id) ?? []).map((x) => x.invoiceId) })),
      locale,
    );
    const touched = this.applyToOutbox(items, byItem, changes, effects);
    for (const row of touched) {
      this.signals.changed(row.connectionId, [row.id], 'ledger');
      if (row.state === 'blocked') this.signals.notify(row, `Reminder to ${row.customerName} held`, 'An invoice in it changed in the ledger. Redraft it from the outbox.');
    }
    return touched.length;
  }

  /** The decisions as compare-and-set state changes with their audit rows, in one transaction; returns the items moved. */
  private applyToOutbox(
    items: OutboxItem[],
    byItem: Map<number, OutboxInvoice[]>,
    changes: Map<number, InvoiceBalanceChange>,
    effects: OutsidePaymentEffects,
  ): OutboxItem[] {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    const touched: OutboxItem[] = [];
    db.transaction(() => {
      for (const decision of effects.decisions) {
        const row = items.find((i) => i.id === decision.id);
        if (!row) continue;
        const mine = (byItem.get(row.id) ?? []).map((x) => changes.get(x.invoiceId)).filter(defined);
        const paidOn = mine.map((c) => c.cause?.date).filter((d): d is string => !!d).sort().at(-1);
        const voided = mine.length > 0 && mine.every((c) => c.after.status === 'void');
        const reason =
          decision.action === 'cancel'
            ? `${voided ? 'Voided in the ledger' : `Paid in the ledger${paidOn ? ` on ${paidOn}` : ''}`}: ${decision.reason}`
            : `Changed in the ledger: ${decision.reason}`;
        const state = decision.action === 'cancel' ? 'cancelled' : 'blocked';
        if (!moveOutboxItem(db, { id: row.id, state, from: row.state, at, error: null, reason, next: null })) continue;
        appendAudit(db, clock, {
          actor: 'sync',
          action: decision.action === 'cancel' ? 'outbox.cancel' : 'outbox.block',
          entity: 'outbox',
          entityId: row.id,
          detail: { reason, stateBefore: row.state, activity: effects.activity.filter((a) => mine.some((c) => c.invoiceId === a.invoiceId)).map((a) => a.message) },
        });
        touched.push({ ...row, state });
      }
    })();
    return touched;
  }

  // ---- drafts ----

  /**
   * Pending drafts (draft or waiting for approval) whose invoices the ledger now shows closed are
   * cancelled, and those whose balances moved are superseded (the owner drafts again from the new
   * figures), each compared with the balances the draft's facts recorded and audited as a system
   * decision with the reason. Returns how many drafts changed.
   */
  private drafts(connectionId: string, ledger: LedgerNow): number {
    const { db, clock } = this.deps;
    const at = clock.now().toISOString();
    let touched = 0;
    db.transaction(() => {
      for (const d of editableDraftsOf(db, connectionId)) if (this.applyToDraft(d, ledger, at)) touched++;
    })();
    if (touched > 0) this.deps.events.emit('followup.changed', { connectionId, reason: 'evaluate' });
    return touched;
  }

  /** One draft: its own decision (each draft is weighed alone, in the default locale, as before the merge of the two passes). */
  private applyToDraft(d: DraftSummary, ledger: LedgerNow, at: string): boolean {
    const { db, clock } = this.deps;
    const changes = d.facts.invoices.map((f) => ledger.change({ invoiceId: f.id, number: f.number, currency: f.currency, balanceCents: f.balanceCents })).filter(defined);
    if (changes.length === 0) return false;
    const effects = outsidePaymentEffects(changes, [{ id: d.id, kind: 'draft', invoiceIds: d.facts.invoices.map((i) => i.id) }]);
    const decision = effects.decisions[0];
    if (!decision) return false;
    const status = decision.action === 'cancel' ? 'cancelled' : 'superseded';
    if (!setDraftStatus(db, d.id, d.status, status, at)) return false;
    appendAudit(db, clock, {
      actor: 'sync',
      action: decision.action === 'cancel' ? 'draft.cancel' : 'draft.redraft',
      entity: 'draft',
      entityId: d.id,
      detail: { customerId: d.customerId, statusBefore: d.status, reason: decision.reason, ledger: effects.activity.map((a) => a.message) },
    });
    return true;
  }
}
