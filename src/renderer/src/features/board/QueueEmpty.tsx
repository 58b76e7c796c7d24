// What the queue shows when no customer is listed: nothing matches the filters (with a way to
// clear them), or nothing is overdue at all. Split out of Queue.tsx.
import { CircleCheck, SearchX } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useBoardStore } from '../../stores/board.store';

export function QueueEmpty({ filtered }: { filtered: boolean }): React.JSX.Element {
  return filtered ? (
    <EmptyState
      className="queue-empty"
      icon={<SearchX size={22} />}
      title="No customers match these filters"
      actions={
        <button type="button" className="btn" onClick={() => useBoardStore.getState().clearFilters()}>
          Clear filters
        </button>
      }
    >
      Try another tier or bucket, or a shorter search. Search looks at customer names and invoice numbers.
    </EmptyState>
  ) : (
    <EmptyState className="queue-empty" icon={<CircleCheck size={22} />} title="Nothing is overdue">
      Every open invoice is within its terms. New overdue invoices appear here after the next sync.
    </EmptyState>
  );
}
