// The network sensor of browser mode: no Electron `net` there, so the page reports the browser's
// online/offline events (sync.online) and the scheduler hears about them as it would from the
// shell. In the app the shell's sensor is used and reports from the page are ignored.
import type { OnlineSource } from './scheduler';

export class ReportedNetwork implements OnlineSource {
  private online = true;
  private readonly listeners = new Set<(online: boolean) => void>();

  isOnline(): boolean {
    return this.online;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * An online/offline event from the page. The page cannot reach the core while it is offline,
   * so its "offline" may never have arrived: every "online" counts as coming back.
   */
  report(online: boolean): void {
    if (online && this.online) this.set(false);
    this.set(online);
  }

  private set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const l of this.listeners) l(online);
  }
}
