// The outbound port to a ledger: what the outbox needs from QuickBooks or Xero at send time (read
// one invoice now, send the ledger's own invoice email, write a note back, fetch the PDF). Each
// connector implements it over its client (qbo/ledger-access.ts, xero/ledger-access.ts); errors
// are the connector's own (QboApiError, XeroApiError, LedgerRecordError) and the outbox reads them.
import type { InvoiceStatus } from '../../../shared/model';

/** One invoice as the ledger has it at the moment of the re-check. */
export interface LedgerInvoiceNow {
  status: InvoiceStatus;
  balanceCents: number;
  currency: string;
  deleted: boolean;
  /** The customer's online payment link, when asked for and the ledger has one. */
  payLink: string | null;
  /** Where the ledger's own email goes (QBO BillEmail); null when the ledger does not say. */
  billEmail: string | null;
}

export interface LedgerAccess {
  readonly provider: 'qbo' | 'xero';
  /** The ledger's limit for a write-back note. */
  readonly noteMax: number;
  /** Reads one invoice (one request; two on Xero when the pay link is asked for). */
  invoice(externalId: string, opts: { payLink: boolean }, signal?: AbortSignal): Promise<LedgerInvoiceNow>;
  /** Sends the ledger's standard invoice email; returns the ledger's reference for it. */
  sendInvoice(externalId: string, key: string, sendTo: string | null, signal?: AbortSignal): Promise<string>;
  /** Adds a note to the invoice. */
  note(externalId: string, text: string, key: string, signal?: AbortSignal): Promise<void>;
  /** The invoice as the ledger prints it. */
  pdf(externalId: string, signal?: AbortSignal): Promise<Uint8Array>;
}

/** The ledger sent an invoice Settle could not map: never worth retrying. */
export class LedgerRecordError extends Error {
  constructor(provider: string, warning: string) {
    super(`${provider} sent an invoice Settle could not read (${warning})`);
    this.name = 'LedgerRecordError';
  }
}
