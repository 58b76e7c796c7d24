// Flattens the queue into the rows the virtual list draws: each customer, followed by its
// invoices when expanded. Pure, so the list can rebuild it cheaply whenever a page arrives.
import type { QueueInvoice, QueueRow } from '../../../../shared/model';

export type QueueItem =
  | { kind: 'customer'; index: number; row: QueueRow | undefined }
  | { kind: 'invoice'; index: number; row: QueueRow; invoice: QueueInvoice; last: boolean };

export interface FlatQueue {
  items: QueueItem[];
  /** Position in `items` of customer i. */
  itemOf: Int32Array;
}

export function flattenQueue(rows: readonly (QueueRow | undefined)[], total: number, expanded: Record<number, true>): FlatQueue {
  const items: QueueItem[] = [];
  const itemOf = new Int32Array(total);
  for (let index = 0; index < total; index++) {
    const row = rows[index];
    itemOf[index] = items.length;
    items.push({ kind: 'customer', index, row });
    if (row && expanded[row.customerId]) {
      row.invoices.forEach((invoice, i) =>
        items.push({ kind: 'invoice', index, row, invoice, last: i === row.invoices.length - 1 }),
      );
    }
  }
  return { items, itemOf };
}
