// DTOs the renderer sees. Plain data only: everything here crosses IPC or the bridge, so it
// must survive structuredClone/JSON (no Dates, Maps or class instances) and hold no secrets.
import type { IsoDate } from './dates';
import type { ApiBudget } from './xero';

export type Tier = 'high' | 'medium' | 'low';
export const TIERS: readonly Tier[] = ['high', 'medium', 'low'];

export type NextAction = 'email' | 'call' | 'payment_plan' | 'escalate' | 'hold';
export const NEXT_ACTIONS: readonly NextAction[] = ['email', 'call', 'payment_plan', 'escalate', 'hold'];

/** Aging buckets by days past due, as the ledgers' own A/R aging reports define them. */
export type Bucket = 'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus';
export const BUCKETS: readonly Bucket[] = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'];
export const BUCKET_LABELS: Record<Bucket, string> = {
  current: 'Current',
  d1_30: '1–30',
  d31_60: '31–60',
  d61_90: '61–90',
  d90_plus: '90+',
};

export type Provider = 'demo' | 'qbo' | 'xero' | 'csv';
export type ConnectionStatus = 'active' | 'needs_reconnect' | 'disconnected';

export interface ConnectionSummary {
  id: string;
  provider: Provider;
  name: string;
  status: ConnectionStatus;
  homeCurrency: string;
  lastSyncedAt: string | null;
  isDemo: boolean;
}

export type FactorName =
  | 'days_overdue'
  | 'days_to_pay'
  | 'relative_amount'
  | 'exposure'
  | 'since_contact'
  | 'broken_promises'
  | 'open_disputes';

/** One factor of a score: its raw value, how it reads, its weight and its points. */
export interface Factor {
  name: FactorName;
  label: string;
  /** Raw input, e.g. 42 (days) or 2.5 (times the usual invoice). */
  value: number;
  /** Human reading of the value, e.g. "42 days past due". */
  display: string;
  /** Maximum points this factor can add (weights sum to 100). */
  weight: number;
  /** Points this factor added, 0..weight. */
  contribution: number;
}

export interface Override {
  tier: Tier;
  reason: string;
  at: string;
}

export interface ScoreView {
  score: number;
  /** Effective tier: the override when there is one, else the computed tier. */
  tier: Tier;
  computedTier: Tier;
  nextAction: NextAction;
  factors: Factor[];
  override: Override | null;
  computedAt: string;
  asOf: IsoDate;
}

export interface BucketTotal {
  bucket: Bucket;
  cents: number;
  count: number;
}

export interface CurrencySummary {
  currency: string;
  outstandingCents: number;
  overdueCents: number;
  openInvoices: number;
  overdueInvoices: number;
  customersOverdue: number;
  /** Days sales outstanding over the last 90 days of sales, or null without sales. */
  dsoDays: number | null;
  buckets: BucketTotal[];
}

export interface BoardSummary {
  asOf: IsoDate;
  currencies: CurrencySummary[];
  promisesDueToday: number;
  lastSyncedAt: string | null;
}

export interface QueueInvoice {
  id: number;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  daysOverdue: number;
  bucket: Bucket;
  totalCents: number;
  balanceCents: number;
  currency: string;
  score: number;
  tier: Tier;
  nextAction: NextAction;
}

export interface CustomerAmount {
  currency: string;
  balanceCents: number;
  overdueCents: number;
}

/** One customer in the prioritised queue; expands to the invoices that matched the filter. */
export interface QueueRow {
  customerId: number;
  name: string;
  email: string | null;
  score: number;
  tier: Tier;
  tierOverridden: boolean;
  nextAction: NextAction;
  amounts: CustomerAmount[];
  oldestDaysOverdue: number;
  lastContactAt: string | null;
  promise: { date: IsoDate; cents: number; currency: string } | null;
  disputed: boolean;
  invoices: QueueInvoice[];
}

export type QueueSort = 'priority' | 'amount' | 'overdue' | 'name' | 'last_contact';

