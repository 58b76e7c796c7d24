// The draft editor's fact-check panel: the flag count, then every figure found in the text
// (flags first), each a button that selects the figure in the text and highlights its underline.
import { AlertTriangle, Check } from 'lucide-react';
import type { DraftFinding } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { plural } from '../../lib/format';
import { FIELD_LABEL, findingKey, isFlag, statusText } from './findings';

export function FactCheck({
  findings,
  flagged,
  checking,
  onHover,
  onPick,
}: {
  findings: DraftFinding[];
  flagged: number;
  checking: boolean;
  onHover(key: string | null): void;
  onPick(f: DraftFinding): void;
}): React.JSX.Element {
  const ordered = [...findings].sort((a, b) => Number(isFlag(b)) - Number(isFlag(a)) || (a.field === b.field ? a.start - b.start : a.field === 'subject' ? -1 : 1));
  return (
    <section className="de-panel" aria-labelledby="de-check">
      <h3 id="de-check">
        Fact-check{' '}
        <span className={`de-count ${flagged > 0 ? 'is-flagged' : 'is-clean'}`} data-testid="flag-count" data-flagged={flagged}>
          {flagged > 0 ? plural(flagged, 'flag', 'flags') : 'All figures match'}
        </span>
        {checking && <Spinner size={11} label="Checking" />}
      </h3>
      {ordered.length === 0 ? (
        <p className="muted">No figures in the text yet.</p>
      ) : (
        <ul className="de-findings" aria-label="Fact-check findings">
          {ordered.map((f) => {
            const key = findingKey(f);
            return (
              <li key={key} data-status={f.status} className={isFlag(f) ? 'is-flag' : 'is-ok'}>
                <button
                  type="button"
                  className="de-finding"
                  onMouseEnter={() => onHover(key)}
                  onMouseLeave={() => onHover(null)}
                  onFocus={() => onHover(key)}
                  onBlur={() => onHover(null)}
                  onClick={() => onPick(f)}
                  title={f.note}
                >
                  {isFlag(f) ? <AlertTriangle size={13} aria-hidden="true" /> : <Check size={13} aria-hidden="true" />}
                  <span className="de-finding-text">{f.text}</span>
                  <span className="de-finding-kind">
                    {FIELD_LABEL[f.kind]}
                    {f.field === 'subject' ? ' · subject' : ''}
                  </span>
                  <span className="de-finding-status">{statusText(f)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
