import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../src/shared/dates';
import { buildFactIndex, factCheck, factCheckDraft, parseAmount, type Finding } from '../../../../src/main/core/drafting/factcheck';
import type { DraftFacts } from '../../../../src/main/core/drafting/facts';
import { day, money } from '../../../../src/main/core/drafting/locale';
import { renderDraft } from '../../../../src/main/core/drafting/templates';
import { factsArb, sampleFacts } from './fixtures';

/** The one finding whose text is exactly `text` (fails the test when there is not exactly one). */
function only(findings: Finding[], text: string): Finding {
  const hits = findings.filter((f) => f.text === text);
  expect(hits, `finding for ${JSON.stringify(text)} in ${JSON.stringify(findings)}`).toHaveLength(1);
  return hits[0]!;
}

function statusOf(text: string, facts: DraftFacts, figure = text): Finding['status'] {
  return only(factCheck(text, facts).findings, figure).status;
}

/** Facts in one currency and locale: total 1,500.00, balance 1,234.50, paid 265.50 on 2026-11-03. */
function oneInvoice(currency: string, locale: string, total = 1_500_00, balance = 1_234_50): DraftFacts {
  return sampleFacts({
    locale,
    invoices: [{ id: 10, number: 'INV-1042', issueDate: '2026-09-22', dueDate: '2026-10-22', currency, totalCents: total, balanceCents: balance }],
    applications: [{ invoiceId: 10, kind: 'payment', date: '2026-11-03', cents: total - balance, reference: null }],
  });
}

