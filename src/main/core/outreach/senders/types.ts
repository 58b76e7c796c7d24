// What every send channel implements (issue 5, DESIGN §8). The outbox owns states, retries and
// idempotency; a sender only delivers one message and says how it went.

export type SendChannel = 'smtp' | 'ledger' | 'manual';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface OutgoingMessage {
  /** Stable per outbox item; SMTP puts it in Message-ID, ledger writes send it as requestid / Idempotency-Key. */
  idempotencyKey: string;
  to: string[];
  subject: string;
  /** Plain text, as approved. */
  text: string;
  attachments: OutgoingAttachment[];
}

export interface SendReceipt {
  /** The SMTP Message-ID or the ledger's reference for the send. */
  messageId: string;
  accepted: string[];
}

/**
 * Thrown by a sender. `transient` failures (timeouts, 4xx SMTP replies, 5xx/429 from a ledger) are
 * retried with backoff; anything else fails the item with the server's message. `maybeDelivered`
 * failures (the message was already handed over when the answer was lost) are neither: the item
 * becomes "may have been sent — confirm" and is never re-sent on its own (issue 11 §2).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    /** The server's own words (SMTP reply, ledger error detail), shown to the owner. */
    readonly serverReply?: string,
    /** The message may have reached the server: only the owner may send it again. */
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface Sender {
  readonly channel: SendChannel;
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendReceipt>;
}
