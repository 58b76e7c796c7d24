// The Notifier port as OS notifications (promises due, broken promises). A click brings the
// main window forward; the notification text is built by the core and holds no secrets.
import { Notification } from 'electron';
import type { Logger, Notifier } from '../core/ports';

export function createNotifier(onClick: () => void, logger: Logger): Notifier {
  return {
    notify({ title, body }) {
      if (!Notification.isSupported()) {
        logger.info('notify: notifications not supported here');
        return;
      }
      const n = new Notification({ title, body, silent: false });
      n.on('click', onClick);
      n.show();
    },
  };
}
