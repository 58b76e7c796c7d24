// Approvals (DESIGN §13): a checklist of waiting drafts by customer priority, each with a chip
// for every reason it needs a human; select some (or all) and approve or reject them from the
// sticky footer. Opening an item shows it in the draft editor. Keys: j/k move, x toggles, a
// approves the selection. Approved drafts go to the outbox, by the default channel unless the
// owner picks another for this batch.
import { ListChecks } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApprovalItem, ApprovalsView } from '../../../../shared/approvals';
import { AUTONOMY_LABELS } from '../../../../shared/approvals';
import { CHANNEL_LABELS, OUTBOX_CHANNELS, type OutboxChannel } from '../../../../shared/outbox';
import { EmptyState } from '../../components/EmptyState';
import { PageLoading } from '../../components/PageLoading';
import { call } from '../../lib/api';
import { formatMoney } from '../../lib/format';
import { isEditable } from '../../app/shortcuts';
import { useAppStore } from '../../stores/app.store';
import { useLocale } from '../../stores/settings.store';
import { useDraftStore } from '../drafts/drafts.store';
import './approvals.css';

function amountText(item: ApprovalItem, locale: string): string {
  return item.draft.totalOverdue.map((t) => formatMoney(t.cents, t.currency, locale)).join(' + ');
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
  const navigate = useAppStore((s) => s.navigate);
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

  const toggle = (id: number): void =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

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

  const approveBlocked = chosen.some((i) => i.blocked);
  const blockedReason = items.find((i) => i.blocked)?.blocked;

  // Page keys: j/k move, x toggles, a approves the selection (not after g, which is "go to").
  const state = useRef({ items, active, chosen, busy, approveBlocked });
  useEffect(() => {
    state.current = { items, active, chosen, busy, approveBlocked };
  });
  useEffect(() => {
    let lastG = 0;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isEditable(e.target)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      if (e.key === 'g') {
        lastG = Date.now();
        return;
      }
      if (Date.now() - lastG < 1200) {
        lastG = 0;
        return;
      }
      const s = state.current;
      if (s.items.length === 0) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setActive((a) => Math.max(0, Math.min(s.items.length - 1, a + (e.key === 'j' ? 1 : -1))));
      } else if (e.key === 'x') {
        e.preventDefault();
        const item = s.items[s.active];
        if (item) toggle(item.draft.id);
      } else if (e.key === 'a') {
        e.preventDefault();
        if (!s.busy && !s.approveBlocked) void decide('approve', s.chosen.map((i) => i.draft.id));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  if (!view) {
    return <PageLoading title="Approvals" error={error} />;
  }

  const allSelected = items.length > 0 && chosen.length === items.length;
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
              <li
                key={item.draft.id}
                data-index={index}
                data-testid="approval-item"
                className={`approvals-row${index === active ? ' is-active' : ''}`}
                aria-current={index === active ? 'true' : undefined}
              >
                <input
                  type="checkbox"
                  aria-label={`Select ${item.draft.customer.name}`}
                  checked={selected.has(item.draft.id)}
                  onChange={() => {
                    setActive(index);
                    toggle(item.draft.id);
                  }}
                />
                <button type="button" className="btn btn-quiet approvals-open" onClick={() => void openDraft(item.draft.id)}>
                  <strong>{item.draft.customer.name}</strong> <span className="muted">{item.draft.subject}</span>
                </button>
                <span className="approvals-amount">{amountText(item, locale)}</span>
                <span className="approvals-reasons">
                  {item.eligible ? <span className="reason-chip">Low risk: eligible</span> : null}
                  {item.reasons.map((r) => (
                    <span key={r.code} className="reason-chip" data-code={r.code} title={r.label}>
                      {r.label}
                    </span>
                  ))}
                </span>
              </li>
            ))}
          </ul>
          <div className="approvals-footer" role="region" aria-label="Bulk actions">
            {rejecting ? (
              <form
                className="approvals-reject"
                onSubmit={(e) => {
                  e.preventDefault();
                  void decide('reject', chosen.map((i) => i.draft.id), reason.trim() || undefined);
                }}
                onKeyDown={(e) => {
                  // Escape closes what Reject opened, as it does for dialogs.
                  if (e.key === 'Escape') {
                    e.preventDefault();
                    stopRejecting();
                  }
                }}
              >
                <label>
                  Why reject?
                  <input type="text" autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="Optional reason" />
                </label>
                <button type="submit" className="btn btn-danger" disabled={busy}>
                  Reject {chosen.length}
                </button>
                <button type="button" className="btn" onClick={stopRejecting}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <span className="muted">{chosen.length} selected</span>
                <span className="spacer" />
                {approveBlocked && blockedReason ? <span className="muted">{blockedReason}</span> : null}
                <label className="approvals-channel">
                  Send by{' '}
                  <select value={channel} onChange={(e) => setChannel(e.target.value as OutboxChannel | '')}>
                    <option value="">the default (Settings → Sending)</option>
                    {OUTBOX_CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {CHANNEL_LABELS[c]}
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  ref={rejectRef}
                  type="button"
                  className="btn"
                  disabled={busy || chosen.length === 0}
                  onClick={() => setRejecting(true)}
                >
                  Reject {chosen.length}
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={busy || chosen.length === 0 || approveBlocked}
                  title={approveBlocked ? blockedReason : undefined}
                  onClick={() => void decide('approve', chosen.map((i) => i.draft.id))}
                >
                  Approve {chosen.length}
                </button>
              </>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
