// One customer row of the queue and one invoice row under it. Plain presentational pieces;
// the list (Queue.tsx) positions them and owns selection and keyboard.
import { ChevronRight, CircleAlert, Handshake } from 'lucide-react';
import type { CSSProperties } from 'react';
import type { CustomerAmount, QueueInvoice, QueueRow } from '../../../../shared/model';
import { TierBadge } from '../../components/TierBadge';
import { formatDate, formatMoney, formatNumber, formatWhen, NEXT_ACTION_LABELS, plural } from '../../lib/format';

export const CUSTOMER_ROW_HEIGHT = 44;
export const INVOICE_ROW_HEIGHT = 30;

/** "12 days", "1 day"; for invoices not yet due, "due today" or "in 5 days". */
export function daysText(days: number, locale: string): string {
  if (days <= 0) return days === 0 ? 'due today' : `in ${plural(-days, 'day', 'days', locale)}`;
  return plural(days, 'day', 'days', locale);
}

function Amounts({ amounts, currency, openScope, locale }: { amounts: CustomerAmount[]; currency: string | null; openScope: boolean; locale: string }): React.JSX.Element {
  const shown = (currency ? amounts.filter((a) => a.currency === currency) : amounts).filter(
    (a) => (openScope ? a.balanceCents : a.overdueCents) !== 0,
  );
  const list = shown.length ? shown : amounts.slice(0, 1);
  const fmt = (a: CustomerAmount): string => formatMoney(openScope ? a.balanceCents : a.overdueCents, a.currency, locale);
  const rest = list.slice(2);
  return (
    <span className="amounts" title={list.length > 2 ? list.map(fmt).join('\n') : undefined}>
      {list.slice(0, rest.length ? 1 : 2).map((a) => (
        <span key={a.currency} className="amount">
          {fmt(a)}
        </span>
      ))}
      {rest.length > 0 && <span className="amount amount-more">+{list.length - 1} more</span>}
    </span>
  );
}

export function CustomerRowView({
  row,
  index,
  selected,
  expanded,
  style,
  currency,
  openScope,
  locale,
  onClick,
  onOpen,
}: {
  row: QueueRow;
  index: number;
  selected: boolean;
  expanded: boolean;
  style: CSSProperties;
  currency: string | null;
  openScope: boolean;
  locale: string;
  onClick(): void;
  onOpen(): void;
}): React.JSX.Element {
  const hasInvoices = row.invoices.length > 0;
  return (
    <div
      id={`qrow-${index}`}
      role="row"
      aria-level={1}
      aria-selected={selected}
      aria-expanded={hasInvoices ? expanded : undefined}
      aria-label={row.name}
      data-customer-id={row.customerId}
      className={`qrow qrow-customer${selected ? ' is-selected' : ''}${expanded ? ' is-expanded' : ''}`}
      style={style}
      onClick={onClick}
      onDoubleClick={onOpen}
    >
      <div role="gridcell" className="c-exp">
        {hasInvoices && <ChevronRight size={14} aria-hidden="true" className="chev" />}
      </div>
      <div role="gridcell" className="c-tier">
        <TierBadge tier={row.tier} overridden={row.tierOverridden} />
      </div>
      <div role="gridcell" className="c-name">
        <button
          type="button"
          tabIndex={-1}
          className="name-btn"
          onClick={(e) => {
            e.stopPropagation();
            onOpen();
          }}
          title={`Open ${row.name}`}
        >
          {row.name}
        </button>
        <span className="sub">
          {row.disputed && (
            <span className="mini-chip mini-chip-dispute">
              <CircleAlert size={11} aria-hidden="true" /> Disputed
            </span>
          )}
          {row.promise && (
            <span className="mini-chip mini-chip-promise">
              <Handshake size={11} aria-hidden="true" /> Promised {formatMoney(row.promise.cents, row.promise.currency, locale)} by{' '}
              {formatDate(row.promise.date, locale)}
            </span>
          )}
          {row.email && <span className="sub-text">{row.email}</span>}
        </span>
      </div>
      <div role="gridcell" className="c-amt num">
        <Amounts amounts={row.amounts} currency={currency} openScope={openScope} locale={locale} />
      </div>
      <div role="gridcell" className="c-days num">
        {row.oldestDaysOverdue > 0 ? daysText(row.oldestDaysOverdue, locale) : '—'}
      </div>
      <div role="gridcell" className="c-inv num" title={`${row.invoices.length} matching invoices`}>
        {formatNumber(row.invoices.length, locale)}
      </div>
      <div role="gridcell" className={`c-next next-${row.nextAction}`}>
        {NEXT_ACTION_LABELS[row.nextAction]}
      </div>
      <div role="gridcell" className="c-contact">
        {row.lastContactAt ? formatWhen(row.lastContactAt, locale) : <span className="muted">Never</span>}
      </div>
    </div>
  );
}

export function InvoiceRowView({
  invoice,
  last,
  style,
  locale,
}: {
  invoice: QueueInvoice;
  last: boolean;
  style: CSSProperties;
  locale: string;
}): React.JSX.Element {
  const partPaid = invoice.balanceCents < invoice.totalCents;
  return (
    <div
      role="row"
      aria-level={2}
      className={`qrow qrow-invoice${last ? ' is-last' : ''}`}
      style={style}
      data-invoice-id={invoice.id}
      data-invoice-number={invoice.number}
      data-days-overdue={invoice.daysOverdue}
      data-bucket={invoice.bucket}
    >
      <div role="gridcell" className="c-exp" />
      <div role="gridcell" className="c-tier" />
      <div role="gridcell" className="c-name inv-name">
        <span className="inv-number">{invoice.number}</span>
        <span className="sub-text">Due {formatDate(invoice.dueDate, locale)}</span>
      </div>
      <div role="gridcell" className="c-amt num">
        {formatMoney(invoice.balanceCents, invoice.currency, locale)}
      </div>
      <div role="gridcell" className="c-days num inv-days">
        {daysText(invoice.daysOverdue, locale)}
      </div>
      <div role="gridcell" className="c-inv" />
      <div
        role="gridcell"
        className="c-next c-span-2 sub-text"
        title={partPaid ? `${formatMoney(invoice.totalCents, invoice.currency, locale)} invoiced` : undefined}
      >
        Issued {formatDate(invoice.issueDate, locale)}
        {partPaid && ` · part paid, of ${formatMoney(invoice.totalCents, invoice.currency, locale)}`}
      </div>
    </div>
  );
}

export function SkeletonRow({ style, index }: { style: CSSProperties; index: number }): React.JSX.Element {
  return (
    <div id={`qrow-${index}`} role="row" aria-busy="true" aria-label="Loading" className="qrow qrow-skeleton" style={style}>
      <div role="gridcell" className="c-exp" />
      <div role="gridcell" className="c-tier">
        <span className="skel skel-badge" />
      </div>
      <div role="gridcell" className="c-name">
        <span className="skel" style={{ width: `${40 + ((index * 37) % 35)}%` }} />
      </div>
      <div role="gridcell" className="c-amt num">
        <span className="skel skel-num" />
      </div>
      <div role="gridcell" className="c-days" />
      <div role="gridcell" className="c-inv" />
      <div role="gridcell" className="c-next" />
      <div role="gridcell" className="c-contact" />
    </div>
  );
}
