// Settings → Templates (templates.*): the owner's reminder template per tone, stored as one
// setting over the built-in ones, validated before it is saved and audited on every change.
// Drafting reads the stored set through stored() when it renders a draft.
import { SettleError } from '../../../shared/errors';
import type { TemplatesView } from '../../../shared/model';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Clock } from '../ports';
import { getSetting, setSetting } from '../settings';
import { PLACEHOLDERS, resolveTemplates, validateTemplate, type TemplateText } from './templates';
import { TONE_LABELS, TONES, type Tone } from './tone';

export const TEMPLATES_SETTING_KEY = 'drafting.templates';

export type StoredTemplates = Partial<Record<Tone, TemplateText>>;

export class TemplatesService {
  readonly handlers: HandlerGroup;

  constructor(private readonly deps: { db: Db; clock: Clock }) {
    this.handlers = defineHandlers('templates', {
      get: () => this.view(),
      set: ({ tone, subject, body }) => this.set(tone, { subject, body }),
      reset: ({ tone }) => this.reset(tone),
    });
  }

  /** The owner's templates (tones without one use the built-in template). */
  stored(): StoredTemplates {
    return getSetting<StoredTemplates>(this.deps.db, TEMPLATES_SETTING_KEY) ?? {};
  }

  view(): TemplatesView {
    const stored = this.stored();
    const resolved = resolveTemplates(stored);
    return {
      templates: TONES.map((tone) => ({
        tone,
        label: TONE_LABELS[tone],
        subject: resolved[tone].subject,
        body: resolved[tone].body,
        custom: resolved[tone] === stored[tone],
      })),
      placeholders: PLACEHOLDERS.map((p) => ({ ...p })),
    };
  }

  private set(tone: Tone, { subject, body }: TemplateText): TemplatesView {
    const { db, clock } = this.deps;
    const issues = validateTemplate({ subject, body });
    if (issues.length > 0) {
      throw new SettleError('invalid_input', issues.map((i) => `${i.field === 'subject' ? 'Subject' : 'Body'}: ${i.message}`).join('; '));
    }
    const stored = { ...this.stored(), [tone]: { subject, body } };
    db.transaction(() => {
      setSetting(db, TEMPLATES_SETTING_KEY, stored, clock.now().toISOString());
      appendAudit(db, clock, { actor: 'owner', action: 'template.set', entity: 'template', entityId: tone, detail: { subject, bodyChars: body.length } });
    })();
    return this.view();
  }

  private reset(tone: Tone): TemplatesView {
    const { db, clock } = this.deps;
    const stored = { ...this.stored() };
    if (stored[tone]) {
      delete stored[tone];
      db.transaction(() => {
        setSetting(db, TEMPLATES_SETTING_KEY, stored, clock.now().toISOString());
        appendAudit(db, clock, { actor: 'owner', action: 'template.reset', entity: 'template', entityId: tone });
      })();
    }
    return this.view();
  }
}
