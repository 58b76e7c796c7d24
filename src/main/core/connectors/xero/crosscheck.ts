// The Xero cross-check (issue 4 §5): after a backfill, local aging per contact is compared with
// what Xero itself says each contact owes — Contacts' Balances.AccountsReceivable {Outstanding,
// Overdue}, which the Contacts pages already carried (no extra calls). Zero tolerance: one cent
// apart is a mismatch, reported with both figures, as for QuickBooks. aging.repo.ts reads the
// local side, netting unused credit into outstanding as Xero's Outstanding does (issue 11 §7).
import { formatMoney } from '../../../../shared/money';
import type { ContactBalance } from './map';

export interface LocalAging {
  name?: string;
  currency: string;
  outstandingCents: number;
  overdueCents: number;
}

export interface XeroCrossCheckMismatch {
  contactId: string;
  name: string;
  currency: string;
  xero: { outstandingCents: number; overdueCents: number };
  local: { outstandingCents: number; overdueCents: number };
}

export interface XeroCrossCheckResult {
  asOf: string;
  checked: number;
  mismatches: XeroCrossCheckMismatch[];
  message: string | null;
}

/** Compares Xero's per-contact AR balances with local aging; a contact on one side only counts as 0 on the other. */
export function crossCheckXero(balances: ReadonlyMap<string, ContactBalance>, local: ReadonlyMap<string, LocalAging>, asOf: string): XeroCrossCheckResult {
  const ids = new Set([...balances.keys(), ...local.keys()]);
  const mismatches: XeroCrossCheckMismatch[] = [];
  let checked = 0;
  for (const id of ids) {
    const x = balances.get(id);
    const l = local.get(id);
    checked++;
    const xo = x?.outstandingCents ?? 0;
    const xd = x?.overdueCents ?? 0;
    const lo = l?.outstandingCents ?? 0;
    const ld = l?.overdueCents ?? 0;
    if (xo === lo && xd === ld) continue;
    mismatches.push({
      contactId: id,
      name: x?.name ?? l?.name ?? id,
      currency: x?.currency ?? l?.currency ?? 'USD',
      xero: { outstandingCents: xo, overdueCents: xd },
      local: { outstandingCents: lo, overdueCents: ld },
    });
  }
  mismatches.sort((a, b) => Math.abs(b.local.outstandingCents - b.xero.outstandingCents) - Math.abs(a.local.outstandingCents - a.xero.outstandingCents) || a.name.localeCompare(b.name));
  let message: string | null = null;
  if (mismatches.length) {
    const shown = mismatches
      .slice(0, 5)
      .map((m) => `${m.name} (Xero ${formatMoney(m.xero.outstandingCents, m.currency, 'en-US')} outstanding, ${formatMoney(m.xero.overdueCents, m.currency, 'en-US')} overdue; Settle ${formatMoney(m.local.outstandingCents, m.currency, 'en-US')}, ${formatMoney(m.local.overdueCents, m.currency, 'en-US')})`);
    message = `Settle's balances differ from Xero's as of ${asOf} for ${shown.join(', ')}${mismatches.length > 5 ? ` and ${mismatches.length - 5} more` : ''}.`;
  }
  return { asOf, checked, mismatches, message };
}
