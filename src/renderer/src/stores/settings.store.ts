// The owner's settings (theme, locale, sync interval) as the core stores them. Components read
// the effective locale through useLocale() so money and dates follow Settings or the OS.
import { create } from 'zustand';
import type { Settings } from '../../../shared/model';
import type { Input } from '../../../shared/contract';
import { call } from '../lib/api';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  saving: boolean;
  load(): Promise<void>;
  update(patch: Input<'settings.set'>): Promise<void>;
}

export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  saving: false,
  async load() {
    try {
      set({ settings: await call('settings.get'), error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async update(patch) {
    set({ saving: true });
    try {
      set({ settings: await call('settings.set', patch), error: null, saving: false });
    } catch (err) {
      set({ error: (err as Error).message, saving: false });
    }
  },
}));

/** The OS locale, as the browser reports it. */
export const systemLocale = (): string => (typeof navigator !== 'undefined' && navigator.language) || 'en-US';

/** The locale for money and dates: the one chosen in Settings, else the OS's. */
export function useLocale(): string {
  return useSettingsStore((s) => s.settings?.locale ?? null) ?? systemLocale();
}
