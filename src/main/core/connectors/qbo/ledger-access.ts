// The ledger port over the QuickBooks client: read an invoice (with InvoiceLink when asked), send
// `invoice/{id}/send` with `requestid`, write a PrivateNote (sparse update) and fetch the PDF.
import { LedgerRecordError, type LedgerAccess } from '../ledger-access';
import { QboApiError, PRIVATE_NOTE_MAX, type QboClient } from './client';
import { mapInvoice } from './map';

export function qboLedger(client: QboClient, homeCurrency: string): LedgerAccess {
  return {
    provider: 'qbo',
    noteMax: PRIVATE_NOTE_MAX,
    async invoice(externalId, opts, signal) {
      let snap;
      try {
        snap = await client.getInvoice(externalId, signal, { invoiceLink: opts.payLink });
      } catch (err) {
        // 610 Object Not Found: deleted in QuickBooks.
        if (err instanceof QboApiError && (err.status === 404 || err.qboCode === '610')) {
          return { status: 'void', balanceCents: 0, currency: homeCurrency, deleted: true, payLink: null, billEmail: null };
        }
        throw err;
      }
      const mapped = mapInvoice(snap.raw, { homeCurrency });
      if (!mapped.ok) throw new LedgerRecordError('QuickBooks', mapped.warning);
      const inv = mapped.value;
      return { status: inv.status, balanceCents: inv.balanceCents, currency: inv.currency, deleted: false, payLink: snap.invoiceLink, billEmail: snap.billEmail };
    },
    async sendInvoice(externalId, key, sendTo, signal) {
      // sendTo also overwrites the invoice's BillEmail (§1.7), so it is passed only when there is none.
      const snap = await client.sendInvoice(externalId, sendTo ?? undefined, key, signal);
      return `qbo:invoice/${snap.id}/send?requestid=${key}`;
    },
    async note(externalId, text, key, signal) {
      await client.appendPrivateNote(externalId, text, key, signal);
    },
    pdf: (externalId, signal) => client.invoicePdf(externalId, signal),
  };
}
