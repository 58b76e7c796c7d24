// The left rail: the company, the six pages, and a way to the shortcuts.
import { Activity, Handshake, Keyboard, LayoutList, ListChecks, Send, Settings } from 'lucide-react';
import type { ComponentType } from 'react';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { needsOwner, useOutboxStore } from '../features/outbox/outbox.store';
import { ROUTES, useAppStore, type Route } from '../stores/app.store';
import { useBoardStore } from '../stores/board.store';

const ICONS: Record<Route, ComponentType<{ size?: number; 'aria-hidden'?: boolean }>> = {
  board: LayoutList,
  approvals: ListChecks,
  outbox: Send,
  promises: Handshake,
  activity: Activity,
  settings: Settings,
};

export function Sidebar(): React.JSX.Element {
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const openShortcuts = useAppStore((s) => s.setShortcutsOpen);
  const connection = useBoardStore((s) => s.connection);
  const known = useBoardStore((s) => s.summary !== null);
  const dueToday = useBoardStore((s) => s.summary?.promisesDueToday ?? 0);
  const outboxToDo = useOutboxStore((s) => needsOwner(s.view));
  const main = ROUTES.filter((r) => r.id !== 'settings');
  const settings = ROUTES.find((r) => r.id === 'settings')!;

  const item = (r: (typeof ROUTES)[number]): React.JSX.Element => {
    const Icon = ICONS[r.id];
    return (
      <li key={r.id}>
        <button
          type="button"
          className="nav-item"
          aria-current={route === r.id ? 'page' : undefined}
          onClick={() => navigate(r.id)}
          title={`${r.label} (g then ${r.key})`}
        >
          <Icon size={16} aria-hidden />
          <span>{r.label}</span>
          {r.id === 'outbox' && outboxToDo > 0 && (
            <span className="nav-count" aria-label={`${outboxToDo} need you`}>
              {outboxToDo}
            </span>
          )}
          {r.id === 'promises' && dueToday > 0 && (
            <span className="nav-count" aria-label={`${dueToday} due today`}>
              {dueToday}
            </span>
          )}
        </button>
      </li>
    );
  };

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          S
        </span>
        <div className="brand-text">
          <span className="brand-name">Settle</span>
          <span className="brand-company" title={connection?.name}>
            {connection ? connection.name : known ? 'No company yet' : '\u00a0'}
          </span>
        </div>
      </div>
      <ul className="nav-list">{main.map(item)}</ul>
      <div className="sidebar-foot">
        <NotificationBell />
        <ul className="nav-list">{item(settings)}</ul>
        <button type="button" className="nav-item nav-hint" onClick={() => openShortcuts(true)}>
          <Keyboard size={16} aria-hidden />
          <span>Shortcuts</span>
          <kbd className="kbd">?</kbd>
        </button>
      </div>
    </nav>
  );
}
