// Settings → Rules: when a reminder needs the owner's approval (above an amount, within a quiet
// period after a contact, after too many reminders, outside the send window) and how much Settle
// may do alone (the autonomy phase). The core validates; its message is shown as is.
import { useEffect, useState } from 'react';
import type { AutonomyPhase, RulesSettings } from '../../../../shared/approvals';
import { AUTONOMY_LABELS, AUTONOMY_PHASES } from '../../../../shared/approvals';
import type { Input } from '../../../../shared/contract';
import { call } from '../../lib/api';
import { Segmented } from '../../components/Segmented';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function NumberSetting(props: {
  id: string;
  label: string;
  help: string;
  value: number;
  min: number;
  max: number;
  disabled: boolean;
  onSave(v: number): void;
}): React.JSX.Element {
  const [text, setText] = useState(String(props.value));
  const commit = (): void => {
    const n = Number(text);
    if (text.trim() !== '' && Number.isFinite(n) && n !== props.value) props.onSave(n);
    else setText(String(props.value));
  };
  return (
    <div className="setting">
      <div className="setting-text">
        <label className="setting-label" htmlFor={props.id}>
          {props.label}
        </label>
        <span className="setting-help">{props.help}</span>
      </div>
      <input
        id={props.id}
        type="number"
        min={props.min}
        max={props.max}
        value={text}
        disabled={props.disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </div>
  );
}

/** The send days of the window, one checkbox per weekday (1 = Monday). */
function SendDays({ sendWindow, disabled, onSave }: { sendWindow: RulesSettings['sendWindow']; disabled: boolean; onSave(days: number[]): void }): React.JSX.Element {
  return (
    <div className="setting">
      <div className="setting-text">
        <span className="setting-label">Send days</span>
      </div>
      <div role="group" aria-label="Send days">
        {DAYS.map((d, i) => {
          const day = i + 1;
          const on = sendWindow.days.includes(day);
          return (
            <label key={d} style={{ marginRight: 8 }}>
              <input
                type="checkbox"
                checked={on}
                disabled={disabled}
                onChange={() => onSave(on ? sendWindow.days.filter((x) => x !== day) : [...sendWindow.days, day].sort((a, b) => a - b))}
              />{' '}
              {d}
            </label>
          );
        })}
      </div>
    </div>
  );
}

/** The rules as the core has them, and a save that shows the core's refusal as is. */
function useRules(): { rules: RulesSettings | null; error: string | null; busy: boolean; save(patch: Input<'rules.set'>): Promise<void> } {
  const [rules, setRules] = useState<RulesSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void call('rules.get').then(setRules, (err: unknown) => setError((err as Error).message));
  }, []);

  const save = async (patch: Input<'rules.set'>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setRules(await call('rules.set', patch));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { rules, error, busy, save };
}

export function RulesSection(): React.JSX.Element {
  const { rules, error, busy, save } = useRules();

  return (
    <section className="settings-section" aria-labelledby="set-rules">
      <h2 id="set-rules">Rules</h2>
      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
      {!rules ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="setting">
            <div className="setting-text">
              <span className="setting-label" id="rules-phase-label">
                Autonomy
              </span>
              <span className="setting-help">
                Monitor only suggests; Approve asks you about every reminder; Auto-send approves low-risk ones (Low tier, under the
                limit below, fact-check clean, no other reason to hold) and sends them after a 10-minute wait you can cancel in the
                Outbox, up to the daily cap.
              </span>
            </div>
            <Segmented
              labelledBy="rules-phase-label"
              options={AUTONOMY_PHASES.map((p: AutonomyPhase) => ({ value: p, label: AUTONOMY_LABELS[p] }))}
              value={rules.phase}
              disabled={busy}
              onChange={(phase) => void save({ phase })}
            />
          </div>
          {rules.phase === 'auto_low' && (
            <>
              <NumberSetting
                key={`rules-auto-limit-${rules.autoLowThreshold}`}
                id="rules-auto-limit"
                label="Auto-send up to"
                help="A low-risk reminder is sent without you only when every invoice's balance is at most this (in its currency's units)."
                value={rules.autoLowThreshold}
                min={0}
                max={1e12}
                disabled={busy}
                onSave={(v) => void save({ autoLowThreshold: v })}
              />
              <NumberSetting
                key={`rules-auto-cap-${rules.autoLowDailyCap}`}
                id="rules-auto-cap"
                label="Auto-sends per day"
                help="After this many in a day, the rest wait for your approval."
                value={rules.autoLowDailyCap}
                min={0}
                max={1000}
                disabled={busy}
                onSave={(v) => void save({ autoLowDailyCap: v })}
              />
            </>
          )}
          <NumberSetting
            key={`rules-amount-${rules.amountThreshold}`}
            id="rules-amount"
            label="Approve above"
            help="A reminder for more than this (in each currency's own units) needs your approval."
            value={rules.amountThreshold}
            min={0}
            max={1e12}
            disabled={busy}
            onSave={(v) => void save({ amountThreshold: v })}
          />
          <NumberSetting
            key={`rules-quiet-${rules.quietDays}`}
            id="rules-quiet"
            label="Quiet days after a contact"
            help="A reminder this soon after an email, call or reminder needs your approval."
            value={rules.quietDays}
            min={0}
            max={365}
            disabled={busy}
            onSave={(v) => void save({ quietDays: v })}
          />
          <NumberSetting
            key={`rules-max-${rules.maxRemindersPer30Days}`}
            id="rules-max"
            label="Reminders per invoice in 30 days"
            help="After this many, another reminder needs your approval."
            value={rules.maxRemindersPer30Days}
            min={1}
            max={30}
            disabled={busy}
            onSave={(v) => void save({ maxRemindersPer30Days: v })}
          />
          <NumberSetting
            key={`rules-start-${rules.sendWindow.startHour}`}
            id="rules-start"
            label="Send window starts (hour)"
            help="Business hours in your time zone; outside them a reminder needs your approval."
            value={rules.sendWindow.startHour}
            min={0}
            max={23}
            disabled={busy}
            onSave={(v) => void save({ sendWindow: { ...rules.sendWindow, startHour: v } })}
          />
          <NumberSetting
            key={`rules-end-${rules.sendWindow.endHour}`}
            id="rules-end"
            label="Send window ends (hour)"
            help="The window ends at the start of this hour."
            value={rules.sendWindow.endHour}
            min={1}
            max={24}
            disabled={busy}
            onSave={(v) => void save({ sendWindow: { ...rules.sendWindow, endHour: v } })}
          />
          <SendDays sendWindow={rules.sendWindow} disabled={busy} onSave={(days) => void save({ sendWindow: { ...rules.sendWindow, days } })} />
        </>
      )}
    </section>
  );
}
