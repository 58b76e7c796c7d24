// The "Copy / open in mail app" channel (issue 5): Settle sends nothing itself. It gives the owner
// the text to copy and a mailto: link that opens their mail app with it filled in, and the item
// waits until the owner says "I sent it"; that confirmation is this sender's send().
import type { OutgoingMessage, SendReceipt, Sender } from './types';

/** Longest mailto: URL we offer; mail apps and browsers cut longer ones (the copy text is always whole). */
export const MAILTO_MAX = 8_000;

/** RFC 6068: addresses comma-separated, headers percent-encoded, line breaks as CRLF. */
export function mailtoUrl(to: readonly string[], subject: string, body: string): string {
  const enc = encodeURIComponent;
  const addresses = to.map((a) => enc(a).replace(/%40/g, '@')).join(',');
  const url = `mailto:${addresses}?subject=${enc(subject)}&body=${enc(body.replace(/\r?\n/g, '\r\n'))}`;
  if (url.length <= MAILTO_MAX) return url;
  // Too long for a mail app to take: open it with the subject only; the owner pastes the copied text.
  return `mailto:${addresses}?subject=${enc(subject)}`;
}

/** What the owner copies: the headers they need, then the body. */
export function manualCopy(message: Pick<OutgoingMessage, 'to' | 'subject' | 'text'>): { text: string; mailto: string } {
  return {
    text: `To: ${message.to.join(', ')}\nSubject: ${message.subject}\n\n${message.text}`,
    mailto: mailtoUrl(message.to, message.subject, message.text),
  };
}

/** The owner's "I sent it": the receipt names the item, since no server gave an id. */
export function createManualSender(): Sender {
  return {
    channel: 'manual',
    send(message: OutgoingMessage): Promise<SendReceipt> {
      return Promise.resolve({ messageId: `manual:${message.idempotencyKey}`, accepted: [...message.to] });
    },
  };
}
