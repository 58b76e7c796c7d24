// The draft editor's subject and message fields, each a transparent input over an Underlay that
// marks the checked figures; picking a finding selects its figure and scrolls it into view.
import { useRef, useState } from 'react';
import type { DraftFinding } from '../../../../shared/model';
import type { DraftStore } from './DraftEditorHead';
import { findingKey } from './findings';
import { Underlay } from './Underlay';

/** The fields' refs, the finding under the pointer, and picking one (select, scroll, highlight). */
export function useFindingPicker() {
  const [active, setActive] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const underRef = useRef<HTMLDivElement>(null);
  const subjectUnderRef = useRef<HTMLDivElement>(null);

  const syncScroll = (): void => {
    if (underRef.current && bodyRef.current) underRef.current.scrollTop = bodyRef.current.scrollTop;
    if (subjectUnderRef.current && subjectRef.current) subjectUnderRef.current.scrollLeft = subjectRef.current.scrollLeft;
  };

  const pick = (f: DraftFinding): void => {
    const el = f.field === 'body' ? bodyRef.current : subjectRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(f.start, f.end);
    setActive(findingKey(f));
    // Bring the figure into view: the mirror layer knows where its line is.
    const under = f.field === 'body' ? underRef.current : subjectUnderRef.current;
    const mark = under?.querySelector<HTMLElement>(`mark[data-key="${findingKey(f)}"]`);
    if (mark && f.field === 'body') el.scrollTop = Math.max(0, mark.offsetTop - 48);
    syncScroll();
  };

  return { active, setActive, bodyRef, subjectRef, underRef, subjectUnderRef, syncScroll, pick };
}

export function DraftText({ s, editable, picker }: { s: DraftStore; editable: boolean; picker: ReturnType<typeof useFindingPicker> }): React.JSX.Element {
  const { active, bodyRef, subjectRef, underRef, subjectUnderRef, syncScroll } = picker;
  const bodyFindings = s.findings.filter((f) => f.field === 'body');
  const subjectFindings = s.findings.filter((f) => f.field === 'subject');
  return (
    <div className="de-text">
      <label className="de-label" htmlFor="de-subject">
        Subject
      </label>
      <div className="hl-wrap hl-line">
        <div className="hl-under" ref={subjectUnderRef} aria-hidden="true">
          <Underlay text={s.subject} findings={subjectFindings} active={active} />
        </div>
        <input
          id="de-subject"
          ref={subjectRef}
          className="hl-input"
          value={s.subject}
          readOnly={!editable}
          spellCheck
          onChange={(e) => s.setText(e.target.value, s.body)}
          onScroll={syncScroll}
          onKeyUp={syncScroll}
        />
      </div>
      <label className="de-label" htmlFor="de-body">
        Message
      </label>
      <div className="hl-wrap hl-area">
        <div className="hl-under" ref={underRef} aria-hidden="true">
          <Underlay text={s.body} findings={bodyFindings} active={active} />
        </div>
        <textarea
          id="de-body"
          ref={bodyRef}
          className="hl-input"
          value={s.body}
          readOnly={!editable}
          spellCheck
          onChange={(e) => s.setText(s.subject, e.target.value)}
          onScroll={syncScroll}
        />
      </div>
    </div>
  );
}
