// A seeded, realistic-looking open ledger (a few heavy customers, many small ones, mostly one
// currency, a spread of due dates) for size and timing checks. Not a test file itself.
import { addDays } from '../../../../src/shared/dates';
import type { CustomerFacts, OpenInvoice } from '../../../../src/main/core/ledger/types';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleLedger {
  asOf: string;
  open: OpenInvoice[];
  facts: Map<number, CustomerFacts>;
  salesByCurrency: Map<string, number>;
}

const NAMES = ['Acme', 'Birch', 'Cobalt', 'Delta', 'Élan', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper'];
const KINDS = ['Supply', 'Studio', 'Foods', 'Logistics', 'Dental', 'Builders', 'Café', 'Labs'];

export function sampleLedger(invoices: number, seed = 42, asOf = '2025-06-30'): SampleLedger {
  const r = rng(seed);
  const customers = Math.max(1, Math.round(invoices / 20));
  const facts = new Map<number, CustomerFacts>();
  const currencyOf: string[] = [];
  for (let id = 1; id <= customers; id++) {
    const x = r();
    const currency = x < 0.85 ? 'USD' : x < 0.95 ? 'EUR' : 'GBP';
    currencyOf[id] = currency;
    const hasHistory = r() < 0.8;
    const contact = r();
    facts.set(id, {
      id,
      name: `${NAMES[Math.floor(r() * NAMES.length)]} ${KINDS[Math.floor(r() * KINDS.length)]} ${id}`,
      email: `billing${id}@example.com`,
      termsDays: 30,
      avgDaysToPay: hasHistory ? 20 + r() * 60 : null,
      avgDaysLate: hasHistory ? -5 + r() * 50 : null,
      paidInvoices: hasHistory ? 1 + Math.floor(r() * 40) : 0,
      typicalInvoiceCents: { [currency]: 10_000 + Math.floor(r() * 500_000) },
      lastContactAt: contact < 0.4 ? null : `${addDays(asOf, -Math.floor(r() * 120))}T10:00:00Z`,
      brokenPromises: 0,
      openDisputes: 0,
      override: null,
    });
  }
  const open: OpenInvoice[] = [];
  for (let i = 1; i <= invoices; i++) {
    // Skewed: low ids are the big accounts with many invoices.
    const customerId = 1 + Math.floor(customers * r() ** 2);
    const currency = currencyOf[customerId]!;
    const issue = addDays(asOf, -Math.floor(r() * 200));
    const total = 1_000 + Math.floor(r() * 800_000);
    open.push({
      id: i,
      customerId,
      number: `INV-${1000 + i}`,
      issueDate: issue,
      dueDate: addDays(issue, 30),
      currency,
      totalCents: total,
      balanceCents: r() < 0.2 ? Math.floor(total * r()) : total,
    });
  }
  const salesByCurrency = new Map([
    ['USD', 5_000_000_000],
    ['EUR', 600_000_000],
    ['GBP', 0],
  ]);
  return { asOf, open, facts, salesByCurrency };
}
