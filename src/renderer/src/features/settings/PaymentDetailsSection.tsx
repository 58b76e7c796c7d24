// Settings → Payment details (issue 11 §1): the active company's own bank details, pay link,
// phone and reply-to address. They become facts of every new draft, so the fact-check lets them
// through and flags any other bank details, link, phone number or address a reminder gives. The
// core validates (its message is shown as is) and audits each change.
import { useEffect, useState } from 'react';
import type { PaymentDetailsView } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useBoardStore } from '../../stores/board.store';
import './ai.css';
import './email.css';
import './payment-details.css';

interface PaymentForm {
  bankDetails: string;
  payLink: string;
  phone: string;
  replyTo: string;
}

const formOf = (v: PaymentDetailsView): PaymentForm => ({
  bankDetails: v.bankDetails ?? '',
  payLink: v.payLink ?? '',
  phone: v.phone ?? '',
  replyTo: v.replyTo ?? '',
});

const same = (a: PaymentForm, b: PaymentForm): boolean =>
  a.bankDetails.trim() === b.bankDetails.trim() && a.payLink.trim() === b.payLink.trim() && a.phone.trim() === b.phone.trim() && a.replyTo.trim() === b.replyTo.trim();

const FIELD_PREFIX = /(^|; )(bankDetails|payLink|phone|replyTo): /g;

const HELP =
  'Reminders may give only these details and the ledger’s pay link; any other bank details, link, phone number or address in a draft is flagged for you to check.';

function Shell({ children }: { children: React.ReactNode }): React.JSX.Element {
  return (
    <section className="settings-section" aria-labelledby="set-payment">
      <h2 id="set-payment">Payment details</h2>
      {children}
    </section>
  );
}

/** The section for the active company; a change of company starts its form afresh. */
export function PaymentDetailsSection(): React.JSX.Element {
  const connection = useBoardStore((s) => s.connection);
  if (!connection) {
    return (
      <Shell>
        <p className="muted">Connect a company or explore the demo company to add its payment details.</p>
      </Shell>
    );
  }
  return <PaymentDetailsForm key={connection.id} connectionId={connection.id} companyName={connection.name} />;
}

function PaymentDetailsForm({ connectionId, companyName }: { connectionId: string; companyName: string }): React.JSX.Element {
  const [view, setView] = useState<PaymentDetailsView | null>(null);
  const [form, setForm] = useState<PaymentForm | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, run } = useAction<'save'>();

  const adopt = (v: PaymentDetailsView): void => {
    setView(v);
    setForm(formOf(v));
  };
  useEffect(() => {
    void call('paymentDetails.get', { connectionId }).then(adopt, (err: unknown) => setError((err as Error).message));
  }, [connectionId, setError]);

  if (!view || !form) {
    return (
      <Shell>
        <p className="muted">{error ?? 'Loading…'}</p>
      </Shell>
    );
  }

  const dirty = !same(form, formOf(view));
  const set = (patch: Partial<PaymentForm>): void => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  const field = (name: keyof PaymentForm) => ({
    value: form[name],
    'aria-invalid': error !== null && error.includes(`${name}: `),
    'aria-describedby': 'payment-help',
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set({ [name]: e.target.value }),
  });

  return (
    <Shell>
      <div className="email-body">
        <p className="setting-help email-intro" id="payment-help">
          {HELP}
        </p>
        <form
          className="ai-form payment-form"
          aria-label={`Payment details of ${companyName}`}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run('save', async () => {
              adopt(await call('paymentDetails.set', { connectionId, ...form }));
              setSaved(true);
            });
          }}
        >
          <label className="ai-field">
            <span>Bank details</span>
            <textarea rows={4} spellCheck={false} placeholder={'IBAN, BIC\nor account number and sort code / routing number'} {...field('bankDetails')} />
          </label>
          <div className="email-grid">
            <label className="ai-field">
              <span>Pay link</span>
              <input type="url" inputMode="url" spellCheck={false} placeholder="https://pay.example.com/your-business" {...field('payLink')} />
            </label>
            <label className="ai-field">
              <span>Phone</span>
              <input type="tel" autoComplete="off" placeholder="+44 20 7946 0000" {...field('phone')} />
            </label>
            <label className="ai-field">
              <span>Reply-to address</span>
              <input type="email" spellCheck={false} placeholder="accounts@example.com" {...field('replyTo')} />
            </label>
          </div>
          <div className="ai-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null || !dirty}>
              {busy === 'save' && <Spinner size={12} />} Save
            </button>
            <span className="setting-help" role="status">
              {dirty ? 'Unsaved changes' : saved ? 'Saved.' : ''}
            </span>
          </div>
          {error && (
            <p className="banner banner-error" role="alert">
              {/* The core names the field first ("payLink: …"); its sentence says which field already. */}
              {error.replace(FIELD_PREFIX, '$1')}
            </p>
          )}
        </form>
      </div>
    </Shell>
  );
}
