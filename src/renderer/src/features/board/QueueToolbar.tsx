// The queue's filters: search (`/`), tier chips (the bucket is chosen in the aging bars),
// currency, and sort with its direction. The count on the right says what matched.
import { ArrowDownWideNarrow, ArrowUpNarrowWide, Search, X } from 'lucide-react';
import type { QueueSort } from '../../../../shared/model';
import { TIERS } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { plural, TIER_LABELS } from '../../lib/format';
import { focusQueue } from '../../app/shortcuts';
import { hasActiveFilters, useBoardStore } from '../../stores/board.store';
import { useLocale } from '../../stores/settings.store';

export const SORT_LABELS: Record<QueueSort, string> = {
  priority: 'Priority',
  amount: 'Amount',
  overdue: 'Days overdue',
  name: 'Name',
  last_contact: 'Last contact',
};

export function QueueToolbar(): React.JSX.Element {
  const filters = useBoardStore((s) => s.filters);
  const searchText = useBoardStore((s) => s.searchText);
  const currencies = useBoardStore((s) => s.currencies);
  const total = useBoardStore((s) => s.total);
  const invoices = useBoardStore((s) => s.invoiceTotal);
  const fetching = useBoardStore((s) => s.fetching);
  const status = useBoardStore((s) => s.status);
  const store = useBoardStore.getState;
  const locale = useLocale();

  return (
    <div className="toolbar" role="search" aria-label="Filter the queue">
      <div className="search">
        <label htmlFor="queue-search" className="visually-hidden">
          Search customers or invoice numbers
        </label>
        <Search size={14} aria-hidden="true" />
        <input
          id="queue-search"
          type="search"
          placeholder="Search customer or invoice #"
          autoComplete="off"
          spellCheck={false}
          value={searchText}
          onChange={(e) => store().setSearchText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              store().setSearchText('');
              focusQueue();
            } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
              e.preventDefault();
              if (store().selected < 0) store().select(0);
              focusQueue();
            }
          }}
        />
        {searchText ? (
          <button type="button" className="search-clear" aria-label="Clear search" onClick={() => store().setSearchText('')}>
            <X size={12} aria-hidden="true" />
          </button>
        ) : (
          <kbd className="kbd search-kbd" aria-hidden="true">
            /
          </kbd>
        )}
      </div>

      <div className="chips" role="group" aria-label="Tier">
        {TIERS.map((t) => (
          <button
            key={t}
            type="button"
            className={`chip chip-${t}`}
            aria-pressed={filters.tiers.includes(t)}
            onClick={() => store().toggleTier(t)}
          >
            <span className="tier-dot" aria-hidden="true" />
            {TIER_LABELS[t]}
          </button>
        ))}
      </div>


      {currencies.length > 1 && (
        <label className="select-wrap">
          <span className="visually-hidden">Currency</span>
          <select
            value={filters.currency ?? ''}
            onChange={(e) => store().setFilters({ currency: e.target.value || null })}
            aria-label="Currency"
          >
            <option value="">All currencies</option>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      )}

      <div className="sort">
        <label className="select-wrap">
          <select
            aria-label="Sort by"
            title="Sort by"
            value={filters.sort}
            onChange={(e) => store().setSort(e.target.value as QueueSort)}
          >
            {(Object.keys(SORT_LABELS) as QueueSort[]).map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="icon-btn"
          aria-label={filters.dir === 'desc' ? 'Sort descending (click for ascending)' : 'Sort ascending (click for descending)'}
          title={filters.dir === 'desc' ? 'Descending' : 'Ascending'}
          onClick={() => store().setSort(filters.sort, filters.dir === 'desc' ? 'asc' : 'desc')}
        >
          {filters.dir === 'desc' ? (
            <ArrowDownWideNarrow size={15} aria-hidden="true" />
          ) : (
            <ArrowUpNarrowWide size={15} aria-hidden="true" />
          )}
        </button>
      </div>

      <div className="toolbar-end">
        {hasActiveFilters(filters) && (
          <button
            type="button"
            className="btn btn-sm btn-quiet"
            onClick={() => store().clearFilters()}
            aria-label="Clear filters"
            title="Clear filters (x)"
          >
            <X size={12} aria-hidden="true" />
            Clear
          </button>
        )}
        <span className="count" role="status" aria-live="polite" data-testid="queue-count">
          {fetching && <Spinner size={12} />}
          {status === 'ready' &&
            `${plural(total, 'customer', 'customers', locale)}${total > 0 ? ` · ${plural(invoices, 'invoice', 'invoices', locale)}` : ''}`}
        </span>
      </div>
    </div>
  );
}
