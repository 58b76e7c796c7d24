// settings.get / settings.set: the owner's preferences (theme, locale, sync interval, the active
// company…). Choosing another company is checked against the companies Settle knows, and only a
// change of company tells the views to re-read the ledger.
import { SettleError } from '../../../shared/errors';
import { listConnections } from '../connectors';
import type { Db } from '../db/open';
import type { EventHub } from '../events';
import { defineHandlers, type HandlerGroup } from '../handlers';
import type { Clock } from '../ports';
import { getSettings, setSettings } from './settings.repo';

export function settingsHandlers({ db, clock, events }: { db: Db; clock: Clock; events: EventHub }): HandlerGroup {
  return defineHandlers('settings', {
    get: () => getSettings(db),
    set: (patch) => {
      if (patch.activeConnectionId && !listConnections(db).some((c) => c.id === patch.activeConnectionId)) {
        throw new SettleError('invalid_input', `activeConnectionId: no company ${patch.activeConnectionId}`);
      }
      const before = getSettings(db).activeConnectionId;
      const settings = setSettings(db, patch, clock.now().toISOString());
      if (settings.activeConnectionId !== before) {
        events.emit('ledger.changed', { connectionId: settings.activeConnectionId, reason: 'settings' });
      }
      return settings;
    },
  });
}
