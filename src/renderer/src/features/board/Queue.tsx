// The prioritised queue: a virtualised treegrid of customers (level 1) and, when expanded,
// their invoices (level 2). Pages of 200 customers are fetched as they scroll into view, so
// the list stays smooth at 100k invoices. Focus stays on the grid; the selected row is its
// active descendant, so j/k/arrows, Space and Enter work without tabbing through rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useBoardStore, hasActiveFilters } from '../../stores/board.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { flattenQueue } from './queue-items';
import { handleQueueKey } from './queue-keys';
import { QueueEmpty } from './QueueEmpty';
import { HEADER_HEIGHT, QueueHead } from './QueueHead';
import { CustomerRowView, CUSTOMER_ROW_HEIGHT, InvoiceRowView, INVOICE_ROW_HEIGHT, SkeletonRow } from './QueueRows';

const LOOKAHEAD = 60;

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
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / CUSTOMER_ROW_HEIGHT) - 1);
    handleQueueKey(e, page, open);
  };

  if (total === 0 && !fetching) return <QueueEmpty filtered={hasActiveFilters(filters)} />;

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
      <QueueHead filters={filters} openScope={openScope} />
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
