// The outbox's pure rules: backoff and the retry/fail decision, what each state allows, the
// re-check's verdicts, the write-back note under a ledger's limit, pay links and mailto links.
import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  afterFailure,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffMs,
  parseRecipients,
  recheckReason,
  withPayLinks,
  writeBackNote,
} from '../../../../../src/main/core/outreach/outbox/outbox';
import { manualCopy, MAILTO_MAX, mailtoUrl } from '../../../../../src/main/core/outreach/senders/manual';
import { OUTBOX_STATES } from '../../../../../src/shared/outbox';

const NOW = new Date('2026-11-18T15:00:00Z');

describe('backoff and failures', () => {
  it('doubles from the base and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map(backoffMs);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits[0]).toBe(BACKOFF_BASE_MS);
    expect(waits[1]).toBe(2 * BACKOFF_BASE_MS);
    expect(Math.max(...waits)).toBe(BACKOFF_CAP_MS);
  });

  it('retries a transient failure while tries are left, then fails; a permanent one fails at once', () => {
    expect(afterFailure(1, 3, true, NOW)).toEqual({ state: 'queued', nextAttemptAt: new Date(NOW.getTime() + backoffMs(1)).toISOString() });
    expect(afterFailure(2, 3, true, NOW)).toEqual({ state: 'queued', nextAttemptAt: new Date(NOW.getTime() + backoffMs(2)).toISOString() });
    expect(afterFailure(3, 3, true, NOW)).toEqual({ state: 'failed' });
    expect(afterFailure(1, 3, false, NOW)).toEqual({ state: 'failed' });
  });
});

describe('actions per state', () => {
  it('never offers to send again what may have gone out, except by an explicit re-queue', () => {
    expect(actionsFor('unconfirmed')).toEqual({ cancel: true, confirmSent: true, requeue: true, redraft: false });
    expect(actionsFor('sending')).toEqual({ cancel: false, confirmSent: false, requeue: false, redraft: false });
    expect(actionsFor('sent')).toEqual({ cancel: false, confirmSent: false, requeue: false, redraft: false });
    expect(actionsFor('blocked').redraft).toBe(true);
    expect(actionsFor('awaiting_owner')).toMatchObject({ confirmSent: true, cancel: true });
    // Every state has an answer.
    for (const s of OUTBOX_STATES) expect(Object.keys(actionsFor(s))).toHaveLength(4);
  });
});

describe('the re-check', () => {
  const frozen = { number: 'INV-1042', currency: 'USD', balanceCents: 184_050 };
  const open = { status: 'open' as const, balanceCents: 184_050, currency: 'USD', deleted: false };

  it('passes an unchanged invoice', () => {
    expect(recheckReason(frozen, open)).toBeNull();
  });

  it('holds a paid, voided, deleted or changed one, naming it', () => {
    expect(recheckReason(frozen, { ...open, status: 'paid', balanceCents: 0 })).toMatch(/INV-1042 has been paid/);
    expect(recheckReason(frozen, { ...open, status: 'void', balanceCents: 0 })).toMatch(/INV-1042 was voided/);
    expect(recheckReason(frozen, { ...open, deleted: true })).toMatch(/INV-1042 was deleted/);
    const changed = recheckReason(frozen, { ...open, balanceCents: 84_050 });
    expect(changed).toContain('$840.50');
    expect(changed).toContain('$1,840.50');
    expect(recheckReason(frozen, { ...open, currency: 'EUR' })).toMatch(/EUR/);
  });
});

describe('the write-back note', () => {
  const base = { sentOn: '2026-11-18', channel: 'smtp' as const, recipients: ['ap@harborprint.example'], invoiceNumbers: ['INV-1'] };

  it('says when, how and to whom', () => {
    expect(writeBackNote(base, 250)).toBe('Settle: payment reminder sent 2026-11-18 by email to ap@harborprint.example.');
  });

  it('stays within the limit by dropping recipients, then the invoice list', () => {
    const many = {
      ...base,
      recipients: Array.from({ length: 12 }, (_, i) => `accounts.payable.${i}@a-rather-long-company-name.example`),
      invoiceNumbers: Array.from({ length: 40 }, (_, i) => `INV-${10_000 + i}`),
    };
    for (const max of [250, 120, 60, 20]) {
      const note = writeBackNote(many, max);
      expect(note.length).toBeLessThanOrEqual(max);
      expect(note.startsWith('Settle')).toBe(true);
    }
    expect(writeBackNote({ ...many, invoiceNumbers: ['INV-1', 'INV-2'] }, 250)).toBe('Settle: payment reminder sent 2026-11-18 by email (covers INV-1, INV-2).');
  });
});

describe('pay links and the manual channel', () => {
  it('adds missing pay links once', () => {
    const one = withPayLinks('Hello\n', [{ number: 'INV-1', url: 'https://pay.example/1' }]);
    expect(one).toBe('Hello\n\nPay online: https://pay.example/1\n');
    expect(withPayLinks(one, [{ number: 'INV-1', url: 'https://pay.example/1' }])).toBe(one);
    const two = withPayLinks('Hi', [
      { number: 'INV-1', url: 'https://pay.example/1' },
      { number: 'INV-2', url: 'https://pay.example/2' },
    ]);
    expect(two).toContain('  INV-2: https://pay.example/2');
  });

  it('builds a mailto: link a mail app opens with the text, and the copy text', () => {
    const url = mailtoUrl(['ap@café.example', 'b@x.example'], 'Invoice INV-1 & more', 'Line 1\nLine 2 – 100%');
    expect(url.startsWith('mailto:ap@caf%C3%A9.example,b@x.example?subject=')).toBe(true);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('subject')).toBe('Invoice INV-1 & more');
    expect(parsed.searchParams.get('body')).toBe('Line 1\r\nLine 2 – 100%');
    expect(decodeURIComponent(parsed.pathname)).toBe('ap@café.example,b@x.example');
    const long = mailtoUrl(['a@b.example'], 'S', 'x'.repeat(MAILTO_MAX));
    expect(long.length).toBeLessThanOrEqual(MAILTO_MAX);
    expect(new URL(long).searchParams.get('body')).toBeNull();
    expect(manualCopy({ to: ['a@b.example'], subject: 'S', text: 'Body' }).text).toBe('To: a@b.example\nSubject: S\n\nBody');
  });

  it('reads several addresses from one field', () => {
    expect(parseRecipients(' a@b.example; c@d.example ,')).toEqual(['a@b.example', 'c@d.example']);
    expect(parseRecipients(null)).toEqual([]);
  });
});
