// The prompt registry: new drafts use CURRENT_PROMPT; older versions stay here so a stored draft
// can always name (and regenerate with) the prompt it was written with.
import { reminderV1 } from './reminder.v1';
import type { PromptModule } from './types';

export * from './types';

export const PROMPTS: Readonly<Record<string, PromptModule>> = Object.freeze({ [reminderV1.version]: reminderV1 });
export const CURRENT_PROMPT: PromptModule = reminderV1;

export function getPrompt(version: string): PromptModule | null {
  return Object.prototype.hasOwnProperty.call(PROMPTS, version) ? (PROMPTS[version] ?? null) : null;
}
