// Companies Settle knows (demo, QuickBooks…) with their status, and the owner's actions on them:
// connect or reconnect QuickBooks, disconnect, "Sync now" and stopping a sync. Errors are kept as
// calm messages.
import { create } from 'zustand';
import type { ConnectionSummary, CrossCheckInfo, SyncRun, SyncRunOutcome } from '../../../shared/model';
import { call } from '../lib/api';

type Busy = { kind: 'connect' } | { kind: 'disconnect'; id: string } | { kind: 'sync'; id: string | null } | null;

interface ConnectionsState {
  list: ConnectionSummary[];
  /** Per connection: the last comparison with the ledger's own figures (QuickBooks' aging report, Xero's contact balances). */
  crossChecks: Record<string, CrossCheckInfo>;
  /** Per connection: the last finished sync run. */
  lastRuns: Record<string, SyncRun>;
  busy: Busy;
  error: string | null;
  /** The sign-in page being waited on (browser mode opens it in a new tab; shown as a link too). */
  signInUrl: string | null;
  setSignInUrl(url: string | null): void;
  /** A short line about the last "Sync now" (e.g. "Synced 1,204 records"). */
  syncNote: string | null;
  load(): Promise<void>;
  /** Signs in to QuickBooks; with `connectionId`, as a reconnect of that company (another company is refused). */
  connectQbo(keys?: { clientId?: string; clientSecret?: string; connectionId?: string }): Promise<boolean>;
  disconnect(connectionId: string): Promise<void>;
  syncNow(connectionId?: string): Promise<void>;
  /** Stops the sync that is running (a first sync, a Sync now); it continues from there next time. */
  stopSync(): Promise<void>;
  clearError(): void;
}

function describeRun(r: SyncRunOutcome): string {
  if (r.status === 'ok') {
    const skipped = r.warnings > 0 ? `, ${r.warnings.toLocaleString()} record(s) skipped` : '';
    return `Synced ${r.records.toLocaleString()} change(s)${skipped}.`;
  }
  return r.error ?? 'The sync did not finish.';
}

export const useConnectionsStore = create<ConnectionsState>((set, get) => ({
  list: [],
  crossChecks: {},
  lastRuns: {},
  busy: null,
  error: null,
  signInUrl: null,
  setSignInUrl(url) {
    set({ signInUrl: url });
  },
  syncNote: null,
  async load() {
    try {
      const [list, status] = await Promise.all([call('connections.list'), call('sync.status')]);
      set({ list, crossChecks: status.crossChecks ?? {}, lastRuns: status.lastRuns ?? {} });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async connectQbo(keys = {}) {
    if (get().busy) return false;
    set({ busy: { kind: 'connect' }, error: null });
    try {
      const input: { clientId?: string; clientSecret?: string; connectionId?: string } = {};
      if (keys.connectionId) input.connectionId = keys.connectionId;
      if (keys.clientId?.trim()) input.clientId = keys.clientId.trim();
      if (keys.clientSecret) input.clientSecret = keys.clientSecret;
      await call('connections.connectQbo', input);
      set({ busy: null, signInUrl: null });
      await get().load();
      return true;
    } catch (err) {
      set({ busy: null, signInUrl: null, error: (err as Error).message });
      return false;
    }
  },
  async disconnect(connectionId) {
    if (get().busy) return;
    set({ busy: { kind: 'disconnect', id: connectionId }, error: null });
    try {
      await call('connections.disconnect', { connectionId });
      set({ busy: null });
      await get().load();
    } catch (err) {
      set({ busy: null, error: (err as Error).message });
    }
  },
  async syncNow(connectionId) {
    if (get().busy) return;
    set({ busy: { kind: 'sync', id: connectionId ?? null }, error: null, syncNote: null });
    try {
      const result = await call('sync.run', connectionId ? { connectionId } : {});
      // A stop the owner asked for is a note, not an error.
      const failed = result.runs.find((r) => r.status !== 'ok' && r.status !== 'aborted');
      set({ busy: null, syncNote: failed ? null : result.runs.map(describeRun).join(' '), error: failed ? describeRun(failed) : null });
      await get().load();
    } catch (err) {
      set({ busy: null, error: (err as Error).message });
    }
  },
  async stopSync() {
    try {
      await call('sync.stop');
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  clearError() {
    set({ error: null });
  },
}));
