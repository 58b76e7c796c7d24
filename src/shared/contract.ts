// THE API between the renderer and the core. Every method is declared once here: its name,
// a zod schema for its input and its output type. Electron IPC, the preload, the loopback
// bridge and the in-process test transport are all generated from this one table.
import { z } from 'zod';
import { isIsoDate } from './dates';
import type {
  AiSettingsView,
  AiTestResult,
  BoardView,
  ConnectionSummary,
  CustomerDetail,
  DraftCheckView,
  DraftToken,
  DraftView,
  InvoiceDetail,
  LedgerChanged,
  PaymentDetailsView,
  ScoreView,
  Settings,
  SyncProgress,
  SyncRunResult,
  SyncStatus,
  TemplatesView,
} from './model';
import type {
  DisputeItem,
  FollowupChanged,
  NotificationItem,
  PauseItem,
  PlanItem,
  PlanPreview,
  PromiseCreated,
  PromiseGroupsView,
  ReplyApplied,
  ReplyTriageResult,
} from './followup';
import type { XeroPendingConnect, XeroReminderInfo } from './xero';
import type { ApprovalsResult, ApprovalsView, RulesSettings } from './approvals';
import type { OutboxChanged, OutboxItemView, OutboxProcessResult, OutboxSettingsView, OutboxView } from './outbox';
import { ACTIVITY_FAMILIES, type ActivityExport, type ActivityPage, type AuditCheck } from './activity';
import type { EmailSettingsView, EmailTestResult } from './email';

const isoDate = z.string().refine(isIsoDate, { message: 'Expected a date as YYYY-MM-DD' });
const id = z.number().int().positive();
const tier = z.enum(['high', 'medium', 'low']);
const bucket = z.enum(['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus']);
const currency = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code');
const empty = z.object({}).strict().optional();

export const BoardQuery = z
  .object({
    asOf: isoDate.optional(),
    tiers: z.array(tier).max(3).optional(),
    bucket: bucket.nullable().optional(),
    currency: currency.nullable().optional(),
    search: z.string().max(200).optional(),
    /** 'overdue' (default) lists overdue invoices; 'open' adds those not yet due. */
    scope: z.enum(['overdue', 'open']).optional(),
    sort: z.enum(['priority', 'amount', 'overdue', 'name', 'last_contact']).optional(),
    dir: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();

export const SettingsPatch = z
  .object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    locale: z
      .string()
      .max(35)
      .refine((l) => {
        try {
          return Intl.getCanonicalLocales(l).length === 1;
        } catch {
          return false;
        }
      }, 'Expected a BCP 47 locale such as en-US')
      .nullable()
      .optional(),
    syncIntervalMinutes: z.number().int().min(5).max(24 * 60).optional(),
    activeConnectionId: z.string().min(1).max(100).nullable().optional(),
    oauthRedirectUri: z
      .string()
      .max(200)
      .refine((u) => {
        if (!URL.canParse(u)) return false;
        const url = new URL(u);
        return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.port !== '';
      }, 'Expected a loopback redirect URI with a port, such as http://localhost:53682/callback')
      .optional(),
    qboRelayUrl: z
      .string()
      .max(500)
      .refine((u) => URL.canParse(u) && new URL(u).protocol === 'https:', 'Expected an https:// relay URL')
      .nullable()
      .optional(),
    qboClientId: z.string().trim().min(1).max(200).nullable().optional(),
    xeroClientId: z.string().trim().min(1).max(200).nullable().optional(),
    xeroTier: z.enum(['standard', 'starter']).optional(),
    xeroLegacyScopes: z.boolean().optional(),
    closeToTray: z.boolean().optional(),
    launchAtLogin: z.boolean().optional(),
    notificationsPausedUntil: z.string().datetime({ offset: true }).nullable().optional(),
  })
  .strict();

