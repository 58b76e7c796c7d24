// Keeps the notification centre current (a shown notification arrives as followup.changed) and
// follows the shell's ui.navigate (an OS notification or the tray was clicked).
import { useEffect } from 'react';
import { on } from '../../lib/api';
import { useNotificationsStore } from './notifications.store';
import { openTarget } from './targets';

export function useNotificationEvents(): void {
  useEffect(() => {
    void useNotificationsStore.getState().load();
    const offFollowup = on('followup.changed', () => void useNotificationsStore.getState().load());
    const offNavigate = on('ui.navigate', (target) => openTarget(target));
    return () => {
      offFollowup();
      offNavigate();
    };
  }, []);
}
