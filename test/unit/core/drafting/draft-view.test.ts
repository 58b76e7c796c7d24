// draft-view.ts: the bounded diff an edit is audited with, and a stored draft as the contract shows it.
import { describe, expect, it } from 'vitest';
import { buildFactIndex, factCheckDraft } from '../../../../src/main/core/drafting/factcheck';
import { diffSummary, toView } from '../../../../src/main/core/drafting/draft-view';
import type { Draft } from '../../../../src/main/core/drafting/drafts.repo';
import { renderDraft } from '../../../../src/main/core/drafting/templates';
import { sampleFacts } from './fixtures';

describe('diffSummary', () => {
  it('is null for no change and names where the text changed', () => {
    expect(diffSummary('same', 'same')).toBeNull();
    expect(diffSummary('Pay $10 today', 'Pay $12 today')).toEqual({ at: 6, removed: '0', inserted: '2' });
    expect(diffSummary('abc', 'abXc')).toEqual({ at: 2, removed: '', inserted: 'X' });
  });

  it('clips long pieces', () => {
    const out = diffSummary('', 'x'.repeat(500), 10)!;
    expect(out.inserted).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('toView', () => {
  it('shows the frozen facts, the findings per field and the toggles as booleans', () => {
    const facts = sampleFacts();
    const text = renderDraft(facts);
    const check = factCheckDraft(text, buildFactIndex(facts));
    const draft: Draft = {
      id: 1, connectionId: 'c1', customerId: facts.customer.id, scope: 'customer', invoiceId: null, channel: 'email', tone: facts.tone,
      subject: text.subject, body: text.body, source: 'template', model: null, promptVersion: null, facts, factsHash: 'h', factcheck: check,
      flagged: check.flagged, toEmail: facts.customer.email, status: 'draft', overrideReason: null, payLink: true, attachPdf: false,
      createdAt: 'a', updatedAt: 'b',
    };
    const view = toView(draft);
    expect(view).toMatchObject({ id: 1, customer: { id: facts.customer.id, name: facts.customer.name, email: facts.customer.email }, payLink: true, attachPdf: false, flagged: 0 });
    expect(view).not.toHaveProperty('notice');
    expect(view.invoices.map((i) => i.number)).toEqual(facts.invoices.map((i) => i.number));
    expect(view.findings.length).toBe(check.subject.findings.length + check.body.findings.length);
    expect(view.findings.every((f) => f.status === 'ok')).toBe(true);
    expect(toView(draft, null).notice).toBeNull();
  });
});
