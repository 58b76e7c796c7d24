// The payment and contact guard against the owner's own details (Settings → Payment details):
// the owner's IBAN, BIC, account and sort code, phone, pay page and reply address pass in any
// spacing; the same kinds of detail that are not the owner's are flagged.
import { describe, expect, it } from 'vitest';
import { factCheck } from '../../../../src/main/core/drafting/factcheck';
import { sampleFacts } from './fixtures';

const owner = sampleFacts({
  company: { name: 'Birch Studio', email: 'hello@birchstudio.com' },
  payment: {
    bankDetails: 'IBAN GB29 NWBK 6016 1331 9268 19\nBIC NWBKGB2L\nSort code 60-16-13, account 31926819',
    payLink: 'https://pay.birchstudio.com/invoices',
    phone: '+44 20 7946 0958',
    replyTo: 'accounts@birchstudio.com',
  },
});
const none = sampleFacts({ company: { name: 'Birch Studio', email: 'hello@birchstudio.com' } });

const flags = (text: string, facts = owner) => factCheck(text, facts).findings.filter((f) => f.status !== 'ok').map((f) => `${f.kind}:${f.text}`);

describe('payment guard with the owner’s details', () => {
  it.each([
    'Pay by transfer to IBAN GB29 NWBK 6016 1331 9268 19 (BIC NWBKGB2L).',
    'Our IBAN is GB29NWBK60161331926819.',
    'UK customers: sort code 60-16-13, account 31926819.',
    'Call us on +44 20 7946 0958 or 020 7946 0958.',
    'Pay online at https://pay.birchstudio.com/invoices.',
    'Questions go to accounts@birchstudio.com.',
    'Visit birchstudio.com for our terms.',
  ])('lets the owner’s details pass: %s', (text) => {
    expect(flags(text)).toEqual([]);
  });

  it.each([
    ['Pay to IBAN GB33 BUKB 2020 1555 5555 55.', 'account:GB33 BUKB 2020 1555 5555 55'],
    ['Sort code 20-00-00, account 55779911.', 'account:55779911'],
    ['Call +44 20 7946 0000.', 'phone:+44 20 7946 0000'],
    ['Pay at https://pay.birch-billing.com/x.', 'link:https://pay.birch-billing.com/x'],
    ['Pay at pay.birchstudio.com/other to save time.', 'link:pay.birchstudio.com/other'],
    ['Reply to accounts@birch-billing.com.', 'email:accounts@birch-billing.com'],
    ['BIC: BUKBGB22.', 'account:BUKBGB22'],
  ])('flags what is not the owner’s: %s', (text, flagged) => {
    expect(flags(text)).toContain(flagged);
  });

  it('allows none of them when the owner has given no details', () => {
    expect(flags('IBAN GB29 NWBK 6016 1331 9268 19', none)).toEqual(['account:GB29 NWBK 6016 1331 9268 19']);
    expect(flags('Call +44 20 7946 0958.', none)).toEqual(['phone:+44 20 7946 0958']);
  });

  it('does not flag ordinary reminder wording', () => {
    for (const text of [
      'Please pay the full amount within 7 days, or reply to let us know when we can expect it.',
      'If you have already sent payment, thank you, and please ignore this note.',
      'We will have to consider further steps to recover the amount owed.',
    ]) {
      expect(flags(text)).toEqual([]);
    }
  });
});
