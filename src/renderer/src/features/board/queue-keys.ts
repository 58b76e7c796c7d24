// The queue's keyboard: j/k and arrows move, PageUp/PageDown jump a screenful, Home/End, Right/Left
// and Space expand or collapse, Enter opens. Split out of Queue.tsx; works on the board store.
import type { KeyboardEvent } from 'react';
import { useBoardStore } from '../../stores/board.store';

/**
 * Handles one keydown on the queue grid. `page` is how many customer rows one PageDown moves;
 * `open` opens the customer at an index. Keys it handles have their default prevented.
 */
export function handleQueueKey(e: KeyboardEvent<HTMLDivElement>, page: number, open: (index: number) => void): void {
  if (e.metaKey || e.ctrlKey || e.altKey) return;
  const s = useBoardStore.getState();
  const row = s.rows[s.selected];
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
}
