// What the follow-up services share (DESIGN §8, issue #6): the ports and the core's callbacks they
// are built with, and the few helpers every one of them uses (today's date in the owner's zone, a
// customer's company, the audit log, "after an owner's change: rescore and tell the views").
// createFollowup (index.ts) builds one and hands it to each service.
import type { IsoDate } from '../../../shared/dates';
import { localDate } from '../../../shared/dates';
import { SettleError } from '../../../shared/errors';
import type { FollowupChanged } from '../../../shared/followup';
import type { DraftView } from '../../../shared/model';
import { appendAudit, type AuditInput } from '../audit';
import type { Db } from '../db/open';
import type { DraftExtras } from '../drafting';
import type { EventHub } from '../events';
import { getCustomerInfo } from '../ledger';
import type { Clock, Logger, Notifier } from '../ports';

export interface FollowupDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: Pick<EventHub, 'emit'>;
  /** OS notifications; without one (browser mode, tests) deliveries are only recorded for notifications.list. */
  notifier?: Notifier;
  /** Rescores a company (the core's recompute, which runs the beforeSnapshot hook, hence evaluate(), first). */
  rescore: (connectionId: string) => void;
  /** The company the owner is looking at; throws not_found when there is none. */
  activeConnectionId: () => string;
  /** Creates a draft with extra facts (drafting.service createWith): plan proposals and broken-promise follow-ups. */
  createDraft?: (input: { customerId: number; tone?: 'friendly' | 'firm' | 'final'; mode?: 'auto' | 'template' | 'ai' }, extras: DraftExtras) => Promise<DraftView>;
  /** "Re-check with the ledger": starts a sync of the company; false when it has no ledger to ask (demo, disconnected). */
  recheck?: (connectionId: string) => boolean;
}

export class FollowupContext {
  constructor(readonly deps: FollowupDeps) {}

  get db(): Db {
    return this.deps.db;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  /** The owner's calendar date now. */
  today(): IsoDate {
    return localDate(this.deps.clock.now(), this.deps.clock.timeZone());
  }

  nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  /** A live customer's company, name and currency; not_found otherwise. */
  customer(customerId: number): { connectionId: string; name: string; currency: string } {
    const found = getCustomerInfo(this.db, customerId);
    if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
    return { connectionId: found.connectionId, name: found.customer.name, currency: found.customer.currency };
  }

  /** The customer's company, or the active one; null when there is no company at all. */
  connectionFor(customerId: number | undefined): string | null {
    if (customerId !== undefined) return this.customer(customerId).connectionId;
    try {
      return this.deps.activeConnectionId();
    } catch (err) {
      if (err instanceof SettleError && err.code === 'not_found') return null;
      throw err;
    }
  }

  /** Appends to the audit log with this core's clock. */
  audit(entry: AuditInput): void {
    appendAudit(this.db, this.deps.clock, entry);
  }

  /** Tells the views that follow-up data changed. */
  emit(connectionId: string | null, reason: FollowupChanged['reason']): void {
    this.deps.events.emit('followup.changed', { connectionId, reason });
  }

  /** After an owner's change: rescore (facts, board chips) and tell the views. */
  changed(connectionId: string, reason: 'promise' | 'dispute'): void {
    this.deps.rescore(connectionId);
    this.emit(connectionId, reason);
  }

  /** Drafting, or an unavailable error where the core was built without it. */
  drafter(): NonNullable<FollowupDeps['createDraft']> {
    if (!this.deps.createDraft) throw new SettleError('unavailable', 'Drafting is not available here.');
    return this.deps.createDraft;
  }
}
