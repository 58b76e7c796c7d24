// The customer drawer: a sheet from the right over the board (which stays visible). Contact
// and terms, payment habits, open balance, why the score, the override, open invoices and
// the timeline. Escape or the close button returns to the queue.
import * as Dialog from '@radix-ui/react-dialog';
import { CircleAlert, Mail, X } from 'lucide-react';
import type { CustomerDetail } from '../../../../shared/model';
import { EmptyState } from '../../components/EmptyState';
import { byDueDate } from '../../components/InvoiceChecklist';
import { Spinner } from '../../components/Spinner';
import { TierBadge } from '../../components/TierBadge';
import { formatDate, formatDays, formatMoney, formatNumber, plural } from '../../lib/format';
import { useAppStore } from '../../stores/app.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { daysText } from '../board/QueueRows';
import { focusQueue } from '../../app/shortcuts';
import { NO_FILTERS, useActivityStore } from '../activity/activity.store';
import { DraftReminderButton } from '../drafts/DraftReminderButton';
import { useDraftStore } from '../drafts/drafts.store';
import { FollowupSection } from '../promises/FollowupSection';
import { OverrideControl } from './OverrideControl';
import { ScoreFactors } from './ScoreFactors';
import { Timeline } from './Timeline';

function Field({ label, children }: { label: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}

function lateText(days: number | null, locale: string): string | null {
  if (days === null) return null;
  const d = Math.round(days);
  if (d === 0) return 'On time';
  return d > 0 ? `${formatDays(d, locale)} late` : `${formatDays(-d, locale)} early`;
}

function DetailBody({ detail, locale }: { detail: CustomerDetail; locale: string }): React.JSX.Element {
  const { customer: c, stats, amounts, score, openInvoices, timeline } = detail;
  const openForInvoice = useDraftStore((s) => s.openForInvoice);
  const navigate = useAppStore((s) => s.navigate);
  const closeDrawer = useCustomerStore((s) => s.close);
  /** The Activity page filtered on this customer: drafts, approvals, sends, promises, disputes. */
  const showActivity = (id: number, name: string): void => {
    useActivityStore.getState().setFilters({ ...NO_FILTERS, customer: { id, name } });
    closeDrawer();
    navigate('activity');
  };
  return (
    <>
      <section className="sheet-section" aria-labelledby="sec-contact">
        <h3 id="sec-contact">Contact and terms</h3>
        <dl className="fields">
          {c.contactName && <Field label="Contact">{c.contactName}</Field>}
          <Field label="Email">{c.email}</Field>
          <Field label="Phone">{c.phone}</Field>
          {c.address && (
            <Field label="Address">
              <span className="pre">{c.address}</span>
            </Field>
          )}
          <Field label="Terms">
            {c.termsLabel ?? (c.termsDays !== null ? `Net ${c.termsDays}` : null)}
          </Field>
          {c.parent && <Field label="Parent">{c.parent.name}</Field>}
          <Field label="Avg. days to pay">{stats.avgDaysToPay === null ? null : formatDays(stats.avgDaysToPay, locale)}</Field>
          <Field label="Avg. vs due date">{lateText(stats.avgDaysLate, locale)}</Field>
          <Field label="Paid invoices">{formatNumber(stats.paidInvoices, locale)}</Field>
          <Field label="Typical invoice">
            {stats.typicalInvoice ? formatMoney(stats.typicalInvoice.cents, stats.typicalInvoice.currency, locale) : null}
          </Field>
        </dl>
      </section>

      <section className="sheet-section" aria-labelledby="sec-balance">
        <h3 id="sec-balance">Open balance</h3>
        {amounts.length === 0 ? (
          <p className="muted">Nothing open.</p>
        ) : (
          <table className="mini-table balances">
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col" className="num">
                  Open
                </th>
                <th scope="col" className="num">
                  Overdue
                </th>
              </tr>
            </thead>
            <tbody>
              {amounts.map((a) => (
                <tr key={a.currency}>
                  <td>{a.currency}</td>
                  <td className="num">{formatMoney(a.balanceCents, a.currency, locale)}</td>
                  <td className={`num${a.overdueCents > 0 ? ' is-overdue' : ''}`}>
                    {formatMoney(a.overdueCents, a.currency, locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <FollowupSection detail={detail} locale={locale} />

      <section className="sheet-section" aria-labelledby="sec-score">
        <h3 id="sec-score">Why this score</h3>
        {score ? (
          <>
            <ScoreFactors score={score} locale={locale} />
            <OverrideControl key={c.id} score={score} locale={locale} />
          </>
        ) : (
          <p className="muted">Not scored: this customer has nothing overdue.</p>
        )}
      </section>

      <section className="sheet-section" aria-labelledby="sec-invoices">
        <h3 id="sec-invoices">
          Open invoices <span className="muted">{formatNumber(openInvoices.length, locale)}</span>
        </h3>
        {openInvoices.length === 0 ? (
          <p className="muted">No open invoices.</p>
        ) : (
          <table className="mini-table" aria-label="Open invoices">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Due</th>
                <th scope="col" className="num">
                  Overdue
                </th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...openInvoices].sort(byDueDate).map((inv) => (
                <tr key={inv.id} data-invoice-number={inv.number}>
                  <td className="inv-number">{inv.number}</td>
                  <td>{formatDate(inv.dueDate, locale)}</td>
                  <td className={`num${inv.daysOverdue > 0 ? ' is-overdue' : ''}`}>{daysText(inv.daysOverdue, locale)}</td>
                  <td className="num">{formatMoney(inv.balanceCents, inv.currency, locale)}</td>
                  <td className="row-action">
                    {inv.daysOverdue > 0 && (
                      <button
                        type="button"
                        className="icon-btn"
                        aria-label={`Draft a reminder about ${inv.number}`}
                        title={`Draft a reminder about ${inv.number} only`}
                        onClick={() => openForInvoice(inv.id, c.id, c.name)}
                      >
                        <Mail size={12} aria-hidden="true" />
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="sheet-section" aria-labelledby="sec-timeline">
        <h3 id="sec-timeline">Timeline</h3>
        <Timeline entries={timeline} locale={locale} />
        <button type="button" className="btn btn-quiet btn-sm sheet-more" onClick={() => showActivity(c.id, c.name)}>
          Everything Settle did for {c.name} (Activity)
        </button>
      </section>
    </>
  );
}

export function CustomerDrawer(): React.JSX.Element {
  const customerId = useCustomerStore((s) => s.customerId);
  const knownName = useCustomerStore((s) => s.name);
  const detail = useCustomerStore((s) => s.detail);
  const loading = useCustomerStore((s) => s.loading);
  const error = useCustomerStore((s) => s.error);
  const close = useCustomerStore((s) => s.close);
  const reload = useCustomerStore((s) => s.reload);
  const locale = useLocale();
  const open = customerId !== null;
  const current = detail && detail.customer.id === customerId ? detail : null;
  const c = current?.customer;

  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="sheet-overlay" />
        <Dialog.Content
          className="sheet"
          aria-busy={loading}
          onCloseAutoFocus={(e) => {
            // Back to the queue (there is no trigger element to return to).
            if (document.getElementById('queue')) {
              e.preventDefault();
              focusQueue();
            }
          }}
        >
          <header className="sheet-head">
            <div className="sheet-title-wrap">
              <Dialog.Title className="sheet-title">{c ? c.name : (knownName ?? 'Customer')}</Dialog.Title>
              <Dialog.Description className="sheet-sub">
                {c
                  ? [c.companyName && c.companyName !== c.name ? c.companyName : null, c.currency, current && plural(current.openInvoices.length, 'open invoice', 'open invoices', locale)]
                      .filter(Boolean)
                      .join(' · ')
                  : 'Loading the customer…'}
              </Dialog.Description>
            </div>
            {current?.score && <TierBadge tier={current.score.tier} overridden={current.score.override !== null} />}
            {loading && <Spinner size={14} />}
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </header>
          <div className="sheet-body">
            {current && (
              <div className="sheet-actions" role="group" aria-label="Actions">
                <DraftReminderButton
                  customerId={current.customer.id}
                  name={current.customer.name}
                  overdue={current.openInvoices.filter((i) => i.daysOverdue > 0).length}
                />
              </div>
            )}
            {current ? (
              <DetailBody detail={current} locale={locale} />
            ) : error ? (
              <EmptyState
                icon={<CircleAlert size={20} />}
                title="Could not open this customer"
                actions={
                  <button type="button" className="btn" onClick={() => void reload()}>
                    Try again
                  </button>
                }
              >
                <p>{error}</p>
              </EmptyState>
            ) : (
              <div className="sheet-skeleton" aria-hidden="true">
                {[70, 45, 60, 80, 50, 65].map((w, i) => (
                  <span key={i} className="skel" style={{ width: `${w}%` }} />
                ))}
              </div>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
