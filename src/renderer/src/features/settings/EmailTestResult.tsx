// Settings → Email's test result (split out of EmailSection.tsx): sent, or what went wrong in the
// owner's words, with the server's own reply (e.g. 535) when it adds something.
import { CircleAlert, CircleCheck } from 'lucide-react';
import type { EmailErrorKind, EmailTestResult } from '../../../../shared/email';

const KIND_LABELS: Record<EmailErrorKind, string> = {
  not_configured: 'Not set up',
  auth: 'Sign-in refused',
  connection: 'Cannot connect',
  dns: 'Server not found',
  tls: 'Encryption failed',
  timeout: 'No answer',
  rejected: 'Message refused',
  other: 'Sending failed',
};

export function EmailTestResultBanner({ test }: { test: EmailTestResult }): React.JSX.Element {
  return (
    <div className={`banner ${test.ok ? 'banner-ok' : 'banner-error'} email-result`} role="status" data-testid="email-test">
      {test.ok ? <CircleCheck size={14} aria-hidden="true" /> : <CircleAlert size={14} aria-hidden="true" />}
      <div>
        <strong>{test.ok ? `Test email sent to ${test.to} in ${test.latencyMs} ms.` : KIND_LABELS[test.kind]}</strong>
        {!test.ok && <div>{test.message}</div>}
        {test.serverReply && (test.ok || !test.message.includes(test.serverReply)) && (
          <div className="email-reply">
            The server said: <code>{test.serverReply}</code>
          </div>
        )}
      </div>
    </div>
  );
}
