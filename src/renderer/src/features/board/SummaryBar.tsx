// The slim row of figures for one currency: outstanding, overdue, DSO and promises due today.
import { Segmented } from '../../components/Segmented';
import { formatDays, formatMoney, formatNumber, plural } from '../../lib/format';
import { useBoardStore } from '../../stores/board.store';
import { useLocale } from '../../stores/settings.store';

function Figure({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: 'alert' }): React.JSX.Element {
  return (
    <div className={`figure ${tone ? `figure-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="figure-label">{label}</div>
      <div className="figure-value">{value}</div>
      {sub && <div className="figure-sub">{sub}</div>}
    </div>
  );
}

export function CurrencySwitch(): React.JSX.Element | null {
  const summary = useBoardStore((s) => s.summary);
  const view = useBoardStore((s) => s.viewCurrency);
  const setView = useBoardStore((s) => s.setViewCurrency);
  if (!summary || summary.currencies.length < 2) return null;
  return (
    <Segmented
      label="Currency shown"
      options={summary.currencies.map((c) => ({ value: c.currency, label: c.currency }))}
      value={view}
      onChange={setView}
    />
  );
}

export function SummaryBar(): React.JSX.Element | null {
  const summary = useBoardStore((s) => s.summary);
  const view = useBoardStore((s) => s.viewCurrency);
  const locale = useLocale();
  if (!summary) return null;
  const cur = summary.currencies.find((c) => c.currency === view);
  return (
    <section className="figures" aria-label="Figures">
      {cur ? (
        <>
          <Figure
            label="Outstanding"
            value={formatMoney(cur.outstandingCents, cur.currency, locale)}
            sub={plural(cur.openInvoices, 'open invoice', 'open invoices', locale)}
          />
          <Figure
            label="Overdue"
            value={formatMoney(cur.overdueCents, cur.currency, locale)}
            sub={`${plural(cur.overdueInvoices, 'invoice', 'invoices', locale)} · ${plural(cur.customersOverdue, 'customer', 'customers', locale)}`}
            tone={cur.overdueCents > 0 ? 'alert' : undefined}
          />
          <Figure
            label="DSO"
            value={cur.dsoDays === null ? '—' : formatDays(cur.dsoDays, locale)}
            sub={cur.dsoDays === null ? 'No sales in the last 90 days' : 'Days sales outstanding, 90 days'}
          />
        </>
      ) : (
        <Figure label="Outstanding" value="—" sub="No open invoices" />
      )}
      <Figure
        label="Promises due today"
        value={formatNumber(summary.promisesDueToday, locale)}
        sub={summary.promisesDueToday === 0 ? 'Nothing promised for today' : 'Check for payments'}
      />
      <div className="figures-end">
        <CurrencySwitch />
      </div>
    </section>
  );
}
