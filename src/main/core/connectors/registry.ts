// One LedgerProvider per kind of company (QuickBooks, Xero, the demo, whatever comes next). The
// sync engine, the outbox and connections.disconnect ask the registry for a company's provider
// instead of choosing by `if (provider === …)`.
import type { ConnectionSummary, CrossCheckInfo, Provider } from '../../../shared/model';
import type { ApiBudget } from '../../../shared/xero';
import { SettleError } from '../../../shared/errors';
import type { SyncOutcome, SyncSource } from '../sync';
import type { Db } from '../db/open';
import { getConnectionRecord, type ConnectionRecord } from './connections.repo';
import type { LedgerAccess } from './ledger-access';

export interface LedgerProvider {
  /** connections.provider of the companies it serves. */
  readonly provider: Provider;
  /** Whether its companies sync from a remote ledger (Sync now, the scheduler, re-checks). */
  readonly syncs: boolean;
  /** The engine's source for one of its companies; null when there is nothing to sync. */
  sourceFor(conn: ConnectionRecord): SyncSource | null;
  /** The outbound port (re-check, ledger email, notes, PDF); null when the local ledger is the ledger. */
  ledgerFor(conn: ConnectionRecord): LedgerAccess | null;
  /** Runs after a successful sync of one of its companies (the cross-checks); never fails the sync. */
  afterSync(outcome: SyncOutcome, signal?: AbortSignal): Promise<unknown>;
  /** Revokes the sign-in and stops syncing; the synced data stays. */
  disconnect(connectionId: string): Promise<ConnectionSummary>;
  /** Today's API call budget per company, where the provider has a daily one (Xero). */
  budgets?(): Record<string, ApiBudget>;
  /** The last comparison of a company's balances with the provider's own figures, where it makes one. */
  lastCrossCheck?(connectionId: string): CrossCheckInfo | null;
}

export class ProviderRegistry {
  private readonly byKind = new Map<Provider, LedgerProvider>();

  constructor(
    private readonly db: Db,
    providers: readonly LedgerProvider[],
  ) {
    for (const p of providers) {
      if (this.byKind.has(p.provider)) throw new Error(`Two ledger providers for ${p.provider}`);
      this.byKind.set(p.provider, p);
    }
  }

  /** The provider of a company; a company of a kind nobody serves is a bug, not bad input. */
  for(conn: Pick<ConnectionRecord, 'provider'>): LedgerProvider {
    const p = this.byKind.get(conn.provider);
    if (!p) throw new Error(`No ledger provider for ${conn.provider}`);
    return p;
  }

  /** Whether companies of this kind sync from a remote ledger. */
  syncs(conn: Pick<ConnectionRecord, 'provider'>): boolean {
    return this.byKind.get(conn.provider)?.syncs ?? false;
  }

  /** The ledger port of a company by id; null for a local ledger or an unknown company. */
  ledgerOf(connectionId: string): LedgerAccess | null {
    const conn = getConnectionRecord(this.db, connectionId);
    return conn ? this.for(conn).ledgerFor(conn) : null;
  }

  /** Whether a company has a remote ledger to send through and write notes to (QuickBooks, Xero). */
  hasLedger(connectionId: string): boolean {
    const conn = getConnectionRecord(this.db, connectionId);
    return conn !== null && conn !== undefined && this.syncs(conn);
  }

  all(): LedgerProvider[] {
    return [...this.byKind.values()];
  }
}

/** A company whose local ledger is the ledger (the demo): nothing to sync, send through or revoke. */
export function localProvider(provider: Provider, what: string): LedgerProvider {
  return {
    provider,
    syncs: false,
    sourceFor: () => null,
    ledgerFor: () => null,
    afterSync: () => Promise.resolve(null),
    disconnect: () => Promise.reject(new SettleError('invalid_input', `${what} has no sign-in to disconnect; remove it instead`)),
  };
}
