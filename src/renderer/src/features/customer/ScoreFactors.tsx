// "Why this score": each factor's points out of its weight as a small bar, with how it reads.
// A track's length is the factor's weight, its fill the points it added.
import type { ScoreView } from '../../../../shared/model';
import { TierBadge } from '../../components/TierBadge';
import { NEXT_ACTION_LABELS, TIER_LABELS, formatNumber } from '../../lib/format';

export function ScoreFactors({ score, locale }: { score: ScoreView; locale: string }): React.JSX.Element {
  const maxWeight = Math.max(1, ...score.factors.map((f) => f.weight));
  return (
    <div className="score">
      <div className="score-head">
        <div className="score-number" data-testid="score" data-score={score.score}>
          <span className="visually-hidden">Score </span>
          <span className="score-value">{formatNumber(score.score, locale)}</span>
          <span className="score-of">/ 100</span>
        </div>
        <div className="score-tier">
          <TierBadge tier={score.tier} overridden={score.override !== null} />
          {score.override && score.computedTier !== score.tier && (
            <span className="muted small">Computed: {TIER_LABELS[score.computedTier]}</span>
          )}
        </div>
        <div className="score-next">
          <span className="muted small">Next action</span>
          <span className={`next-${score.nextAction}`}>{NEXT_ACTION_LABELS[score.nextAction]}</span>
        </div>
      </div>
      <ul className="factors" aria-label="Score factors">
        {score.factors.map((f) => {
          const share = f.weight > 0 ? Math.max(0, Math.min(1, f.contribution / f.weight)) : 0;
          return (
            <li key={f.name} className="factor" data-factor={f.name}>
              <div className="factor-text">
                <span className="factor-label">{f.label}</span>
                <span className="factor-display">{f.display}</span>
              </div>
              <div className="factor-bar" aria-hidden="true">
                <span className="factor-track" style={{ width: `${(f.weight / maxWeight) * 100}%` }}>
                  <span className="factor-fill" style={{ width: `${share * 100}%` }} />
                </span>
              </div>
              <span className="factor-points num" title={`${f.contribution} of ${f.weight} points`}>
                {formatNumber(f.contribution, locale, 1)}
                <span className="muted"> / {formatNumber(f.weight, locale)}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
