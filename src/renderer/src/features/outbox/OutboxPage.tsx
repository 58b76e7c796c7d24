// The outbox (DESIGN §8, issue 5): every approved reminder on its way out. What needs the owner
// comes first: a manual send to make, one that may have been sent when Settle stopped, a failure
// in the server's words, a hold because the invoice changed. Each row says what happens next and
// offers only the actions the core allows (`can`). Nothing here sends on its own accord: the core's
// outbox loop does, after re-checking every invoice with the ledger.
import { Copy, Inbox, Mail, Send } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { OutboxItemView, OutboxState } from '../../../../shared/outbox';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageLoading } from '../../components/PageLoading';
import { Spinner } from '../../components/Spinner';
import { formatMoney, formatSince, formatWhen, plural } from '../../lib/format';
import { useAppStore } from '../../stores/app.store';
import { useCustomerStore } from '../../stores/customer.store';
import { useLocale } from '../../stores/settings.store';
import { useDraftStore } from '../drafts/drafts.store';
import { GROUP_STATES, itemsIn, useOutboxStore, type OutboxGroup } from './outbox.store';
import './outbox.css';
import { Segmented } from '../../components/Segmented';

const GROUP_LABELS: Record<OutboxGroup, string> = { open: 'To do and in progress', sent: 'Sent', cancelled: 'Cancelled' };

const TONE: Record<OutboxState, 'warn' | 'danger' | 'ok' | 'quiet' | 'accent'> = {
  queued: 'quiet',
  sending: 'accent',
  awaiting_owner: 'accent',
  unconfirmed: 'warn',
  sent: 'ok',
  failed: 'danger',
  blocked: 'warn',
  cancelled: 'quiet',
};

function minutesUntil(iso: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 60_000));
}

/** One sentence on where the item is and what happens next. */
function nextStep(item: OutboxItemView, locale: string, now: number): string | null {
  switch (item.state) {
    case 'queued':
      if (item.notBefore && Date.parse(item.notBefore) > now) {
        const m = minutesUntil(item.notBefore, now);
        return `Sends automatically at ${formatWhen(item.notBefore, locale, true)} (in ${plural(m, 'minute', 'minutes', locale)}) unless you cancel it.`;
      }
      if (item.nextAttemptAt && item.attempts > 0) {
        return `Try ${item.attempts} failed${item.lastError ? `: ${item.lastError}` : ''}. Retrying at ${formatWhen(item.nextAttemptAt, locale, true)}.`;
      }
      return 'Goes out on the next pass, after the invoices are re-checked with the ledger.';
    case 'sending':
      return 'Re-checking the invoices and sending now…';
    case 'awaiting_owner':
      return 'Copy the message or open it in your mail app, send it, then mark it as sent.';
    case 'unconfirmed':
      return `${item.lastError ?? 'Settle stopped while sending this; it may have gone out.'} Check your sent mail, then confirm it was sent or send it again. It is never re-sent on its own.`;
    case 'failed':
      return `Not sent after ${plural(item.attempts, 'try', 'tries', locale)}: ${item.lastError ?? 'the server gave no reason'}.`;
    case 'blocked':
      return `Held: ${item.blockReason ?? 'an invoice changed since approval'}. Redraft it from the ledger's current figures.`;
    case 'cancelled':
      return item.blockReason ? `Cancelled: ${item.blockReason}.` : 'Cancelled before it was sent.';
    case 'sent':
      return null;
  }
}

function writeBackText(item: OutboxItemView, locale: string): string | null {
  const w = item.writeBack;
  if (w.state === 'off') return null;
  if (w.state === 'done') return `Note added to the ledger invoice${w.at ? ` ${formatSince(w.at, locale)}` : ''}.`;
  if (w.state === 'pending') return 'Adding a note to the ledger invoice…';
  return `The note on the ledger invoice was not added: ${w.error ?? 'unknown error'}. The reminder itself was sent.`;
}

function totals(item: OutboxItemView, locale: string): string {
  const by = new Map<string, number>();
  for (const i of item.invoices) by.set(i.currency, (by.get(i.currency) ?? 0) + i.balanceCents);
  return [...by].map(([currency, cents]) => formatMoney(cents, currency, locale)).join(' + ');
}

