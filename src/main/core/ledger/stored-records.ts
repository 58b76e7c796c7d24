// A stored payment read back as the PaymentRecord a sync writes (QuickBooks tombstones re-write
// it as deleted; Xero compares it with an invoice's Payments[]). Callers alias payments `p` and
// their customer `c`.
import type { PaymentRecord } from './types';

export const PAYMENT_ROW_COLUMNS = `p.external_id, c.external_id AS customer_ext, p.date, p.currency, p.amount_cents, p.unapplied_cents,
            p.reference, p.method`;

export interface StoredPaymentRow {
  external_id: string;
  customer_ext: string;
  date: string;
  currency: string;
  amount_cents: number;
  unapplied_cents: number;
  reference: string | null;
  method: string | null;
}

/** The record without its applications (upsertBatch keeps the stored ones when none are given). */
export function paymentRecordOf(r: StoredPaymentRow, updatedAt: string, deletedAt?: string): PaymentRecord {
  return {
    externalId: r.external_id,
    customerExternalId: r.customer_ext,
    date: r.date,
    currency: r.currency,
    amountCents: r.amount_cents,
    unappliedCents: r.unapplied_cents,
    reference: r.reference,
    method: r.method,
    applications: [],
    updatedAt,
    ...(deletedAt === undefined ? {} : { deletedAt }),
  };
}