// ---- Settings → Payment details (issue 11) ----
/** A field the owner may clear: null, or a string that is empty once trimmed, clears it; any other text must pass `field`. */
const clearable = (field: z.ZodType<string, string>) =>
  z
    .string()
    .trim()
    .transform((s) => (s === '' ? null : s))
    .pipe(field.nullable())
    .nullable()
    .optional();
const companyId = z.string().min(1).max(100);

export const PaymentDetailsInput = z
  .object({
    /** Defaults to the active company. */
    connectionId: companyId.optional(),
    /** Several lines as the owner would paste them (IBAN, BIC, account number and sort code…). */
    bankDetails: clearable(
      z
        .string()
        .max(1_000, { message: 'Bank details can be at most 1,000 characters', abort: true })
        // eslint-disable-next-line no-control-regex
        .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'Bank details can hold only text and line breaks')
        .transform((s) => s.replace(/\r\n?/g, '\n')),
    ),
    payLink: clearable(
      z
        .string()
        .max(500, { message: 'The pay link can be at most 500 characters', abort: true })
        .refine((u) => {
          if (!URL.canParse(u)) return false;
          const url = new URL(u);
          // A user name in a link (https://yourbank.com@elsewhere.example) hides where it goes.
          return url.protocol === 'https:' && url.hostname.includes('.') && url.username === '' && url.password === '';
        }, 'The pay link must be an https:// address such as https://pay.example.com/your-business'),
    ),
    phone: clearable(
      z
        .string()
        .max(60, { message: 'The phone number can be at most 60 characters', abort: true })
        .regex(/^[0-9 +\-().]+$/, { message: 'Use only digits, spaces and + - ( ) . in the phone number', abort: true })
        .refine((s) => (s.match(/[0-9]/g)?.length ?? 0) >= 6, 'A phone number needs at least 6 digits'),
    ),
    replyTo: clearable(z.string().max(320, { message: 'The reply-to address can be at most 320 characters', abort: true }).pipe(z.email('The reply-to address must be an email address such as accounts@example.com'))),
  })
  .strict();

// ---- drafts, AI and templates (issue 5) ----
const tone = z.enum(['friendly', 'firm', 'final']);
const draftStatus = z.enum(['draft', 'pending_approval', 'approved', 'rejected', 'superseded', 'cancelled', 'failed']);
const draftText = { subject: z.string().max(1_000), body: z.string().max(40_000) };
const draftOptions = { tone: tone.optional(), mode: z.enum(['auto', 'template', 'ai']).optional() };

export const AiSettingsInput = z
  .object({
    provider: z.enum(['off', 'openai', 'compatible']).optional(),
    baseURL: z.string().trim().max(500).nullable().optional(),
    model: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

// ---- email (SMTP) settings (issue 5) ----
/** One line of header text: CR/LF would let a value inject headers. */
const headerText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), 'Must be a single line');
const emailAddress = z.string().trim().max(254).pipe(z.email('Expected an email address such as you@example.com'));

export const EmailSettingsInput = z
  .object({
    host: z
      .string()
      .trim()
      .max(253)
      .regex(/^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$|^[0-9a-fA-F:]+$/, 'Expected a server name such as smtp.example.com (without smtp:// or a port)')
      .nullable()
      .optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    tls: z.enum(['implicit', 'starttls', 'none']).optional(),
    user: headerText(254).nullable().optional(),
    fromAddress: emailAddress.nullable().optional(),
    fromName: headerText(200).nullable().optional(),
    replyTo: emailAddress.nullable().optional(),
    /** Confirms sending without encryption to a server that is not this computer. */
    allowInsecure: z.boolean().optional(),
  })
  .strict();

// ---- activity (audit log) filters ----
const localeTag = z
  .string()
  .max(35)
  .refine((l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1;
    } catch {
      return false;
    }
  }, 'Expected a BCP 47 locale such as en-US');

