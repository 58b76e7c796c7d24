// Settings → Payment details (issue 11 §1): per company, the business's own bank details, pay
// link, phone and reply-to address. Drafting reads them into every new draft's facts, so the
// fact-check lets the owner's real details through and flags any other bank details, link, phone
// number or address a text gives. Stored as one settings key per company (no migration); the
// contract's zod schema has validated every field before a handler runs, and each change is
// audited with the values, as evidence of what the owner allowed reminders to say.
import { SettleError } from '../../../shared/errors';
import type { ParsedInput } from '../../../shared/contract';
import type { PaymentDetailsView } from '../../../shared/model';
import { appendAudit } from '../audit';
import { getConnection, requireActive } from '../connectors';
import type { Db } from '../db/open';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Clock } from '../ports';
import { deleteSetting, getSetting, setSetting } from './settings.repo';

export const PAYMENT_DETAILS_PREFIX = 'payment.details.';

const FIELDS = ['bankDetails', 'payLink', 'phone', 'replyTo'] as const;
type Field = (typeof FIELDS)[number];

/** What the settings row holds: the four fields and when they were last changed. */
type Stored = Record<Field, string | null> & { updatedAt: string | null };

const key = (connectionId: string): string => `${PAYMENT_DETAILS_PREFIX}${connectionId}`;

const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function readStored(db: Db, connectionId: string): Stored {
  const raw = getSetting<Record<string, unknown>>(db, key(connectionId));
  const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  return {
    bankDetails: textOrNull(value.bankDetails),
    payLink: textOrNull(value.payLink),
    phone: textOrNull(value.phone),
    replyTo: textOrNull(value.replyTo),
    updatedAt: textOrNull(value.updatedAt),
  };
}

/**
 * A company's payment details as stored (each field null when not set); no check that the
 * company exists, so drafting can read them for any customer's company.
 */
export function readPaymentDetails(db: Db, connectionId: string): PaymentDetailsView {
  return { connectionId, ...readStored(db, connectionId) };
}

/** The company asked for, or the active one; not_found for a company Settle does not know. */
function companyOf(db: Db, connectionId: string | undefined): string {
  if (connectionId === undefined) return requireActive(db).id;
  if (!getConnection(db, connectionId)) throw new SettleError('not_found', `No company ${connectionId}`);
  return connectionId;
}

/**
 * Applies a validated patch (undefined keeps a field, null clears it) in one transaction with its
 * audit row; a patch that changes nothing writes nothing.
 */
export function writePaymentDetails(db: Db, clock: Clock, input: ParsedInput<'paymentDetails.set'>): PaymentDetailsView {
  const connectionId = companyOf(db, input.connectionId);
  const before = readStored(db, connectionId);
  const next: Stored = { ...before };
  for (const field of FIELDS) {
    const value = input[field];
    if (value !== undefined) next[field] = value;
  }
  const changed = FIELDS.filter((f) => next[f] !== before[f]);
  if (changed.length === 0) return { connectionId, ...before };
  next.updatedAt = clock.now().toISOString();
  db.transaction(() => {
    setSetting(db, key(connectionId), next, next.updatedAt!);
    const values = Object.fromEntries(FIELDS.map((f) => [f, next[f]]));
    appendAudit(db, clock, { actor: 'owner', action: 'payment.details', entity: 'connection', entityId: connectionId, detail: { changed, ...values } });
  })();
  return { connectionId, ...next };
}

/** paymentDetails.get / paymentDetails.set behind Settings → Payment details. */
export function paymentDetailsHandlers({ db, clock }: { db: Db; clock: Clock }): HandlerGroup {
  return defineHandlers('paymentDetails', {
    get: (input) => readPaymentDetails(db, companyOf(db, input?.connectionId)),
    set: (input) => writePaymentDetails(db, clock, input),
  });
}

/** Forgets a removed company's payment details (removeCompany, in its transaction). */
export function forgetPaymentDetails(db: Db, connectionId: string): void {
  deleteSetting(db, `${PAYMENT_DETAILS_PREFIX}${connectionId}`);
}
