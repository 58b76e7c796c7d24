// First run (or after the demo is removed): no company yet. Says honestly what works today
// (the demo company) and what is coming (QuickBooks, Xero, CSV import).
import { Building2, FlaskConical, Upload } from 'lucide-react';
import { Spinner } from '../../components/Spinner';
import { useBoardStore } from '../../stores/board.store';

export function Welcome(): React.JSX.Element {
  const busy = useBoardStore((s) => s.demoBusy);
  const demo = useBoardStore((s) => s.demo);
  const error = useBoardStore((s) => s.error);
  return (
    <div className="welcome">
      <h1 className="welcome-title">Which overdue invoices to chase today</h1>
      <p className="welcome-lead">
        Settle keeps a copy of your receivables on this computer, ranks who to chase first and explains why. Nothing is
        sent to a customer unless you approve it.
      </p>
      <div className="welcome-options">
        <section className="option" aria-labelledby="opt-connect">
          <Building2 size={20} aria-hidden="true" className="option-icon" />
          <h2 id="opt-connect">Connect QuickBooks or Xero</h2>
          <p>Sync customers, invoices and payments from your ledger, and keep them up to date.</p>
          <div className="option-actions">
            <button type="button" className="btn" disabled aria-describedby="connect-soon">
              QuickBooks Online
            </button>
            <button type="button" className="btn" disabled aria-describedby="connect-soon">
              Xero
            </button>
          </div>
          <p id="connect-soon" className="soon">
            Coming soon: connecting is not available in this build yet.
          </p>
        </section>
        <section className="option option-primary" aria-labelledby="opt-demo">
          <FlaskConical size={20} aria-hidden="true" className="option-icon" />
          <h2 id="opt-demo">Explore the demo company</h2>
          <p>A made-up business with about 60 customers and 900 invoices. Try the queue, filters and scores safely.</p>
          <div className="option-actions">
            <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void demo('create')}>
              {busy === 'create' && <Spinner size={13} />}
              Explore the demo company
            </button>
          </div>
        </section>
        <section className="option" aria-labelledby="opt-csv">
          <Upload size={20} aria-hidden="true" className="option-icon" />
          <h2 id="opt-csv">Import a CSV</h2>
          <p>Bring open invoices from a spreadsheet or another system, with a column mapping and per-row errors.</p>
          <div className="option-actions">
            <button type="button" className="btn" disabled aria-describedby="csv-soon">
              Import a CSV
            </button>
          </div>
          <p id="csv-soon" className="soon">
            Coming soon.
          </p>
        </section>
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
