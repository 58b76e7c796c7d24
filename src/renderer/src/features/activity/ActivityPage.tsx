// Activity: not built yet. Says what will appear here and what to do meanwhile.
import { Activity } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../stores/app.store';

export function ActivityPage(): React.JSX.Element {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <div className="page">
      <h1 className="page-title">Activity</h1>
      <EmptyState
        icon={<Activity size={22} />}
        title="No activity to show yet"
        actions={
          <button type="button" className="btn" onClick={() => navigate('board')}>
            Go to the board
          </button>
        }
      >
        <p>
          Every sync, sent reminder, approval and override will be listed here, newest first, from Settle’s append-only
          audit log.
        </p>
        <p className="muted">
          Your tier overrides are already recorded; open a customer from the board to see them in their timeline.
        </p>
      </EmptyState>
    </div>
  );
}