/** A few invoice numbers, then how many more (the title has them all). */
function invoiceList(item: OutboxItemView): string {
  const shown = item.invoices.slice(0, 4).map((i) => i.number);
  const more = item.invoices.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function OutboxRow({ item, now }: { item: OutboxItemView; now: number }): React.JSX.Element {
  const locale = useLocale();
  const act = useOutboxStore((s) => s.act);
  const busy = useOutboxStore((s) => s.busy);
  const openCustomer = useCustomerStore((s) => s.open);
  const openDraft = useDraftStore((s) => s.openDraft);
  const [confirmResend, setConfirmResend] = useState(false);
  const [copied, setCopied] = useState(false);
  const mine = busy?.itemId === item.id;
  const step = nextStep(item, locale, now);
  const writeBack = writeBackText(item, locale);
  const when = item.sentAt ?? item.updatedAt;

  const redraft = async (): Promise<void> => {
    const draft = await act('redraft', item.id);
    if (draft) void openDraft(draft.id);
  };

  return (
    <li className="outbox-row" data-testid="outbox-item" data-state={item.state} aria-label={`${item.customer.name}: ${item.stateLabel}`}>
      <div className="outbox-main">
        <span className={`outbox-state tone-${TONE[item.state]}`} data-testid="outbox-state">
          {item.stateLabel}
        </span>
        <button type="button" className="btn btn-quiet outbox-customer" onClick={() => openCustomer(item.customer.id, item.customer.name)}>
          {item.customer.name}
        </button>
        <span className="outbox-subject" title={item.subject}>
          {item.subject}
        </span>
        <span className="outbox-amount">{totals(item, locale)}</span>
      </div>
      <div className="outbox-meta muted">
        <span>{item.channelLabel}</span>
        {item.recipients.length > 0 && <span>to {item.recipients.join(', ')}</span>}
        <span title={item.invoices.map((i) => i.number).join(', ')}>{invoiceList(item)}</span>
        {item.approvedBy === 'rule' && <span>approved by the auto-send rule</span>}
        {(item.payLink || item.attachPdf) && (
          <span>{[item.payLink && 'pay link', item.attachPdf && 'invoice PDF'].filter(Boolean).join(' and ')}</span>
        )}
        <span title={formatWhen(when, locale, true)}>
          {item.state === 'sent' ? 'sent ' : ''}
          {formatSince(when, locale, now)}
        </span>
      </div>
      {step && (
        <p className={`outbox-step${item.state === 'failed' ? ' is-danger' : item.state === 'blocked' || item.state === 'unconfirmed' ? ' is-warn' : ''}`}>
          {step}
        </p>
      )}
      {writeBack && <p className={`outbox-step${item.writeBack.state === 'failed' ? ' is-warn' : ' muted'}`}>{writeBack}</p>}
      {item.state === 'sent' && item.messageId && <p className="outbox-step muted outbox-msgid">Message ID {item.messageId}</p>}
      <div className="outbox-actions">
        {item.manual && item.state === 'awaiting_owner' && (
          <>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => {
                void navigator.clipboard?.writeText(item.manual!.text).then(() => setCopied(true));
              }}
            >
              <Copy size={13} aria-hidden="true" /> {copied ? 'Copied' : 'Copy message'}
            </button>
            <a className="btn btn-sm" href={item.manual.mailto} target="_blank" rel="noreferrer">
              <Mail size={13} aria-hidden="true" /> Open in mail app
            </a>
          </>
        )}
        {item.can.confirmSent && (
          <button type="button" className="btn btn-sm btn-primary" disabled={mine} onClick={() => void act('confirmSent', item.id)}>
            {item.state === 'awaiting_owner' ? 'I sent it' : 'It was sent'}
          </button>
        )}
        {item.can.requeue && (
          <button
            type="button"
            className="btn btn-sm"
            disabled={mine}
            onClick={() => (item.state === 'unconfirmed' ? setConfirmResend(true) : void act('requeue', item.id))}
          >
            {item.state === 'unconfirmed' ? 'It was not sent: send again' : 'Try again'}
          </button>
        )}
        {item.can.redraft && (
          <button type="button" className="btn btn-sm" disabled={mine} onClick={() => void redraft()}>
            Redraft
          </button>
        )}
        {item.can.cancel && (
          <button type="button" className="btn btn-sm btn-quiet" disabled={mine} onClick={() => void act('cancel', item.id)}>
            Cancel
          </button>
        )}
        {mine && <Spinner size={13} />}
      </div>
      <details className="outbox-message">
        <summary>Message</summary>
        <pre>{item.body}</pre>
      </details>
      <ConfirmDialog
        open={confirmResend}
        onOpenChange={setConfirmResend}
        title="Send it again?"
        description={`Only if you checked your sent mail and this reminder to ${item.customer.name} did not go out. Otherwise they may get it twice.`}
        confirmLabel="Send again"
        onConfirm={() => void act('requeue', item.id)}
      />
    </li>
  );
}

