// The prompt registry: new drafts use CURRENT_PROMPT; older versions stay here so a stored draft
// can always name (and regenerate with) the prompt it was written with.
import { reminderV1 } from './reminder.v1';
import { reminderV2 } from './reminder.v2';
import type { PromptModule } from './types';

export * from './types';

export const PROMPTS: Readonly<Record<string, PromptModule>> = Object.freeze({
  [reminderV1.version]: reminderV1,
  [reminderV2.version]: reminderV2,
});
/** v2 (issue #6): also drafts payment-plan proposals and broken-promise follow-ups. */
export const CURRENT_PROMPT: PromptModule = reminderV2;

export function getPrompt(version: string): PromptModule | null {
  return Object.prototype.hasOwnProperty.call(PROMPTS, version) ? (PROMPTS[version] ?? null) : null;
}
