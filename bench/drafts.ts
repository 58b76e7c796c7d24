// Drafting and approvals (issue 5 targets): building a draft's context from the ledger plus the
// fact-check of its text, per draft, excluding any LLM time; and one batch approval of 200
// waiting drafts through the contract (rules evaluated, audited per draft, queued to send).
import { createCore } from '../src/main/core/app';
import { loadFacts } from '../src/main/core/drafting/facts';
import { factCheckDraft } from '../src/main/core/drafting/factcheck';
import { renderDraft } from '../src/main/core/drafting/templates';
import { median, time } from './stats';

export interface DraftsResult {
  invoices: number;
  drafts: number;
  contextMedianMs: number;
  contextP95Ms: number;
  approveMs: number;
  approved: number;
}

const BATCH = 200;

export async function benchDrafts(dataDir: string, invoices: number): Promise<DraftsResult> {
  // Business hours in UTC, so the send window never holds a draft.
  const core = createCore({ dataDir, env: {}, demoInvoices: invoices, clock: { now: () => new Date(), timeZone: () => 'UTC' } });
  try {
    core.start();
    await core.call('rules.set', { phase: 'approve' });
    const board = await core.call('board.get', {});
    const customers = board.queue.rows.map((r) => r.customerId);
    const asOf = core.today();

    // Context + fact-check, per draft: the work between "Draft reminder" and the editor, minus the LLM.
    const samples: number[] = [];
    const check = (customerId: number): void => {
      const facts = loadFacts(core.db, { customerId }, asOf);
      factCheckDraft(renderDraft(facts), facts);
    };
    for (const id of customers.slice(0, 20)) check(id); // warm-up
    for (const id of customers.slice(0, BATCH)) samples.push(time(() => check(id)));
    samples.sort((a, b) => a - b);

    // 200 waiting drafts: one per customer with an email, then one per overdue invoice.
    const waiting: number[] = [];
    for (const customerId of customers) {
      if (waiting.length >= BATCH) break;
      const detail = await core.call('customers.get', { customerId });
      if (!detail.customer.email) continue;
      for (const inv of detail.openInvoices.filter((i) => i.daysOverdue > 0)) {
        if (waiting.length >= BATCH) break;
        const draft = await core.call('drafts.create', { invoiceId: inv.id });
        if (draft.flagged > 0) continue;
        waiting.push((await core.call('drafts.submit', { draftId: draft.id })).id);
      }
    }
    const t0 = performance.now();
    const result = await core.call('approvals.approve', { draftIds: waiting });
    const approveMs = performance.now() - t0;
    return {
      invoices,
      drafts: samples.length,
      contextMedianMs: median(samples),
      contextP95Ms: samples[Math.floor(samples.length * 0.95)] ?? Number.NaN,
      approveMs,
      approved: result.done,
    };
  } finally {
    await core.shutdown();
  }
}
