// Aging through the real pipeline: a small ledger written by hand with the ingest upsert into a
// 'qbo' company, made active through settings.set, then board.get and the CLI's agingReport must
// give the cents worked out by hand below, bucket by bucket, currency by currency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../../src/main/core/connectors/connections.repo';
import { upsertBatch } from '../../../src/main/core/ledger/ledger.repo';
import { agingReport } from '../../../src/main/core/ledger/reports';
import type { CustomerRecord, InvoiceRecord, LedgerBatch } from '../../../src/main/core/ledger/types';
import type { Bucket, BoardView } from '../../../src/shared/model';
import { tempDir } from '../../support/tmp';
import { allRows, count, NOW, openCore, TODAY, type Opened } from '../core/helpers';

const PAST = '2026-10-31'; // 21 days before TODAY (2026-11-21)

/** TODAY minus n days, as YYYY-MM-DD. */
const ago = (n: number): string => new Date(Date.UTC(2026, 10, 21 - n)).toISOString().slice(0, 10);

const customer = (externalId: string, currency: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({
  externalId,
  name: `Customer ${externalId}`,
  currency,
  updatedAt: NOW,
  ...extra,
});

/** An invoice due `daysAgo` days before TODAY, issued 30 days before it fell due. */
const invoice = (
  externalId: string,
  customerExternalId: string,
  daysAgo: number,
  totalCents: number,
  extra: Partial<InvoiceRecord> = {},
): InvoiceRecord => ({
  externalId,
  customerExternalId,
  number: externalId.toUpperCase(),
  issueDate: ago(daysAgo + 30),
  dueDate: ago(daysAgo),
  currency: 'USD',
  totalCents,
  balanceCents: totalCents,
  status: 'open',
  updatedAt: NOW,
  ...extra,
});

const LEDGER: LedgerBatch = {
  customers: [
    customer('acme', 'USD'),
    customer('gamma', 'USD'),
    // Stored decomposed (NFD), as some ledgers hand names over; searched below in composed form.
    customer('beta', 'EUR', { name: 'Be\u0302ta O\u0308lwerke' }),
    customer('gone', 'USD', { deletedAt: NOW }),
  ],
  invoices: [
    // The bucket edges: due exactly 0, 1, 30, 31, 60, 61, 90 and 91 days ago.
    invoice('d0', 'acme', 0, 100_000),
    invoice('d1', 'acme', 1, 200_000),
    invoice('d30', 'acme', 30, 300_000),
    invoice('d31', 'acme', 31, 400_000),
    invoice('d60', 'acme', 60, 500_000),
    invoice('d61', 'acme', 61, 600_000),
    invoice('d90', 'acme', 90, 700_000),
    invoice('d91', 'acme', 91, 800_000),
    // 45 days: 10,000.00 less a 3,500.00 payment on 2026-11-01.
    invoice('partial', 'acme', 45, 1_000_000, { balanceCents: 650_000 }),
    // 10 days: 2,500.00 less a 1,000.00 credit note applied on 2026-11-10.
    invoice('credited', 'gamma', 10, 250_000, { balanceCents: 150_000 }),
    // Due 50 days ago, paid in full on 2026-11-05.
    invoice('paid', 'gamma', 50, 123_400, { balanceCents: 0, status: 'paid' }),
    // Never receivable: void (even with a balance left on it), deleted, draft, not issued yet.
    invoice('voided', 'gamma', 20, 999_999, { status: 'void' }),
    invoice('deleted', 'gamma', 100, 777_777, { deletedAt: NOW }),
    invoice('draft', 'gamma', 5, 300_000, { status: 'draft' }),
    invoice('future', 'gamma', -30, 500_000, { issueDate: '2026-11-25', dueDate: '2026-12-25' }),
    // A deleted customer's invoice is not receivable either.
    invoice('orphan', 'gone', 40, 555_555),
    // EUR, never added to USD: not yet due (15 days to go), 5 days late, and 200 days late part paid.
    invoice('e-soon', 'beta', -15, 110_000, { currency: 'EUR' }),
    invoice('e-late', 'beta', 5, 220_000, { currency: 'EUR' }),
    invoice('e-old', 'beta', 200, 330_000, { currency: 'EUR', balanceCents: 300_000 }),
  ],
  payments: [
    {
      externalId: 'p-partial',
      customerExternalId: 'acme',
      date: '2026-11-01',
      currency: 'USD',
      amountCents: 350_000,
      applications: [{ invoiceExternalId: 'partial', amountCents: 350_000, appliedOn: '2026-11-01' }],
      updatedAt: NOW,
    },
    {
      externalId: 'p-paid',
      customerExternalId: 'gamma',
      date: '2026-11-05',
      currency: 'USD',
      amountCents: 123_400,
      applications: [{ invoiceExternalId: 'paid', amountCents: 123_400, appliedOn: '2026-11-05' }],
      updatedAt: NOW,
    },
    {
      externalId: 'p-eur',
      customerExternalId: 'beta',
      date: '2026-06-01',
      currency: 'EUR',
      amountCents: 30_000,
      applications: [{ invoiceExternalId: 'e-old', amountCents: 30_000, appliedOn: '2026-06-01' }],
      updatedAt: NOW,
    },
  ],
  creditNotes: [
    {
      externalId: 'cn-1',
      customerExternalId: 'gamma',
      number: 'CN-1',
      date: '2026-11-10',
      currency: 'USD',
      totalCents: 100_000,
      status: 'applied',
      applications: [{ invoiceExternalId: 'credited', amountCents: 100_000, appliedOn: '2026-11-10' }],
      updatedAt: NOW,
    },
  ],
};

type Amounts = Record<Bucket | 'total', number>;

// Worked out by hand. Today, 2026-11-21:
//   USD current  d0 1,000.00
//       1–30     d1 2,000.00 + d30 3,000.00 + credited 1,500.00           = 6,500.00
//       31–60    d31 4,000.00 + d60 5,000.00 + partial (45 d) 6,500.00    = 15,500.00
//       61–90    d61 6,000.00 + d90 7,000.00                              = 13,000.00
//       90+      d91 8,000.00
//   EUR current  e-soon 1,100.00; 1–30 e-late 2,200.00; 90+ e-old 3,000.00
const TODAY_AGING: Record<string, Amounts> = {
  EUR: { current: 110_000, d1_30: 220_000, d31_60: 0, d61_90: 0, d90_plus: 300_000, total: 630_000 },
  USD: { current: 100_000, d1_30: 650_000, d31_60: 1_550_000, d61_90: 1_300_000, d90_plus: 800_000, total: 4_400_000 },
};
const TODAY_COUNTS: Record<string, Record<Bucket, number>> = {
  EUR: { current: 1, d1_30: 1, d31_60: 0, d61_90: 0, d90_plus: 1 },
  USD: { current: 1, d1_30: 3, d31_60: 3, d61_90: 2, d90_plus: 1 },
};
// On 2026-10-31 (everything 21 days younger; later payments and credits added back):
//   USD current  d0 (−21) 1,000 + d1 (−20) 2,000 + credited (−11, credit not yet) 2,500 = 5,500.00
//       1–30     d30 (9) 3,000 + d31 (10) 4,000 + partial (24, unpaid) 10,000 + paid (29, unpaid) 1,234 = 18,234.00
//       31–60    d60 (39) 5,000 + d61 (40) 6,000                              = 11,000.00
//       61–90    d90 (69) 7,000 + d91 (70) 8,000                              = 15,000.00
//   EUR e-soon not issued yet (issued 2026-11-06); e-late (−16) current 2,200; e-old (179) 90+ 3,000
const PAST_AGING: Record<string, Amounts> = {
  EUR: { current: 220_000, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 300_000, total: 520_000 },
  USD: { current: 550_000, d1_30: 1_823_400, d31_60: 1_100_000, d61_90: 1_500_000, d90_plus: 0, total: 4_973_400 },
};

function bucketsOf(board: BoardView, currency: string): Amounts {
  const c = board.summary.currencies.find((x) => x.currency === currency)!;
  const out = Object.fromEntries(c.buckets.map((b) => [b.bucket, b.cents])) as Amounts;
  out.total = c.outstandingCents;
  return out;
}

describe('aging across the real pipeline', () => {
  const dir = tempDir();
  let core: Opened['core'];
  let call: Opened['call'];
  let ids: Map<string, number>;

  beforeAll(async () => {
    // The demo company is there too: nothing of it may leak into the hand-built company's figures.
    ({ core, call } = openCore(dir.path));
    createConnection(core.db, { id: 'qbo', provider: 'qbo', name: 'Hand Books Ltd', homeCurrency: 'USD' }, NOW);
    upsertBatch(core.db, 'qbo', LEDGER, { nowIso: NOW });
    await call('settings.set', { activeConnectionId: 'qbo' });
    ids = new Map(
      core.db.prepare("SELECT external_id, id FROM invoices WHERE connection_id = 'qbo'").raw().all() as [string, number][],
    );
  });
  afterAll(() => {
    core.close();
    dir.cleanup();
  });

  it('the board shows the hand-built company once it is made active', async () => {
    const board = await call('board.get');
    expect(board.connection).toMatchObject({ id: 'qbo', provider: 'qbo', isDemo: false });
    expect(board.currencies).toEqual(['USD', 'EUR']);
  });

  it('board.get buckets every open balance exactly, per currency', async () => {
    const board = await call('board.get');
    for (const currency of ['USD', 'EUR']) {
      expect(bucketsOf(board, currency), currency).toEqual(TODAY_AGING[currency]);
      const c = board.summary.currencies.find((x) => x.currency === currency)!;
      expect(Object.fromEntries(c.buckets.map((b) => [b.bucket, b.count]))).toEqual(TODAY_COUNTS[currency]);
      expect(c.overdueCents).toBe(TODAY_AGING[currency]!.total - TODAY_AGING[currency]!.current);
    }
    const usd = board.summary.currencies.find((x) => x.currency === 'USD')!;
    expect(usd).toMatchObject({ openInvoices: 10, overdueInvoices: 9, customersOverdue: 2 });
    expect(board.summary.currencies.find((x) => x.currency === 'EUR')).toMatchObject({ openInvoices: 3, overdueInvoices: 2, customersOverdue: 1 });
  });

  it("the CLI's agingReport gives the same cents", () => {
    expect(agingReport(core.db, 'qbo', TODAY)).toEqual({ asOf: TODAY, currencies: TODAY_AGING });
  });

  it('replays an earlier date with later payments and credits added back', async () => {
    expect(agingReport(core.db, 'qbo', PAST)).toEqual({ asOf: PAST, currencies: PAST_AGING });
    const board = await call('board.get', { asOf: PAST });
    for (const currency of ['USD', 'EUR']) expect(bucketsOf(board, currency), currency).toEqual(PAST_AGING[currency]);
  });

  it('queues only receivable invoices, with partial payments and credits netted', async () => {
    const invoices = (await allRows(call, { scope: 'open' })).flatMap((r) => r.invoices);
    const shown = new Map(invoices.map((i) => [i.number, i]));
    expect([...shown.keys()].sort()).toEqual(
      ['D0', 'D1', 'D30', 'D31', 'D60', 'D61', 'D90', 'D91', 'PARTIAL', 'CREDITED', 'E-SOON', 'E-LATE', 'E-OLD'].sort(),
    );
    expect(shown.get('PARTIAL')).toMatchObject({ balanceCents: 650_000, totalCents: 1_000_000, daysOverdue: 45, bucket: 'd31_60' });
    expect(shown.get('CREDITED')).toMatchObject({ balanceCents: 150_000, daysOverdue: 10, bucket: 'd1_30' });
    expect(shown.get('D0')).toMatchObject({ daysOverdue: 0, bucket: 'current' });
    expect(shown.get('D91')).toMatchObject({ daysOverdue: 91, bucket: 'd90_plus' });
    expect(count(core.db, "SELECT COUNT(*) FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.connection_id = 'qbo'")).toBe(13);
    // The overdue-only default leaves out the two not yet due.
    const overdue = (await allRows(call)).flatMap((r) => r.invoices).map((i) => i.number);
    expect(overdue).toHaveLength(11);
    expect(overdue).not.toContain('D0');
    expect(overdue).not.toContain('E-SOON');
  });

  it('shows void and paid invoices without a bucket, and hides deleted ones', async () => {
    expect(await call('invoices.get', { invoiceId: ids.get('voided')! })).toMatchObject({ status: 'void', bucket: null, score: null });
    expect(await call('invoices.get', { invoiceId: ids.get('paid')! })).toMatchObject({ status: 'paid', balanceCents: 0, bucket: null });
    await expect(call('invoices.get', { invoiceId: ids.get('deleted')! })).rejects.toMatchObject({ code: 'not_found' });
    const found = await allRows(call, { search: 'ölwerke', scope: 'open' });
    expect(found).toHaveLength(1);
    const beta = found[0]!;
    expect(beta.amounts).toEqual([{ currency: 'EUR', balanceCents: 630_000, overdueCents: 520_000 }]);
  });
});
