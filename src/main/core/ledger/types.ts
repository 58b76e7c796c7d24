// Row shapes the ledger functions work on. Repos (the *.repo.ts files) produce them from SQLite; aging,
// scoring and the board index consume them. Pure data, no db handles.
import type { IsoDate } from '../../../shared/dates';
import type { Factor, NextAction, Override, Tier } from '../../../shared/model';

/** An invoice open on `asOf`, with its balance as of that date. */
export interface OpenInvoice {
  id: number;
  customerId: number;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  totalCents: number;
  /** Open balance as of the as-of date (later payments and credits added back). */
  balanceCents: number;
}

/** What scoring and the board know about a customer beyond their open invoices. */
export interface CustomerFacts {
  id: number;
  name: string;
  email: string | null;
  termsDays: number | null;
  /** Mean days from issue to full payment over paid invoices; null without history. */
  avgDaysToPay: number | null;
  /** Mean days paid after due (negative = early); null without history. */
  avgDaysLate: number | null;
  paidInvoices: number;
  /** Median invoice total per currency, over all non-void invoices. */
  typicalInvoiceCents: Record<string, number>;
  /** Last outbound or inbound contact (ISO instant or date); null if never. */
  lastContactAt: string | null;
  brokenPromises: number;
  openDisputes: number;
  /** The soonest open promise to pay (the board's promise chip); absent or null when none. */
  nextPromise?: { date: string; cents: number; currency: string } | null;
  override: Override | null;
}

export interface InvoiceScore {
  invoiceId: number;
  customerId: number;
  score: number;
  tier: Tier;
  nextAction: NextAction;
  factors: Factor[];
}

/** Provider-neutral records a connector (demo, QBO, Xero, CSV) hands to the ingest repo.
 * References between records use the provider's external ids. */
export interface LedgerBatch {
  customers?: CustomerRecord[];
  invoices?: InvoiceRecord[];
  payments?: PaymentRecord[];
  creditNotes?: CreditNoteRecord[];
  notes?: NoteRecord[];
}

export interface CustomerRecord {
  externalId: string;
  parentExternalId?: string | null;
  name: string;
  companyName?: string | null;
  contactName?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  termsLabel?: string | null;
  termsDays?: number | null;
  currency: string;
  active?: boolean;
  updatedAt: string;
  deletedAt?: string | null;
}

export interface InvoiceRecord {
  externalId: string;
  customerExternalId: string;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  totalCents: number;
  balanceCents: number;
  status: 'open' | 'paid' | 'void' | 'draft';
  memo?: string | null;
  updatedAt: string;
  deletedAt?: string | null;
}

export interface ApplicationRecord {
  invoiceExternalId: string;
  amountCents: number;
  appliedOn: IsoDate;
}

export interface PaymentRecord {
  externalId: string;
  customerExternalId: string;
  date: IsoDate;
  currency: string;
  amountCents: number;
  unappliedCents?: number;
  reference?: string | null;
  method?: string | null;
  /** Replaces this payment's applications. */
  applications: ApplicationRecord[];
  updatedAt: string;
  deletedAt?: string | null;
}

export interface CreditNoteRecord {
  externalId: string;
  customerExternalId: string;
  number?: string | null;
  date: IsoDate;
  currency: string;
  totalCents: number;
  remainingCents?: number;
  status?: 'open' | 'applied' | 'void';
  reason?: string | null;
  /** Replaces this credit note's allocations. */
  applications: ApplicationRecord[];
  updatedAt: string;
  deletedAt?: string | null;
}

export interface NoteRecord {
  customerExternalId: string;
  invoiceExternalId?: string | null;
  kind: 'note' | 'email' | 'call' | 'reminder';
  body: string;
  occurredAt: string;
}
