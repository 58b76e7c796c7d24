// The dialogs the drawer's follow-up section opens (split out of FollowupSection.tsx): at most
// one at a time, mounted only while open.
import type { CustomerDetail } from '../../../../shared/model';
import { PauseDialog } from '../customer/PauseDialog';
import { PlanDialog } from '../customer/PlanDialog';
import { TriageDialog } from '../customer/TriageDialog';
import { LogPromiseDialog } from './LogPromiseDialog';
import { OpenDisputeDialog } from './OpenDisputeDialog';

export type FollowupDialog = 'promise' | 'dispute' | 'plan' | 'triage' | 'pause';

export function FollowupDialogs({
  dialog,
  detail,
  locale,
  today,
  onClose,
  onMessage,
}: {
  dialog: FollowupDialog | null;
  detail: CustomerDetail;
  locale: string;
  /** The promises store's "as of" day, null until it has loaded. */
  today: string | null;
  onClose(): void;
  onMessage(message: string): void;
}): React.JSX.Element | null {
  const customerId = detail.customer.id;
  const onOpenChange = (o: boolean): void => {
    if (!o) onClose();
  };
  switch (dialog) {
    case 'promise':
      return (
        <LogPromiseDialog
          detail={detail}
          locale={locale}
          today={today}
          open
          onOpenChange={onOpenChange}
          onSaved={(warnings) => onMessage(warnings.length > 0 ? `Promise logged. ${warnings.join(' ')}` : 'Promise logged.')}
        />
      );
    case 'dispute':
      return <OpenDisputeDialog detail={detail} locale={locale} open onOpenChange={onOpenChange} />;
    case 'plan':
      return <PlanDialog detail={detail} locale={locale} today={today} open onOpenChange={onOpenChange} onSaved={onMessage} />;
    case 'triage':
      return <TriageDialog customerId={customerId} locale={locale} today={today} open onOpenChange={onOpenChange} />;
    case 'pause':
      return <PauseDialog customerId={customerId} customerName={detail.customer.name} today={today} open onOpenChange={onOpenChange} />;
    default:
      return null;
  }
}
