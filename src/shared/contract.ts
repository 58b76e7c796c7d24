// THE API between the renderer and the core. Every method is declared once here: its name,
// a zod schema for its input and its output type. Electron IPC, the preload, the loopback
// bridge and the in-process test transport are all generated from this one table.
import { z } from 'zod';
import { isIsoDate } from './dates';
import type {
  BoardView,
  ConnectionSummary,
  CustomerDetail,
  InvoiceDetail,
  LedgerChanged,
  ScoreView,
  Settings,
  SyncProgress,
  SyncRunResult,
  SyncStatus,
} from './model';

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
  'connections.list': def<ConnectionSummary[]>()(empty, 'Every company: demo, QuickBooks, Xero, with its status.'),
  'connections.connectQbo': def<ConnectionSummary>()(
    z
      .object({
        clientId: z.string().trim().min(1).max(200).optional(),
        clientSecret: z.string().min(1).max(500).optional(),
      })
      .strict()
      .optional(),
    'Connects (or reconnects) a QuickBooks company through the browser sign-in and starts its first sync.',
  ),
  'connections.disconnect': def<ConnectionSummary>()(
    z.object({ connectionId: z.string().min(1).max(100) }).strict(),
    'Revokes and forgets the sign-in, stops syncing, and keeps the synced data (marked disconnected).',
  ),
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
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['sync.progress', 'ledger.changed'];

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
