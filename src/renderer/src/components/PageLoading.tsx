// A page before its first answer from the core: the title, then a spinner or the error.
import { Spinner } from './Spinner';

export function PageLoading({ title, error, what = 'Loading…' }: { title: string; error: string | null; what?: string }): React.JSX.Element {
  return (
    <div className="page">
      <h1 className="page-title">{title}</h1>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="muted">
          <Spinner size={13} /> {what}
        </p>
      )}
    </div>
  );
}
