// The draft editor (DESIGN §13): the text on the left with every flagged figure underlined, the
// ledger facts and the fact-check on the right, the tone switch above, and Save / Submit for
// approval / Discard below. Submitting is blocked while flags remain; "Submit anyway…" asks for a
// reason, which the core audits. AI text streams in as it arrives. Customer text is rendered as
// text only (React escapes it); the underline layer mirrors the textarea's text exactly.
// The parts: DraftEditorHead (header, toolbar), DraftText (fields over their Underlay),
// FactCheck, DraftFacts, DraftEditorFoot (reason form, footer).
import * as Dialog from '@radix-ui/react-dialog';
import { CircleAlert } from 'lucide-react';
import { useId, useState } from 'react';
import { Spinner } from '../../components/Spinner';
import { plural } from '../../lib/format';
import { useLocale } from '../../stores/settings.store';
import { Facts } from './DraftFacts';
import { DraftFoot, OverrideForm } from './DraftEditorFoot';
import { DraftHead, DraftToolbar } from './DraftEditorHead';
import { DraftText, useFindingPicker } from './DraftText';
import { FactCheck } from './FactCheck';
import { useDraftStore } from './drafts.store';
import './drafts.css';

export function DraftEditor(): React.JSX.Element {
  const s = useDraftStore();
  const locale = useLocale();
  const picker = useFindingPicker();
  const [askingFor, setAskingFor] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const blockId = useId();
  const { draft } = s;
  const editable = draft !== null && (draft.status === 'draft' || draft.status === 'pending_approval') && s.busy === null;
  const submitted = draft?.status === 'pending_approval' && !s.dirty;
  const working = s.busy === 'create' || s.busy === 'regenerate';
  const noEmail = draft !== null && !draft.customer.email;

  // The reason form belongs to one draft, and only while it has flags.
  const askingNow = s.open && draft !== null && askingFor === draft.id && s.flagged > 0;

  const blockReason = noEmail
    ? `${draft?.customer.name ?? 'This customer'} has no email address in the ledger.`
    : s.flagged > 0
      ? `${plural(s.flagged, 'figure does', 'figures do')} not match the ledger: fix ${s.flagged === 1 ? 'it' : 'them'} or submit anyway with a reason.`
      : s.checking
        ? 'Checking the figures…'
        : null;

  return (
    <Dialog.Root open={s.open} onOpenChange={(o) => !o && s.close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay draft-editor-overlay" />
        <Dialog.Content className="modal draft-editor" aria-busy={working} onOpenAutoFocus={(e) => e.preventDefault()}>
          <DraftHead s={s} />
          <DraftToolbar s={s} editable={editable} working={working} />

          {s.notice && (
            <p className="banner banner-warn" role="status">
              <CircleAlert size={14} aria-hidden="true" /> {s.notice}
            </p>
          )}
          {s.error && (
            <p className="banner banner-error" role="alert">
              {s.error}
            </p>
          )}

          <div className="de-grid">
            <DraftText s={s} editable={editable} picker={picker} />
            <aside className="de-side">
              {draft ? (
                <>
                  <FactCheck findings={s.findings} flagged={s.flagged} checking={s.checking} onHover={picker.setActive} onPick={picker.pick} />
                  <Facts draft={draft} locale={locale} />
                </>
              ) : (
                <p className="muted">
                  <Spinner size={12} /> Reading the ledger…
                </p>
              )}
            </aside>
          </div>

          {askingNow && <OverrideForm s={s} reason={reason} setReason={setReason} onDone={() => setAskingFor(null)} />}

          <DraftFoot
            {...{ s, editable, submitted, noEmail, askingNow, blockReason, blockId }}
            onSubmitAnyway={() => {
              setReason('');
              setAskingFor(draft?.id ?? null);
            }}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
