// The Approvals page's sticky footer: how many are selected, the channel for this batch, and
// Reject / Approve; Reject first asks why (optional) in the footer itself, Escape backs out.
import type { RefObject } from 'react';
import { CHANNEL_LABELS, OUTBOX_CHANNELS, type OutboxChannel } from '../../../../shared/outbox';

export interface FooterProps {
  count: number;
  busy: boolean;
  rejecting: boolean;
  reason: string;
  setReason(reason: string): void;
  channel: OutboxChannel | '';
  setChannel(channel: OutboxChannel | ''): void;
  approveBlocked: boolean;
  blockedReason: string | undefined;
  rejectRef: RefObject<HTMLButtonElement | null>;
  startRejecting(): void;
  stopRejecting(): void;
  reject(reason: string | undefined): void;
  approve(): void;
}

function RejectForm({ count, busy, reason, setReason, stopRejecting, reject }: FooterProps): React.JSX.Element {
  return (
    <form
      className="approvals-reject"
      onSubmit={(e) => {
        e.preventDefault();
        reject(reason.trim() || undefined);
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
        Reject {count}
      </button>
      <button type="button" className="btn" onClick={stopRejecting}>
        Cancel
      </button>
    </form>
  );
}

function BulkActions({ count, busy, channel, setChannel, approveBlocked, blockedReason, rejectRef, startRejecting, approve }: FooterProps): React.JSX.Element {
  return (
    <>
      <span className="muted">{count} selected</span>
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
      <button ref={rejectRef} type="button" className="btn" disabled={busy || count === 0} onClick={startRejecting}>
        Reject {count}
      </button>
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy || count === 0 || approveBlocked}
        title={approveBlocked ? blockedReason : undefined}
        onClick={approve}
      >
        Approve {count}
      </button>
    </>
  );
}

export function ApprovalsFooter(props: FooterProps): React.JSX.Element {
  return (
    <div className="approvals-footer" role="region" aria-label="Bulk actions">
      {props.rejecting ? <RejectForm {...props} /> : <BulkActions {...props} />}
    </div>
  );
}
