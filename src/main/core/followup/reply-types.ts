// The shapes reply triage works with (replies.ts, reply-rules.ts, reply-model.ts): what it is
// given, what it reads, and its limits.
import type { IsoDate } from '../../../shared/dates';
import type { ProposedUpdateView, ReplyClass, ReplyTriageView } from '../../../shared/followup';
import type { DateOrder } from './reply-dates';

export const REPLY_CLASSES: readonly ReplyClass[] = [
  'promise_to_pay',
  'dispute',
  'already_paid',
  'question',
  'out_of_office',
  'other',
];

/** Longest reply triage reads (a pasted thread can be long; the customer's words come first). */
export const MAX_REPLY_CHARS = 20_000;
/** Days outreach pauses while a claimed payment is checked. */
export const RECHECK_PAUSE_DAYS = 7;

export interface ReplyInput {
  text: string;
  /** The reply's own date (its Date header) as the owner's calendar date; relative dates count from it. */
  receivedOn: IsoDate | null;
  /** The customer's currency: bare amounts and "dollars" are read in it. */
  currency: string;
  /** The customer's open invoice numbers, to spot them in the text. */
  invoiceNumbers?: readonly string[];
  /** How to read 04/03 (from the owner's locale); unknown makes such a date a question. */
  dateOrder?: DateOrder | null;
}

/** What triage read from a reply (the view the renderer shows is the same shape). */
export type ReplyTriage = ReplyTriageView;

export type ProposedUpdate = ProposedUpdateView;
