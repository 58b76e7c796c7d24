// The top of the draft editor: who the reminder is to and where its text came from, the draft's
// status and the close button; below it the tone switch and the pay link / PDF options.
import * as Dialog from '@radix-ui/react-dialog';
import { Sparkles, X } from 'lucide-react';
import { DRAFT_STATUS_LABELS, DRAFT_TONE_LABELS, DRAFT_TONES } from '../../../../shared/model';
import { Segmented } from '../../components/Segmented';
import { Spinner } from '../../components/Spinner';
import type { useDraftStore } from './drafts.store';

/** The draft editor's store state, as its parts receive it. */
export type DraftStore = ReturnType<typeof useDraftStore.getState>;

export function DraftHead({ s }: { s: DraftStore }): React.JSX.Element {
  const { draft } = s;
  return (
    <header className="de-head">
      <div className="de-title-wrap">
        <Dialog.Title className="modal-title">Reminder to {draft?.customer.name ?? s.customerName ?? '…'}</Dialog.Title>
        <Dialog.Description className="de-sub">
          {draft
            ? [
                draft.customer.email ? `To ${draft.customer.email}` : 'No email address',
                draft.source === 'ai' ? `AI · ${draft.model ?? ''} · ${draft.promptVersion ?? ''}` : draft.source === 'template' ? 'From your template' : 'Edited by you',
              ].join(' · ')
            : 'Drafting from the ledger facts…'}
        </Dialog.Description>
      </div>
      {draft && (
        <span className={`de-status de-status-${draft.status}`} data-testid="draft-status" data-status={draft.status}>
          {DRAFT_STATUS_LABELS[draft.status]}
        </span>
      )}
      <Dialog.Close className="icon-btn" aria-label="Close">
        <X size={16} aria-hidden="true" />
      </Dialog.Close>
    </header>
  );
}

export function DraftToolbar({ s, editable, working }: { s: DraftStore; editable: boolean; working: boolean }): React.JSX.Element {
  const { draft } = s;
  return (
    <div className="de-toolbar">
      <Segmented
        label="Tone"
        options={DRAFT_TONES.map((t) => ({ value: t, label: DRAFT_TONE_LABELS[t] }))}
        value={draft?.tone}
        disabled={!editable}
        onChange={(t) => void s.setTone(t)}
      />
      {draft && <span className="muted de-tone-reason">Suggested: {draft.toneReason}</span>}
      {draft && (
        <span className="de-options" role="group" aria-label="Include">
          <label title="The ledger's online payment link (QuickBooks InvoiceLink, Xero online invoice)">
            <input
              type="checkbox"
              checked={draft.payLink}
              disabled={!editable}
              onChange={(e) => void s.setOptions({ payLink: e.target.checked })}
            />{' '}
            Pay link
          </label>
          <label title="The invoice PDF from the ledger, attached to the email">
            <input
              type="checkbox"
              checked={draft.attachPdf}
              disabled={!editable}
              onChange={(e) => void s.setOptions({ attachPdf: e.target.checked })}
            />{' '}
            Attach invoice PDF
          </label>
        </span>
      )}
      {working && (
        <span className="de-working">
          {s.streaming ? <Sparkles size={13} aria-hidden="true" /> : null}
          <Spinner size={12} /> Writing…
        </span>
      )}
    </div>
  );
}
