// Activity (issue 5, item 7): Settle's append-only audit log, newest first, in plain words.
// Filters (text `/`, family chips, dates, a customer) apply as they change; each row expands to
// its detail (edits as before/after, reasons, recipients); a customer opens in the drawer. The
// current filter exports as CSV, and "Verify audit trail" walks the hash chain.
import { Activity, ChevronRight, Download, Search, ShieldCheck, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import {
  ACTIVITY_FAMILIES,
  describeActivity,
  describeDetail,
  FAMILY_LABELS,
  WHO_LABELS,
  type ActivityItem,
} from '../../../../shared/activity';
import { EmptyState } from '../../components/EmptyState';
import { Spinner } from '../../components/Spinner';
import { isEditable } from '../../app/shortcuts';
import { on } from '../../lib/api';
import { formatNumber, formatWhen } from '../../lib/format';
import { useAppStore } from '../../stores/app.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { ACTIVITY_PAGE, hasFilters, useActivityStore } from './activity.store';
import './activity.css';

function ActivityRow({ item, locale }: { item: ActivityItem; locale: string }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const setFilters = useActivityStore((s) => s.setFilters);
  const summary = describeActivity(item, locale);
  const detail = open ? describeDetail(item.detail, locale) : null;
  const customer = item.customer;
  const detailId = `activity-detail-${item.id}`;
  return (
    <li className={`activity-row${open ? ' is-open' : ''}`} data-testid="activity-row" data-action={item.action} data-id={item.id}>
      <button type="button" className="activity-toggle" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen(!open)}>
        <ChevronRight size={14} className="activity-chevron" aria-hidden="true" />
        <time className="activity-when" dateTime={item.at}>
          {formatWhen(item.at, locale, true)}
        </time>
        <span className={`activity-who who-${item.who}`}>{WHO_LABELS[item.who]}</span>
        <span className="activity-summary">{summary}</span>
      </button>
      {customer && customer.name !== null && !customer.deleted ? (
        <button
          type="button"
          className="btn btn-quiet btn-sm activity-customer"
          title={`Open ${customer.name}`}
          onClick={() => useCustomerStore.getState().open(customer.id, customer.name ?? undefined)}
        >
          {customer.name}
        </button>
      ) : (
        <span />
      )}
      {detail ? (
        <div className="activity-detail" id={detailId}>
          {detail.diffs.map((d) => (
            <div key={d.label} className="activity-diff">
              <span className="activity-label">{d.label}</span>
              {d.removed ? (
                <del aria-label={`${d.label} removed`}>{d.removed}</del>
              ) : null}
              {d.inserted ? (
                <ins aria-label={`${d.label} added`}>{d.inserted}</ins>
              ) : null}
            </div>
          ))}
          {detail.fields.length ? (
            <dl className="activity-fields">
              {detail.fields.map((f) => (
                <div key={f.label}>
                  <dt>{f.label}</dt>
                  <dd>{f.value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <p className="activity-meta muted small">
            <code>{item.action}</code> · entry #{item.id}
            {customer ? (
              <>
                {' · '}
                <button
                  type="button"
                  className="btn btn-quiet btn-sm"
                  onClick={() => setFilters({ customer: { id: customer.id, name: customer.name } })}
                >
                  Only {customer.name ?? 'this customer'}
                </button>
              </>
            ) : null}
          </p>
        </div>
      ) : null}
    </li>
  );
}

function Filters(): React.JSX.Element {
  const filters = useActivityStore((s) => s.filters);
  const store = useActivityStore.getState;
  return (
    <div className="toolbar activity-filters" role="search" aria-label="Filter activity">
      <div className="search">
        <label htmlFor="activity-search" className="visually-hidden">
          Search activity
        </label>
        <Search size={14} aria-hidden="true" />
        <input
          id="activity-search"
          type="search"
          placeholder="Search activity"
          autoComplete="off"
          spellCheck={false}
          value={filters.search}
          onChange={(e) => store().setFilters({ search: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filters.search) {
              e.preventDefault();
              store().setFilters({ search: '' });
            }
          }}
        />
        {filters.search ? (
          <button type="button" className="search-clear" aria-label="Clear search" onClick={() => store().setFilters({ search: '' })}>
            <X size={12} aria-hidden="true" />
          </button>
        ) : (
          <kbd className="kbd search-kbd" aria-hidden="true">
            /
          </kbd>
        )}
      </div>
      <div className="chips activity-families" role="group" aria-label="Kind of activity">
        {ACTIVITY_FAMILIES.map((f) => (
          <button key={f} type="button" className="chip" aria-pressed={filters.families.includes(f)} onClick={() => store().toggleFamily(f)}>
            {FAMILY_LABELS[f]}
          </button>
        ))}
      </div>
      {/* One unit, so a narrow window wraps From and To together. */}
      <span className="activity-dates">
        <label className="activity-date">
          <span>From</span>
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => store().setFilters({ from: e.target.value })} />
        </label>
        <label className="activity-date">
          <span>To</span>
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => store().setFilters({ to: e.target.value })} />
        </label>
      </span>
      {filters.customer ? (
        <span className="chip chip-active activity-customer-chip">
          {filters.customer.name ?? `Customer #${filters.customer.id}`}
          <button type="button" className="search-clear" aria-label="Show every customer" onClick={() => store().setFilters({ customer: null })}>
            <X size={12} aria-hidden="true" />
          </button>
        </span>
      ) : null}
      {hasFilters(filters) ? (
        <button type="button" className="btn btn-quiet btn-sm" onClick={() => store().clearFilters()}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

function VerifyResult({ locale }: { locale: string }): React.JSX.Element | null {
  const verdict = useActivityStore((s) => s.verdict);
  if (!verdict) return null;
  return verdict.ok ? (
    <p className="banner activity-verdict" role="status">
      <ShieldCheck size={14} aria-hidden="true" /> Audit trail intact: {formatNumber(verdict.rows, locale)}{' '}
      {verdict.rows === 1 ? 'entry' : 'entries'}, every link checks out.
    </p>
  ) : (
    <p className="banner banner-error activity-verdict" role="alert">
      The audit trail is broken at entry #{verdict.brokenAtId}. {verdict.message} Entries after it cannot be trusted to be
      complete; keep a copy of this data folder and compare it with a backup.
    </p>
  );
}

export function ActivityPage(): React.JSX.Element {
  const locale = useLocale();
  const navigate = useAppStore((s) => s.navigate);
  const { items, nextCursor, loading, loaded, error, filters, verifying, exporting } = useActivityStore();
  const store = useActivityStore.getState;
  const filtered = hasFilters(filters);

  useEffect(() => {
    void store().load();
  }, [store]);

  // New entries (a send, a sync, a kept promise) show up while the owner is on the first page;
  // once they have paged back, the list stays put under them.
  useEffect(() => {
    const refresh = (): void => {
      if (store().items.length <= ACTIVITY_PAGE) void store().load();
    };
    const offs = [on('ledger.changed', refresh), on('followup.changed', refresh), on('outbox.changed', refresh)];
    return () => offs.forEach((off) => off());
  }, [store]);

  // `/` jumps to the search box, as it does on the board.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isEditable(e.target)) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      e.preventDefault();
      document.getElementById('activity-search')?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const fresh = loaded && !filtered && items.length === 0 && !error;
  return (
    <div className="page activity-page">
      <div className="page-head activity-head">
        <h1 className="page-title">Activity</h1>
        <span className="spacer" />
        <button type="button" className="btn" disabled={verifying} onClick={() => void store().verify()}>
          {verifying ? <Spinner size={13} /> : <ShieldCheck size={14} aria-hidden="true" />} Verify audit trail
        </button>
        <button type="button" className="btn" disabled={exporting || fresh} onClick={() => void store().exportCsv(locale)}>
          {exporting ? <Spinner size={13} /> : <Download size={14} aria-hidden="true" />} Export CSV
        </button>
      </div>
      <p className="muted activity-lead">
        Everything you and Settle did, newest first, from the append-only audit log. Each entry is chained to the one before,
        so an edit made outside Settle shows up when you verify.
      </p>
      <VerifyResult locale={locale} />
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {fresh ? (
        <EmptyState
          icon={<Activity size={22} />}
          title="No activity yet"
          actions={
            <button type="button" className="btn" onClick={() => navigate('board')}>
              Go to the board
            </button>
          }
        >
          <p>Drafts, approvals, sends, syncs, promises and overrides will be listed here as they happen.</p>
          <p className="muted">Start on the board: open a customer and draft a reminder.</p>
        </EmptyState>
      ) : (
        <>
          <Filters />
          {loaded && items.length === 0 && filtered ? (
            <EmptyState
              icon={<Search size={22} />}
              title="No activity matches these filters"
              actions={
                <button type="button" className="btn" onClick={() => store().clearFilters()}>
                  Clear filters
                </button>
              }
            >
              <p>Try fewer kinds of activity, a wider date range or other words.</p>
            </EmptyState>
          ) : (
            <ol className="list-card activity-list" aria-label="Activity, newest first" aria-busy={loading}>
              {items.map((item) => (
                <ActivityRow key={item.id} item={item} locale={locale} />
              ))}
            </ol>
          )}
          {!loaded ? (
            <p className="muted">
              <Spinner size={13} /> Loading…
            </p>
          ) : null}
          {nextCursor !== null ? (
            <div className="activity-more">
              <button type="button" className="btn" disabled={loading} onClick={() => void store().loadMore()}>
                {loading ? <Spinner size={13} /> : null} Show older entries
              </button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
