// Wires the core's events and the OS's connectivity into the stores: a ledger change re-reads
// the board and the open customer; sync progress feeds the progress bar.
import { useEffect } from 'react';
import { call, on } from '../lib/api';
import { useAppStore } from '../stores/app.store';
import { useBoardStore } from '../stores/board.store';
import { useConnectionsStore } from '../stores/connections.store';
import { useCustomerStore } from '../stores/customer.store';
import { useSettingsStore } from '../stores/settings.store';

export function useCoreEvents(): void {
  useEffect(() => {
    let clearTimer: ReturnType<typeof setTimeout> | undefined;
    let reloadTimer: ReturnType<typeof setTimeout> | undefined;
    const offLedger = on('ledger.changed', (change) => {
      // Coalesce bursts (a sync commits page by page) into one re-read.
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => {
        void useBoardStore.getState().load({ keepSelection: true });
        void useCustomerStore.getState().reload();
        if (change.reason === 'settings' || change.reason === 'remove' || change.reason === 'demo' || change.reason === 'connection') {
          void useSettingsStore.getState().load();
        }
        void useConnectionsStore.getState().load();
      }, 50);
    });
    const offProgress = on('sync.progress', (p) => {
      clearTimeout(clearTimer);
      useAppStore.getState().setProgress(p);
      if (p.phase === 'done' || p.phase === 'error') {
        clearTimer = setTimeout(() => useAppStore.getState().setProgress(null), 1500);
      }
    });
    // Browser mode: the core cannot open a browser, so the page opens the sign-in (and keeps the
    // link, for when a popup blocker stops it).
    const offAuth = on('auth.open', ({ url }) => {
      useConnectionsStore.getState().setSignInUrl(url);
      window.open(url, '_blank');
    });
    return () => {
      offAuth();
      offLedger();
      offProgress();
      clearTimeout(clearTimer);
      clearTimeout(reloadTimer);
    };
  }, []);
}

export function useConnectivity(): void {
  useEffect(() => {
    const update = (): void => useAppStore.getState().setOnline(navigator.onLine);
    // Coming back online starts a sync: the core hears it from here in browser mode (its only
    // sensor there). Going offline is not sent: an offline browser cannot reach the core anyway.
    const changed = (): void => {
      update();
      if (navigator.onLine) void call('sync.online', { online: true }).catch(() => undefined);
    };
    window.addEventListener('online', changed);
    window.addEventListener('offline', changed);
    update();
    return () => {
      window.removeEventListener('online', changed);
      window.removeEventListener('offline', changed);
    };
  }, []);
}
