// Malformed records on the wire, for the bad-input tests (issue 3 "Bad input"): the store keeps
// the record intact (its aging report and snapshot are unchanged); only what the API serves for
// that Invoice is damaged, in queries, CDC and reads alike.

/** How a served invoice is damaged. */
export type QboCorruption =
  /** No DueDate and no SalesTermRef: the due date cannot be worked out. */
  | 'noDueDate'
  /** CurrencyRef "XXX", which is no ISO 4217 currency Settle knows. */
  | 'unknownCurrency'
  /** `"Line": null`. */
  | 'nullLine'
  /** A TotalAmt and Balance too large for exact cents. */
  | 'hugeNumber';

export const HUGE_AMOUNT = 123_456_789_012_345_680;

function damage(inv: Record<string, unknown>, kind: QboCorruption): Record<string, unknown> {
  const out = { ...inv };
  switch (kind) {
    case 'noDueDate':
      delete out.DueDate;
      delete out.SalesTermRef;
      break;
    case 'unknownCurrency':
      out.CurrencyRef = { value: 'XXX', name: 'Unknown money' };
      break;
    case 'nullLine':
      out.Line = null;
      break;
    case 'hugeNumber':
      out.TotalAmt = HUGE_AMOUNT;
      out.Balance = HUGE_AMOUNT;
      break;
  }
  return out;
}

/** Returns `body` with every served Invoice whose Id is in `bad` damaged (a copy; the store is untouched). */
export function corruptInvoices<T>(body: T, bad: ReadonlyMap<string, QboCorruption>): T {
  if (bad.size === 0) return body;
  const walk = (v: unknown, key: string | null): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    if (key === 'Invoice' && typeof obj.Id === 'string' && bad.has(obj.Id) && obj.status !== 'Deleted') {
      return damage(obj, bad.get(obj.Id) as QboCorruption);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(obj)) out[k] = walk(x, k);
    return out;
  };
  return walk(body, null) as T;
}
