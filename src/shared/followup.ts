// DTOs of follow-up (DESIGN §8, issue #6): promises to pay, disputes, payment plan previews,
// reply triage and delivered notifications. Plain data only, like model.ts: they cross IPC.
import type { IsoDate } from './dates';

export type PromiseStatus = 'open' | 'kept' | 'partially_kept' | 'broken' | 'cancelled';
/** How the promise reached the owner. */
export type PromiseChannel = 'email' | 'phone' | 'in_person' | 'reply' | 'plan' | 'other';
export const PROMISE_CHANNEL_OPTIONS: readonly PromiseChannel[] = ['phone', 'email', 'in_person', 'reply', 'other'];
export const PROMISE_CHANNEL_LABELS: Record<PromiseChannel, string> = {
  email: 'Email',
  phone: 'Phone call',
  in_person: 'In person',
  reply: 'Reply to a reminder',
  plan: 'Payment plan',
  other: 'Other',
};

export type DisputeReason = 'pricing' | 'duplicate' | 'not_received' | 'quality' | 'not_ordered' | 'cancelled' | 'returned' | 'other';
export const DISPUTE_REASON_OPTIONS: readonly DisputeReason[] = [
  'pricing',
  'duplicate',
  'not_received',
  'quality',
  'not_ordered',
  'cancelled',
  'returned',
  'other',
];
export const DISPUTE_REASON_TEXT: Record<DisputeReason, string> = {
  pricing: 'Wrong price or amount',
  duplicate: 'Billed twice',
  not_received: 'Goods or service not received',
  quality: 'Damaged, faulty or poor quality',
  not_ordered: 'Not ordered',
  cancelled: 'Order or service cancelled',
  returned: 'Goods returned',
  other: 'Other',
};
export type DisputeResolution = 'credit_issued' | 'invoice_corrected' | 'customer_accepted' | 'written_off' | 'other';

export interface InvoiceRef {
  id: number;
  number: string;
}

/** One promise to pay, with its status evaluated against the ledger as of today. */
export interface PromiseItem {
  id: number;
  customerId: number;
  customerName: string;
  date: IsoDate;
  /** The date plus the grace days: the last day money can arrive to keep it. */
  deadline: IsoDate;
  amountCents: number;
  currency: string;
  madeVia: PromiseChannel;
  note: string;
  status: PromiseStatus;
  /** Money counted toward it by the deadline. */
  paidCents: number;
  invoices: InvoiceRef[];
  createdAt: string;
  planId: number | null;
}

/** The Promises page: Today, Upcoming, Broken (and partly kept) and Kept. */
export interface PromiseGroupsView {
  asOf: IsoDate;
  today: PromiseItem[];
  upcoming: PromiseItem[];
  broken: PromiseItem[];
  kept: PromiseItem[];
  /** Open promises whose date is today (the sidebar's count). */
  dueToday: number;
}

export interface PromiseCreated {
  promise: PromiseItem;
  /** Things to know that did not stop it (another open promise covers an invoice). */
  warnings: string[];
}

export interface DisputeItem {
  id: number;
  customerId: number;
  customerName: string;
  invoices: InvoiceRef[];
  reason: DisputeReason;
  detail: string;
  status: 'open' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  resolution: DisputeResolution | null;
  resolutionNote: string | null;
}

export type PlanFrequency = 'weekly' | 'fortnightly' | 'monthly';

export interface PlanPreview {
  balanceCents: number;
  currency: string;
  frequency: PlanFrequency;
  startDate: IsoDate;
  instalments: { seq: number; dueDate: IsoDate; amountCents: number }[];
  regularCents: number;
  lastCents: number;
  endDate: IsoDate;
  notes: string[];
}

export type ReplyClass = 'promise_to_pay' | 'dispute' | 'already_paid' | 'question' | 'out_of_office' | 'other';

export type PaymentMethod = 'check' | 'wire' | 'ach' | 'bank_transfer' | 'card' | 'paypal' | 'zelle' | 'venmo' | 'stripe' | 'cash';

export interface PromiseExtraction {
  date: IsoDate | null;
  dateText: string | null;
  amountCents: number | null;
  currency: string;
  amountText: string | null;
  /** How a relative date was read, for the owner. */
  note: string | null;
}

