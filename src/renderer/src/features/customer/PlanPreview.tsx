// The payment plan dialog's live schedule (split out of PlanDialog.tsx): the hook that asks the
// core for a preview shortly after the form changes, and the table (or problem) it shows.
import { useEffect, useState } from 'react';
import type { Input } from '../../../../shared/contract';
import type { PlanPreview } from '../../../../shared/followup';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';

const PREVIEW_DELAY_MS = 150;

/** What the form asks for: a valid preview request, or why there is none. */
export interface PlanRequest {
  input?: Input<'plans.preview'>;
  error?: string;
}

/** The core's schedule for `request` (or its problem); re-asked only when `request` changes. */
export function usePlanPreview(request: PlanRequest): { preview: PlanPreview | null; problem: string | null } {
  const [server, setServer] = useState<{ preview: PlanPreview | null; problem: string | null }>({ preview: null, problem: null });

  // The preview follows the form; a stale answer is dropped.
  useEffect(() => {
    const input = request.input;
    if (!input) return;
    let live = true;
    const timer = setTimeout(() => {
      call('plans.preview', input)
        .then((p) => live && setServer({ preview: p, problem: null }))
        .catch((err: Error) => live && setServer({ preview: null, problem: err.message }));
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [request]);
  return { preview: request.input ? server.preview : null, problem: request.error ?? server.problem };
}

export function PlanSchedule({ preview, problem, locale }: { preview: PlanPreview | null; problem: string | null; locale: string }): React.JSX.Element {
  return (
    <div className="plan-preview" aria-live="polite">
      {problem ? (
        <p className="field-error" role="status">
          {problem}
        </p>
      ) : preview ? (
        <table className="plan-table" aria-label="Schedule">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Date</th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.instalments.map((i) => (
              <tr key={i.seq}>
                <td>{i.seq}</td>
                <td>{formatDate(i.dueDate, locale)}</td>
                <td className="num">{formatMoney(i.amountCents, preview.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={2}>Total</td>
              <td className="num">{formatMoney(preview.balanceCents, preview.currency, locale)}</td>
            </tr>
          </tfoot>
        </table>
      ) : (
        <Spinner size={12} />
      )}
      {preview?.notes.map((n) => (
        <p key={n} className="form-hint">
          {n}
        </p>
      ))}
    </div>
  );
}
