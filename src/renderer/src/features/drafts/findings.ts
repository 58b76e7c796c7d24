// How the draft editor names and orders fact-check findings: flagged or not, a stable key per
// finding (the underline and its list entry share it), and the words for each status.
import type { DraftFinding } from '../../../../shared/model';

export const FIELD_LABEL: Record<DraftFinding['kind'], string> = {
  amount: 'Amount',
  date: 'Date',
  invoice: 'Invoice',
  days: 'Days',
  percent: 'Percentage',
  email: 'Email',
  link: 'Link',
  account: 'Bank details',
  phone: 'Phone',
  handle: 'Payment handle',
  claim: 'Balance claim',
  words: 'Amount in words',
  hidden: 'Hidden characters',
};

export function isFlag(f: DraftFinding): boolean {
  return f.status !== 'ok';
}

export function findingKey(f: DraftFinding): string {
  return `${f.field}:${f.start}:${f.end}`;
}

export function statusText(f: DraftFinding): string {
  if (f.status === 'ok') return 'Matches the ledger';
  if (f.status === 'mismatch') return f.expected ? `Ledger says ${f.expected}` : 'Does not match the ledger';
  if (f.status === 'ambiguous') return f.expected ? `Ambiguous; ledger says ${f.expected}` : 'Ambiguous';
  return 'Not in the ledger facts';
}