export interface BoardView {
  connection: ConnectionSummary | null;
  summary: BoardSummary;
  /** Currencies present in the open ledger, for the currency filter. */
  currencies: string[];
  /** `total` customers and `invoices` invoices matched; `rows` is the requested page. */
  queue: { total: number; invoices: number; offset: number; rows: QueueRow[] };
}

export interface CustomerInfo {
  id: number;
  name: string;
  companyName: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  termsLabel: string | null;
  termsDays: number | null;
  currency: string;
  parent: { id: number; name: string } | null;
}

export interface PaymentStats {
  /** Mean days from issue to full payment over paid invoices, or null without history. */
  avgDaysToPay: number | null;
  /** Mean days paid after the due date (negative = early), or null without history. */
  avgDaysLate: number | null;
  paidInvoices: number;
  /** Median invoice total in the customer's main currency. */
  typicalInvoice: { cents: number; currency: string } | null;
}

export type TimelineKind = 'invoice' | 'payment' | 'credit' | 'note' | 'contact' | 'override' | 'void';

export interface TimelineEntry {
  /** A ledger date (YYYY-MM-DD) or an ISO instant. */
  at: string;
  kind: TimelineKind;
  title: string;
  detail: string | null;
  cents: number | null;
  currency: string | null;
  invoiceId: number | null;
  /** For invoices: the due date, kept structured so the view can format it for the locale. */
  dueDate: string | null;
}

export interface CustomerDetail {
  customer: CustomerInfo;
  stats: PaymentStats;
  amounts: CustomerAmount[];
  score: ScoreView | null;
  openInvoices: QueueInvoice[];
  timeline: TimelineEntry[];
}

export type InvoiceStatus = 'open' | 'paid' | 'void' | 'draft';

export interface InvoiceDetail {
  id: number;
  number: string;
  customer: { id: number; name: string };
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  totalCents: number;
  balanceCents: number;
  status: InvoiceStatus;
  memo: string | null;
  daysOverdue: number;
  bucket: Bucket | null;
  applications: { kind: 'payment' | 'credit'; date: IsoDate; cents: number; reference: string | null }[];
  score: ScoreView | null;
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  theme: Theme;
  /** BCP 47 locale for money and dates; null follows the OS. */
  locale: string | null;
  syncIntervalMinutes: number;
  activeConnectionId: string | null;
  /** The loopback redirect URI registered with the provider (OAuth sign-in lands here). */
  oauthRedirectUri: string;
  /** An https relay registered as QuickBooks' redirect URI (production keys forbid localhost); it forwards code, state and realmId to oauthRedirectUri. */
  qboRelayUrl: string | null;
  /** The Intuit app's client ID (not a secret; the client secret lives in the SecretStore). */
  qboClientId: string | null;
  /** The Xero app's "Auth Code with PKCE" client ID (no secret exists). */
  xeroClientId: string | null;
  /** Xero's pricing tier: 'standard' meters 5,000 calls a day per organisation, 'starter' 1,000. */
  xeroTier: 'standard' | 'starter';
  /** Ask Xero for the legacy broad scopes (apps created before granular scopes). */
  xeroLegacyScopes: boolean;
  /** Closing the window keeps Settle running in the tray (Windows/Linux; macOS keeps its dock behaviour). */
  closeToTray: boolean;
  /** Start Settle when the owner logs in (desktop app only). */
  launchAtLogin: boolean;
  /** ISO instant until which follow-up notifications are paused; null when they are not. */
  notificationsPausedUntil: string | null;
}

/**
 * Settings → Payment details, per company: the business's own bank details, pay link, phone and
 * reply-to address. They are facts of every new draft, so a reminder may give these (and the
 * ledger's pay link) while any other bank details, link, phone number or address is flagged.
 */
