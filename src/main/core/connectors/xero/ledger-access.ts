// The ledger port over the Xero client: read an invoice (and its online invoice URL when asked),
// send `Invoices/{id}/Email` with `Idempotency-Key`, add History (≤ 250 characters), fetch the PDF.
import { LedgerRecordError, type LedgerAccess } from '../ledger-access';
import { HISTORY_DETAILS_MAX, XeroApiError, type XeroClient } from './client';
import { mapInvoice } from './map';

export function xeroLedger(client: XeroClient, baseCurrency: string): LedgerAccess {
  return {
    provider: 'xero',
    noteMax: HISTORY_DETAILS_MAX,
    async invoice(externalId, opts, signal) {
      let raw: Record<string, unknown>;
      try {
        raw = await client.getInvoice(externalId, signal);
      } catch (err) {
        if (err instanceof XeroApiError && err.status === 404) {
          return { status: 'void', balanceCents: 0, currency: baseCurrency, deleted: true, payLink: null, billEmail: null };
        }
        throw err;
      }
      const mapped = mapInvoice(raw, { baseCurrency });
      if (!mapped.ok) throw new LedgerRecordError('Xero', mapped.warning);
      const inv = mapped.value.invoice;
      const wantsLink = opts.payLink && inv.status === 'open' && inv.deletedAt === null;
      const payLink = wantsLink ? await client.onlineInvoiceUrl(externalId, signal) : null;
      return { status: inv.status, balanceCents: inv.balanceCents, currency: inv.currency, deleted: inv.deletedAt !== null, payLink, billEmail: null };
    },
    async sendInvoice(externalId, key, _sendTo, signal) {
      // Xero always mails the contact's own addresses (§2.7); it takes no recipient.
      await client.emailInvoice(externalId, key, signal);
      return `xero:Invoices/${externalId}/Email#${key}`;
    },
    async note(externalId, text, key, signal) {
      await client.addHistory(externalId, text, key, signal);
    },
    pdf: (externalId, signal) => client.invoicePdf(externalId, signal),
  };
}
