// Drafts submitted for approval, newest first; one opens in the draft editor. The approval
// actions themselves (approve, reject, rules, the outbox) come with the approvals queue.
import { useEffect, useState } from 'react';
import type { DraftView } from '../../../../shared/model';
import { call } from '../../lib/api';
import { formatWhen, plural } from '../../lib/format';
import { useLocale } from '../../stores/settings.store';
import { useDraftStore } from './drafts.store';

export function WaitingDrafts(): React.JSX.Element | null {
  const [drafts, setDrafts] = useState<DraftView[] | null>(null);
  const editorOpen = useDraftStore((s) => s.open);
  const openDraft = useDraftStore((s) => s.openDraft);
  const locale = useLocale();
  useEffect(() => {
    if (editorOpen) return;
    let live = true;
    void call('drafts.list', { status: 'pending_approval' }).then(
      (d) => live && setDrafts(d),
      () => live && setDrafts([]),
    );
    return () => {
      live = false;
    };
  }, [editorOpen]);
  if (!drafts || drafts.length === 0) return null;
  return (
    <section className="waiting-drafts" aria-labelledby="waiting-drafts">
      <h2 id="waiting-drafts">Waiting for approval ({drafts.length})</h2>
      <ul>
        {drafts.map((d) => (
          <li key={d.id}>
            <button type="button" className="btn btn-quiet" onClick={() => void openDraft(d.id)}>
              <strong>{d.customer.name}</strong>
              <span className="muted">
                {d.subject} · {plural(d.invoices.length, 'invoice', 'invoices', locale)} · {formatWhen(d.updatedAt, locale, true)}
                {d.overrideReason ? ` · submitted with ${plural(d.flagged, 'flag', 'flags', locale)}: ${d.overrideReason}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
