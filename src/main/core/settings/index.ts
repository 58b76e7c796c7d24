// The settings feature as other folders see it: the owner's preferences (settings.repo.ts owns
// the settings table) and the settings.* handlers. Import settings through this file only.
export { getSetting, getSettings, setSetting, setSettings } from './settings.repo';
export { settingsHandlers } from './settings.handlers';
