// One browser sign-in at a time. QuickBooks and Xero both redirect to the same loopback address
// (the `oauthRedirectUri` setting, port 53682 by default), so a second sign-in could not listen
// there, and the owner could not tell which browser tab belongs to which. The core holds one
// SignInLock shared by both services; the second caller gets a clear error instead.
import { SettleError } from '../../../shared/errors';

export class SignInLock {
  private holder: string | null = null;

  /** Who is signing in now ("QuickBooks", "Xero"), or null. */
  get current(): string | null {
    return this.holder;
  }

  /** Takes the lock for `provider` and returns its release (idempotent); throws 'conflict' when taken. */
  acquire(provider: string): () => void {
    if (this.holder !== null) {
      const why = provider === this.holder ? '' : `: ${provider} and ${this.holder} use the same sign-in address, so only one can wait at a time`;
      throw new SettleError('conflict', `A ${this.holder} sign-in is already waiting in your browser. Finish or close it first${why}.`);
    }
    this.holder = provider;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holder = null;
    };
  }
}
