// Approvals (DESIGN §13): a checklist of waiting drafts by customer priority, each with a chip
// for every reason it needs a human; select some (or all) and approve or reject them from the
// sticky footer. Opening an item shows it in the draft editor. Keys: j/k move, x toggles, a
// approves the selection. Approved drafts go to the outbox, by the default channel unless the
// owner picks another for this batch. The parts: ApprovalRow, ApprovalsFooter, useApprovalKeys.
import { ListChecks } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApprovalsView } from '../../../../shared/approvals';
import { AUTONOMY_LABELS } from '../../../../shared/approvals';
import type { OutboxChannel } from '../../../../shared/outbox';
import { EmptyState } from '../../components/EmptyState';
import { PageLoading } from '../../components/PageLoading';
import { call } from '../../lib/api';
import { useAppStore } from '../../stores/app.store';
import { useLocale } from '../../stores/settings.store';
import { useDraftStore } from '../drafts/drafts.store';
import { ApprovalRow } from './ApprovalRow';
import { ApprovalsFooter } from './ApprovalsFooter';
import { useApprovalKeys } from './useApprovalKeys';
import './approvals.css';

function NothingToApprove(): React.JSX.Element {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <EmptyState
      icon={<ListChecks size={22} />}
      title="Nothing to approve"
      actions={
        <button type="button" className="btn" onClick={() => navigate('board')}>
          Go to the board
        </button>
      }
    >
      <p>Reminders you submit wait here for your approval. Open a customer on the board and choose Draft reminder.</p>
    </EmptyState>
  );
}

export function ApprovalsPage(): React.JSX.Element {
  const [view, setView] = useState<ApprovalsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState<OutboxChannel | ''>('');
  const editorOpen = useDraftStore((s) => s.open);
  const openDraft = useDraftStore((s) => s.openDraft);
  const locale = useLocale();
  const listRef = useRef<HTMLUListElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  // Leaving the reason form puts focus back on the Reject button that opened it.
  const stopRejecting = (): void => {
    setRejecting(false);
    requestAnimationFrame(() => rejectRef.current?.focus());
  };

  const [generation, setGeneration] = useState(0);
  const load = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (editorOpen) return;
    let live = true;
    void call('approvals.list', {}).then(
      (v) => {
        if (!live) return;
        setView(v);
        setSelected((s) => new Set([...s].filter((id) => v.items.some((i) => i.draft.id === id))));
        setActive((a) => Math.min(a, Math.max(0, v.items.length - 1)));
      },
      (err: unknown) => live && setError((err as Error).message),
    );
    return () => {
      live = false;
    };
  }, [editorOpen, generation]);

  const items = view?.items ?? [];
  const chosen = items.filter((i) => selected.has(i.draft.id));

  const toggle = useCallback(
    (id: number): void =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  const decide = useCallback(
    async (kind: 'approve' | 'reject', ids: number[], why?: string) => {
      if (ids.length === 0) return;
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        const result =
          kind === 'approve'
            ? await call('approvals.approve', { draftIds: ids, ...(channel ? { channel } : {}) })
            : await call('approvals.reject', { draftIds: ids, ...(why ? { reason: why } : {}) });
        const failed = result.results.filter((r) => !r.ok);
        const verb = kind === 'approve' ? 'Approved' : 'Rejected';
        const next = kind === 'approve' && result.done > 0 ? ' They are in the Outbox.' : '';
        setNotice(`${verb} ${result.done}.${next}${failed.length ? ` ${failed.length} not: ${failed[0]!.error ?? ''}` : ''}`);
        setRejecting(false);
        setReason('');
        load();
      } catch (err) {
        setError((err as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [load, channel],
  );
  const approve = useCallback((ids: number[]) => void decide('approve', ids), [decide]);

  const approveBlocked = chosen.some((i) => i.blocked);
  const blockedReason = items.find((i) => i.blocked)?.blocked;

  useApprovalKeys({ items, active, chosen, busy, approveBlocked }, { setActive, toggle, approve });

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  if (!view) {
    return <PageLoading title="Approvals" error={error} />;
  }

  const allSelected = items.length > 0 && chosen.length === items.length;
  const chosenIds = chosen.map((i) => i.draft.id);
  return (
    <div className="page approvals-page">
      <h1 className="page-title">Approvals</h1>
      <p className="muted approvals-phase">
        Autonomy: {AUTONOMY_LABELS[view.phase]} (Settings → Rules). Approved reminders go to the Outbox, where each invoice is re-checked with the ledger before sending.
      </p>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="banner" role="status">
          {notice}
        </p>
      ) : null}
      {items.length === 0 ? (
        <NothingToApprove />
      ) : (
        <section aria-labelledby="approvals-waiting">
          <h2 id="approvals-waiting" className="visually-hidden">
            Waiting for approval ({items.length})
          </h2>
          <label className="approvals-selectall">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.draft.id)))}
            />
            Select all ({items.length})
          </label>
          <ul className="list-card approvals-list" ref={listRef} aria-label="Drafts waiting for approval">
            {items.map((item, index) => (
              <ApprovalRow
                key={item.draft.id}
                item={item}
                index={index}
                active={index === active}
                selected={selected.has(item.draft.id)}
                locale={locale}
                onSelect={() => {
                  setActive(index);
                  toggle(item.draft.id);
                }}
                onOpen={() => void openDraft(item.draft.id)}
              />
            ))}
          </ul>
          <ApprovalsFooter
            {...{ busy, rejecting, reason, setReason, channel, setChannel, approveBlocked, blockedReason, rejectRef, stopRejecting }}
            count={chosen.length}
            startRejecting={() => setRejecting(true)}
            reject={(why) => void decide('reject', chosenIds, why)}
            approve={() => void decide('approve', chosenIds)}
          />
        </section>
      )}
    </div>
  );
}
