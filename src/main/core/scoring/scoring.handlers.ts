// scores.*: why a customer or an invoice scores as it does, the owner's tier override (audited,
// then the company is rescored) and a recompute on demand.
import { SettleError } from '../../../shared/errors';
import type { ScoreView } from '../../../shared/model';
import { appendAudit } from '../audit';
import { requireActive } from '../connectors';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { defineHandlers, type HandlerGroup } from '../handlers';
import { getCustomerInfo } from '../ledger';
import { getInvoiceRow } from '../ledger';
import { listOpenInvoices } from '../ledger';
import type { Snapshot } from '../ledger';
import type { Snapshots } from '../ledger';
import type { CustomerFacts, InvoiceScore } from '../ledger';
import type { Clock } from '../ports';
import { customerScore, toScoreView, unknownCustomerFacts } from './model';
import { clearOverride, setOverride } from './overrides.repo';

export interface ScoringDeps {
  db: Db;
  clock: Clock;
  events: EventHub;
  snapshots: Snapshots;
  today(): string;
}

/** A customer's facts, best invoice score and the view of it, from one snapshot. */
export function customerView(snap: Snapshot, customerId: number): { facts: CustomerFacts; best: InvoiceScore | null; view: ScoreView | null } {
  const facts = snap.facts.get(customerId) ?? unknownCustomerFacts(customerId);
  const best = customerScore(snap.scores.filter((s) => s.customerId === customerId), facts) ?? null;
  return { facts, best, view: best ? toScoreView(best, facts.override, snap.computedAt, snap.asOf) : null };
}

export function scoringHandlers({ db, clock, events, snapshots, today }: ScoringDeps): HandlerGroup {
  const customer = (customerId: number) => {
    const found = getCustomerInfo(db, customerId);
    if (!found || found.deletedAt) throw new SettleError('not_found', `No customer ${customerId}`);
    return found;
  };
  const nothingOpen = (name: string) => new SettleError('not_found', `${name} has nothing open, so there is no score`);

  return defineHandlers('scores', {
    explain: (input) => {
      if ('invoiceId' in input) {
        const row = getInvoiceRow(db, input.invoiceId);
        if (!row || row.deletedAt) throw new SettleError('not_found', `No invoice ${input.invoiceId}`);
        const snap = snapshots.get(row.connectionId, today());
        const score = snap.scoreOf(input.invoiceId);
        if (!score) throw new SettleError('not_found', `Invoice ${row.number} has no open balance, so it has no score`);
        return toScoreView(score, snap.facts.get(row.customerId)?.override ?? null, snap.computedAt, snap.asOf);
      }
      const found = customer(input.customerId);
      const { view } = customerView(snapshots.get(found.connectionId, today()), input.customerId);
      if (!view) throw nothingOpen(found.customer.name);
      return view;
    },
    override: ({ customerId, tier, reason }) => {
      const found = customer(customerId);
      // Refuse before writing: a failed call must leave no override, audit row or event behind.
      if (listOpenInvoices(db, found.connectionId, today(), { customerId }).length === 0) throw nothingOpen(found.customer.name);
      db.transaction(() => {
        if (tier === null) clearOverride(db, customerId);
        else setOverride(db, customerId, tier, reason, clock.now().toISOString());
        appendAudit(db, clock, { actor: 'owner', action: 'score.override', entity: 'customer', entityId: customerId, detail: { tier, reason } });
      })();
      const snap = snapshots.recompute(found.connectionId);
      events.emit('ledger.changed', { connectionId: found.connectionId, reason: 'override' });
      const { view } = customerView(snap, customerId);
      if (!view) throw nothingOpen(found.customer.name);
      return view;
    },
    recompute: () => {
      const conn = requireActive(db);
      const snap = snapshots.recompute(conn.id);
      events.emit('ledger.changed', { connectionId: conn.id, reason: 'sync' });
      return { scored: snap.scores.length, asOf: snap.asOf };
    },
  });
}
