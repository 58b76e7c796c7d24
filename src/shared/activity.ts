// The Activity page and its CSV export (issue 5, item 7): the shapes audit.* returns, and the one
// pure translation of an audit row into plain words, used by the renderer (in the owner's locale)
// and by the core's CSV export alike. Actions are open-ended strings (`domain.verb`): known ones
// have a sentence here, and any other still reads sensibly through the fallback.
import { AUTONOMY_LABELS, type AutonomyPhase } from './approvals';
import { formatDate, isIsoDate } from './dates';
import { formatMoney, isCurrencyCode } from './money';

/** The filter groups on the Activity page. */
export const ACTIVITY_FAMILIES = ['drafts', 'approvals', 'sends', 'settings', 'sync', 'followup'] as const;
export type ActivityFamily = (typeof ACTIVITY_FAMILIES)[number];

export const FAMILY_LABELS: Record<ActivityFamily | 'other', string> = {
  drafts: 'Drafts',
  approvals: 'Approvals',
  sends: 'Sends',
  settings: 'Rules & settings',
  sync: 'Sync & connections',
  followup: 'Follow-up',
  other: 'Other',
};

/** Exact actions first (they win over a prefix), then `domain.` prefixes. */
export const FAMILY_EXACT: Readonly<Record<string, ActivityFamily>> = {
  'draft.approve': 'approvals',
  'draft.reject': 'approvals',
  'score.override': 'settings',
  'outbox.settings': 'settings',
  'payment.details': 'settings',
};
export const FAMILY_PREFIXES: readonly (readonly [string, ActivityFamily])[] = [
  ['draft.', 'drafts'],
  ['approval.', 'approvals'],
  ['outbox.', 'sends'],
  ['send.', 'sends'],
  ['writeback.', 'sends'],
  ['rules.', 'settings'],
  ['rule.', 'approvals'],
  ['settings.', 'settings'],
  ['ai.', 'settings'],
  ['template.', 'settings'],
  ['smtp.', 'settings'],
  ['email.', 'settings'],
  ['connection.', 'sync'],
  ['sync.', 'sync'],
  ['demo.', 'sync'],
  ['promise.', 'followup'],
  ['dispute.', 'followup'],
  ['plan.', 'followup'],
  ['outreach.', 'followup'],
  ['reply.', 'followup'],
  ['note.', 'followup'],
  ['notification.', 'followup'],
];

export function familyOf(action: string): ActivityFamily | 'other' {
  const exact = FAMILY_EXACT[action];
  if (exact) return exact;
  for (const [prefix, family] of FAMILY_PREFIXES) if (action.startsWith(prefix)) return family;
  return 'other';
}

/** Who did it, as the page shows it. */
export type ActivityWho = 'owner' | 'rule' | 'system' | 'sync';
export const WHO_LABELS: Record<ActivityWho, string> = { owner: 'You', rule: 'Rule', system: 'Settle', sync: 'Sync' };

export function whoOf(actor: string, action: string): ActivityWho {
  if (actor === 'owner' || actor === 'rule' || actor === 'sync') return actor;
  return familyOf(action) === 'sync' ? 'sync' : 'system';
}

/** One audit row with the ledger names it refers to. */
export interface ActivityItem {
  id: number;
  /** ISO-8601 UTC instant. */
  at: string;
  actor: string;
  who: ActivityWho;
  action: string;
  family: ActivityFamily | 'other';
  entity: string | null;
  entityId: string | null;
  /** The customer the row is about; name is null when the customer is no longer in the ledger. */
  customer: { id: number; name: string | null; deleted: boolean } | null;
  /** Invoice numbers the row is about, from its detail or the draft it names. */
  invoices: string[];
  /** The stored detail, with any secret-looking field hidden. */
  detail: unknown;
}

