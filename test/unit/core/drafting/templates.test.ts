import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFactIndex, factCheckDraft } from '../../../../src/main/core/drafting/factcheck';
import {
  DEFAULT_TEMPLATES,
  PLACEHOLDERS,
  renderDraft,
  renderTemplate,
  resolveTemplates,
  toHtml,
  validateTemplate,
} from '../../../../src/main/core/drafting/templates';
import { money } from '../../../../src/main/core/drafting/locale';
import { TONES } from '../../../../src/main/core/drafting/tone';
import { factsArb, sampleFacts } from './fixtures';

describe('default templates', () => {
  it('are valid and use only known placeholders', () => {
    for (const tone of TONES) expect(validateTemplate(DEFAULT_TEMPLATES[tone])).toEqual([]);
  });

  it('render every tone with the figures in the locale', () => {
    const cases = [
      { locale: 'en-US', balance: '$1,234.50', total: '$1,500.00', due: 'Oct 22, 2026', sum: '$1,333.50', paid: '$265.50' },
      { locale: 'en-GB', balance: 'US$1,234.50', total: 'US$1,500.00', due: '22 Oct 2026', sum: 'US$1,333.50', paid: 'US$265.50' },
      { locale: 'de-DE', balance: '1.234,50 $', total: '1.500,00 $', due: '22.10.2026', sum: '1.333,50 $', paid: '265,50 $' },
      { locale: 'fr-FR', balance: '1 234,50 $US', total: '1 500,00 $US', due: '22 oct. 2026', sum: '1 333,50 $US', paid: '265,50 $US' },
      { locale: 'ja-JP', balance: '$1,234.50', total: '$1,500.00', due: '2026/10/22', sum: '$1,333.50', paid: '$265.50' },
    ];
    for (const c of cases) {
      const facts = sampleFacts({ locale: c.locale });
      for (const tone of TONES) {
        const { subject, body } = renderDraft({ ...facts, tone });
        const norm = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');
        expect(norm(body)).toContain(`• INV-1042: issued ${norm(c.locale === 'en-US' ? 'Sep 22, 2026' : c.locale === 'de-DE' ? '22.09.2026' : c.locale === 'fr-FR' ? '22 sept. 2026' : c.locale === 'ja-JP' ? '2026/09/22' : '22 Sept 2026')}, due ${c.due} (30 days overdue), balance ${c.balance} of ${c.total}`);
        expect(norm(body)).toContain(norm(c.sum));
        expect(norm(body)).toContain(`${c.paid} received for INV-1042`);
        expect(body).toContain('https://pay.example.com/i/abc123');
        expect(body).toContain('Jane Doe');
        expect(body.endsWith('Birch Studio')).toBe(true);
        expect(subject).toContain('invoices INV-1042 and INV-1043');
        const check = factCheckDraft({ subject, body }, facts);
        expect(check.flagged, JSON.stringify([...check.subject.findings, ...check.body.findings].filter((f) => f.status !== 'ok'))).toBe(0);
      }
    }
  });

  it('drop empty sections cleanly and say "amount due" when nothing was paid', () => {
    const facts = sampleFacts({ applications: [], payLink: null, invoices: [sampleFacts().invoices[1]!].map((i) => ({ ...i, memo: null })) });
    const { subject, body } = renderDraft(facts);
    expect(subject).toBe('Friendly reminder: invoice INV-1043 from Birch Studio');
    expect(body).not.toMatch(/payments received|pay online|\{\{|\n\n\n/);
    expect(body).toContain('• INV-1043: issued Oct 1, 2026, due Oct 31, 2026 (21 days overdue), amount due $99.00');
  });
});

describe('broken-promise follow-ups', () => {
  it('say the promise was missed and what arrived by its deadline, every figure a fact', () => {
    const promise = { date: '2026-11-12', cents: 500_00, currency: 'USD' };
    const partial = sampleFacts({ promises: [{ ...promise, outcome: { status: 'partially_kept', deadline: '2026-11-14', paidByDeadlineCents: 120_00, shortfallCents: 380_00 } }] });
    const none = sampleFacts({ locale: 'de-DE', promises: [{ ...promise, outcome: { status: 'broken', deadline: '2026-11-14', paidByDeadlineCents: 0, shortfallCents: 500_00 } }] });
    const a = renderDraft({ ...partial, tone: 'firm' });
    expect(a.body).toContain('• $500.00 by Nov 12, 2026: missed, only $120.00 received by Nov 14, 2026');
    expect(factCheckDraft(a, partial).flagged).toBe(0);
    const b = renderDraft({ ...none, tone: 'firm' });
    expect(b.body).toContain(`• ${money(500_00, 'USD', 'de-DE')} by 12.11.2026: missed, nothing received by 14.11.2026`);
    expect(factCheckDraft(b, none).flagged).toBe(0);
    // An open promise reads as before.
    expect(renderDraft(sampleFacts({ promises: [promise] })).body).toContain('• $500.00 by Nov 12, 2026\n');
  });
});

describe('the renderer', () => {
  it('inserts values as text, never re-reading them as a template', () => {
    const facts = sampleFacts({ customer: { id: 1, name: '{{pay.link}} {{#today}}x{{/today}}', contactName: null, email: null } });
    const out = renderTemplate({ subject: 'Hi {{customer.name}}', body: '{{customer.contact}} / {{pay.link}}' }, facts);
    expect(out.subject).toBe('Hi {{pay.link}} {{#today}}x{{/today}}');
    expect(out.body).toBe('{{pay.link}} {{#today}}x{{/today}} / https://pay.example.com/i/abc123');
  });

  it('keeps a subject on one line whatever a name contains', () => {
    const facts = sampleFacts({ customer: { id: 1, name: 'Evil\r\nBcc: x@evil.test', contactName: null, email: null } });
    expect(renderTemplate({ subject: 'To {{customer.name}}', body: 'x' }, facts).subject).toBe('To Evil Bcc: x@evil.test');
  });

  it('supports sections and inverted sections', () => {
    const t = { subject: 's', body: '{{#pay.link}}Pay: {{pay.link}}{{/pay.link}}{{^pay.link}}Reply to pay.{{/pay.link}}' };
    expect(renderTemplate(t, sampleFacts()).body).toBe('Pay: https://pay.example.com/i/abc123');
    expect(renderTemplate(t, sampleFacts({ payLink: null })).body).toBe('Reply to pay.');
  });

  it('refuses unknown placeholders and broken syntax at save time, with offsets', () => {
    expect(validateTemplate({ subject: 'Hi {{customer.nmae}}', body: 'x' })).toEqual([
      { field: 'subject', start: 3, end: 20, message: 'Unknown placeholder {{customer.nmae}}' },
    ]);
    const issue = (body: string): string => validateTemplate({ subject: 's', body })[0]?.message ?? '';
    expect(issue('{{#pay.link}} no end')).toMatch(/never closed/);
    expect(issue('{{/pay.link}}')).toMatch(/closes nothing/);
    expect(issue('{{#pay.link}}{{#today}}{{/pay.link}}{{/today}}')).toMatch(/close the inner block first/);
    expect(issue('Hello {{customer.name')).toMatch(/Unbalanced braces/);
    expect(issue('{{ }}')).toMatch(/Empty placeholder/);
    expect(issue('{{constructor}}')).toMatch(/Unknown placeholder/);
    expect(issue('{{__proto__}}')).toMatch(/Unknown placeholder/);
    expect(validateTemplate({ subject: 'a\nb', body: 'x' })[0]?.message).toMatch(/one line/);
    expect(validateTemplate({ subject: 's', body: ' ' })[0]?.message).toMatch(/empty/);
    expect(validateTemplate({ subject: 'x'.repeat(201), body: 'x' })[0]?.message).toMatch(/longer than/);
    expect(validateTemplate({ subject: 'Hi {{ customer.name }}', body: '{{#pay.link}}\n{{pay.link}}\n{{/pay.link}}' })).toEqual([]);
  });

  it('lists every placeholder it knows, each of which renders', () => {
    const facts = sampleFacts();
    for (const p of PLACEHOLDERS) {
      expect(() => renderTemplate({ subject: 's', body: `{{${p.name}}}` }, facts)).not.toThrow();
    }
    expect(() => renderTemplate({ subject: 's', body: '{{nope}}' }, facts)).toThrow(/Unknown placeholder/);
  });

  it('uses the owner’s templates over the defaults, ignoring ones that no longer validate', () => {
    const mine = { subject: 'Yo {{customer.name}}', body: 'Pay {{total.overdue}}' };
    const set = resolveTemplates({ firm: mine, friendly: { subject: '{{bad}}', body: 'x' } });
    expect(set.firm).toEqual(mine);
    expect(set.friendly).toEqual(DEFAULT_TEMPLATES.friendly);
    expect(renderDraft(sampleFacts({ tone: 'firm' }), { firm: mine })).toEqual({ subject: 'Yo Acme Foods', body: 'Pay $1,333.50' });
  });
});

describe('toHtml', () => {
  it('escapes everything and keeps paragraphs and line breaks', () => {
    expect(toHtml('Hi <b>Jane</b> & "co" \'x\'\nline 2\n\n\npara <script>alert(1)</script>')).toBe(
      '<p>Hi &lt;b&gt;Jane&lt;/b&gt; &amp; &quot;co&quot; &#39;x&#39;<br>\nline 2</p>\n<p>para &lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('never lets markup through, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const html = toHtml(s).replace(/<\/?p>|<br>/g, '');
        expect(html).not.toMatch(/[<>"']/);
      }),
    );
  });
});

describe('template output vs the fact-check (property)', () => {
  it('never flags a figure the template wrote, for any facts, locale and tone', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const ix = buildFactIndex(facts);
        for (const tone of TONES) {
          const draft = renderDraft({ ...facts, tone });
          const check = factCheckDraft(draft, ix);
          const flagged = [...check.subject.findings, ...check.body.findings].filter((f) => f.status !== 'ok');
          expect(flagged, `${facts.locale}\n${draft.subject}\n${draft.body}`).toEqual([]);
          // Every figure the template put in is recognised, not skipped.
          const amounts = check.body.findings.filter((f) => f.kind === 'amount').length;
          expect(amounts).toBeGreaterThanOrEqual(facts.invoices.length + facts.totals.length);
          expect(check.body.findings.filter((f) => f.kind === 'date').length).toBeGreaterThanOrEqual(2 * facts.invoices.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
