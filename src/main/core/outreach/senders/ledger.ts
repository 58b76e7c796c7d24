// The ledger's own channel (issue 5, DESIGN §6 and §8). One small port over the QuickBooks and
// Xero clients gives the outbox what it needs from a ledger: read one invoice now (the re-check
// before sending, with the pay link when asked), send the ledger's standard invoice email (QBO
// `invoice/{id}/send` with `requestid`, Xero `Invoices/{id}/Email` with `Idempotency-Key`), and
// write the short note back (QBO PrivateNote sparse update, Xero History ≤ 250 characters).
// createLedgerSender turns it into a Sender: one ledger email per invoice of the reminder, each
// keyed from the item's idempotency key, so a retry replays instead of sending again. The ledger
// email uses the company's template: the approved subject and body are not part of it.
import { SettleError } from '../../../../shared/errors';
import type { InvoiceStatus } from '../../../../shared/model';
import { QboApiError, QboAuthError, type QboClient, PRIVATE_NOTE_MAX } from '../../connectors/qbo/client';
import { mapInvoice as mapQboInvoice } from '../../connectors/qbo/map';
import { HISTORY_DETAILS_MAX, XeroApiError, XeroAuthError, type XeroClient } from '../../connectors/xero/client';
import { mapInvoice as mapXeroInvoice } from '../../connectors/xero/map';
import { SendError, type OutgoingMessage, type SendReceipt, type Sender } from './types';

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

function badRecord(provider: string, warning: string): never {
  throw new SendError(`${provider} sent an invoice Settle could not read (${warning})`, false);
}

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
        throw toSendError(err, 'QuickBooks');
      }
      const mapped = mapQboInvoice(snap.raw, { homeCurrency });
      if (!mapped.ok) badRecord('QuickBooks', mapped.warning);
      const inv = mapped.value;
      return { status: inv.status, balanceCents: inv.balanceCents, currency: inv.currency, deleted: false, payLink: snap.invoiceLink, billEmail: snap.billEmail };
    },
    async sendInvoice(externalId, key, sendTo, signal) {
      try {
        // sendTo also overwrites the invoice's BillEmail (§1.7), so it is passed only when there is none.
        const snap = await client.sendInvoice(externalId, sendTo ?? undefined, key, signal);
        return `qbo:invoice/${snap.id}/send?requestid=${key}`;
      } catch (err) {
        throw toSendError(err, 'QuickBooks');
      }
    },
    async note(externalId, text, key, signal) {
      await client.appendPrivateNote(externalId, text, key, signal);
    },
    async pdf(externalId, signal) {
      try {
        return await client.invoicePdf(externalId, signal);
      } catch (err) {
        throw toSendError(err, 'QuickBooks');
      }
    },
  };
}

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
        throw toSendError(err, 'Xero');
      }
      const mapped = mapXeroInvoice(raw, { baseCurrency });
      if (!mapped.ok) badRecord('Xero', mapped.warning);
      const inv = mapped.value.invoice;
      let payLink: string | null = null;
      if (opts.payLink && inv.status === 'open' && inv.deletedAt === null) {
        try {
          payLink = await client.onlineInvoiceUrl(externalId, signal);
        } catch (err) {
          throw toSendError(err, 'Xero');
        }
      }
      return { status: inv.status, balanceCents: inv.balanceCents, currency: inv.currency, deleted: inv.deletedAt !== null, payLink, billEmail: null };
    },
    async sendInvoice(externalId, key, _sendTo, signal) {
      try {
        // Xero always mails the contact's own addresses (§2.7); it takes no recipient.
        await client.emailInvoice(externalId, key, signal);
        return `xero:Invoices/${externalId}/Email#${key}`;
      } catch (err) {
        throw toSendError(err, 'Xero');
      }
    },
    async note(externalId, text, key, signal) {
      await client.addHistory(externalId, text, key, signal);
    },
    async pdf(externalId, signal) {
      try {
        return await client.invoicePdf(externalId, signal);
      } catch (err) {
        throw toSendError(err, 'Xero');
      }
    },
  };
}

/**
 * Errors from a ledger call as the outbox reads them: throttling, 5xx, an unreachable ledger or a
 * dropped connection are transient (the request carried its idempotency key, so trying again is
 * safe); a refusal (validation, auth, not found) is not. An abort passes through untouched.
 */
export function toSendError(err: unknown, provider: string): unknown {
  if (err instanceof SendError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof QboAuthError || err instanceof XeroAuthError) return new SendError(err.message, false);
  if (err instanceof QboApiError || err instanceof XeroApiError) {
    const transient = err.status >= 500 || err.status === 429;
    return new SendError(err.message, transient, err.detail);
  }
  if (err instanceof SettleError) return new SendError(err.message, err.code === 'unavailable');
  if (err instanceof TypeError) return new SendError(`${provider} could not be reached (${err.message})`, true);
  return err;
}

export interface LedgerTarget {
  externalId: string;
  number: string;
  /** QBO: the address to send to when the invoice has no BillEmail of its own. */
  sendTo: string | null;
}

/** The ledger channel as a Sender: one ledger email per invoice, keyed `<item key>-<n>`. */
export function createLedgerSender(ledger: LedgerAccess, targets: readonly LedgerTarget[]): Sender {
  return {
    channel: 'ledger',
    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendReceipt> {
      if (targets.length === 0) throw new SendError('This reminder names no invoice for the ledger to send', false);
      const refs: string[] = [];
      for (const [i, t] of targets.entries()) {
        signal?.throwIfAborted();
        refs.push(await ledger.sendInvoice(t.externalId, `${message.idempotencyKey}-${i + 1}`, t.sendTo, signal));
      }
      return { messageId: refs.join(' '), accepted: [...message.to] };
    },
  };
}