export interface PaymentDetailsView {
  connectionId: string;
  /** Free text as the owner pasted it (IBAN, BIC, account number and sort code, routing number…). */
  bankDetails: string | null;
  /** The owner's own https payment page. */
  payLink: string | null;
  phone: string | null;
  /** The address customers should reply to. */
  replyTo: string | null;
  /** When the owner last changed them (ISO instant); null when never set. */
  updatedAt: string | null;
}

export interface SyncRun {
  id: number;
  connectionId: string;
  kind: string;
  status: 'running' | 'ok' | 'failed' | 'aborted';
  startedAt: string;
  finishedAt: string | null;
  requests: number;
  records: number;
  error: string | null;
  /** Records skipped or problems noticed, counted. */
  warnings: number;
  /** The first warning lines (at most 100). */
  warningLines: string[];
  /** What started it: 'start', 'interval', 'manual', 'online', 'connect', 'cli'; null for older runs. */
  trigger: string | null;
  /** When a provider limit stopped the run: the instant it lifts. */
  retryAt: string | null;
}

export interface SyncStatus {
  online: boolean;
  running: boolean;
  connections: ConnectionSummary[];
  lastRun: SyncRun | null;
  /** Per connection id: the last comparison with the provider's own figures (QuickBooks' A/R aging, Xero's contact balances). */
  crossChecks?: Record<string, CrossCheckInfo>;
  /** Per connection id: the last finished sync run (for "Last sync: N records, M warnings"). */
  lastRuns?: Record<string, SyncRun>;
  /** Per Xero connection id: today's API call budget (calls used out of the daily limit). */
  budgets?: Record<string, ApiBudget>;
}

/** One customer whose balance in Settle differs from the provider's aging report. */
export interface CrossCheckMismatchInfo {
  name: string;
  /** The provider's figure: QuickBooks' aging report, or Xero's contact balance (the name predates Xero). */
  qboCents: number;
  localCents: number;
  /** When it differs from the check's currency (a Xero contact in a foreign currency). */
  currency?: string;
}

/** The last cross-check of a connection against QuickBooks' AgedReceivables report or Xero's contact balances. */
export interface CrossCheckInfo {
  checkedAt: string;
  /** The report date (the company's today). */
  asOf: string | null;
  currency: string;
  /** Customers compared (foreign-currency customers are left out). */
  checked: number;
  mismatches: CrossCheckMismatchInfo[];
}

/** How one connection's sync ended (sync.run). */
export interface SyncRunOutcome {
  connectionId: string;
  /** 'skipped': the company could not sync at all (needs reconnect, disconnected…); `error` says why. */
  status: 'ok' | 'failed' | 'aborted' | 'skipped';
  kind: 'full' | 'incremental' | null;
  records: number;
  requests: number;
  warnings: number;
  /** The first warning lines (at most 100). */
  warningLines: string[];
  error: string | null;
  needsReconnect: boolean;
  /** When a provider limit stopped the run: the instant it lifts. */
  retryAt: string | null;
  durationMs: number;
}

export interface SyncRunResult {
  runs: SyncRunOutcome[];
}

export interface SyncProgress {
  connectionId: string;
  phase: 'start' | 'fetch' | 'write' | 'score' | 'done' | 'error';
  done: number;
  total: number | null;
  message: string;
}

export interface LedgerChanged {
  connectionId: string | null;
  reason: 'sync' | 'demo' | 'override' | 'remove' | 'settings' | 'connection';
}

// ---- drafts, AI and templates (issue 5) ----

export type DraftTone = 'friendly' | 'firm' | 'final';
export const DRAFT_TONES: readonly DraftTone[] = ['friendly', 'firm', 'final'];
export const DRAFT_TONE_LABELS: Record<DraftTone, string> = { friendly: 'Friendly', firm: 'Firm', final: 'Final notice' };
export type DraftStatus = 'draft' | 'pending_approval' | 'approved' | 'rejected' | 'superseded' | 'cancelled' | 'failed';
export const DRAFT_STATUS_LABELS: Record<DraftStatus, string> = {
  draft: 'Draft',
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  superseded: 'Superseded',
  cancelled: 'Cancelled',
  failed: 'Failed',
};
/** 'user' once the owner has edited the text. */
export type DraftSourceKind = 'ai' | 'template' | 'user';

