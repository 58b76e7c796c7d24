// One waiting draft in the Approvals checklist: its checkbox, the customer and subject (opening
// the draft editor), the overdue amount and a chip for every reason it needs a human.
import type { ApprovalItem } from '../../../../shared/approvals';
import { formatMoney } from '../../lib/format';

function amountText(item: ApprovalItem, locale: string): string {
  return item.draft.totalOverdue.map((t) => formatMoney(t.cents, t.currency, locale)).join(' + ');
}

export function ApprovalRow({
  item,
  index,
  active,
  selected,
  locale,
  onSelect,
  onOpen,
}: {
  item: ApprovalItem;
  index: number;
  active: boolean;
  selected: boolean;
  locale: string;
  onSelect(): void;
  onOpen(): void;
}): React.JSX.Element {
  return (
    <li
      data-index={index}
      data-testid="approval-item"
      className={`approvals-row${active ? ' is-active' : ''}`}
      aria-current={active ? 'true' : undefined}
    >
      <input type="checkbox" aria-label={`Select ${item.draft.customer.name}`} checked={selected} onChange={onSelect} />
      <button type="button" className="btn btn-quiet approvals-open" onClick={onOpen}>
        <strong>{item.draft.customer.name}</strong> <span className="muted">{item.draft.subject}</span>
      </button>
      <span className="approvals-amount">{amountText(item, locale)}</span>
      <span className="approvals-reasons">
        {item.eligible ? <span className="reason-chip">Low risk: eligible</span> : null}
        {item.reasons.map((r) => (
          <span key={r.code} className="reason-chip" data-code={r.code} title={r.label}>
            {r.label}
          </span>
        ))}
      </span>
    </li>
  );
}
