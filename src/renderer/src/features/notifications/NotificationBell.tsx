// The bell in the sidebar: how many notifications arrived since it was last opened, and a
// popover listing what Settle showed; clicking one opens its customer, Approvals or Promises, and
// a broken promise offers "Draft follow-up".
// In browser mode the popover also offers Web Notifications (asked only on this click).
import { Bell } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { formatWhen } from '../../lib/format';
import { useLocale } from '../../stores/settings.store';
import './notifications.css';
import { unreadCount, useNotificationsStore, webNotificationsAvailable } from './notifications.store';
import { draftFollowUp } from '../promises/follow-up';
import { openTarget, targetOf } from './targets';

export function NotificationBell(): React.JSX.Element {
  const items = useNotificationsStore((s) => s.items);
  const seenAt = useNotificationsStore((s) => s.seenAt);
  const permission = useNotificationsStore((s) => s.permission);
  const error = useNotificationsStore((s) => s.error);
  const markSeen = useNotificationsStore((s) => s.markSeen);
  const requestPermission = useNotificationsStore((s) => s.requestPermission);
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [followUpError, setFollowUpError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const unread = unreadCount(items, seenAt);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent): void => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const toggle = (): void => {
    if (open) markSeen();
    setOpen(!open);
  };

  return (
    <div className="notif" ref={root}>
      <button
        ref={button}
        type="button"
        className="nav-item"
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label={unread > 0 ? `Notifications, ${unread} new` : 'Notifications'}
        onClick={toggle}
      >
        <Bell size={16} aria-hidden />
        <span>Notifications</span>
        {/* Keeps the visible text "Notifications 1" a part of the name "Notifications, 1 new" (WCAG 2.5.3). */}
        {' '}
        {unread > 0 && (
          <span className="nav-count" data-testid="notification-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="notif-popover" role="dialog" aria-label="Notifications">
          <div className="notif-head">Notifications</div>
          {(error ?? followUpError) && <p className="banner banner-error">{error ?? followUpError}</p>}
          {items.length === 0 ? (
            <p className="muted notif-empty">Nothing yet. Promises due and approvals waiting show here.</p>
          ) : (
            <ul className="notif-list" aria-label="Notifications shown">
              {items.map((item) => (
                <li key={item.key}>
                  <button
                    type="button"
                    className={`notif-item${item.deliveredAt > seenAt ? ' notif-new' : ''}`}
                    onClick={() => {
                      markSeen();
                      setOpen(false);
                      openTarget(targetOf(item));
                    }}
                  >
                    <span className="notif-title">{item.title}</span>
                    <span className="notif-body">{item.body}</span>
                    <span className="notif-when">{formatWhen(item.deliveredAt, locale, true)}</span>
                  </button>
                  {item.kind === 'promise_broken' && item.promiseId !== null && (
                    <button
                      type="button"
                      className="btn btn-sm notif-followup"
                      onClick={() => {
                        markSeen();
                        setOpen(false);
                        draftFollowUp(item.promiseId!).catch((err: Error) => setFollowUpError(err.message));
                      }}
                    >
                      Draft follow-up
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {webNotificationsAvailable() && permission === 'default' && (
            <button type="button" className="btn btn-sm notif-allow" onClick={() => void requestPermission()}>
              Show desktop notifications
            </button>
          )}
          {webNotificationsAvailable() && permission === 'denied' && (
            <p className="muted notif-empty">Desktop notifications are blocked in this browser&apos;s site settings.</p>
          )}
        </div>
      )}
    </div>
  );
}
