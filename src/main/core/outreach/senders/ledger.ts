// The ledger's own channel (issue 5, DESIGN §6 and §8) over the connectors' LedgerAccess port
// (connectors/ledger-access.ts). toSendError reads a ledger's errors as the outbox needs them
// (transient or not); createLedgerSender turns the port into a Sender: one ledger email per invoice of the reminder, each
// keyed from the item's idempotency key, so a retry replays instead of sending again. The ledger
// email uses the company's template: the approved subject and body are not part of it.
import { SettleError } from '../../../../shared/errors';
import { LedgerRecordError, type LedgerAccess } from '../../connectors';
import { QboApiError, QboAuthError } from '../../connectors/qbo';
import { XeroApiError, XeroAuthError } from '../../connectors/xero';
import { SendError, type OutgoingMessage, type SendReceipt, type Sender } from './types';

/**
 * Errors from a ledger call as the outbox reads them: throttling, 5xx, an unreachable ledger or a
 * dropped connection are transient (the request carried its idempotency key, so trying again is
 * safe); a refusal (validation, auth, not found) is not. An abort passes through untouched.
 */
export function toSendError(err: unknown, provider: string): unknown {
  if (err instanceof SendError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof QboAuthError || err instanceof XeroAuthError || err instanceof LedgerRecordError) return new SendError(err.message, false);
  if (err instanceof QboApiError || err instanceof XeroApiError) {
    const transient = err.status >= 500 || err.status === 429;
    return new SendError(err.message, transient, err.detail);
  }
  if (err instanceof SettleError) return new SendError(err.message, err.code === 'unavailable');
  if (err instanceof TypeError) return new SendError(`${provider} could not be reached (${err.message})`, true);
  return err;
}

const LEDGER_NAMES = { qbo: 'QuickBooks', xero: 'Xero' } as const;

/** The ledger's name for an error message ("QuickBooks could not be reached"). */
export function ledgerName(ledger: Pick<LedgerAccess, 'provider'> | null): string {
  return ledger ? LEDGER_NAMES[ledger.provider] : 'The ledger';
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
        try {
          refs.push(await ledger.sendInvoice(t.externalId, `${message.idempotencyKey}-${i + 1}`, t.sendTo, signal));
        } catch (err) {
          throw toSendError(err, ledgerName(ledger));
        }
      }
      return { messageId: refs.join(' '), accepted: [...message.to] };
    },
  };
}
