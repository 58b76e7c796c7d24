// The triage dialog's first step when it opens from the Promises page: find the customer who
// replied by name (the board's search, a few at a time).
import { useEffect, useState } from 'react';
import type { QueueRow } from '../../../../shared/model';
import { call } from '../../lib/api';

/** Finds a customer by name when the dialog is opened from the Promises page. */
export function CustomerPicker({ onPick }: { onPick(row: QueueRow): void }): React.JSX.Element {
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<QueueRow[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      call('board.get', { search, scope: 'open', sort: 'name', limit: 8 })
        .then((b) => live && setRows(b.queue.rows))
        .catch(() => live && setRows([]));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search]);
  return (
    <div className="form-field">
      <label className="form-label" htmlFor="triage-customer">
        Customer who replied
      </label>
      <input id="triage-customer" type="text" value={search} placeholder="Search by name" onChange={(e) => setSearch(e.target.value)} />
      <ul className="followup-list" aria-label="Matching customers">
        {rows.map((r) => (
          <li key={r.customerId}>
            <button type="button" className="btn btn-sm btn-quiet" onClick={() => onPick(r)}>
              {r.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
