import { describe, expect, it } from 'vitest';
import { buildFacts, factsHash, MAX_NOTES, safePayLink, withTone } from '../../../../src/main/core/drafting/facts';
import { AS_OF, sampleFacts, sampleInput } from './fixtures';

describe('buildFacts', () => {
  it('orders invoices by due date and works out days overdue and totals per currency', () => {
    const f = sampleFacts();
    expect(f.invoices.map((i) => [i.number, i.daysOverdue])).toEqual([
      ['INV-1042', 30],
      ['INV-1043', 21],
    ]);
    expect(f.totals).toEqual([{ currency: 'USD', balanceCents: 1_333_50, overdueCents: 1_333_50, invoices: 2 }]);
    expect(f.asOf).toBe(AS_OF);
    expect(f.schema).toBe(1);
  });

  it('keeps currencies apart', () => {
    const f = sampleFacts({
      invoices: [
        { id: 1, number: 'A-1', issueDate: '2026-10-01', dueDate: '2026-10-31', currency: 'EUR', totalCents: 500, balanceCents: 500 },
        { id: 2, number: 'A-2', issueDate: '2026-10-01', dueDate: '2026-12-31', currency: 'USD', totalCents: 700, balanceCents: 700 },
        { id: 3, number: 'A-3', issueDate: '2026-10-01', dueDate: '2026-11-01', currency: 'EUR', totalCents: 900, balanceCents: 800 },
      ],
      applications: [],
    });
    expect(f.totals).toEqual([
      { currency: 'EUR', balanceCents: 1300, overdueCents: 1300, invoices: 2 },
      { currency: 'USD', balanceCents: 700, overdueCents: 0, invoices: 1 },
    ]);
  });

  it('takes payments and credits up to asOf only, on covered invoices only', () => {
    const f = sampleFacts({
      applications: [
        { invoiceId: 10, kind: 'payment', date: '2026-11-03', cents: 265_50, reference: 'CHK 5521' },
        { invoiceId: 10, kind: 'payment', date: '2026-11-25', cents: 100_00, reference: 'after asOf' },
        { invoiceId: 11, kind: 'credit', date: '2026-11-04', cents: 10_00, reference: 'CN-7' },
        { invoiceId: 99, kind: 'payment', date: '2026-11-04', cents: 5_00, reference: 'other invoice' },
      ],
    });
    expect(f.payments).toEqual([{ date: '2026-11-03', cents: 265_50, currency: 'USD', invoiceNumber: 'INV-1042', reference: 'CHK 5521' }]);
    expect(f.credits).toEqual([{ date: '2026-11-04', cents: 10_00, currency: 'USD', invoiceNumber: 'INV-1043', reference: 'CN-7' }]);
  });

  it('keeps the newest notes, clipped, as data', () => {
    const notes = Array.from({ length: 9 }, (_, i) => ({ at: `2026-11-0${i + 1}T00:00:00Z`, kind: 'note' as const, text: `note ${i} ${'x'.repeat(2000)}` }));
    const f = sampleFacts({ notes });
    expect(f.notes).toHaveLength(MAX_NOTES);
    expect(f.notes[0]!.text.startsWith('note 8')).toBe(true);
    expect(f.notes[0]!.text.length).toBeLessThanOrEqual(1000);
  });

  it('refuses malformed rows', () => {
    expect(() => buildFacts(sampleInput({ invoices: [] }))).toThrow(/at least one invoice/);
    expect(() => buildFacts(sampleInput({ asOf: '2026-13-01' }))).toThrow(/asOf/);
    const inv = sampleInput().invoices[0]!;
    expect(() => buildFacts(sampleInput({ invoices: [{ ...inv, totalCents: 12.5 }] }))).toThrow(/whole minor units/);
    expect(() => buildFacts(sampleInput({ invoices: [{ ...inv, currency: 'usd' }] }))).toThrow(/currency/);
    expect(() => buildFacts(sampleInput({ tone: 'rude' as never }))).toThrow(/tone/);
  });

  it('only keeps web pay links and falls back to en-US for an unknown locale', () => {
    expect(safePayLink('javascript:alert(1)')).toBeNull();
    expect(safePayLink('https://pay.example.com/x?a=1')).toBe('https://pay.example.com/x?a=1');
    expect(sampleFacts({ payLink: 'data:text/html,hi' }).payLink).toBeNull();
    expect(sampleFacts({ locale: 'not a locale!' }).locale).toBe('en-US');
    expect(sampleFacts({ locale: null }).locale).toBe('en-US');
    expect(sampleFacts({ locale: 'de-de' }).locale).toBe('de-DE');
  });

  it('hashes canonically: same facts same hash, any change a new one', () => {
    const a = sampleFacts();
    const b = sampleFacts({ invoices: [...sampleInput().invoices].reverse() });
    expect(factsHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(factsHash(b)).toBe(factsHash(a));
    expect(factsHash(withTone(a, 'firm'))).not.toBe(factsHash(a));
    expect(factsHash(sampleFacts({ asOf: '2026-11-22' }))).not.toBe(factsHash(a));
  });

  it('survives structuredClone and JSON (it is stored as facts_json)', () => {
    const f = sampleFacts();
    expect(structuredClone(f)).toEqual(f);
    expect(factsHash(JSON.parse(JSON.stringify(f)))).toBe(factsHash(f));
  });
});
