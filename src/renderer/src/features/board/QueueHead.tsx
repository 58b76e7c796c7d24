// The queue's column header row (split out of Queue.tsx to keep the list component small).
// Sortable columns are buttons outside the tab order; focus stays on the grid itself.
import type { QueueSort } from '../../../../shared/model';
import { useBoardStore, type BoardFilters } from '../../stores/board.store';

export const HEADER_HEIGHT = 30;

const COLUMNS: { key: string; label: string; sort?: QueueSort; className: string }[] = [
  { key: 'exp', label: '', className: 'c-exp' },
  { key: 'tier', label: 'Tier', sort: 'priority', className: 'c-tier' },
  { key: 'name', label: 'Customer', sort: 'name', className: 'c-name' },
  { key: 'amt', label: 'Overdue', sort: 'amount', className: 'c-amt num' },
  { key: 'days', label: 'Oldest', sort: 'overdue', className: 'c-days num' },
  { key: 'inv', label: 'Inv.', className: 'c-inv num' },
  { key: 'next', label: 'Next action', className: 'c-next' },
  { key: 'contact', label: 'Last contact', sort: 'last_contact', className: 'c-contact' },
];

export function QueueHead({ filters, openScope }: { filters: BoardFilters; openScope: boolean }): React.JSX.Element {
  const board = useBoardStore.getState;
  return (
    <div role="rowgroup" className="queue-head" style={{ height: HEADER_HEIGHT }}>
      <div role="row" className="qrow qrow-head">
        {COLUMNS.map((c) => {
          const active = c.sort !== undefined && filters.sort === c.sort;
          return (
            <div
              key={c.key}
              role="columnheader"
              className={c.className}
              aria-sort={active ? (filters.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sort ? (
                <button
                  type="button"
                  tabIndex={-1}
                  className={`head-btn${active ? ' is-active' : ''}`}
                  onClick={() =>
                    board().setSort(c.sort!, active ? (filters.dir === 'asc' ? 'desc' : 'asc') : undefined)
                  }
                >
                  {c.key === 'amt' && openScope ? 'Open' : c.label}
                  {active && <span aria-hidden="true">{filters.dir === 'asc' ? ' ↑' : ' ↓'}</span>}
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