export interface ReplyTriageView {
  class: ReplyClass;
  /** Other kinds the reply also contains (a promise for part and a dispute over the rest). */
  also: ReplyClass[];
  source: 'rules' | 'model';
  confidence: 'high' | 'medium' | 'low';
  promises: PromiseExtraction[];
  dispute: { reason: DisputeReason; snippet: string } | null;
  alreadyPaid: {
    date: IsoDate | null;
    dateText: string | null;
    amountCents: number | null;
    currency: string;
    reference: string | null;
    method: PaymentMethod | null;
  } | null;
  outOfOffice: { returnDate: IsoDate | null; dateText: string | null } | null;
  question: { snippet: string } | null;
  /** Invoice numbers the reply mentions. */
  invoiceNumbers: string[];
  /** What the owner must answer before a proposal can be made (never a silent guess). */
  questionsForOwner: string[];
  /** Text addressed to software, or asking to change where mail or money goes. */
  warnings: { kind: 'instruction' | 'contact_change' | 'currency' | 'model'; message: string }[];
  /** The sentences that decided the class, for the owner to see why. */
  evidence: string[];
}

export type ProposedUpdateView =
  | {
      kind: 'create_promise';
      date: IsoDate;
      /** null: no amount was stated; the owner fills it in (the open balance by default). */
      amountCents: number | null;
      currency: string;
      invoiceNumbers: string[];
      note: string;
    }
  | { kind: 'open_dispute'; reason: DisputeReason; detail: string; invoiceNumbers: string[] }
  | { kind: 'pause_outreach'; until: IsoDate; reason: string }
  | {
      kind: 'recheck_ledger';
      claimedDate: IsoDate | null;
      amountCents: number | null;
      currency: string;
      reference: string | null;
      invoiceNumbers: string[];
    };

export interface ReplyTriageResult {
  triage: ReplyTriageView;
  /** Updates for the owner to approve; nothing is applied by triage itself. */
  proposals: ProposedUpdateView[];
  fallbackReason: string | null;
}

export type NotificationKind = 'promise_due_tomorrow' | 'promise_due_today' | 'promise_broken' | 'approvals_waiting';

/** One notification Settle showed (the in-app notification centre in browser mode). */
export interface NotificationItem {
  key: string;
  kind: NotificationKind;
  outcome: 'shown' | 'grouped';
  title: string;
  body: string;
  /** It fell due while Settle was closed. */
  catchUp: boolean;
  customerId: number | null;
  promiseId: number | null;
  fireAt: string;
  deliveredAt: string;
}

/** Promises, disputes or delivered notifications changed; follow-up views re-read. */
export interface FollowupChanged {
  connectionId: string | null;
  reason: 'promise' | 'dispute' | 'evaluate' | 'notification';
}

/** Outreach paused until a date for a whole customer or some invoices (from triage or "Pause outreach…"). */
export interface PauseItem {
  id: number;
  customerId: number;
  customerName: string;
  /** null: every invoice of the customer. */
  invoices: InvoiceRef[] | null;
  /** Outreach resumes on this date. */
  until: IsoDate;
  reason: string;
  createdAt: string;
}

export type PlanStatus = 'proposed' | 'active' | 'behind' | 'completed' | 'cancelled';

/** A saved payment plan: proposed (a draft may carry it), accepted (one promise per instalment), or ended. */
export interface PlanItem {
  id: number;
  customerId: number;
  customerName: string;
  status: PlanStatus;
  balanceCents: number;
  currency: string;
  frequency: PlanFrequency;
  startDate: IsoDate;
  instalments: { seq: number; dueDate: IsoDate; amountCents: number; promiseId: number | null; status: PromiseStatus | null }[];
  invoices: InvoiceRef[];
  /** The draft that proposed it (the latest), if any. */
  draftId: number | null;
  createdAt: string;
}

/** One update the owner chose in the triage dialog, with the fields as they edited them. */
export type ReplyAction =
  | { kind: 'create_promise'; invoiceIds: number[]; date: IsoDate; amountCents: number; currency: string; note: string }
  | { kind: 'open_dispute'; invoiceIds: number[]; reason: DisputeReason; detail: string }
  | { kind: 'pause_outreach'; until: IsoDate; reason: string }
  | { kind: 'recheck_ledger' };

export interface ReplyApplied {
  /** One sentence per applied update, in order (also in Activity). */
  applied: string[];
  /** recheck_ledger: a sync was started, or why not (the demo company has no ledger to ask). */
  recheck: 'started' | 'not_synced' | null;
  recheckMessage: string | null;
}
