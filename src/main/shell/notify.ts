// The Notifier port as OS notifications (promises due, broken promises, approvals waiting). A
// click brings the main window forward and opens the notification's target (index.ts sends the
// page a ui.navigate event); the text is built by the core and holds no secrets.
import { Notification } from 'electron';
import type { Logger, Notifier, NotifierTarget } from '../core/ports';

export function createNotifier(onClick: (target: NotifierTarget | undefined) => void, logger: Logger): Notifier {
  return {
    notify({ title, body, target }) {
      if (!Notification.isSupported()) {
        logger.info('notify: notifications not supported here');
        return;
      }
      const n = new Notification({ title, body, silent: false });
      n.on('click', () => onClick(target));
      n.show();
    },
  };
}
