// Promises to pay: not built yet. Says what will appear here and what to do meanwhile.
import { Handshake } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../stores/app.store';

export function PromisesPage(): React.JSX.Element {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <div className="page">
      <h1 className="page-title">Promises</h1>
      <EmptyState
        icon={<Handshake size={22} />}
        title="No promises to pay yet"
        actions={
          <button type="button" className="btn" onClick={() => navigate('board')}>
            Go to the board
          </button>
        }
      >
        <p>
          When a customer promises to pay by a date, it will be listed here. Synced payments mark each promise kept or
          broken, and Settle reminds you the day before and on the day.
        </p>
        <p className="muted">Logging promises is not available in this build yet. Meanwhile, note them in your ledger.</p>
      </EmptyState>
    </div>
  );
}
