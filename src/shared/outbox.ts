// The outbox (issue 5, DESIGN §8): what happens to a reminder after approval, as the renderer
// sees it. Every item says where it is (state), how it goes (channel), to whom, how many tries it
// took, why it stopped (last error, block reason), what the owner can do next, and whether the
// note on the ledger invoice (write-back) was added. Shared by the core and the renderer.

/** How an approved reminder leaves: your mail server, the ledger's own invoice email, or your mail app. */
export type OutboxChannel = 'smtp' | 'ledger' | 'manual';

export const OUTBOX_CHANNELS: readonly OutboxChannel[] = ['smtp', 'ledger', 'manual'];

export const CHANNEL_LABELS: Record<OutboxChannel, string> = {
  smtp: 'Email (your mail server)',
  ledger: "The ledger's standard invoice email (no custom text)",
  manual: 'Copy / open in your mail app',
};

/**
 * queued → sending → sent | failed | blocked. Besides: `awaiting_owner` (manual channel: copy it,
 * send it, then say so), `unconfirmed` (Settle stopped while sending, or the mail server's answer
 * was lost after it took the message: it may have gone out, so it is never re-sent on its own) and `cancelled` (by the owner, or because the invoice got paid).
 */
export type OutboxState = 'queued' | 'sending' | 'awaiting_owner' | 'unconfirmed' | 'sent' | 'failed' | 'blocked' | 'cancelled';

export const OUTBOX_STATES: readonly OutboxState[] = ['queued', 'sending', 'awaiting_owner', 'unconfirmed', 'sent', 'failed', 'blocked', 'cancelled'];

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  awaiting_owner: 'Waiting for you to send it',
  unconfirmed: 'May have been sent — confirm',
  sent: 'Sent',
  failed: 'Failed',
  blocked: 'Held: needs a redraft',
  cancelled: 'Cancelled',
};

/** The optional note on the ledger invoice after a send (opt-in per company). */
export type WriteBackState = 'off' | 'pending' | 'done' | 'failed';

export interface OutboxInvoiceRef {
  id: number;
  number: string;
  currency: string;
  /** The open balance the approved text was written against. */
  balanceCents: number;
}

export interface OutboxItemView {
  id: number;
  draftId: number;
  connectionId: string;
  customer: { id: number; name: string };
  invoices: OutboxInvoiceRef[];
  channel: OutboxChannel;
  channelLabel: string;
  /** Frozen at approval. */
  recipients: string[];
  subject: string;
  body: string;
  /** Add the ledger's online payment link (QBO InvoiceLink, Xero OnlineInvoice). */
  payLink: boolean;
  /** Attach the invoice PDF from the ledger. */
  attachPdf: boolean;
  state: OutboxState;
  stateLabel: string;
  /** Who approved it: the owner, or an auto-send rule (auto_low). */
  approvedBy: 'owner' | 'rule';
  attempts: number;
  maxAttempts: number;
  /** The last failure, in the server's words when it gave some. */
  lastError: string | null;
  /** Why it is held or was cancelled (paid, voided, balance changed…). */
  blockReason: string | null;
  /** Auto-send: not sent before this instant (ISO); cancellable until then. */
  notBefore: string | null;
  /** The next retry after a transient failure (ISO). */
  nextAttemptAt: string | null;
  /** SMTP Message-ID or the ledger's reference for the send. */
  messageId: string | null;
  sentAt: string | null;
  writeBack: { state: WriteBackState; error: string | null; at: string | null };
  /** Manual channel: the text to copy and a mailto: link that opens the mail app with it. */
  manual: { text: string; mailto: string } | null;
  /** What the owner may do now. */
  can: { cancel: boolean; confirmSent: boolean; requeue: boolean; redraft: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface OutboxView {
  items: OutboxItemView[];
  /** Items per state across the company (not only the listed ones). */
  counts: Record<OutboxState, number>;
  /** The channel approvals use when none is given. */
  defaultChannel: OutboxChannel;
}

export interface OutboxSettingsView {
  /** The channel approvals use when none is given: 'smtp' when email is set up, else 'manual', unless chosen. */
  defaultChannel: OutboxChannel;
  /** Whether the owner chose it (false: it follows whether email is set up). */
  defaultChannelChosen: boolean;
  smtpConfigured: boolean;
  /** Per company: add a short note on the ledger invoice after each send. */
  writeBack: Record<string, boolean>;
}

export interface OutboxProcessResult {
  sent: number;
  failed: number;
  blocked: number;
  retrying: number;
  /** Manual items now waiting for the owner. */
  awaitingOwner: number;
  /** Handed to the server but its answer was lost: may have been sent, the owner confirms (never retried). */
  unconfirmed: number;
}

/** The outbox of a company changed; views re-read it. No message text or addresses in it. */
export interface OutboxChanged {
  connectionId: string;
  itemIds: number[];
  reason:
    | 'queued'
    | 'sending'
    | 'sent'
    | 'failed'
    | 'retry'
    | 'blocked'
    | 'cancelled'
    | 'confirmed'
    | 'requeued'
    | 'interrupted'
    | 'awaiting_owner'
    | 'writeback'
    | 'ledger';
}
