// The draft editor (DESIGN §13): the text on the left with every flagged figure underlined, the
// ledger facts and the fact-check on the right, the tone switch above, and Save / Submit for
// approval / Discard below. Submitting is blocked while flags remain; "Submit anyway…" asks for a
// reason, which the core audits. AI text streams in as it arrives. Customer text is rendered as
// text only (React escapes it); the underline layer mirrors the textarea's text exactly.
import * as Dialog from '@radix-ui/react-dialog';
import { AlertTriangle, Check, CircleAlert, Sparkles, X } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { DRAFT_STATUS_LABELS, DRAFT_TONE_LABELS, DRAFT_TONES, type DraftFinding, type DraftView } from '../../../../shared/model';
import { Segmented } from '../../components/Segmented';
import { Spinner } from '../../components/Spinner';
import { formatDate, formatMoney, plural } from '../../lib/format';
import { useLocale } from '../../stores/settings.store';
import { useDraftStore } from './drafts.store';
import './drafts.css';

const FIELD_LABEL: Record<DraftFinding['kind'], string> = {
  amount: 'Amount',
  date: 'Date',
  invoice: 'Invoice',
  days: 'Days',
  percent: 'Percentage',
  email: 'Email',
  link: 'Link',
};

function isFlag(f: DraftFinding): boolean {
  return f.status !== 'ok';
}

function findingKey(f: DraftFinding): string {
  return `${f.field}:${f.start}:${f.end}`;
}

/** The text with flagged ranges wrapped in <mark>: drawn under a transparent textarea. */
function Underlay({ text, findings, active }: { text: string; findings: DraftFinding[]; active: string | null }): React.JSX.Element {
  const parts: React.ReactNode[] = [];
  let at = 0;
  const sorted = findings.filter((f) => f.end <= text.length && text.slice(f.start, f.end) === f.text).sort((a, b) => a.start - b.start);
  for (const f of sorted) {
    if (f.start < at) continue;
    if (f.start > at) parts.push(text.slice(at, f.start));
    const key = findingKey(f);
    parts.push(
      <mark key={key} data-key={key} className={`hl ${isFlag(f) ? 'hl-flag' : 'hl-ok'}${active === key ? ' is-active' : ''}`}>
        {text.slice(f.start, f.end)}
      </mark>,
    );
    at = f.end;
  }
  parts.push(text.slice(at));
  // A trailing newline needs a character after it to take up a line, as the textarea does.
  parts.push('\u200b');
  return <>{parts}</>;
}

function statusText(f: DraftFinding): string {
  if (f.status === 'ok') return 'Matches the ledger';
  if (f.status === 'mismatch') return f.expected ? `Ledger says ${f.expected}` : 'Does not match the ledger';
  if (f.status === 'ambiguous') return f.expected ? `Ambiguous; ledger says ${f.expected}` : 'Ambiguous';
  return 'Not in the ledger facts';
}

