// Approvals: not built yet. Says what will appear here and what to do meanwhile.
import { ListChecks } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../stores/app.store';
import { WaitingDrafts } from '../drafts/WaitingDrafts';

export function ApprovalsPage(): React.JSX.Element {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <div className="page">
      <h1 className="page-title">Approvals</h1>
      <EmptyState
        icon={<ListChecks size={22} />}
        title="Nothing to approve"
        actions={
          <button type="button" className="btn" onClick={() => navigate('board')}>
            Go to the board
          </button>
        }
      >
        <p>
          Reminders Settle drafts for you will wait here, each with the reason it needs your approval. Nothing is sent to a
          customer until you approve it.
        </p>
        <p className="muted">
          Draft a reminder from a customer on the board; drafts you submit are listed below. Approving and sending come next.
        </p>
      </EmptyState>
      <WaitingDrafts />
    </div>
  );
}
