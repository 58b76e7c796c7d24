// The draft editor's right-hand panel of ledger facts: the invoices in the reminder, the overdue
// totals, payments received and promises made, as of the date the facts were read.
import type { DraftView } from '../../../../shared/model';
import { formatDate, formatMoney } from '../../lib/format';

export function Facts({ draft, locale }: { draft: DraftView; locale: string }): React.JSX.Element {
  const { facts } = draft;
  return (
    <section className="de-panel" aria-labelledby="de-facts">
      <h3 id="de-facts">Ledger facts</h3>
      <table className="mini-table de-facts" aria-label="Invoices in this reminder">
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">
              Days
            </th>
            <th scope="col" className="num">
              Balance
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.invoices.map((i) => (
            <tr key={i.id}>
              <td className="inv-number">{i.number}</td>
              <td>{formatDate(i.dueDate, locale)}</td>
              <td className="num">{i.daysOverdue}</td>
              <td className="num">{formatMoney(i.balanceCents, i.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="de-totals">
        {facts.totals.map((t) => (
          <div key={t.currency}>
            <dt>Overdue ({t.currency})</dt>
            <dd>{formatMoney(t.overdueCents, t.currency, locale)}</dd>
          </div>
        ))}
        {facts.payments.length > 0 && (
          <div>
            <dt>Payments received</dt>
            <dd>
              {facts.payments.map((p, i) => (
                <span key={i} className="de-line">
                  {formatMoney(p.cents, p.currency, locale)} on {formatDate(p.date, locale)} ({p.invoiceNumber})
                </span>
              ))}
            </dd>
          </div>
        )}
        {facts.promises.length > 0 && (
          <div>
            <dt>Promises</dt>
            <dd>
              {facts.promises.map((p, i) => (
                <span key={i} className="de-line">
                  {formatMoney(p.cents, p.currency, locale)} by {formatDate(p.date, locale)}
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>As of</dt>
          <dd>{formatDate(facts.asOf, locale)}</dd>
        </div>
      </dl>
    </section>
  );
}