function Facts({ draft, locale }: { draft: DraftView; locale: string }): React.JSX.Element {
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

function FactCheck({
  findings,
  flagged,
  checking,
  onHover,
  onPick,
}: {
  findings: DraftFinding[];
  flagged: number;
  checking: boolean;
  onHover(key: string | null): void;
  onPick(f: DraftFinding): void;
}): React.JSX.Element {
  const ordered = [...findings].sort((a, b) => Number(isFlag(b)) - Number(isFlag(a)) || (a.field === b.field ? a.start - b.start : a.field === 'subject' ? -1 : 1));
  return (
    <section className="de-panel" aria-labelledby="de-check">
      <h3 id="de-check">
        Fact-check{' '}
        <span className={`de-count ${flagged > 0 ? 'is-flagged' : 'is-clean'}`} data-testid="flag-count" data-flagged={flagged}>
          {flagged > 0 ? plural(flagged, 'flag', 'flags') : 'All figures match'}
        </span>
        {checking && <Spinner size={11} label="Checking" />}
      </h3>
      {ordered.length === 0 ? (
        <p className="muted">No figures in the text yet.</p>
      ) : (
        <ul className="de-findings" aria-label="Fact-check findings">
          {ordered.map((f) => {
            const key = findingKey(f);
            return (
              <li key={key} data-status={f.status} className={isFlag(f) ? 'is-flag' : 'is-ok'}>
                <button
                  type="button"
                  className="de-finding"
                  onMouseEnter={() => onHover(key)}
                  onMouseLeave={() => onHover(null)}
                  onFocus={() => onHover(key)}
                  onBlur={() => onHover(null)}
                  onClick={() => onPick(f)}
                  title={f.note}
                >
                  {isFlag(f) ? <AlertTriangle size={13} aria-hidden="true" /> : <Check size={13} aria-hidden="true" />}
                  <span className="de-finding-text">{f.text}</span>
                  <span className="de-finding-kind">
                    {FIELD_LABEL[f.kind]}
                    {f.field === 'subject' ? ' · subject' : ''}
                  </span>
                  <span className="de-finding-status">{statusText(f)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function DraftEditor(): React.JSX.Element {
  const s = useDraftStore();
  const locale = useLocale();
  const [active, setActive] = useState<string | null>(null);
  const [askingFor, setAskingFor] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const underRef = useRef<HTMLDivElement>(null);
  const subjectUnderRef = useRef<HTMLDivElement>(null);
  const blockId = useId();
  const { draft } = s;
  const editable = draft !== null && (draft.status === 'draft' || draft.status === 'pending_approval') && s.busy === null;
  const submitted = draft?.status === 'pending_approval' && !s.dirty;
  const working = s.busy === 'create' || s.busy === 'regenerate';
  const noEmail = draft !== null && !draft.customer.email;

  // The reason form belongs to one draft, and only while it has flags.
  const askingNow = s.open && draft !== null && askingFor === draft.id && s.flagged > 0;

  const syncScroll = (): void => {
    if (underRef.current && bodyRef.current) underRef.current.scrollTop = bodyRef.current.scrollTop;
    if (subjectUnderRef.current && subjectRef.current) subjectUnderRef.current.scrollLeft = subjectRef.current.scrollLeft;
  };

  const pick = (f: DraftFinding): void => {
    const el = f.field === 'body' ? bodyRef.current : subjectRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(f.start, f.end);
    setActive(findingKey(f));
    // Bring the figure into view: the mirror layer knows where its line is.
    const under = f.field === 'body' ? underRef.current : subjectUnderRef.current;
    const mark = under?.querySelector<HTMLElement>(`mark[data-key="${findingKey(f)}"]`);
    if (mark && f.field === 'body') el.scrollTop = Math.max(0, mark.offsetTop - 48);
    syncScroll();
  };

  const blockReason = noEmail
    ? `${draft?.customer.name ?? 'This customer'} has no email address in the ledger.`
    : s.flagged > 0
      ? `${plural(s.flagged, 'figure does', 'figures do')} not match the ledger: fix ${s.flagged === 1 ? 'it' : 'them'} or submit anyway with a reason.`
      : s.checking
        ? 'Checking the figures…'
        : null;

  const bodyFindings = s.findings.filter((f) => f.field === 'body');
  const subjectFindings = s.findings.filter((f) => f.field === 'subject');

  return (
    <Dialog.Root open={s.open} onOpenChange={(o) => !o && s.close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay draft-editor-overlay" />
        <Dialog.Content className="modal draft-editor" aria-busy={working} onOpenAutoFocus={(e) => e.preventDefault()}>
          <header className="de-head">
            <div className="de-title-wrap">
              <Dialog.Title className="modal-title">Reminder to {draft?.customer.name ?? s.customerName ?? '…'}</Dialog.Title>
              <Dialog.Description className="de-sub">
                {draft
                  ? [
                      draft.customer.email ? `To ${draft.customer.email}` : 'No email address',
                      draft.source === 'ai' ? `AI · ${draft.model ?? ''} · ${draft.promptVersion ?? ''}` : draft.source === 'template' ? 'From your template' : 'Edited by you',
                    ].join(' · ')
                  : 'Drafting from the ledger facts…'}
              </Dialog.Description>
            </div>
            {draft && (
              <span className={`de-status de-status-${draft.status}`} data-testid="draft-status" data-status={draft.status}>
                {DRAFT_STATUS_LABELS[draft.status]}
              </span>
            )}
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </header>

          <div className="de-toolbar">
            <Segmented
              label="Tone"
              options={DRAFT_TONES.map((t) => ({ value: t, label: DRAFT_TONE_LABELS[t] }))}
              value={draft?.tone}
              disabled={!editable}
              onChange={(t) => void s.setTone(t)}
            />
            {draft && <span className="muted de-tone-reason">Suggested: {draft.toneReason}</span>}
            {draft && (
              <span className="de-options" role="group" aria-label="Include">
                <label title="The ledger's online payment link (QuickBooks InvoiceLink, Xero online invoice)">
                  <input
                    type="checkbox"
                    checked={draft.payLink}
                    disabled={!editable}
                    onChange={(e) => void s.setOptions({ payLink: e.target.checked })}
                  />{' '}
                  Pay link
                </label>
                <label title="The invoice PDF from the ledger, attached to the email">
                  <input
                    type="checkbox"
                    checked={draft.attachPdf}
                    disabled={!editable}
                    onChange={(e) => void s.setOptions({ attachPdf: e.target.checked })}
                  />{' '}
                  Attach invoice PDF
                </label>
              </span>
            )}
            {working && (
              <span className="de-working">
                {s.streaming ? <Sparkles size={13} aria-hidden="true" /> : null}
                <Spinner size={12} /> Writing…
              </span>
            )}
          </div>

          {s.notice && (
            <p className="banner banner-warn" role="status">
              <CircleAlert size={14} aria-hidden="true" /> {s.notice}
            </p>
          )}
          {s.error && (
            <p className="banner banner-error" role="alert">
              {s.error}
            </p>
          )}

          <div className="de-grid">
            <div className="de-text">
              <label className="de-label" htmlFor="de-subject">
                Subject
              </label>
              <div className="hl-wrap hl-line">
                <div className="hl-under" ref={subjectUnderRef} aria-hidden="true">
                  <Underlay text={s.subject} findings={subjectFindings} active={active} />
                </div>
                <input
                  id="de-subject"
                  ref={subjectRef}
                  className="hl-input"
                  value={s.subject}
                  readOnly={!editable}
                  spellCheck
                  onChange={(e) => s.setText(e.target.value, s.body)}
                  onScroll={syncScroll}
                  onKeyUp={syncScroll}
                />
              </div>
              <label className="de-label" htmlFor="de-body">
                Message
              </label>
              <div className="hl-wrap hl-area">
                <div className="hl-under" ref={underRef} aria-hidden="true">
                  <Underlay text={s.body} findings={bodyFindings} active={active} />
                </div>
                <textarea
                  id="de-body"
                  ref={bodyRef}
                  className="hl-input"
                  value={s.body}
                  readOnly={!editable}
                  spellCheck
                  onChange={(e) => s.setText(s.subject, e.target.value)}
                  onScroll={syncScroll}
                />
              </div>
            </div>
            <aside className="de-side">
              {draft ? (
                <>
                  <FactCheck findings={s.findings} flagged={s.flagged} checking={s.checking} onHover={setActive} onPick={pick} />
                  <Facts draft={draft} locale={locale} />
                </>
              ) : (
                <p className="muted">
                  <Spinner size={12} /> Reading the ledger…
                </p>
              )}
            </aside>
          </div>

          {askingNow && (
            <form
              className="de-override"
              onSubmit={(e) => {
                e.preventDefault();
                void s.submit(reason.trim()).then((ok) => ok && setAskingFor(null));
              }}
            >
              <label htmlFor="de-reason">Why submit with {plural(s.flagged, 'flagged figure', 'flagged figures')}?</label>
              <input id="de-reason" type="text" autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Includes the late fee we agreed" />
              <button type="submit" className="btn btn-danger" disabled={reason.trim().length < 3 || s.busy !== null}>
                Submit with reason
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => setAskingFor(null)}>
                Back
              </button>
            </form>
          )}

          <footer className="de-foot">
            <button type="button" className="btn btn-quiet" disabled={!editable} onClick={() => void s.cancelDraft()}>
              Discard draft
            </button>
            <span className="de-block" id={blockId} role="status">
              {submitted ? 'Waiting for approval. Nothing is sent until it is approved.' : editable ? blockReason : null}
            </span>
            <button type="button" className="btn" disabled={!editable || !s.dirty} onClick={() => void s.save()}>
              {s.busy === 'save' ? <Spinner size={12} /> : null}
              Save
            </button>
            {s.flagged > 0 && !noEmail && !submitted && (
              <button
                type="button"
                className="btn"
                disabled={!editable || askingNow}
                onClick={() => {
                  setReason('');
                  setAskingFor(draft?.id ?? null);
                }}
              >
                Submit anyway…
              </button>
            )}
            <button
              type="button"
              className="btn btn-primary"
              disabled={!editable || submitted || blockReason !== null}
              aria-describedby={blockId}
              onClick={() => void s.submit()}
            >
              {s.busy === 'submit' ? <Spinner size={12} /> : null}
              Submit for approval
            </button>
          </footer>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
