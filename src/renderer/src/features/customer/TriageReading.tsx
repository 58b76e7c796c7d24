// What Settle read in a pasted reply: its class (and any others it also looks like), how sure it
// is and from where, the figures it extracted, and the questions it could not answer itself.
import { DISPUTE_REASON_TEXT, type ReplyClass, type ReplyTriageResult, type ReplyTriageView } from '../../../../shared/followup';
import { formatDate, formatMoney } from '../../lib/format';

const CLASS_LABEL: Record<ReplyClass, string> = {
  promise_to_pay: 'Promise to pay',
  dispute: 'Dispute',
  already_paid: 'Says already paid',
  question: 'Question',
  out_of_office: 'Out of office',
  other: 'Other',
};

/** The table of what was extracted, one row per kind of fact. */
function Extracted({ t, locale }: { t: ReplyTriageView; locale: string }): React.JSX.Element {
  return (
    <table className="triage-fields" aria-label="Extracted">
      <tbody>
        {t.promises.map((p, n) => (
          <tr key={`p${n}`}>
            <th scope="row">Promise</th>
            <td>
              {p.amountCents !== null ? formatMoney(p.amountCents, p.currency, locale) : 'no amount stated'} ·{' '}
              {p.date ? formatDate(p.date, locale) : `“${p.dateText ?? 'no date'}”`}
              {p.note && <span className="muted small"> — {p.note}</span>}
            </td>
          </tr>
        ))}
        {t.dispute && (
          <tr>
            <th scope="row">Dispute</th>
            <td>
              {DISPUTE_REASON_TEXT[t.dispute.reason]} — “{t.dispute.snippet}”
            </td>
          </tr>
        )}
        {t.alreadyPaid && (
          <tr>
            <th scope="row">Says paid</th>
            <td>
              {[
                t.alreadyPaid.amountCents !== null ? formatMoney(t.alreadyPaid.amountCents, t.alreadyPaid.currency, locale) : null,
                t.alreadyPaid.date ? formatDate(t.alreadyPaid.date, locale) : t.alreadyPaid.dateText,
                t.alreadyPaid.reference && `ref ${t.alreadyPaid.reference}`,
              ]
                .filter(Boolean)
                .join(' · ') || 'no details'}
            </td>
          </tr>
        )}
        {t.outOfOffice && (
          <tr>
            <th scope="row">Back on</th>
            <td>{t.outOfOffice.returnDate ? formatDate(t.outOfOffice.returnDate, locale) : (t.outOfOffice.dateText ?? 'not said')}</td>
          </tr>
        )}
        {t.question && (
          <tr>
            <th scope="row">Question</th>
            <td>“{t.question.snippet}”</td>
          </tr>
        )}
        {t.invoiceNumbers.length > 0 && (
          <tr>
            <th scope="row">Invoices named</th>
            <td>{t.invoiceNumbers.join(', ')}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function TriageReading({ result, locale }: { result: ReplyTriageResult; locale: string }): React.JSX.Element {
  const t = result.triage;
  return (
    <section aria-label="What Settle read">
      <div className="triage-summary">
        <span className="status-chip status-open" data-testid="triage-class">
          {CLASS_LABEL[t.class]}
        </span>
        {t.also.map((c) => (
          <span key={c} className="status-chip">
            also {CLASS_LABEL[c].toLowerCase()}
          </span>
        ))}
        <span className="muted small">
          {t.confidence} confidence · {t.source === 'model' ? 'AI' : 'rules'}
        </span>
      </div>
      <Extracted t={t} locale={locale} />
      {(t.questionsForOwner.length > 0 || t.warnings.length > 0) && (
        <ul className="triage-questions" aria-label="Questions for you">
          {t.questionsForOwner.map((q) => (
            <li key={q}>{q}</li>
          ))}
          {t.warnings.map((w) => (
            <li key={w.message}>{w.message}</li>
          ))}
        </ul>
      )}
      {result.fallbackReason && <p className="form-hint">{result.fallbackReason}</p>}
    </section>
  );
}
