// The bottom of the draft editor: the "submit anyway" reason form while flags remain, and the
// footer (Discard, why submitting is blocked, Save, Submit anyway…, Submit for approval).
import { plural } from '../../lib/format';
import { Spinner } from '../../components/Spinner';
import type { DraftStore } from './DraftEditorHead';

export function OverrideForm({
  s,
  reason,
  setReason,
  onDone,
}: {
  s: DraftStore;
  reason: string;
  setReason(reason: string): void;
  onDone(): void;
}): React.JSX.Element {
  return (
    <form
      className="de-override"
      onSubmit={(e) => {
        e.preventDefault();
        void s.submit(reason.trim()).then((ok) => ok && onDone());
      }}
    >
      <label htmlFor="de-reason">Why submit with {plural(s.flagged, 'flagged figure', 'flagged figures')}?</label>
      <input id="de-reason" type="text" autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Includes the late fee we agreed" />
      <button type="submit" className="btn btn-danger" disabled={reason.trim().length < 3 || s.busy !== null}>
        Submit with reason
      </button>
      <button type="button" className="btn btn-quiet" onClick={onDone}>
        Back
      </button>
    </form>
  );
}

export function DraftFoot({
  s,
  editable,
  submitted,
  noEmail,
  askingNow,
  blockReason,
  blockId,
  onSubmitAnyway,
}: {
  s: DraftStore;
  editable: boolean;
  submitted: boolean;
  noEmail: boolean;
  askingNow: boolean;
  blockReason: string | null;
  blockId: string;
  onSubmitAnyway(): void;
}): React.JSX.Element {
  return (
    <footer className="de-foot">
      <button type="button" className="btn btn-quiet" disabled={!editable} onClick={() => void s.cancelDraft()}>
        Discard draft
      </button>
      <span className="de-block" id={blockId} role="status">
        {submitted ? 'Waiting for approval. Nothing is sent until it is approved.' : editable ? blockReason : null}
      </span>
      <button type="button" className="btn" disabled={!editable || !s.dirty} onClick={() => void s.save()}>
        {s.busy === 'save' ? <Spinner size={12} /> : null}
        Save
      </button>
      {s.flagged > 0 && !noEmail && !submitted && (
        <button type="button" className="btn" disabled={!editable || askingNow} onClick={onSubmitAnyway}>
          Submit anyway…
        </button>
      )}
      <button
        type="button"
        className="btn btn-primary"
        disabled={!editable || submitted || blockReason !== null}
        aria-describedby={blockId}
        onClick={() => void s.submit()}
      >
        {s.busy === 'submit' ? <Spinner size={12} /> : null}
        Submit for approval
      </button>
    </footer>
  );
}