export interface ActivityPage {
  items: ActivityItem[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: number | null;
}

export interface ActivityExport {
  filename: string;
  /** UTF-8 text starting with a byte-order mark, so spreadsheet apps read accents right. */
  csv: string;
  rows: number;
}

export type AuditCheck =
  | { ok: true; rows: number }
  | {
      ok: false;
      rows: number;
      /** The first row whose link or content does not match. */
      brokenAtId: number;
      problem: 'content' | 'link' | 'unreadable';
      /** One sentence for people: which row and what is wrong with it. */
      message: string;
    };

type Detail = Record<string, unknown>;

function asDetail(detail: unknown): Detail {
  return detail !== null && typeof detail === 'object' && !Array.isArray(detail) ? (detail as Detail) : {};
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/** "draft_invoice" → "draft invoice"; "needsReconnect" → "needs reconnect". */
export function humanize(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase();
}

function sentence(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

function invoiceList(numbers: readonly string[]): string {
  if (numbers.length === 0) return '';
  const shown = numbers.slice(0, 5).join(', ');
  return ` (${numbers.length > 5 ? `${shown} and ${numbers.length - 5} more` : shown})`;
}

const CHANNELS: Record<string, string> = { smtp: ' by email', ledger: ' through the ledger’s invoice email', manual: ' from your mail app' };
function channel(v: unknown): string {
  return typeof v === 'string' ? (CHANNELS[v] ?? ` by ${humanize(v)}`) : '';
}

const PROVIDERS: Record<string, string> = { qbo: 'QuickBooks', xero: 'Xero', demo: 'demo', csv: 'CSV' };
const TIERS: Record<string, string> = { high: 'High', medium: 'Medium', low: 'Low' };

interface Ctx {
  d: Detail;
  /** The customer's name, "a removed customer", or null when the row names none. */
  who: string | null;
  /** " to Café Lumière" or "". */
  to: string;
  /** " (INV-1042, INV-1057)" or "". */
  inv: string;
  entityId: string | null;
  money(cents: unknown, currency: unknown): string | null;
  date(value: unknown): string | null;
}

const SENTENCES: Record<string, (c: Ctx) => string> = {
  'draft.create': (c) =>
    `Drafted a ${str(c.d.tone) ? `${str(c.d.tone)} ` : ''}reminder${c.to}${c.inv}` +
    (c.d.source === 'ai' ? ` with ${str(c.d.model) ?? 'AI'}` : c.d.source === 'template' ? ' from a template' : ''),
  'draft.edit': (c) => `Edited the reminder${c.to}`,
  'draft.regenerate': (c) => `Rewrote the reminder${c.to}`,
  'draft.cancel': (c) => `Cancelled the reminder${c.to}`,
  'draft.submit': (c) => `Submitted the reminder${c.to}${c.inv} for approval`,
  'draft.override': (c) => {
    const n = typeof c.d.flagged === 'number' ? c.d.flagged : 0;
    return `Submitted the reminder${c.to} despite ${n === 1 ? '1 fact-check flag' : `${n} fact-check flags`}`;
  },
  'draft.approve': (c) => `Approved reminder${c.to}${c.inv}`,
  'draft.reject': (c) => `Rejected reminder${c.to}${c.inv}`,
  'draft.options': (c) => `Changed the pay link and PDF options of the reminder${c.to}`,
  'outbox.queue': (c) => `Queued reminder${c.to}${c.inv} to send${channel(c.d.channel)}`,
  'outbox.sent': (c) => `Sent reminder${c.to}${c.inv}${channel(c.d.channel)}`,
  'outbox.retry': (c) => `Sending the reminder${c.to} failed; it will be retried`,
  'outbox.fail': (c) => `Could not send the reminder${c.to}${c.inv}`,
  'outbox.block': (c) => `Held the reminder${c.to}${c.inv} before sending`,
  'outbox.cancel': (c) => `Cancelled the queued reminder${c.to}${c.inv}`,
  'outbox.confirm': (c) => `Confirmed the reminder${c.to}${c.inv} was sent`,
  'outbox.requeue': (c) => `Queued the reminder${c.to}${c.inv} again`,
  'outbox.redraft': (c) => `Redrafting the held reminder${c.to}`,
  'outbox.interrupted': (c) => `Sending the reminder${c.to} was interrupted: it may have been sent`,
  'outbox.writeback': (c) =>
    c.d.ok === false ? `Could not add the note to${c.inv || ' the invoices'} in the ledger` : `Added a note to${c.inv || ' the invoices'} in the ledger`,
  'outbox.settings': () => 'Changed the sending settings',
  'email.settings': () => 'Changed the email (SMTP) settings',
  'email.password': (c) => (c.d.stored === false ? 'Removed the email password from the keychain' : 'Stored the email password in the keychain'),
  'email.test': (c) => (c.d.ok === false ? 'A test email failed' : 'Sent a test email'),
  'payment.details': (c) => {
    const changed = Array.isArray(c.d.changed) ? c.d.changed.filter((f): f is string => typeof f === 'string').map(humanize) : [];
    return `Changed the payment details reminders may give${changed.length > 0 ? ` (${changed.join(', ')})` : ''}`;
  },
  'rules.set': () => 'Changed the approval rules',
  'ai.settings': () => 'Changed the AI settings',
  'ai.key': (c) => (c.d.stored === false ? 'Removed the AI key from the keychain' : 'Stored the AI key in the keychain'),
  'template.set': (c) => `Edited the ${c.entityId ?? ''} reminder template`.replace('  ', ' '),
  'template.reset': (c) => `Restored the built-in ${c.entityId ?? ''} reminder template`.replace('  ', ' '),
  'score.override': (c) =>
    str(c.d.tier) ? `Set ${c.who ?? 'a customer'}’s tier to ${TIERS[str(c.d.tier)!] ?? str(c.d.tier)}` : `Cleared the tier override on ${c.who ?? 'a customer'}`,
  'demo.create': () => 'Created the demo company',
  'demo.remove': () => 'Removed the demo company',
  'connection.create': (c) => `Connected a ${PROVIDERS[str(c.d.provider) ?? ''] ?? ''} company`.replace('  ', ' '),
  'connection.reconnect': (c) => `Reconnected a ${PROVIDERS[str(c.d.provider) ?? ''] ?? ''} company`.replace('  ', ' '),
  'connection.disconnect': () => 'Disconnected a company (its synced data stays)',
  'connection.needs_reconnect': () => 'A company needs you to sign in again',
  'promise.create': (c) => {
    const amount = c.money(c.d.amountCents, c.d.currency);
    const by = c.date(c.d.date);
    return `Logged a promise${c.who ? ` from ${c.who}` : ''}${amount ? ` to pay ${amount}` : ''}${by ? ` by ${by}` : ''}${c.inv}`;
  },
  'promise.cancel': (c) => `Withdrew the promise${c.who ? ` from ${c.who}` : ''}${c.date(c.d.date) ? ` to pay by ${c.date(c.d.date)}` : ''}`,
  'promise.kept': (c) => `${c.who ?? 'The customer'} kept their promise${c.date(c.d.deadline) ? ` to pay by ${c.date(c.d.deadline)}` : ''}`,
  'promise.broken': (c) => `${c.who ?? 'The customer'} missed their promise${c.date(c.d.deadline) ? ` to pay by ${c.date(c.d.deadline)}` : ''}`,
  'dispute.open': (c) => `Opened a dispute${str(c.d.reason) ? ` (${humanize(str(c.d.reason)!)})` : ''}${c.who ? ` for ${c.who}` : ''}${c.inv}`,
  'dispute.resolve': (c) =>
    `Resolved the dispute${c.who ? ` with ${c.who}` : ''}${str(c.d.resolution) ? `: ${humanize(str(c.d.resolution)!)}` : ''}`,
  'draft.redraft': (c) =>
    `Set aside the reminder${c.to} for a redraft${str(c.d.reason) ? `: ${str(c.d.reason)}` : ': a balance changed in the ledger'}`,
  'outreach.pause': (c) => `Paused outreach${c.who ? ` to ${c.who}` : ''}${c.date(c.d.until) ? ` until ${c.date(c.d.until)}` : ''}${str(c.d.reason) ? ` (${str(c.d.reason)})` : ''}`,
  'outreach.resume': (c) => `Resumed outreach${c.who ? ` to ${c.who}` : ''}`,
  'plan.save': (c) => {
    const amount = c.money(c.d.balanceCents, c.d.currency);
    const n = typeof c.d.instalments === 'number' ? c.d.instalments : null;
    return `Saved a payment plan${c.who ? ` for ${c.who}` : ''}${amount ? ` of ${amount}` : ''}${n ? ` in ${n} instalments` : ''}`;
  },
  'plan.propose': (c) => `Drafted a payment plan proposal${c.to}`,
  'plan.accept': (c) => {
    const n = typeof c.d.promises === 'number' ? c.d.promises : null;
    return `Payment plan accepted${c.who ? ` by ${c.who}` : ''}${n ? `: ${n === 1 ? '1 promise' : `${n} promises`} to pay` : ''}`;
  },
  'plan.cancel': (c) => `Cancelled the payment plan${c.who ? ` with ${c.who}` : ''}`,
  'promise.follow_up': (c) => `Drafted a follow-up${c.to} on a broken promise`,
  'reply.apply': (c) => {
    const n = Array.isArray(c.d.actions) ? c.d.actions.length : 0;
    return `Applied ${n === 1 ? '1 update' : `${n} updates`} from a reply${c.who ? ` from ${c.who}` : ''}`;
  },
  'reply.triage': (c) => `Sorted a reply${c.who ? ` from ${c.who}` : ''}${str(c.d.class) ? ` as ${humanize(str(c.d.class)!)}` : ''}`,
};

/** The actions with a sentence of their own (the rest use the fallback). */
export const KNOWN_ACTIONS: readonly string[] = Object.keys(SENTENCES);

/** What happened, in plain words, e.g. "Approved reminder to Café Lumière (INV-1042, INV-1057)". */
export function describeActivity(
  item: Pick<ActivityItem, 'action' | 'customer' | 'invoices' | 'detail' | 'entityId'>,
  locale?: string,
): string {
  const who = item.customer ? (item.customer.name ?? 'a removed customer') : null;
  const ctx: Ctx = {
    d: asDetail(item.detail),
    who,
    to: who ? ` to ${who}` : '',
    inv: invoiceList(item.invoices),
    entityId: item.entityId,
    money: (cents, currency) =>
      typeof cents === 'number' && Number.isSafeInteger(cents) && typeof currency === 'string' && isCurrencyCode(currency)
        ? formatMoney(cents, currency, locale)
        : null,
    date: (value) => (typeof value === 'string' && isIsoDate(value) ? formatDate(value, locale) : null),
  };
  const known = SENTENCES[item.action];
  if (known) return known(ctx);
  // Unknown (newer) action: "outbox.may_have_sent" reads "Outbox: may have sent — Café Lumière (INV-1)".
  const dot = item.action.indexOf('.');
  const head = dot > 0 ? `${sentence(humanize(item.action.slice(0, dot)))}: ${humanize(item.action.slice(dot + 1))}` : sentence(humanize(item.action));
  return `${head}${who ? ` — ${who}` : ''}${ctx.inv}`;
}

export interface DetailField {
  label: string;
  value: string;
}
export interface DetailDiff {
  label: string;
  removed: string;
  inserted: string;
}

const FIELD_LABELS: Record<string, string> = {
  promptVersion: 'Prompt version',
  factsHash: 'Facts hash',
  factsHashBefore: 'Facts hash before',
  overrideReason: 'Override reason',
  messageId: 'Message ID',
  key: 'Idempotency key',
  to: 'Recipient',
  recipients: 'Recipients',
  flagged: 'Fact-check flags',
  flaggedBefore: 'Flags before',
  flaggedAfter: 'Flags after',
  reasons: 'Reasons',
  reason: 'Reason',
  channel: 'Channel',
  phase: 'Autonomy phase',
};

// Already said in the summary line (customer and invoices resolved from the ledger).
const SHOWN_ELSEWHERE = new Set(['customerId', 'invoiceIds', 'invoices', 'draftId']);

function isDiff(v: unknown): v is { at: number; removed: string; inserted: string } {
  const d = asDetail(v);
  return typeof d.removed === 'string' && typeof d.inserted === 'string' && Object.keys(d).every((k) => ['at', 'removed', 'inserted'].includes(k));
}

function valueText(v: unknown, locale?: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return new Intl.NumberFormat(locale).format(v);
  // Codes such as send_window or credit_issued read as words; other text stays as written.
  if (typeof v === 'string') return isIsoDate(v) ? formatDate(v, locale) : /^[a-z]+(?:_[a-z]+)+$/.test(v) ? humanize(v) : v;
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((x) => valueText(x, locale)).join(', ');
  return Object.entries(v as Detail)
    .map(([k, x]) => `${humanize(k)}: ${valueText(x, locale)}`)
    .join('; ');
}

/** The expandable detail of a row: labelled fields, and before/after text for edits. */
export function describeDetail(detail: unknown, locale?: string): { fields: DetailField[]; diffs: DetailDiff[] } {
  const d = asDetail(detail);
  const fields: DetailField[] = [];
  const diffs: DetailDiff[] = [];
  const currency = typeof d.currency === 'string' && isCurrencyCode(d.currency) ? d.currency : null;
  for (const [key, value] of Object.entries(d)) {
    if (SHOWN_ELSEWHERE.has(key)) continue;
    const label = FIELD_LABELS[key] ?? sentence(humanize(key.replace(/Cents$/, '')));
    if (isDiff(value)) {
      diffs.push({ label, removed: value.removed, inserted: value.inserted });
    } else if (key === 'phase' && typeof value === 'string' && value in AUTONOMY_LABELS) {
      fields.push({ label, value: AUTONOMY_LABELS[value as AutonomyPhase] });
    } else if (key.endsWith('Cents') && currency && typeof value === 'number' && Number.isSafeInteger(value)) {
      fields.push({ label, value: formatMoney(value, currency, locale) });
    } else {
      fields.push({ label, value: valueText(value, locale) });
    }
  }
  return { fields, diffs };
}
