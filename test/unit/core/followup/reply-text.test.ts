// Reading a pasted reply: what cleanReply keeps as the customer's own words (moved from replies.test.ts).
import { describe, expect, it } from 'vitest';
import { cleanReply } from '../../../../src/main/core/followup/reply-text';

describe('reading text', () => {
  it('cleanReply drops quoted mail, the signature and contact lines', () => {
    const c = cleanReply('Will pay Friday.\n\nThanks,\nBob\nPhone: 555-123-4567\n\nOn Mon, Mar 2, 2026 at 9:00 AM Ann <a@b.c> wrote:\n> Please pay $2,400.00');
    expect(c.body).toBe('Will pay Friday.');
    expect(c.hadQuote).toBe(true);
    expect(c.signature).toContain('Bob');
  });

  it('a thank-you line followed by more of the message is not a signature', () => {
    expect(cleanReply('Hi,\nThanks.\nWe will pay Friday.').body).toBe('Hi,\nThanks.\nWe will pay Friday.');
    expect(cleanReply('Hi,\nThanks for waiting. We will pay on Friday as agreed with Sam in our call.\nBest,\nBob').body).toBe(
      'Hi,\nThanks for waiting. We will pay on Friday as agreed with Sam in our call.',
    );
  });
});
