// A promise's status as a small chip: open, kept, partly kept, broken, cancelled.
import type { PromiseStatus } from '../../../../shared/followup';

export const PROMISE_STATUS_LABELS: Record<PromiseStatus, string> = {
  open: 'Open',
  kept: 'Kept',
  partially_kept: 'Partly kept',
  broken: 'Broken',
  cancelled: 'Cancelled',
};

export function StatusChip({ status }: { status: PromiseStatus }): React.JSX.Element {
  return <span className={`status-chip status-${status}`}>{PROMISE_STATUS_LABELS[status]}</span>;
}
