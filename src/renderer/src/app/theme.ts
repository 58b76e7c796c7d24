// Theme: follow the OS (prefers-color-scheme) unless Settings forces light or dark. The
// stylesheet uses light-dark(), so forcing a theme is just setting color-scheme on <html>.
import { useEffect } from 'react';
import { useSettingsStore } from '../stores/settings.store';

export function useTheme(): void {
  const theme = useSettingsStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
