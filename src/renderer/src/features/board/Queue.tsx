// The prioritised queue: a virtualised treegrid of customers (level 1) and, when expanded,
// their invoices (level 2). Pages of 200 customers are fetched as they scroll into view, so
// the list stays smooth at 100k invoices. Focus stays on the grid; the selected row is its
// active descendant, so j/k/arrows, Space and Enter work without tabbing through rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { QueueSort } from '../../../../shared/model';
import { useBoardStore, hasActiveFilters } from '../../stores/board.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { EmptyState } from '../../components/EmptyState';
import { flattenQueue } from './queue-items';
import { CustomerRowView, CUSTOMER_ROW_HEIGHT, InvoiceRowView, INVOICE_ROW_HEIGHT, SkeletonRow } from './QueueRows';
import { CircleCheck, SearchX } from 'lucide-react';

const HEADER_HEIGHT = 30;
const LOOKAHEAD = 60;

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

export function Queue(): React.JSX.Element {
  const rows = useBoardStore((s) => s.rows);
  const total = useBoardStore((s) => s.total);
  const expanded = useBoardStore((s) => s.expanded);
  const selected = useBoardStore((s) => s.selected);
  const filters = useBoardStore((s) => s.filters);
  const fetching = useBoardStore((s) => s.fetching);
  const board = useBoardStore.getState;
  const openCustomer = useCustomerStore((s) => s.open);
  const locale = useLocale();
  const scrollRef = useRef<HTMLDivElement>(null);

  const { items, itemOf } = useMemo(() => flattenQueue(rows, total, expanded), [rows, total, expanded]);

  const getItemKey = useCallback(
    (i: number) => {
      const item = items[i];
      if (!item) return i;
      return item.kind === 'customer' ? `c${item.index}` : `i${item.row.customerId}:${item.invoice.id}`;
    },
    [items],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.kind === 'invoice' ? INVOICE_ROW_HEIGHT : CUSTOMER_ROW_HEIGHT),
    getItemKey,
    overscan: 12,
    paddingStart: HEADER_HEIGHT,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const firstItem = virtualItems[0]?.index ?? 0;
  const lastItem = virtualItems[virtualItems.length - 1]?.index ?? 0;

  // Fetch the pages under (and a little past) the visible window.
  useEffect(() => {
    if (!items.length) return;
    const from = items[firstItem]?.index ?? 0;
    const to = (items[lastItem]?.index ?? 0) + LOOKAHEAD;
    board().ensureRange(from, to);
  }, [firstItem, lastItem, items, board]);

  // Keep the selected customer in view.
  useEffect(() => {
    if (selected >= 0 && selected < itemOf.length) virtualizer.scrollToIndex(itemOf[selected]!, { align: 'auto' });
  }, [selected, itemOf, virtualizer]);

  // A new query starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filters]);

  const open = (index: number): void => {
    const row = board().rows[index];
    if (!row) return;
    board().select(index);
    openCustomer(row.customerId, row.name);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    const s = board();
    const row = s.rows[s.selected];
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / CUSTOMER_ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        s.move(1);
        break;
      case 'k':
      case 'ArrowUp':
        s.move(-1);
        break;
      case 'PageDown':
        s.move(page);
        break;
      case 'PageUp':
        s.move(-page);
        break;
      case 'Home':
        s.select(0);
        break;
      case 'End':
        s.select(s.total - 1);
        break;
      case 'ArrowRight':
        if (row) s.toggleExpanded(row.customerId, true);
        break;
      case 'ArrowLeft':
        if (row) s.toggleExpanded(row.customerId, false);
        break;
      case ' ':
        if (row) s.toggleExpanded(row.customerId);
        else s.select(0);
        break;
      case 'Enter':
        if (s.selected < 0) s.select(0);
        open(Math.max(0, s.selected));
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  if (total === 0 && !fetching) {
    return hasActiveFilters(filters) ? (
      <EmptyState
        className="queue-empty"
        icon={<SearchX size={22} />}
        title="No customers match these filters"
        actions={
          <button type="button" className="btn" onClick={() => board().clearFilters()}>
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

  const openScope = filters.bucket === 'current';
  const activeRow = selected >= 0 && selected < total ? `qrow-${selected}` : undefined;

  return (
    <div
      id="queue"
      ref={scrollRef}
      className={`queue${fetching ? ' is-fetching' : ''}`}
      role="treegrid"
      aria-label="Collections queue"
      aria-busy={fetching}
      aria-activedescendant={activeRow}
      aria-multiselectable={false}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === e.currentTarget && board().selected < 0 && total > 0) board().select(0);
      }}
    >
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
      <div role="rowgroup" className="queue-body" style={{ height: virtualizer.getTotalSize() - HEADER_HEIGHT }}>
        {virtualItems.map((v) => {
          const item = items[v.index];
          if (!item) return null;
          const style = { height: v.size, transform: `translateY(${v.start - HEADER_HEIGHT}px)` };
          if (item.kind === 'invoice') {
            return <InvoiceRowView key={v.key} invoice={item.invoice} last={item.last} style={style} locale={locale} />;
          }
          if (!item.row) return <SkeletonRow key={v.key} index={item.index} style={style} />;
          const row = item.row;
          return (
            <CustomerRowView
              key={v.key}
              row={row}
              index={item.index}
              selected={item.index === selected}
              expanded={expanded[row.customerId] === true}
              style={style}
              currency={filters.currency}
              openScope={openScope}
              locale={locale}
              onClick={() => {
                board().select(item.index);
                board().toggleExpanded(row.customerId);
              }}
              onOpen={() => open(item.index)}
            />
          );
        })}
      </div>
    </div>
  );
}
