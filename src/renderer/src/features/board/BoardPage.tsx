// Home: the figures, the aging bars and the queue, or the onboarding when there is no company.
import { CircleAlert } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { useBoardStore } from '../../stores/board.store';
import { Welcome } from '../onboarding/Welcome';
import { AgingBars } from './AgingBars';
import { BoardHeader } from './BoardHeader';
import { Queue } from './Queue';
import { QueueToolbar } from './QueueToolbar';
import { SummaryBar } from './SummaryBar';

function BoardSkeleton(): React.JSX.Element {
  return (
    <div className="board board-loading" aria-busy="true">
      <div className="board-header">
        <span className="skel skel-title" />
        <span className="loading-note">
          <Spinner size={13} /> Opening your ledger…
        </span>
      </div>
      <div className="figures">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="figure">
            <span className="skel skel-label" />
            <span className="skel skel-figure" />
          </div>
        ))}
      </div>
      <div className="aging">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="aging-bar aging-skel">
            <span className="skel skel-label" />
            <span className="skel skel-figure" />
          </div>
        ))}
      </div>
    </div>
  );
}

export function BoardPage(): React.JSX.Element {
  const status = useBoardStore((s) => s.status);
  const summary = useBoardStore((s) => s.summary);
  const connection = useBoardStore((s) => s.connection);
  const error = useBoardStore((s) => s.error);
  const load = useBoardStore((s) => s.load);

  if (!summary) {
    if (status === 'error') {
      return (
        <EmptyState
          icon={<CircleAlert size={22} />}
          title="Settle could not read the ledger"
          actions={
            <button type="button" className="btn btn-primary" onClick={() => void load()}>
              Try again
            </button>
          }
        >
          <p>{error}</p>
        </EmptyState>
      );
    }
    return <BoardSkeleton />;
  }
  if (!connection) return <Welcome />;

  return (
    <div className="board">
      <BoardHeader />
      {error && (
        <div className="banner banner-error" role="alert">
          <CircleAlert size={14} aria-hidden="true" />
          {error}
        </div>
      )}
      <SummaryBar />
      <AgingBars />
      <QueueToolbar />
      <Queue />
    </div>
  );
}
