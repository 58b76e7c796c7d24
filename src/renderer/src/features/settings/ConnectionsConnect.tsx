// The "Connect <provider>" row of Settings → Connections, shared by QuickBooks and Xero: what
// happens when you click, the sign-in link while Settle waits, the app key fields, and why the
// button is off while the other provider's sign-in waits (both use the same loopback address,
// so the core allows one sign-in at a time).
import { Building2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Spinner } from '../../components/Spinner';
import { useConnectionsStore } from '../../stores/connections.store';
import { useXeroStore } from './XeroConnect.store';

export type SignInProvider = 'QuickBooks' | 'Xero';

/** Which provider's browser sign-in Settle is waiting on, if any. */
export function useSignInWaiting(): SignInProvider | null {
  const qbo = useConnectionsStore((s) => s.busy?.kind === 'connect');
  const xero = useXeroStore((s) => s.busy === 'connect');
  return qbo ? 'QuickBooks' : xero ? 'Xero' : null;
}

/** The reason `provider` cannot start a sign-in now, or null. */
export function useSignInBlocked(provider: SignInProvider): string | null {
  const waiting = useSignInWaiting();
  return waiting !== null && waiting !== provider ? `Finish the ${waiting} sign-in first: Settle waits for one sign-in at a time.` : null;
}

export interface ProviderConnectProps {
  provider: SignInProvider;
  /** The row's label ("QuickBooks Online", "Xero"). */
  label: string;
  testId?: string;
  /** What a click does, shown while idle. */
  help: string;
  connecting: boolean;
  signInUrl: string | null;
  /** The app key fields, when Settle has no keys yet (or the owner asked for others). */
  keys: ReactNode | null;
  /** "Use other … keys", when keys are saved. */
  otherKeys: { label: string; onClick(): void } | null;
  /** Off for reasons of its own (busy, keys missing); the other provider's sign-in is added here. */
  disabled: boolean;
  onConnect(): void;
}

export function ProviderConnect(p: ProviderConnectProps): React.JSX.Element {
  const blocked = useSignInBlocked(p.provider);
  return (
    <div className="setting" data-testid={p.testId}>
      <div className="setting-text">
        <span className="setting-label">
          <Building2 size={14} aria-hidden="true" /> {p.label}
        </span>
        <span className="setting-help">{p.connecting ? `Finish signing in in your browser; Settle is waiting for ${p.provider}…` : p.help}</span>
        {p.connecting && p.signInUrl && (
          <a className="setting-help" href={p.signInUrl} target="_blank" rel="noreferrer">
            No sign-in window? Open the {p.provider} sign-in
          </a>
        )}
        {blocked && (
          <span className="setting-help" role="status" data-testid="connect-blocked">
            {blocked}
          </span>
        )}
        {p.keys}
        {p.otherKeys && (
          <button type="button" className="link-btn" onClick={p.otherKeys.onClick}>
            {p.otherKeys.label}
          </button>
        )}
      </div>
      <div className="row-gap">
        <button type="button" className="btn btn-primary" disabled={p.disabled || blocked !== null} title={blocked ?? undefined} onClick={p.onConnect}>
          {p.connecting && <Spinner size={13} />}
          Connect {p.provider}
        </button>
      </div>
    </div>
  );
}
