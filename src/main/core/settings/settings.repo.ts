// Settings live in one key/value table as JSON, so adding a setting never needs a migration.
// The owner-facing ones (model.ts Settings) are validated on the way in and read back with
// defaults; internal keys ('demo.seed', 'demo.dismissed', …) go through getSetting/setSetting.
import { DEFAULT_REDIRECT_URI } from '../auth';
import { SettingsPatch } from '../../../shared/contract';
import type { Settings } from '../../../shared/model';
import type { Db } from '../db/open';
import { perDb } from '../db/prepared';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  locale: null,
  syncIntervalMinutes: 15,
  activeConnectionId: null,
  oauthRedirectUri: DEFAULT_REDIRECT_URI,
  qboRelayUrl: null,
  qboClientId: null,
  xeroClientId: null,
  xeroTier: 'standard',
  xeroLegacyScopes: false,
  closeToTray: true,
  launchAtLogin: false,
  notificationsPausedUntil: null,
});

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

const stmts = perDb((db) => ({
  get: db.prepare<[string], string>('SELECT value_json FROM settings WHERE key = ?').pluck(),
  set: db.prepare<[string, string, string]>(
    `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ),
  del: db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
}));

/** A stored value, or undefined when the key is absent (or its JSON is unreadable). */
export function getSetting<T>(db: Db, key: string): T | undefined {
  const json = stmts(db).get.get(key);
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    // Only Settle writes this table; a mangled value reads as "not set" rather than breaking startup.
    return undefined;
  }
}

/** Stores any JSON-serialisable value; undefined deletes the key. */
export function setSetting(db: Db, key: string, value: unknown, nowIso: string): void {
  if (!key) throw new RangeError('A setting needs a key');
  if (value === undefined) {
    stmts(db).del.run(key);
    return;
  }
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Setting "${key}" is not JSON-serialisable`);
  stmts(db).set.run(key, json, nowIso);
}

export function deleteSetting(db: Db, key: string): boolean {
  return stmts(db).del.run(key).changes > 0;
}

/** The owner-facing settings; a missing or invalid stored value falls back to its default. */
export function getSettings(db: Db): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const key of SETTING_KEYS) {
    const stored = getSetting<unknown>(db, key);
    if (stored === undefined) continue;
    const one = SettingsPatch.safeParse({ [key]: stored });
    if (one.success) Object.assign(out, one.data);
  }
  return out;
}

/** Validates the whole patch first (zod error, nothing written), then stores it in one transaction. */
export function setSettings(db: Db, patch: unknown, nowIso: string): Settings {
  const parsed = SettingsPatch.parse(patch);
  db.transaction(() => {
    for (const key of SETTING_KEYS) {
      if (parsed[key] !== undefined) setSetting(db, key, parsed[key], nowIso);
    }
  })();
  return getSettings(db);
}
