// The small senders: the demo company's invoice PDF is a well-formed PDF (every xref offset
// points at its object, startxref at the table) with the figures in it, and ledger errors are
// read as the outbox needs them (throttling and 5xx transient, refusals permanent).
import { describe, expect, it } from 'vitest';
import { QboApiError } from '../../../../../src/main/core/connectors/qbo/client';
import { XeroApiError } from '../../../../../src/main/core/connectors/xero/client';
import { invoicePdf } from '../../../../../src/main/core/outreach/senders/invoice-pdf';
import { toSendError } from '../../../../../src/main/core/outreach/senders/ledger';
import { SendError } from '../../../../../src/main/core/outreach/senders/types';
import { ProviderUnavailableError } from '../../../../../src/main/core/sync/http';
import { formatMoney } from '../../../../../src/shared/money';

describe('the demo invoice PDF', () => {
  const inv = {
    company: 'Juniper & Finch (Demo)',
    customer: 'Café Lumière (Paris)',
    number: 'INV-1042',
    issueDate: '2026-09-01',
    dueDate: '2026-10-01',
    currency: 'EUR',
    totalCents: 184_050,
    balanceCents: 84_050,
    locale: 'fr-FR',
  };

  it('is a PDF whose cross-reference table is exact', () => {
    const bytes = invoicePdf(inv);
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const length = Number(/\/Length (\d+)/.exec(text)![1]);
    const stream = text.slice(text.indexOf('stream\n') + 7, text.indexOf('\nendstream'));
    expect(Buffer.byteLength(stream, 'latin1')).toBe(length);
  });

  it('states the figures, in Latin-1 where the font can show them', () => {
    const text = Buffer.from(invoicePdf(inv)).toString('latin1');
    expect(text).toContain('(Invoice INV-1042)');
    expect(text).toContain('Café Lumière \\(Paris\\)');
    const balance = formatMoney(inv.balanceCents, 'EUR', 'fr-FR').replace(/[\u00a0\u202f]/g, ' ').replace('€', '\x80');
    expect(text).toContain(`(Balance due: ${balance})`);
  });
});

describe('ledger errors as the outbox reads them', () => {
  it('retries throttling, 5xx and an unreachable ledger; not a refusal', () => {
    const read = (e: unknown) => toSendError(e, 'QuickBooks') as SendError;
    expect(read(new QboApiError(429, '3001', null, 'Throttled', null)).transient).toBe(true);
    expect(read(new QboApiError(503, null, null, 'Down', null)).transient).toBe(true);
    expect(read(new QboApiError(400, '6000', 'ValidationFault', 'No BillEmail', null))).toMatchObject({ transient: false, serverReply: 'No BillEmail' });
    expect(read(new XeroApiError(400, 'ValidationException', 'Contact has no email')).transient).toBe(false);
    expect(read(new ProviderUnavailableError('QuickBooks', 500, 'HTTP 500')).transient).toBe(true);
    expect(read(new TypeError('fetch failed')).transient).toBe(true);
    const abort = new DOMException('stopped', 'AbortError');
    expect(toSendError(abort, 'Xero')).toBe(abort);
  });
});