describe('amounts', () => {
  const usd = oneInvoice('USD', 'en-US');

  it.each([
    '$1,234.50', '$1234.50', '$ 1,234.50', 'US$1,234.50', 'USD 1234.5', 'USD 1,234.50', '1234.50 USD', '1,234.50 USD',
    '1.234,50 USD', 'USD 1.234,50', '1,234.50 dollars', '$1,500', '$1,500.00', '$265.50', '265.50 USD', '-$265.50',
  ])('accepts %s for a USD fact', (text) => {
    expect(statusOf(`Balance: ${text} today.`, usd, text)).toBe('ok');
  });

  it.each([
    ['$1,243.50', '$1,234.50'], ['$1,234.05', '$1,234.50'], ['$12,345.00', '$1,500.00'], ['USD 1234.51', '$1,234.50'],
    ['$0', '$265.50'], ['$0.00', '$265.50'], ['1234.60 USD', '$1,234.50'], ['$1,234.5O', undefined],
  ])('flags the planted %s (expected %s)', (text, expected) => {
    const f = factCheck(`Please pay ${text} now.`, usd).findings.filter((x) => x.kind === 'amount');
    expect(f.some((x) => x.status === 'mismatch')).toBe(true);
    if (expected) expect(f[0]!.expected).toBe(expected);
  });

  it.each(['€1,234.50', '1.234,50 €', '£1,234.50', '¥1,500', 'CHF 1’234.50', '1234.50 EUR', 'CA$1,234.50'])(
    'flags %s as the wrong currency for USD facts',
    (text) => {
      const f = only(factCheck(`Due: ${text}.`, usd).findings, text);
      expect(f.status).toBe('mismatch');
      expect(f.note).toMatch(/Wrong currency/);
    },
  );

  it('reads a dash that opens a line as a list bullet, not a minus sign', () => {
    const ok = factCheck('Open:\n- $1,234.50 for INV-1042\n  - 1,234.50 USD again', usd).findings.filter((x) => x.kind === 'amount');
    expect(ok.map((x) => [x.text, x.status])).toEqual([['$1,234.50', 'ok'], ['1,234.50 USD', 'ok']]);
    const planted = factCheck('Open:\n- $1,243.50 for INV-1042', usd).findings.filter((x) => x.kind === 'amount');
    expect(planted.map((x) => [x.text, x.status])).toEqual([['$1,243.50', 'mismatch']]);
    // Inside a sentence the dash is still a minus sign.
    expect(factCheck('Credit: -$265.50 today.', usd).findings.filter((x) => x.kind === 'amount').map((x) => x.text)).toEqual(['-$265.50']);
  });

  it('says what the wrong-currency figure should have been', () => {
    expect(only(factCheck('Due: €1,234.50.', usd).findings, '€1,234.50').expected).toBe('$1,234.50');
  });

  it.each([
    ['EUR', 'de-DE', ['1.234,50 €', '€1.234,50', '€1,234.50', 'EUR 1234,5', '1234,50 EUR', '1 234,50 €', '1234,50 €', '1.234,50 Euro']],
    ['EUR', 'fr-FR', ['1 234,50 €', '1\u202f234,50\u00a0€', '€1.234,50']],
    ['EUR', 'nl-NL', ['€ 1.234,50', '€1.234,50']],
    ['GBP', 'en-GB', ['£1,234.50', 'GBP 1,234.50', '1,234.50 pounds']],
    ['CHF', 'de-CH', ['CHF 1\'234.50', 'CHF 1’234.50', 'Fr. 1\'234.50', '1\'234.50 CHF']],
    ['CAD', 'fr-CA', ['1 234,50 $', '1\u00a0234,50\u00a0$', 'CA$1,234.50', '$1,234.50']],
    ['SEK', 'sv-SE', ['1 234,50 kr', '1\u00a0234,50\u00a0kr', 'SEK 1 234,50']],
    ['BRL', 'pt-BR', ['R$ 1.234,50', 'R$1.234,50']],
    ['INR', 'en-IN', ['₹1,234.50', 'INR 1,234.50']],
  ] as const)('reads %s amounts written for %s', (currency, locale, texts) => {
    const facts = oneInvoice(currency, locale);
    for (const t of texts) expect(statusOf(`Offen: ${t}.`, facts, t), t).toBe('ok');
    const wrong = money(1_243_50, currency, locale);
    expect(statusOf(`Offen: ${wrong}.`, facts, wrong)).toBe('mismatch');
  });

  it('reads yen without decimals and Indian lakh grouping', () => {
    const jpy = oneInvoice('JPY', 'ja-JP', 150_000, 1_500);
    for (const t of ['¥1,500', '￥1,500', '1,500円', 'JPY 1500', '¥150,000', '1.500 ¥']) expect(statusOf(`残高 ${t}`, jpy, t), t).toBe('ok');
    expect(statusOf('請求額は1,500円です', jpy, '1,500円')).toBe('ok');
    expect(statusOf('¥1,600', jpy)).toBe('mismatch');
    expect(statusOf('¥1,500.50', jpy)).toBe('mismatch');
    const inr = oneInvoice('INR', 'en-IN', 12_345_678_90, 1_234_567_50);
    expect(statusOf('₹12,34,567.50', inr)).toBe('ok');
    expect(statusOf('₹12,34,576.50', inr)).toBe('mismatch');
  });

  it('reads a 3-decimal currency with the locale', () => {
    const bhd = oneInvoice('BHD', 'en-US', 1_500_000, 1_234_500);
    expect(statusOf('BHD 1,234.500', bhd)).toBe('ok');
    expect(statusOf('BHD 1,234.5', bhd)).toBe('ok');
    expect(statusOf('BHD 1,234.560', bhd)).toBe('mismatch');
    expect(parseAmount('1,234', 3, '.')).toEqual({ int: '1234', frac: '' });
    expect(parseAmount('1,234', 3, ',')).toEqual({ int: '1', frac: '234' });
    expect(parseAmount('1,234', 2, ',')).toEqual({ int: '1234', frac: '' });
    expect(parseAmount('1.234.567,8', 2, '.')).toEqual({ int: '1234567', frac: '8' });
    expect(parseAmount('1,234.567.8', 2, '.')).toBeNull();
  });

  it('matches sums and amounts paid, and bare money figures against every currency', () => {
    const f = sampleFacts();
    expect(statusOf('$1,333.50', f)).toBe('ok'); // sum of balances
    expect(statusOf('$1,599.00', f)).toBe('ok'); // sum of totals
    expect(statusOf('The balance is 1,234.50.', f, '1,234.50')).toBe('ok');
    expect(statusOf('The balance is 1,243.50.', f, '1,243.50')).toBe('mismatch');
    expect(factCheck('We have 12 invoices and 2026 plans.', f).findings).toEqual([]);
  });

  it('keeps currencies apart: a figure in one currency does not match another’s', () => {
    const f = sampleFacts({
      invoices: [
        { id: 1, number: 'A-1', issueDate: '2026-10-01', dueDate: '2026-10-31', currency: 'EUR', totalCents: 500_00, balanceCents: 500_00 },
        { id: 2, number: 'A-2', issueDate: '2026-10-01', dueDate: '2026-10-31', currency: 'USD', totalCents: 700_00, balanceCents: 700_00 },
      ],
      applications: [],
    });
    expect(statusOf('€500.00', f)).toBe('ok');
    expect(statusOf('$700.00', f)).toBe('ok');
    expect(statusOf('€700.00', f)).toBe('mismatch');
    expect(statusOf('$1,200.00', f)).toBe('mismatch');
  });
});

