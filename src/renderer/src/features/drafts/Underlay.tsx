// The layer drawn under the draft editor's transparent subject and body fields: the same text,
// with every checked figure wrapped in a <mark> so it shows underlined in place.
import type { DraftFinding } from '../../../../shared/model';
import { findingKey, isFlag } from './findings';

/** The text with flagged ranges wrapped in <mark>: drawn under a transparent textarea. */
export function Underlay({ text, findings, active }: { text: string; findings: DraftFinding[]; active: string | null }): React.JSX.Element {
  const parts: React.ReactNode[] = [];
  let at = 0;
  const sorted = findings.filter((f) => f.end <= text.length && text.slice(f.start, f.end) === f.text).sort((a, b) => a.start - b.start);
  for (const f of sorted) {
    if (f.start < at) continue;
    if (f.start > at) parts.push(text.slice(at, f.start));
    const key = findingKey(f);
    parts.push(
      <mark key={key} data-key={key} className={`hl ${isFlag(f) ? 'hl-flag' : 'hl-ok'}${active === key ? ' is-active' : ''}`}>
        {text.slice(f.start, f.end)}
      </mark>,
    );
    at = f.end;
  }
  parts.push(text.slice(at));
  // A trailing newline needs a character after it to take up a line, as the textarea does.
  parts.push('\u200b');
  return <>{parts}</>;
}
