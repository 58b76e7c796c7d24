// The owner's tier override: pick High, Medium or Low and say why (required), or clear it.
// Kept across recomputes by the core; every change is audited there.
import { useState } from 'react';
import type { ScoreView, Tier } from '../../../../shared/model';
import { TIERS } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { TIER_LABELS, formatWhen } from '../../lib/format';
import { useCustomerStore } from '../../stores/customer.store';

export function OverrideControl({ score, locale }: { score: ScoreView; locale: string }): React.JSX.Element {
  const override = useCustomerStore((s) => s.override);
  const [tier, setTier] = useState<Tier>(score.override?.tier ?? score.computedTier);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'set' | 'clear' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const trimmed = reason.trim();

  const submit = async (next: Tier | null): Promise<void> => {
    setError(null);
    if (next !== null && trimmed.length < 3) {
      setError('Say why you are overriding the tier (at least 3 characters).');
      return;
    }
    setBusy(next === null ? 'clear' : 'set');
    try {
      await override(next, trimmed);
      setReason('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="override">
      <p className="override-intro">
        <span className="override-title">Your call</span>
        <span className="muted small">
          {score.override ? 'Settle keeps your tier across recomputes until you clear it.' : 'Set the tier yourself when you know something the ledger does not.'}
        </span>
      </p>
      {score.override && (
        <p className="override-current" data-testid="override-note">
          <span className="override-by">Overridden by you:</span> <span className="override-reason">{score.override.reason}</span>{' '}
          <span className="muted small">({formatWhen(score.override.at, locale)})</span>
        </p>
      )}
      <form
        className="override-form"
        aria-label="Override tier"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(tier);
        }}
      >
        <fieldset className="segmented" aria-label="Tier">
          <legend className="visually-hidden">Tier</legend>
          {TIERS.map((t) => (
            <label key={t} className={`segment segment-${t}${tier === t ? ' is-checked' : ''}`}>
              <input type="radio" name="override-tier" value={t} checked={tier === t} onChange={() => setTier(t)} />
              {TIER_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <label className="override-reason-field">
          <span className="visually-hidden">Reason for the override</span>
          <input
            type="text"
            value={reason}
            maxLength={500}
            placeholder="Reason (required)"
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby={error ? 'override-error' : undefined}
          />
        </label>
        <div className="override-actions">
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy !== null || trimmed.length < 3}>
            {busy === 'set' && <Spinner size={12} />}
            Set tier
          </button>
          {score.override && (
            <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => void submit(null)}>
              {busy === 'clear' && <Spinner size={12} />}
              Clear override
            </button>
          )}
        </div>
      </form>
      {error && (
        <p id="override-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
