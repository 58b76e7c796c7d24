// The customer's history, newest first: invoices, payments, credits, notes, contacts, overrides.
// Titles and details may be customer-written; React renders them as text, never as HTML.
import { Banknote, FileText, MessageSquare, Receipt, StickyNote, UserRoundPen, Ban, type LucideIcon } from 'lucide-react';
import type { TimelineEntry, TimelineKind } from '../../../../shared/model';
import { formatMoney, formatWhen, TIMELINE_LABELS, whenMs } from '../../lib/format';

const ICONS: Record<TimelineKind, LucideIcon> = {
  invoice: FileText,
  payment: Banknote,
  credit: Receipt,
  note: StickyNote,
  contact: MessageSquare,
  override: UserRoundPen,
  void: Ban,
};

export function Timeline({ entries, locale }: { entries: TimelineEntry[]; locale: string }): React.JSX.Element {
  if (entries.length === 0) return <p className="muted">No history yet.</p>;
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => whenMs(b.e.at) - whenMs(a.e.at) || a.i - b.i)
    .map((x) => x.e);
  return (
    <ol className="timeline" aria-label="Timeline, newest first">
      {sorted.map((e, i) => {
        const Icon = ICONS[e.kind];
        return (
          <li key={`${e.at}:${e.kind}:${i}`} className={`tl tl-${e.kind}`}>
            <span className="tl-icon" aria-hidden="true">
              <Icon size={13} />
            </span>
            <div className="tl-main">
              <div className="tl-line">
                <span className="tl-title">{e.title}</span>
                {e.cents !== null && e.currency && (
                  <span className={`tl-amount num${e.kind === 'payment' || e.kind === 'credit' ? ' is-in' : ''}`}>
                    {formatMoney(e.cents, e.currency, locale)}
                  </span>
                )}
              </div>
              {(e.dueDate || e.detail) && (
                <p className="tl-detail">
                  {[e.dueDate ? `Due ${formatWhen(e.dueDate, locale)}` : null, e.detail].filter(Boolean).join(' · ')}
                </p>
              )}
              <div className="tl-when muted small">
                <span className="visually-hidden">{TIMELINE_LABELS[e.kind]}, </span>
                {formatWhen(e.at, locale, true)}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