const activityFilter = {
  families: z.array(z.enum(ACTIVITY_FAMILIES)).max(ACTIVITY_FAMILIES.length).optional(),
  customerId: id.optional(),
  /** Local calendar dates, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  search: z.string().max(200).optional(),
};
const datesInOrder = (f: { from?: string; to?: string }): boolean => !f.from || !f.to || f.from <= f.to;
const datesInOrderIssue = { message: 'The start date must not be after the end date', path: ['to'] };

const outboxChannel = z.enum(['smtp', 'ledger', 'manual']);
const draftIds = z.array(id).min(1, 'Choose at least one draft').max(1_000);
const hour = z.number().int().min(0).max(24);

export const RulesPatch = z
  .object({
    amountThreshold: z.number().min(0).max(1e12).optional(),
    currencyThresholds: z.record(currency, z.number().min(0).max(1e12)).optional(),
    quietDays: z.number().int().min(0).max(365).optional(),
    maxRemindersPer30Days: z.number().int().min(1).max(30).optional(),
    sendWindow: z
      .object({ startHour: hour, endHour: hour, days: z.array(z.number().int().min(1).max(7)).max(7) })
      .strict()
      .refine((w) => w.startHour < w.endHour, { message: 'The send window must end after it starts', path: ['endHour'] })
      .optional(),
    phase: z.enum(['monitor', 'approve', 'auto_low']).optional(),
    autoLowThreshold: z.number().min(0).max(1e12).optional(),
    autoLowDailyCap: z.number().int().min(0).max(1_000).optional(),
  })
  .strict();

/** Declares a method: `def<Output>()(inputSchema, doc)`. */
const def =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string) => ({ input, doc, output: undefined as unknown as O });

