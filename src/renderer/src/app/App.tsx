// The shell: sidebar, the current page, and the app-wide overlays (customer drawer, shortcuts,
// sync progress). Routing is a value in the app store.
import { useEffect } from 'react';
import { ActivityPage } from '../features/activity/ActivityPage';
import { ApprovalsPage } from '../features/approvals/ApprovalsPage';
import { useNotificationEvents } from '../features/notifications/useNotificationEvents';
import { BoardPage } from '../features/board/BoardPage';
import { CustomerDrawer } from '../features/customer/CustomerDrawer';
import { OutboxPage } from '../features/outbox/OutboxPage';
import { useOutboxStore } from '../features/outbox/outbox.store';
import { DraftEditor } from '../features/drafts/DraftEditor';
import { PromisesPage } from '../features/promises/PromisesPage';
import { useFollowupEvents } from '../features/promises/useFollowupEvents';
import { SettingsPage } from '../features/settings/SettingsPage';
import { useAppStore } from '../stores/app.store';
import { useBoardStore } from '../stores/board.store';
import { useSettingsStore } from '../stores/settings.store';
import { useConnectivity, useCoreEvents } from './events';
import { ProgressBar } from './ProgressBar';
import { useGlobalShortcuts } from './shortcuts';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { useTheme } from './theme';

export function App(): React.JSX.Element {
  useTheme();
  useConnectivity();
  useCoreEvents();
  useFollowupEvents();
  useNotificationEvents();
  useGlobalShortcuts();
  const route = useAppStore((s) => s.route);

  useEffect(() => {
    void useSettingsStore.getState().load();
    void useBoardStore.getState().load();
    void useOutboxStore.getState().load();
  }, []);

  return (
    <div className="app">
      <ProgressBar />
      <Sidebar />
      <main className="main" aria-label={route[0]!.toUpperCase() + route.slice(1)}>
        {route === 'board' && <BoardPage />}
        {route === 'approvals' && <ApprovalsPage />}
        {route === 'outbox' && <OutboxPage />}
        {route === 'promises' && <PromisesPage />}
        {route === 'activity' && <ActivityPage />}
        {route === 'settings' && <SettingsPage />}
      </main>
      <CustomerDrawer />
      <DraftEditor />
      <ShortcutsDialog />
    </div>
  );
}
