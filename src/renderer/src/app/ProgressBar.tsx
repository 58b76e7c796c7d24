// A slim bar along the top of the window while a sync or import runs.
import { useAppStore } from '../stores/app.store';

export function ProgressBar(): React.JSX.Element | null {
  const progress = useAppStore((s) => s.progress);
  if (!progress) return null;
  const fraction = progress.total ? Math.min(1, progress.done / progress.total) : null;
  const failed = progress.phase === 'error';
  return (
    <div
      className={`progress ${fraction === null ? 'progress-indeterminate' : ''} ${failed ? 'progress-error' : ''}`}
      role="progressbar"
      aria-label={progress.message || 'Syncing'}
      aria-valuemin={0}
      aria-valuemax={progress.total ?? undefined}
      aria-valuenow={progress.total ? progress.done : undefined}
      title={progress.message}
    >
      <div className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
    </div>
  );
}