export const methods = {
  'board.get': def<BoardView>()(
    BoardQuery.optional(),
    'Summary figures, aging buckets and one page of the prioritised queue, filtered and sorted.',
  ),
  'customers.get': def<CustomerDetail>()(
    z.object({ customerId: id, asOf: isoDate.optional() }).strict(),
    'One customer: contact, terms, payment habits, score, open invoices and timeline.',
  ),
  'invoices.get': def<InvoiceDetail>()(
    z.object({ invoiceId: id, asOf: isoDate.optional() }).strict(),
    'One invoice with its payments, credits and score.',
  ),
  'scores.explain': def<ScoreView>()(
    z.union([z.object({ invoiceId: id }).strict(), z.object({ customerId: id }).strict()]),
    'Why a customer or invoice scored as it did: each factor with its weight and points.',
  ),
  'scores.override': def<ScoreView>()(
    z
      .object({
        customerId: id,
        /** null clears the override. */
        tier: tier.nullable(),
        reason: z.string().trim().max(500),
      })
      .strict()
      .refine((v) => v.tier === null || v.reason.length >= 3, {
        message: 'Say why you are overriding the tier (at least 3 characters)',
        path: ['reason'],
      }),
    "Sets or clears the owner's tier for a customer; audited and kept across recomputes.",
  ),
  'scores.recompute': def<{ scored: number; asOf: string }>()(
    empty,
    "Rescores the active company's open invoices as of today (imports and syncs do this themselves).",
  ),
  'settings.get': def<Settings>()(empty, 'The owner-facing settings.'),
  'settings.set': def<Settings>()(SettingsPatch, 'Changes some settings and returns them all.'),
  'paymentDetails.get': def<PaymentDetailsView>()(
    z.object({ connectionId: companyId.optional() }).strict().optional(),
    "Settings → Payment details: a company's own bank details, pay link, phone and reply-to address (the active company by default).",
  ),
  'paymentDetails.set': def<PaymentDetailsView>()(
    PaymentDetailsInput,
    "Changes a company's payment details (null or an empty string clears one); they become facts of every new draft. Audited.",
  ),
  'demo.create': def<ConnectionSummary>()(
    z
      .object({
        invoices: z.number().int().min(10).max(100_000).optional(),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      })
      .strict()
      .optional(),
    'Creates (or replaces) the demo company and makes it the active company.',
  ),
  'demo.reset': def<ConnectionSummary>()(empty, 'Regenerates the demo company as of today with its seed.'),
  'demo.remove': def<null>()(empty, 'Deletes the demo company; it is not re-created on start.'),
  'sync.status': def<SyncStatus>()(empty, 'Connections, the last sync run, and whether the network is up.'),
  'sync.run': def<SyncRunResult>()(
    z.object({ connectionId: z.string().min(1).max(100).optional(), full: z.boolean().optional() }).strict().optional(),
    'Syncs one company (or every connected one) now and returns how each run ended.',
  ),
  'sync.stop': def<{ stopped: boolean }>()(
    empty,
    'Stops the sync that is running, and any waiting: each ends after its last saved page, so the next sync continues from there.',
  ),
  'sync.online': def<null>()(
    z.object({ online: z.boolean() }).strict(),
    "The page's view of the network, for browser mode (no other sensor there): coming back online starts a sync.",
  ),
  'connections.list': def<ConnectionSummary[]>()(empty, 'Every company: demo, QuickBooks, Xero, with its status.'),
  'connections.connectQbo': def<ConnectionSummary>()(
    z
      .object({
        clientId: z.string().trim().min(1).max(200).optional(),
        clientSecret: z.string().min(1).max(500).optional(),
        /** Reconnect this company: a sign-in that chooses another company is refused. */
        connectionId: z.string().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
    'Connects (or reconnects) a QuickBooks company through the browser sign-in and starts its first sync.',
  ),
  'connections.connectXero': def<XeroPendingConnect>()(
    z.object({ clientId: z.string().trim().min(1).max(200).optional(), connectionId: z.string().min(1).max(100).optional() }).strict().optional(),
    'Signs in to Xero in the browser (PKCE) and lists the organisations authorised; the sign-in waits under pendingId for connections.addXeroTenants.',
  ),
  'connections.addXeroTenants': def<ConnectionSummary[]>()(
    z.object({ pendingId: z.string().min(1).max(100), tenantIds: z.array(z.string().min(1).max(100)).min(1).max(50) }).strict(),
    'Connects the chosen organisations of a Xero sign-in, one company each, and starts their first syncs.',
  ),
  'connections.cancelXero': def<null>()(
    z.object({ pendingId: z.string().min(1).max(100) }).strict(),
    'Drops a Xero sign-in whose organisations were not added, and revokes it.',
  ),
  'connections.xeroReminders': def<XeroReminderInfo>()(
    z.object({ connectionId: z.string().min(1).max(100) }).strict(),
    "Whether Xero's own invoice reminders are on for this organisation (so a customer is not chased twice).",
  ),
  'connections.disconnect': def<ConnectionSummary>()(
    z.object({ connectionId: z.string().min(1).max(100) }).strict(),
    'Revokes and forgets the sign-in, stops syncing, and keeps the synced data (marked disconnected).',
  ),
  'drafts.create': def<DraftView>()(
    z.union([z.object({ customerId: id, ...draftOptions }).strict(), z.object({ invoiceId: id, ...draftOptions }).strict()]),
    "Drafts a reminder for a customer's overdue invoices or one invoice, by template or AI (streams drafts.token).",
  ),
  'drafts.get': def<DraftView>()(z.object({ draftId: id }).strict(), 'One draft with its facts and fact-check.'),
  'drafts.list': def<DraftView[]>()(
    z.object({ customerId: id.optional(), status: draftStatus.optional() }).strict().optional(),
    "The active company's drafts (or one customer's), newest first.",
  ),
  'drafts.check': def<DraftCheckView>()(
    z.object({ draftId: id, ...draftText }).strict(),
    "Fact-checks unsaved text against the draft's facts (nothing is stored).",
  ),
  'drafts.update': def<DraftView>()(
    z.object({ draftId: id, ...draftText }).strict(),
    "Saves the owner's edit, re-runs the fact-check and audits the change as a diff summary.",
  ),
  'drafts.regenerate': def<DraftView>()(
    z.object({ draftId: id, ...draftOptions }).strict(),
    "Writes the draft again (optionally in another tone) from the ledger's current facts.",
  ),
  'drafts.cancel': def<DraftView>()(z.object({ draftId: id }).strict(), 'Cancels a draft that has not been approved.'),
  'drafts.submit': def<DraftView>()(
    z
      .object({ draftId: id, overrideReason: z.string().trim().max(500).optional() })
      .strict()
      .refine((v) => v.overrideReason === undefined || v.overrideReason.length >= 3, {
        message: 'Say why you are submitting despite the flags (at least 3 characters)',
        path: ['overrideReason'],
      }),
    'Submits a draft for approval; refused while fact-check flags remain unless overridden with a reason (audited).',
  ),
  'ai.get': def<AiSettingsView>()(empty, 'Settings → AI: provider, base URL, model and whether a key is stored (never the key).'),
  'ai.set': def<AiSettingsView>()(AiSettingsInput, 'Changes the AI provider, base URL or model.'),
  'ai.setKey': def<AiSettingsView>()(
    z.object({ key: z.string().trim().min(1).max(500).nullable() }).strict(),
    'Stores the AI API key in the keychain (write-only; null removes it).',
  ),
  'ai.test': def<AiTestResult>()(empty, 'Tests the configured AI endpoint, key and model.'),
  'email.get': def<EmailSettingsView>()(empty, 'Settings → Email: the SMTP server, sender and whether a password is stored (never the password).'),
  'email.set': def<EmailSettingsView>()(EmailSettingsInput, 'Changes the SMTP server, TLS mode, user or sender after validating them (audited).'),
  'email.setPassword': def<EmailSettingsView>()(
    z.object({ password: z.string().min(1).max(500).nullable() }).strict(),
    'Stores the SMTP password in the keychain (write-only; null removes it).',
  ),
  'email.test': def<EmailTestResult>()(
    z.object({ to: emailAddress.optional() }).strict().optional(),
    "Sends a test email (to the from address unless given) and reports success or the server's own error.",
  ),
  'templates.get': def<TemplatesView>()(empty, 'The reminder template for each tone, with the placeholders they may use.'),
  'templates.set': def<TemplatesView>()(
    z.object({ tone, ...draftText }).strict(),
    "Replaces one tone's template after validating it.",
  ),
  'templates.reset': def<TemplatesView>()(z.object({ tone }).strict(), "Restores one tone's built-in template."),
  // ---- follow-up: promises, disputes, plans, reply triage, notifications (issue 6) ----
  'promises.list': def<PromiseGroupsView>()(
    z.object({ customerId: id.optional() }).strict().optional(),
    "The active company's (or one customer's) promises to pay, grouped Today, Upcoming, Broken and Kept.",
  ),
  'promises.create': def<PromiseCreated>()(
    z
      .object({
        customerId: id,
        invoiceIds: z.array(id).min(1, 'Choose the invoices the promise covers').max(500),
        date: isoDate,
        amountCents: z.number().int().positive('The promised amount must be more than zero'),
        currency,
        madeVia: z.enum(['email', 'phone', 'in_person', 'reply', 'plan', 'other']),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    'Records a promise to pay on some open invoices; refuses past dates, amounts over the balance and paid invoices.',
  ),
  'promises.cancel': def<PromiseGroupsView>()(
    z.object({ promiseId: id }).strict(),
    "Withdraws a promise that was not kept; returns the customer's promises.",
  ),
  'disputes.open': def<DisputeItem>()(
    z
      .object({
        customerId: id,
        invoiceIds: z.array(id).min(1, 'Choose the invoices the customer disputes').max(500),
        reason: z.enum(['pricing', 'duplicate', 'not_received', 'quality', 'not_ordered', 'cancelled', 'returned', 'other']),
        detail: z.string().max(2000).optional(),
      })
      .strict(),
    'Opens a dispute on invoices: outreach pauses for them and the score holds until it is resolved.',
  ),
  'disputes.resolve': def<DisputeItem>()(
    z
      .object({
        disputeId: id,
        resolution: z.enum(['credit_issued', 'invoice_corrected', 'customer_accepted', 'written_off', 'other']),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    'Resolves an open dispute, saying how.',
  ),
  'disputes.list': def<DisputeItem[]>()(
    z.object({ customerId: id.optional() }).strict().optional(),
    "The active company's (or one customer's) disputes, open ones first.",
  ),
  'plans.preview': def<PlanPreview>()(
    z
      .object({
        balanceCents: z.number().int(),
        currency,
        instalments: z.number().int().nullable().optional(),
        amountCents: z.number().int().nullable().optional(),
        frequency: z.enum(['weekly', 'fortnightly', 'monthly']),
        startDate: isoDate,
      })
      .strict(),
    'A payment plan schedule in exact cents (the last instalment absorbs the rounding); nothing is saved.',
  ),
  'replies.triage': def<ReplyTriageResult>()(
    z.object({ customerId: id, text: z.string().min(1).max(20_000), receivedOn: isoDate.nullable() }).strict(),
    "Classifies a customer's pasted reply and proposes updates for the owner to approve (rules mode).",
  ),
  'replies.apply': def<ReplyApplied>()(
    z
      .object({
        customerId: id,
        actions: z
          .array(
            z.discriminatedUnion('kind', [
              z
                .object({
                  kind: z.literal('create_promise'),
                  invoiceIds: z.array(id).min(1, 'Choose the invoices the promise covers').max(500),
                  date: isoDate,
                  amountCents: z.number().int().positive('The promised amount must be more than zero'),
                  currency,
                  note: z.string().max(2000),
                })
                .strict(),
              z
                .object({
                  kind: z.literal('open_dispute'),
                  invoiceIds: z.array(id).min(1, 'Choose the invoices the customer disputes').max(500),
                  reason: z.enum(['pricing', 'duplicate', 'not_received', 'quality', 'not_ordered', 'cancelled', 'returned', 'other']),
                  detail: z.string().max(2000),
                })
                .strict(),
              z.object({ kind: z.literal('pause_outreach'), until: isoDate, reason: z.string().max(500) }).strict(),
              z.object({ kind: z.literal('recheck_ledger') }).strict(),
            ]),
          )
          .min(1, 'Choose at least one update to apply')
          .max(20),
      })
      .strict(),
    'Applies the triage proposals the owner chose, as edited, in one audited transaction (a re-check starts a sync).',
  ),
  'pauses.list': def<PauseItem[]>()(
    z.object({ customerId: id.optional() }).strict().optional(),
    "Outreach pauses not yet over, for the active company or one customer.",
  ),
  'pauses.create': def<PauseItem[]>()(
    z
      .object({ customerId: id, until: isoDate, reason: z.string().max(500), invoiceIds: z.array(id).max(500).nullable().optional() })
      .strict(),
    "Pauses outreach to a customer (or some invoices) until a date: approvals hold their drafts; returns the customer's pauses.",
  ),
  'pauses.remove': def<PauseItem[]>()(z.object({ pauseId: id }).strict(), "Ends a pause now; returns the customer's pauses."),
  'plans.list': def<PlanItem[]>()(
    z.object({ customerId: id.optional() }).strict().optional(),
    "Payment plans of the active company or one customer, live ones first, with each instalment's promise.",
  ),
  'plans.save': def<PlanItem>()(
    z
      .object({
        customerId: id,
        invoiceIds: z.array(id).min(1, 'Choose the invoices the plan covers').max(500),
        instalments: z.number().int().nullable().optional(),
        amountCents: z.number().int().nullable().optional(),
        frequency: z.enum(['weekly', 'fortnightly', 'monthly']),
        startDate: isoDate,
      })
      .strict(),
    "Saves a proposed payment plan over open invoices (their balance today), in exact cents.",
  ),
  'plans.propose': def<DraftView>()(
    z.object({ planId: id, tone: tone.optional() }).strict(),
    'Drafts the proposal of a saved plan: its schedule is in the facts, so the fact-check accepts its amounts and dates.',
  ),
  'plans.accept': def<PlanItem>()(
    z.object({ planId: id }).strict(),
    'The customer accepted: records one promise per instalment; the plan then follows them (active, behind, completed).',
  ),
  'plans.cancel': def<PlanItem>()(z.object({ planId: id }).strict(), 'Cancels a plan and withdraws its instalments not yet kept.'),
  'promises.followUp': def<DraftView>()(
    z.object({ promiseId: id }).strict(),
    'Drafts a firm follow-up to a broken promise, with the promise (date and amount) in the facts.',
  ),
  'notifications.list': def<NotificationItem[]>()(empty, 'Notifications Settle showed, newest first (the in-app notification centre).'),
  // ---- approvals and rules (issue 5) ----
  'approvals.list': def<ApprovalsView>()(empty, 'Drafts waiting for approval, by customer priority, each with the reasons it needs a human.'),
  'approvals.approve': def<ApprovalsResult>()(
    z.object({ draftIds: draftIds, channel: outboxChannel.optional() }).strict(),
    'Approves waiting drafts and queues each in the outbox (channel: the default unless given), in one transaction; refused ones fail per item with nothing written.',
  ),
  'approvals.reject': def<ApprovalsResult>()(
    z.object({ draftIds: draftIds, reason: z.string().trim().max(500).optional() }).strict(),
    'Rejects waiting drafts in one transaction with an optional reason (audited per draft).',
  ),
  'rules.get': def<RulesSettings>()(empty, 'The approval rules and autonomy phase (Settings → Rules).'),
  // ---- the outbox: sending what was approved (issue 5, items 5 and 6) ----
  'outbox.list': def<OutboxView>()(
    z
      .object({
        connectionId: z.string().min(1).max(100).optional(),
        state: z.enum(['queued', 'sending', 'awaiting_owner', 'unconfirmed', 'sent', 'failed', 'blocked', 'cancelled']).optional(),
        customerId: id.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict()
      .optional(),
    "The active company's outbox (or one customer's), most recently changed first, with counts per state.",
  ),
  'outbox.get': def<OutboxItemView>()(z.object({ itemId: id }).strict(), 'One outbox item: state, channel, recipients, tries, errors, write-back.'),
  'outbox.process': def<OutboxProcessResult>()(empty, 'Re-checks and sends every due item now (the app also does this every 30 s while online).'),
  'outbox.cancel': def<OutboxItemView>()(
    z.object({ itemId: id, reason: z.string().trim().max(500).optional() }).strict(),
    'Cancels a reminder not yet sent (also an auto-send during its 10-minute wait); audited.',
  ),
  'outbox.confirmSent': def<OutboxItemView>()(
    z.object({ itemId: id }).strict(),
    'The owner says it went out: a manual reminder they sent, or one that may have been sent when Settle stopped; audited.',
  ),
  'outbox.requeue': def<OutboxItemView>()(
    z.object({ itemId: id }).strict(),
    'Queues again, with the same idempotency key, a reminder that failed or may have been sent; audited.',
  ),
  'outbox.redraft': def<DraftView>()(
    z.object({ itemId: id }).strict(),
    "Replaces a held, failed or cancelled reminder with a fresh draft from the ledger's current facts.",
  ),
  'outbox.settings': def<OutboxSettingsView>()(empty, 'The default channel and, per company, whether a note is written back to the ledger after a send.'),
  'outbox.configure': def<OutboxSettingsView>()(
    z
      .object({
        /** null: follow whether email is set up. */
        defaultChannel: outboxChannel.nullable().optional(),
        writeBack: z.object({ connectionId: z.string().min(1).max(100), enabled: z.boolean() }).strict().optional(),
      })
      .strict(),
    'Chooses the default channel, or switches the ledger write-back on or off for a company; audited.',
  ),
  'drafts.setOptions': def<DraftView>()(
    z.object({ draftId: id, payLink: z.boolean().optional(), attachPdf: z.boolean().optional() }).strict(),
    "Switches the draft's pay link and invoice PDF toggles.",
  ),
  'rules.set': def<RulesSettings>()(RulesPatch, 'Changes some approval rules after validating them; returns them all.'),
  'notifications.run': def<{ shown: number }>()(
    empty,
    'Runs one pass of the notification schedule now (honours a pause); returns how many were shown.',
  ),
  // ---- the audit trail's Activity page (issue 5, item 7) ----
  'audit.list': def<ActivityPage>()(
    z
      .object({
        ...activityFilter,
        /** The nextCursor of the previous page (older rows follow). */
        cursor: id.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict()
      .refine(datesInOrder, datesInOrderIssue)
      .optional(),
    'The audit log newest first, filtered by family, customer, dates and text, one page at a time.',
  ),
  'audit.export': def<ActivityExport>()(
    z
      .object({ ...activityFilter, locale: localeTag.optional() })
      .strict()
      .refine(datesInOrder, datesInOrderIssue)
      .optional(),
    'The audit rows of a filter as CSV (UTF-8 with BOM, UTC and local times, secrets hidden).',
  ),
  'audit.verify': def<AuditCheck>()(empty, "Checks the audit log's hash chain: ok with the row count, or the first broken row and what is wrong."),
} as const;

export type Methods = typeof methods;
export type Method = keyof Methods;
export const METHOD_NAMES = Object.keys(methods) as Method[];

/** What a caller passes (before defaults and transforms). */
export type Input<M extends Method> = z.input<Methods[M]['input']>;
/** What a handler receives, after validation. */
export type ParsedInput<M extends Method> = z.output<Methods[M]['input']>;
export type Output<M extends Method> = Methods[M]['output'];

/** The core implements exactly this; the compiler checks it is complete. */
export type Handlers = {
  [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M>;
};

export interface Events {
  /** Progress of a sync or a long import, for the progress bar. */
  'sync.progress': SyncProgress;
  /** The local ledger changed; views re-read what they show. */
  'ledger.changed': LedgerChanged;
  /** Promises, disputes or delivered notifications changed. */
  'followup.changed': FollowupChanged;
  /** AI text streaming into a draft, in order. */
  'drafts.token': DraftToken;
  /** A sign-in page (QuickBooks authorize URL) to open: in browser mode the page opens it with window.open. */
  'auth.open': AuthOpen;
  /** The shell asks the page to open something (a notification or the tray was clicked). */
  'ui.navigate': UiNavigate;
  /** Outbox items were queued, sent, held, failed or cancelled (ids only, no text or addresses). */
  'outbox.changed': OutboxChanged;
}

export interface UiNavigate {
  view: 'customer' | 'approvals' | 'promises';
  customerId?: number;
}

export interface AuthOpen {
  url: string;
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['sync.progress', 'ledger.changed', 'drafts.token', 'followup.changed', 'auth.open', 'ui.navigate', 'outbox.changed'];

export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable' | 'internal';

/** The one error shape every transport carries. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** What every transport returns: a value or an error body, never a thrown stack trace. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const IPC_PREFIX = 'settle:';

/** Parses input for a method; throws a zod error with readable issues. */
export function parseInput<M extends Method>(method: M, input: unknown): ParsedInput<M> {
  return methods[method].input.parse(input) as ParsedInput<M>;
}

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

// ---- the typed client shape: window.settle.board.get(input) etc. ----
type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type Domain = DomainOf<Method>;
type VerbsOf<D extends string> = {
  [M in Method as M extends `${D}.${infer V}` ? V : never]: (input?: Input<M>) => Promise<Envelope<Output<M>>>;
};

/** What the preload exposes and the bridge client mimics: transport-level, returns envelopes. */
export type SettleBridge = { [D in Domain]: VerbsOf<D> } & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
