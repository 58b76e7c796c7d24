// "Draft reminder" on a customer (the drawer's primary action): opens the draft editor, which
// drafts a reminder covering all the customer's overdue invoices.
import { Mail } from 'lucide-react';
import { useDraftStore } from './drafts.store';

export function DraftReminderButton({ customerId, name, overdue }: { customerId: number; name: string; overdue: number }): React.JSX.Element {
  const openForCustomer = useDraftStore((s) => s.openForCustomer);
  return (
    <button
      type="button"
      className="btn btn-primary btn-sm"
      disabled={overdue === 0}
      title={overdue === 0 ? 'Nothing is overdue, so there is nothing to remind about' : `Draft a reminder about ${overdue === 1 ? 'the overdue invoice' : `${overdue} overdue invoices`}`}
      onClick={() => openForCustomer(customerId, name)}
    >
      <Mail size={13} aria-hidden="true" />
      Draft reminder
    </button>
  );
}