export function OutboxPage(): React.JSX.Element {
  const view = useOutboxStore((s) => s.view);
  const error = useOutboxStore((s) => s.error);
  const notice = useOutboxStore((s) => s.notice);
  const busy = useOutboxStore((s) => s.busy);
  const load = useOutboxStore((s) => s.load);
  const processNow = useOutboxStore((s) => s.processNow);
  const navigate = useAppStore((s) => s.navigate);
  const online = useAppStore((s) => s.online);
  const locale = useLocale();
  const [group, setGroup] = useState<OutboxGroup>('open');
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void load();
    // Countdowns and "5 min ago" stay current.
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, [load]);

  if (!view) {
    return <PageLoading title="Outbox" error={error} />;
  }

  const count = (g: OutboxGroup): number => GROUP_STATES[g].reduce((n, s) => n + (view.counts[s] ?? 0), 0);
  const items = itemsIn(view, group);
  const due = (view.counts.queued ?? 0) > 0;

  return (
    <div className="page outbox-page">
      <div className="page-head outbox-head">
        <h1 className="page-title">Outbox</h1>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          disabled={!due || busy !== null || !online}
          title={!online ? 'Offline: queued reminders go out when the network is back' : undefined}
          onClick={() => void processNow()}
        >
          <Send size={13} aria-hidden="true" /> Send due now
        </button>
      </div>
      <p className="muted outbox-intro">
        Approved reminders leave from here, by default {view.defaultChannel === 'smtp' ? 'through your mail server' : view.defaultChannel === 'ledger' ? "as the ledger's standard invoice email" : 'through your mail app'} (Settings → Sending). Every invoice is re-checked with the ledger just before sending.
        {!online && ' You are offline: nothing goes out until the network is back.'}
      </p>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="banner" role="status">
          {notice}
        </p>
      )}
      <Segmented<OutboxGroup>
        label="Show"
        className="outbox-tabs"
        options={(Object.keys(GROUP_LABELS) as OutboxGroup[]).map((g) => ({
          value: g,
          label: (
            <>
              {GROUP_LABELS[g]} <span className="muted">{count(g).toLocaleString(locale)}</span>
            </>
          ),
        }))}
        value={group}
        onChange={setGroup}
      />
      {items.length === 0 ? (
        group === 'open' ? (
          <EmptyState
            icon={<Inbox size={22} />}
            title="Nothing waiting to go out"
            actions={
              <button type="button" className="btn" onClick={() => navigate('approvals')}>
                Go to Approvals
              </button>
            }
          >
            <p>Reminders you approve are re-checked with the ledger and sent from here.</p>
          </EmptyState>
        ) : (
          <EmptyState icon={<Inbox size={22} />} title={group === 'sent' ? 'Nothing sent yet' : 'Nothing cancelled'}>
            <p>{group === 'sent' ? 'Sent reminders are listed here with their message ID.' : 'Reminders you cancel, or that a payment made unnecessary, are listed here.'}</p>
          </EmptyState>
        )
      ) : (
        <ul className="list-card outbox-list" aria-label={GROUP_LABELS[group]}>
          {items.map((item) => (
            <OutboxRow key={item.id} item={item} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}