describe('dates', () => {
  const f = sampleFacts(); // facts: 2026-09-22, 10-01, 10-22, 10-31, 11-03, asOf 11-21

  it.each([
    '22 Oct 2026', 'Oct 22, 2026', 'October 22nd, 2026', '22nd October 2026', 'the 22nd of October 2026', 'Oct. 22, 2026',
    '2026-10-22', '10/22/2026', '22/10/2026', 'Thursday, October 22, 2026', 'October 22', '22 October', '3 Nov 2026', '2026/10/22',
  ])('accepts %s (en-US)', (text) => {
    const fs = factCheck(`Due ${text}.`, f).findings.filter((x) => x.kind === 'date');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.status).toBe('ok');
  });

  it.each([
    ['23 Oct 2026', 'Oct 22, 2026'], ['Oct 23, 2026', 'Oct 22, 2026'], ['October 23rd, 2026', 'Oct 22, 2026'], ['2026-10-23', 'Oct 22, 2026'],
    ['10/23/2026', 'Oct 22, 2026'], ['23/10/2026', 'Oct 22, 2026'], ['22 Oct 2025', 'Sep 22, 2026'], ['December 1', 'Nov 21, 2026'],
  ])('flags the planted %s', (text, expected) => {
    const d = factCheck(`Due ${text}.`, f).findings.find((x) => x.kind === 'date')!;
    expect(d.status).toBe('mismatch');
    expect(d.expected).toBe(expected);
  });

  it('flags a date that does not exist', () => {
    expect(statusOf('Due 02/30/2026.', f, '02/30/2026')).toBe('mismatch');
    expect(factCheck('Due 02/30/2026.', f).findings[0]!.note).toBe('Not a real date');
  });

  it('reads day/month with the locale and flags the ambiguous ones', () => {
    // 11/03/2026: en-US reads 3 Nov (a fact); en-GB readers would read 11 March.
    expect(statusOf('Paid 11/03/2026.', f, '11/03/2026')).toBe('ok');
    const gb = sampleFacts({ locale: 'en-GB' });
    expect(statusOf('Paid 03/11/2026.', gb, '03/11/2026')).toBe('ok');
    const swapped = only(factCheck('Paid 11/03/2026.', gb).findings, '11/03/2026');
    expect(swapped.status).toBe('ambiguous');
    expect(swapped.expected).toBe('3 Nov 2026');
    // Neither reading is a fact: ambiguous, not silently one or the other.
    expect(statusOf('Paid 04/05/2026.', f, '04/05/2026')).toBe('ambiguous');
    // Only one reading is a real date: no ambiguity.
    expect(statusOf('Due 22/10/2026.', f, '22/10/2026')).toBe('ok');
    // A locale without a day/month order (YMD): either reading that is a fact will do.
    expect(statusOf('Paid 03/11/2026.', sampleFacts({ locale: 'ja-JP' }), '03/11/2026')).toBe('ok');
  });

  it.each([
    ['de-DE', ['22.10.2026', '22. Oktober 2026', '22. Okt. 2026', '22.10.26', '22.10.'], ['23.10.2026', '22. November 2026']],
    ['fr-FR', ['22 oct. 2026', '22 octobre 2026', '22/10/2026'], ['23 oct. 2026']],
    ['es-ES', ['22 oct 2026', '22 de octubre de 2026'], ['22 de noviembre de 2026']],
    ['pt-BR', ['22 de out. de 2026', '22/10/2026'], ['23 de out. de 2026']],
    ['pl-PL', ['22 paź 2026', '22 października 2026', '22.10.2026'], ['22 lis 2026']],
    ['cs-CZ', ['22. 10. 2026', '22. října 2026'], ['23. 10. 2026']],
    ['ja-JP', ['2026/10/22', '2026年10月22日'], ['2026年10月23日']],
    ['ko-KR', ['2026. 10. 22.'], ['2026. 10. 23.']],
    ['nl-NL', ['22 okt 2026', '22-10-2026'], ['22 nov 2026']],
  ] as const)('reads %s dates', (locale, good, bad) => {
    const facts = sampleFacts({ locale });
    for (const t of good) expect(statusOf(`~ ${t} ~`, facts, t), `${locale} ${t}`).toBe('ok');
    for (const t of bad) expect(statusOf(`~ ${t} ~`, facts, t), `${locale} ${t}`).toBe('mismatch');
  });
});

