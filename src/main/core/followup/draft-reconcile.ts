// After a sync (the afterSync hook): pending drafts whose invoices the ledger now shows closed or
// changed are cancelled or sent back for redrafting. It keeps its own statements on the drafts
// and invoices tables for now.
// Moves to the unified reconcile pass (outreach) in the restructure.
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';
import type { DraftFacts } from '../drafting/facts';
import type { EventHub } from '../events';
import { appendAudit } from '../audit/log';
import { invoiceApplications } from '../ledger/invoices.repo';
import type { Clock } from '../ports';
import { outsidePaymentEffects, type InvoiceBalanceChange } from './ledger-changes';

interface PendingDraftRow {
  id: number;
  customerId: number;
  status: string;
  factsJson: string;
}

interface LedgerInvoice {
  id: number;
  number: string;
  currency: string;
  balanceCents: number;
  status: 'open' | 'paid' | 'void' | 'draft';
  deletedAt: string | null;
}

const stmts = perDb((db) => ({
  pendingDrafts: db.prepare<[string], PendingDraftRow>(
    `SELECT id, customer_id AS customerId, status, facts_json AS factsJson FROM drafts
     WHERE connection_id = ? AND status IN ('draft', 'pending_approval')`,
  ),
  ledgerInvoices: db.prepare<[string], LedgerInvoice>(
    `SELECT i.id, i.number, i.currency, i.balance_cents AS balanceCents, i.status, i.deleted_at AS deletedAt
     FROM invoices i JOIN json_each(?) j ON j.value = i.id`,
  ),
  setDraftStatus: db.prepare<[string, string, number, string]>('UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?'),
}));

export interface DraftReconcileDeps {
  db: Db;
  clock: Clock;
  events: Pick<EventHub, 'emit'>;
}

/**
 * After a sync: pending drafts (draft or waiting for approval) whose invoices the ledger now shows
 * closed are cancelled, and those whose balances moved are superseded (the owner drafts again from
 * the new figures), each compared with the balances the draft's facts recorded and audited as a
 * system decision with the reason. Returns how many drafts changed.
 */
export function reconcileDrafts(deps: DraftReconcileDeps, connectionId: string): number {
  const { db, clock } = deps;
  const s = stmts(db);
  const at = clock.now().toISOString();
  let touched = 0;
  db.transaction(() => {
    for (const d of s.pendingDrafts.all(connectionId)) {
      const facts = JSON.parse(d.factsJson) as DraftFacts;
      const ledger = new Map(s.ledgerInvoices.all(JSON.stringify(facts.invoices.map((i) => i.id))).map((i) => [i.id, i]));
      const changes: InvoiceBalanceChange[] = [];
      for (const f of facts.invoices) {
        const now = ledger.get(f.id);
        const after = now && !now.deletedAt ? { balanceCents: now.balanceCents, status: now.status } : { balanceCents: 0, status: 'void' as const };
        if (after.balanceCents === f.balanceCents && after.status === 'open') continue;
        const last = now ? invoiceApplications(db, f.id).at(-1) : undefined;
        changes.push({
          invoiceId: f.id,
          number: f.number,
          currency: f.currency,
          before: { balanceCents: f.balanceCents, status: 'open' },
          after,
          cause: last ? { kind: last.kind, date: last.date, reference: last.reference } : null,
        });
      }
      if (changes.length === 0) continue;
      const effects = outsidePaymentEffects(changes, [{ id: d.id, kind: 'draft', invoiceIds: facts.invoices.map((i) => i.id) }]);
      const decision = effects.decisions[0];
      if (!decision) continue;
      const status = decision.action === 'cancel' ? 'cancelled' : 'superseded';
      if (s.setDraftStatus.run(status, at, d.id, d.status).changes === 0) continue;
      touched++;
      appendAudit(db, clock, {
        actor: 'sync',
        action: decision.action === 'cancel' ? 'draft.cancel' : 'draft.redraft',
        entity: 'draft',
        entityId: d.id,
        detail: { customerId: d.customerId, statusBefore: d.status, reason: decision.reason, ledger: effects.activity.map((a) => a.message) },
      });
    }
  })();
  if (touched > 0) deps.events.emit('followup.changed', { connectionId, reason: 'evaluate' });
  return touched;
}
