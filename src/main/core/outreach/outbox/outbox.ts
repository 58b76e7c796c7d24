// The outbox's rules, pure (issue 5, DESIGN §8): which actions each state allows, how a failure
// moves an item (retry later with exponential backoff, or fail for good), whether the ledger's
// invoice still matches what the approved text says (the re-check before sending), the
// short note written back to the ledger after a send, and reading a draft's address field. The
// outbox service and send pass load and store rows and talk to the senders; nothing here touches
// the database or the network.
import type { InvoiceStatus } from '../../../../shared/model';
import type { OutboxState } from '../../../../shared/outbox';
import { formatMoney } from '../../../../shared/money';

/** Sends tried per item before it fails for good (transient failures only; others fail at once). */
export const MAX_ATTEMPTS = 5;
/** First retry after a minute, doubling, never more than an hour apart. */
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_CAP_MS = 3_600_000;
/** Auto-send (auto_low) waits this long after approval so the owner can still cancel. */
export const AUTO_SEND_DELAY_MS = 10 * 60_000;

/** How long to wait before try number `attempts + 1`, after `attempts` tries failed. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export type FailureOutcome = { state: 'queued'; nextAttemptAt: string } | { state: 'failed' };

/** After a failed try: a transient failure with tries left goes back in the queue, later. */
export function afterFailure(attempts: number, maxAttempts: number, transient: boolean, now: Date): FailureOutcome {
  if (!transient || attempts >= maxAttempts) return { state: 'failed' };
  return { state: 'queued', nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)).toISOString() };
}

export interface OutboxActions {
  cancel: boolean;
  confirmSent: boolean;
  requeue: boolean;
  redraft: boolean;
}

/** What the owner may do with an item in a state. */
export function actionsFor(state: OutboxState): OutboxActions {
  return {
    // Anything not yet on its way (or held) can be withdrawn.
    cancel: state === 'queued' || state === 'awaiting_owner' || state === 'blocked' || state === 'failed' || state === 'unconfirmed',
    // Manual sends are confirmed by the owner; so is an interrupted send that did go out.
    confirmSent: state === 'awaiting_owner' || state === 'unconfirmed',
    // Only an explicit decision sends again what may already have gone, or what failed.
    requeue: state === 'unconfirmed' || state === 'failed',
    redraft: state === 'blocked' || state === 'failed' || state === 'cancelled',
  };
}

/** One invoice as the approved text states it. */
export interface FrozenInvoice {
  number: string;
  currency: string;
  balanceCents: number;
}

/** The same invoice as the ledger has it right now. */
export interface CurrentInvoice {
  status: InvoiceStatus;
  balanceCents: number;
  currency: string;
  /** Deleted in the ledger (or not found there any more). */
  deleted: boolean;
}

/**
 * Why the approved text no longer fits this invoice, in words the owner reads; null when it still
 * does. Paid, credited, voided, deleted or any change of balance holds the send for a redraft.
 */
export function recheckReason(frozen: FrozenInvoice, now: CurrentInvoice, locale = 'en-US'): string | null {
  if (now.deleted) return `${frozen.number} was deleted in the ledger.`;
  if (now.status === 'void') return `${frozen.number} was voided in the ledger.`;
  if (now.currency !== frozen.currency) return `${frozen.number} is now in ${now.currency}, not ${frozen.currency}.`;
  if (now.status === 'paid' || now.balanceCents <= 0) return `${frozen.number} has been paid (or credited) in full.`;
  if (now.balanceCents !== frozen.balanceCents) {
    const money = (c: number): string => formatMoney(c, frozen.currency, locale);
    return `${frozen.number}'s balance is now ${money(now.balanceCents)}; the reminder says ${money(frozen.balanceCents)}.`;
  }
  return null;
}

/**
 * The line written on the ledger invoice after a send. `max` is the ledger's limit (Xero History
 * holds 250 characters): recipients are dropped first, then the invoice list is shortened.
 */
export function writeBackNote(
  o: { sentOn: string; channel: 'smtp' | 'ledger' | 'manual'; recipients: readonly string[]; invoiceNumbers: readonly string[] },
  max: number,
): string {
  const how = o.channel === 'ledger' ? 'invoice email' : o.channel === 'manual' ? 'email from the mail app' : 'email';
  const head = `Settle: payment reminder sent ${o.sentOn} by ${how}`;
  const about = o.invoiceNumbers.length > 1 ? ` (covers ${o.invoiceNumbers.join(', ')})` : '';
  const to = o.recipients.length > 0 ? ` to ${o.recipients.join(', ')}` : '';
  for (const candidate of [`${head}${to}${about}.`, `${head}${about}.`, `${head}.`]) {
    if (candidate.length <= max) return candidate;
  }
  return `${head.slice(0, Math.max(0, max - 1))}…`;
}

/** The plain text sent: the approved body, plus the online payment links when asked for and not already in it. */
export function withPayLinks(body: string, links: readonly { number: string; url: string }[]): string {
  const missing = links.filter((l) => !body.includes(l.url));
  if (missing.length === 0) return body;
  const lines =
    missing.length === 1 ? [`Pay online: ${missing[0]!.url}`] : ['Pay online:', ...missing.map((l) => `  ${l.number}: ${l.url}`)];
  return `${body.replace(/\s+$/, '')}\n\n${lines.join('\n')}\n`;
}

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** The draft's address field as a list (a ledger may hold several, separated by commas or semicolons). */
export function parseRecipients(field: string | null): string[] {
  return (field ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first address that does not look like an email address, if any. */
export function invalidAddress(recipients: readonly string[]): string | undefined {
  return recipients.find((r) => !EMAIL_RE.test(r));
}
