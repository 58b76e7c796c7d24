// Aging: one bar per bucket with its amount and count. A bar is a filter: click (or Enter)
// to show only that bucket's invoices in the queue, again to clear.
import { BUCKETS, type Bucket } from '../../../../shared/model';
import { bucketLabel, formatMoney, plural } from '../../lib/format';
import { useBoardStore } from '../../stores/board.store';
import { useLocale } from '../../stores/settings.store';

export function AgingBars(): React.JSX.Element | null {
  const summary = useBoardStore((s) => s.summary);
  const view = useBoardStore((s) => s.viewCurrency);
  const selected = useBoardStore((s) => s.filters.bucket);
  const filterCurrency = useBoardStore((s) => s.filters.currency);
  const toggle = useBoardStore((s) => s.toggleBucket);
  const locale = useLocale();
  const cur = summary?.currencies.find((c) => c.currency === view);
  if (!summary || !cur) return null;
  const byBucket = new Map(cur.buckets.map((b) => [b.bucket, b]));
  const max = Math.max(1, ...cur.buckets.map((b) => b.cents));
  const total = cur.buckets.reduce((sum, b) => sum + b.cents, 0);
  // A bar reads as selected only for the currency its filter applies to.
  const activeBucket: Bucket | null = selected && (!filterCurrency || filterCurrency === cur.currency) ? selected : null;

  return (
    <section className="aging" aria-label={`Aging, ${cur.currency}`}>
      {BUCKETS.map((bucket, i) => {
        const b = byBucket.get(bucket) ?? { bucket, cents: 0, count: 0 };
        const pressed = activeBucket === bucket;
        const share = total > 0 ? Math.round((b.cents / total) * 100) : 0;
        return (
          <button
            key={bucket}
            type="button"
            className={`aging-bar aging-${bucket}`}
            aria-pressed={pressed}
            data-bucket={bucket}
            data-count={b.count}
            title={`${share}% of open receivables · press ${i + 1} to filter`}
            onClick={() => toggle(bucket)}
          >
            <span className="aging-label">{bucketLabel(bucket)}</span>
            <span className="aging-amount">{formatMoney(b.cents, cur.currency, locale)}</span>
            <span className="aging-count">{plural(b.count, 'invoice', 'invoices', locale)}</span>
            <span className="aging-track" aria-hidden="true">
              <span className="aging-fill" style={{ width: `${b.cents > 0 ? Math.max(2, (b.cents / max) * 100) : 0}%` }} />
            </span>
          </button>
        );
      })}
    </section>
  );
}
