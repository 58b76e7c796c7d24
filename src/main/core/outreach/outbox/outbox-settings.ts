// The outbox's settings (kept in the settings table, no migration): the channel an approval uses
// when none is given, and the opt-in write-back note per company. Read by queueing and by the
// send pass; changed by outbox.configure (audited).
import type { ParsedInput } from '../../../../shared/contract';
import { SettleError } from '../../../../shared/errors';
import type { OutboxChannel, OutboxSettingsView } from '../../../../shared/outbox';
import { appendAudit } from '../../audit';
import { getConnectionRecord } from '../../connectors';
import type { Db } from '../../db/open';
import type { Clock } from '../../ports';
import { getSetting, setSetting } from '../../settings';
import type { SmtpPort } from '../senders';

export const DEFAULT_CHANNEL_KEY = 'outbox.defaultChannel';
export const WRITE_BACK_KEY = 'outbox.writeBack';

/** Email is set up enough to send; a port that throws counts as not set up. */
export function smtpConfigured(smtp: SmtpPort | undefined): boolean {
  try {
    return smtp?.configured() ?? false;
  } catch {
    return false;
  }
}

/** The channel an approval uses when none is given: the owner's choice, else email when set up, else manual. */
export function defaultChannel(db: Db, smtp: SmtpPort | undefined): OutboxChannel {
  const chosen = getSetting<OutboxChannel>(db, DEFAULT_CHANNEL_KEY);
  if (chosen === 'smtp' || chosen === 'ledger' || chosen === 'manual') return chosen;
  return smtpConfigured(smtp) ? 'smtp' : 'manual';
}

/** Which companies get a note on the ledger invoice after a send. */
export function writeBackMap(db: Db): Record<string, boolean> {
  const v = getSetting<Record<string, boolean>>(db, WRITE_BACK_KEY);
  return v && typeof v === 'object' ? v : {};
}

export function outboxSettingsView(db: Db, smtp: SmtpPort | undefined): OutboxSettingsView {
  const chosen = getSetting<unknown>(db, DEFAULT_CHANNEL_KEY);
  return {
    defaultChannel: defaultChannel(db, smtp),
    defaultChannelChosen: chosen === 'smtp' || chosen === 'ledger' || chosen === 'manual',
    smtpConfigured: smtpConfigured(smtp),
    writeBack: writeBackMap(db),
  };
}

/** outbox.configure: the default channel and/or one company's write-back, audited. */
export function configureOutbox(
  db: Db,
  clock: Clock,
  smtp: SmtpPort | undefined,
  hasLedger: (connectionId: string) => boolean,
  input: ParsedInput<'outbox.configure'>,
): OutboxSettingsView {
  if (input.writeBack) {
    const conn = getConnectionRecord(db, input.writeBack.connectionId);
    if (!conn) throw new SettleError('not_found', `No company "${input.writeBack.connectionId}"`);
    if (!hasLedger(conn.id)) {
      throw new SettleError('invalid_input', `${conn.name} has no QuickBooks or Xero ledger to write notes to`);
    }
  }
  const at = clock.now().toISOString();
  db.transaction(() => {
    if (input.defaultChannel !== undefined) setSetting(db, DEFAULT_CHANNEL_KEY, input.defaultChannel ?? undefined, at);
    if (input.writeBack) setSetting(db, WRITE_BACK_KEY, { ...writeBackMap(db), [input.writeBack.connectionId]: input.writeBack.enabled }, at);
    appendAudit(db, clock, { actor: 'owner', action: 'outbox.settings', entity: 'settings', entityId: 'outbox', detail: input });
  })();
  return outboxSettingsView(db, smtp);
}
