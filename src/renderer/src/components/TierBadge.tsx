// The tier as colour and text (never colour alone), with a mark when the owner set it.
import { UserRoundPen } from 'lucide-react';
import type { Tier } from '../../../shared/model';
import { TIER_LABELS } from '../lib/format';

export function TierBadge({ tier, overridden = false }: { tier: Tier; overridden?: boolean }): React.JSX.Element {
  return (
    <span className={`tier tier-${tier}`} data-tier={tier} title={overridden ? 'Tier set by you' : undefined}>
      <span className="tier-dot" aria-hidden="true" />
      {TIER_LABELS[tier]}
      {overridden && <UserRoundPen className="tier-mark" size={11} aria-label="set by you" role="img" />}
    </span>
  );
}