describe('invoice numbers, days, percentages, addresses and links', () => {
  const f = sampleFacts(); // INV-1042 (30 days overdue), INV-1043 (21 days)

  it('accepts the facts’ numbers however they are written', () => {
    for (const t of ['INV-1042', 'inv-1042', '#1042', 'invoice 1043', 'Invoice no. 1042', 'invoice #1043']) {
      const inv = factCheck(`About ${t}, please.`, f).findings.filter((x) => x.kind === 'invoice');
      expect(inv.length, t).toBeGreaterThan(0);
      expect(inv.every((x) => x.status === 'ok'), t).toBe(true);
    }
  });

  it('flags numbers that look like invoices but are not covered', () => {
    for (const [text, figure] of [
      ['About INV-1044.', 'INV-1044'],
      ['About #1044.', '#1044'],
      ['About invoice 9999.', '9999'],
      ['About INV-10420.', 'INV-10420'],
      ['About SO-55512.', 'SO-55512'],
    ] as const) {
      const inv = only(factCheck(text, f).findings, figure);
      expect(inv.status, text).toBe('unknown');
      expect(inv.expected).toBe('INV-1042, INV-1043');
    }
  });

  it('accepts a bare DocNumber and checks "N days overdue"', () => {
    const bare = sampleFacts({ invoices: [{ id: 1, number: '1042', issueDate: '2026-10-01', dueDate: '2026-10-31', currency: 'USD', totalCents: 500, balanceCents: 500 }], applications: [] });
    expect(statusOf('Invoice 1042 is due.', bare, '1042')).toBe('ok');
    expect(statusOf('It is 21 days overdue.', bare, '21 days overdue')).toBe('ok');
    const wrong = only(factCheck('It is 45 days past due.', bare).findings, '45 days past due');
    expect(wrong).toMatchObject({ status: 'mismatch', expected: '21 days' });
    expect(statusOf('overdue by 30 days', f)).toBe('ok');
  });

  it('flags percentages, foreign addresses and foreign links; accepts the facts’ own', () => {
    expect(statusOf('a 5% late fee', f, '5%')).toBe('unknown');
    expect(statusOf('1.5 percent interest', f, '1.5 percent')).toBe('unknown');
    expect(statusOf('write to attacker@evil.test', f, 'attacker@evil.test')).toBe('unknown');
    expect(statusOf('write to Jane@Acme.test', f, 'Jane@Acme.test')).toBe('ok');
    expect(statusOf('write to billing@birch.test', f, 'billing@birch.test')).toBe('ok');
    expect(statusOf('pay at https://evil.test/pay.', f, 'https://evil.test/pay')).toBe('unknown');
    expect(statusOf('pay at www.evil.test', f, 'www.evil.test')).toBe('unknown');
    expect(statusOf('pay at https://pay.example.com/i/abc123.', f, 'https://pay.example.com/i/abc123')).toBe('ok');
  });
});

describe('spans', () => {
  it('give offsets the editor can underline, for the subject and the body separately', () => {
    const f = sampleFacts();
    const draft = { subject: 'INV-1042: $9.99', body: 'Hi Jane,\nyou owe €1,234.50 since Oct 23, 2026 on INV-7 and #1043.' };
    const check = factCheckDraft(draft, f);
    for (const [text, r] of [[draft.subject, check.subject], [draft.body, check.body]] as const) {
      for (const x of r.findings) expect(text.slice(x.start, x.end)).toBe(x.text);
    }
    expect(check.subject.findings.map((x) => [x.kind, x.status])).toEqual([['invoice', 'ok'], ['amount', 'mismatch']]);
    expect(check.body.findings.map((x) => [x.kind, x.text, x.status])).toEqual([
      ['amount', '€1,234.50', 'mismatch'],
      ['date', 'Oct 23, 2026', 'mismatch'],
      ['invoice', 'INV-7', 'unknown'],
      ['invoice', '#1043', 'ok'],
    ]);
    expect(check.flagged).toBe(4);
    expect(check.clean).toBe(false);
  });

  it('treat the customer’s and company’s names as facts, not figures', () => {
    const f = sampleFacts({ customer: { id: 1, name: 'Fast $5.00 Movers', contactName: null, email: null }, company: { name: 'Studio 21/12/2026' } });
    expect(factCheck('Dear Fast $5.00 Movers, from Studio 21/12/2026', f).findings).toEqual([]);
    expect(statusOf('Dear Fast Movers, pay $5.00', f, '$5.00')).toBe('mismatch');
  });
});

