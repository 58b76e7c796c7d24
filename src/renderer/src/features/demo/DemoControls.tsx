// The demo company's badge and its Reset / Remove actions (Remove asks first).
import { FlaskConical, RotateCcw, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Spinner } from '../../components/Spinner';
import { useBoardStore } from '../../stores/board.store';

export function DemoBadge(): React.JSX.Element {
  return (
    <span className="badge badge-demo" title="Made-up data to explore Settle with; nothing is sent anywhere.">
      <FlaskConical size={12} aria-hidden="true" />
      Demo
    </span>
  );
}

export function DemoActions({ compact = false }: { compact?: boolean }): React.JSX.Element {
  const busy = useBoardStore((s) => s.demoBusy);
  const demo = useBoardStore((s) => s.demo);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="demo-actions">
      <button
        type="button"
        className={compact ? 'btn btn-sm btn-quiet' : 'btn'}
        onClick={() => void demo('reset')}
        disabled={busy !== null}
        title="Regenerate the demo company as of today"
      >
        {busy === 'reset' ? <Spinner size={13} /> : <RotateCcw size={13} aria-hidden="true" />}
        Reset demo
      </button>
      <button
        type="button"
        className={compact ? 'btn btn-sm btn-quiet' : 'btn'}
        onClick={() => setConfirming(true)}
        disabled={busy !== null}
      >
        {busy === 'remove' ? <Spinner size={13} /> : <Trash2 size={13} aria-hidden="true" />}
        Remove demo
      </button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Remove the demo company?"
        description="Its customers, invoices and your overrides on them are deleted from this computer. You can create a fresh demo company again at any time."
        confirmLabel="Remove demo company"
        danger
        onConfirm={() => void demo('remove')}
      />
    </div>
  );
}