/** One figure the fact-check found in the subject or the body; offsets index that field's text. */
export interface DraftFinding {
  field: 'subject' | 'body';
  /** account: IBAN, SWIFT/BIC, account, sort, routing or card number, wallet; claim: "nothing is owed", a waiver or discount; words: an amount in words; hidden: invisible characters. */
  kind: 'amount' | 'date' | 'invoice' | 'days' | 'percent' | 'email' | 'link' | 'account' | 'phone' | 'handle' | 'claim' | 'words' | 'hidden';
  text: string;
  start: number;
  end: number;
  /** Anything but 'ok' is a flag that blocks submitting without a reason. */
  status: 'ok' | 'mismatch' | 'unknown' | 'ambiguous';
  expected?: string;
  note?: string;
}

export interface DraftInvoiceFact {
  id: number;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** Days past due on the facts' asOf (0 on the due date, negative before it). */
  daysOverdue: number;
  currency: string;
  totalCents: number;
  /** Open balance on asOf. */
  balanceCents: number;
}

export interface DraftMoneyFact {
  date: IsoDate;
  cents: number;
  currency: string;
  invoiceNumber: string;
  reference: string | null;
}

/** The ledger facts a draft was built from, display-friendly (no customer-written notes). */
export interface DraftFactsView {
  asOf: IsoDate;
  locale: string;
  totals: { currency: string; balanceCents: number; overdueCents: number; invoices: number }[];
  payments: DraftMoneyFact[];
  credits: DraftMoneyFact[];
  promises: { date: IsoDate; cents: number; currency: string }[];
}

export interface DraftView {
  id: number;
  connectionId: string;
  scope: 'customer' | 'invoice';
  customer: { id: number; name: string; email: string | null };
  invoices: DraftInvoiceFact[];
  channel: 'email';
  tone: DraftTone;
  /** Why this tone is the default for the customer, e.g. "92 days overdue". */
  toneReason: string;
  subject: string;
  body: string;
  source: DraftSourceKind;
  model: string | null;
  promptVersion: string | null;
  status: DraftStatus;
  facts: DraftFactsView;
  findings: DraftFinding[];
  /** Findings that are not 'ok'. */
  flagged: number;
  overrideReason: string | null;
  /** Add the ledger's online payment link when sent (drafts.setOptions). */
  payLink: boolean;
  /** Attach the invoice PDF from the ledger when sent (drafts.setOptions). */
  attachPdf: boolean;
  createdAt: string;
  updatedAt: string;
  /** Set by create/regenerate when the AI could not draft and the template was used instead. */
  notice?: string | null;
}

/** The fact-check of unsaved text (drafts.check). */
export interface DraftCheckView {
  findings: DraftFinding[];
  flagged: number;
}

/** A piece of AI text streaming into a draft, with the text parsed so far. */
export interface DraftToken {
  draftId: number;
  customerId: number;
  delta: string;
  subject: string;
  body: string;
}

export type AiProvider = 'off' | 'openai' | 'compatible';

/** Settings → AI. The key itself never leaves the SecretStore; only whether one is stored. */
export interface AiSettingsView {
  provider: AiProvider;
  baseURL: string | null;
  model: string;
  hasKey: boolean;
  /** The URL drafts would go to (environment overrides included), or null when AI is off. */
  effectiveBaseURL: string | null;
  promptVersion: string;
}

export type AiTestResult =
  | { ok: true; baseURL: string; model: string; models: string[] | null; latencyMs: number }
  | { ok: false; baseURL: string | null; kind: string; message: string };

export interface TemplateView {
  tone: DraftTone;
  label: string;
  subject: string;
  body: string;
  /** false while the built-in template is used. */
  custom: boolean;
}

export interface TemplatesView {
  templates: TemplateView[];
  placeholders: { name: string; description: string }[];
}
