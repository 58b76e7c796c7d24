// An honest empty state: what will appear here, and what to do now.
import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
  actions,
  className = '',
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
}): React.JSX.Element {
  return (
    <section className={`empty ${className}`} aria-label={title}>
      {icon && (
        <div className="empty-icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h2 className="empty-title">{title}</h2>
      {children && <div className="empty-body">{children}</div>}
      {actions && <div className="empty-actions">{actions}</div>}
    </section>
  );
}
