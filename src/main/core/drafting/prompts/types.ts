// The shape every versioned prompt file exports. A prompt is code reviewed like code: a draft
// records the version it was written with, so a change of wording is a new file, never an edit.
import type { DraftFacts } from '../facts';
import type { Tone } from '../tone';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface PromptModule {
  /** Recorded with every draft, e.g. 'reminder.v1'. */
  version: string;
  /** Fixed instructions: no ledger or customer text ever goes in here. */
  system: string;
  /** The messages for one draft: the system prompt, then one user message with the data block. */
  build(facts: DraftFacts, tone: Tone): ChatMessage[];
}

/** Delimiters of the quoted data block. `<` and `>` are escaped inside the JSON, so the block
 * can never contain its own closing delimiter, whatever a customer typed. */
export const DATA_OPEN = '<<<SETTLE_DATA';
export const DATA_CLOSE = 'SETTLE_DATA>>>';

/** JSON safe to embed between the delimiters: no raw < > & or line separators in strings. */
export function quoteData(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The data block of a message (for tests and the audit view); null when there is none. */
export function extractDataBlock(content: string): { json: string; start: number; end: number } | null {
  const open = content.indexOf(DATA_OPEN);
  if (open < 0) return null;
  const start = open + DATA_OPEN.length;
  const close = content.indexOf(DATA_CLOSE, start);
  if (close < 0) return null;
  return { json: content.slice(start, close).trim(), start: open, end: close + DATA_CLOSE.length };
}