describe('planted figures (property)', () => {
  /** A draft sentence with one figure the facts do not have, in the facts' own locale format. */
  const planted = factsArb.chain((facts) => {
    const ix = buildFactIndex(facts);
    const currencies = facts.totals.map((t) => t.currency);
    return fc.oneof(
      fc.tuple(fc.constantFrom(...currencies), fc.integer({ min: 1, max: 9_999_999_999 }))
        .filter(([c, cents]) => !ix.amounts.get(c)?.cents.includes(cents))
        .map(([c, cents]) => ({ facts, kind: 'amount' as const, text: money(cents, c, facts.locale) })),
      fc.integer({ min: -400, max: 400 })
        .map((d) => addDays(facts.invoices[0]!.dueDate, d))
        .filter((d) => !ix.dates.has(d))
        .map((d) => ({ facts, kind: 'date' as const, text: day(d, facts.locale) })),
      fc.integer({ min: 100_000, max: 999_999 }).map((n) => ({ facts, kind: 'invoice' as const, text: `XQ-${n}` })),
    );
  });

  it('flags a figure planted anywhere in a template draft, in every locale', () => {
    fc.assert(
      fc.property(planted, fc.nat(), ({ facts, kind, text }, where) => {
        const { body } = renderDraft(facts);
        const lines = body.split('\n');
        const at = where % lines.length;
        lines.splice(at, 0, `Please note: ${text} (see above).`);
        const start = lines.slice(0, at).reduce((n, l) => n + l.length + 1, 0) + 'Please note: '.length;
        const check = factCheck(lines.join('\n'), facts);
        const hit = check.findings.find((x) => x.start < start + text.length && x.end > start);
        expect(hit, `${facts.locale} ${kind} ${text}`).toBeDefined();
        expect(hit!.status, `${facts.locale} ${kind} ${text}`).not.toBe('ok');
        expect(check.flagged).toBe(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('cost', () => {
  // Not a benchmark (DESIGN §10 keeps timings in `npm run bench`): a guard against a regular
  // expression going quadratic or worse on hostile text, with wide headroom.
  it('stays linear on long hostile inputs', () => {
    const ix = buildFactIndex(sampleFacts());
    const inputs = ['9'.repeat(20_000), '1.1.'.repeat(5_000), 'AB-1'.repeat(5_000), 'a@a.'.repeat(5_000), '1 '.repeat(10_000), 'invoice '.repeat(2_500), '12 Nov '.repeat(3_000), '$1,'.repeat(6_000), '#'.repeat(20_000)];
    for (const text of inputs) {
      const t0 = performance.now();
      factCheck(text, ix);
      expect(performance.now() - t0, text.slice(0, 8)).toBeLessThan(400);
    }
  });

  it('checks a 20,000-character draft with a thousand figures (timing logged)', () => {
    const invoices = Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      number: `INV-${2000 + i}`,
      issueDate: '2026-01-01',
      dueDate: `2026-0${1 + (i % 9)}-1${i % 10}`,
      currency: i % 7 === 0 ? 'EUR' : 'USD',
      totalCents: 100_000 + i * 1234,
      balanceCents: 50_000 + i * 999,
    }));
    const facts = sampleFacts({
      invoices,
      applications: invoices.map((i) => ({ invoiceId: i.id, kind: 'payment' as const, date: '2026-10-01', cents: i.totalCents - i.balanceCents, reference: null })),
    });
    const draft = renderDraft(facts);
    let body = draft.body;
    while (body.length < 20_000) body += `\n${draft.body}`;
    body = body.slice(0, 20_000).replace(/\S*$/, '');
    const times: number[] = [];
    let findings = 0;
    for (let k = 0; k < 15; k++) {
      const t0 = performance.now();
      const check = factCheckDraft({ subject: draft.subject, body }, buildFactIndex(facts));
      times.push(performance.now() - t0);
      findings = check.body.findings.length;
      expect(check.flagged).toBe(0);
    }
    times.sort((a, b) => a - b);
    console.warn(`fact-check incl. index, ${body.length} chars, ${findings} figures: slowest ${times.at(-1)!.toFixed(1)} ms, median ${times[7]!.toFixed(1)} ms`);
    expect(findings).toBeGreaterThan(1000);
  });
});
