// The tray icon: two states (something due or not), a tooltip with the counts and the menu built
// by tray-menu.ts (pure). The counts come from the core through `load`, refreshed when the core
// says the ledger or follow-up changed; commands go back to index.ts through `onCommand`.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import { buildTrayMenu, trayIconFile, trayIconState, trayTooltip, type TrayCommand, type TrayMenuItem, type TrayState } from './tray-menu';

export interface SettleTrayOptions {
  iconDir: string;
  /** The counts and pause as the core has them now. */
  load: () => Promise<Omit<TrayState, 'syncing'>>;
  onCommand: (command: TrayCommand) => void;
  /** A click on the icon itself (Windows/Linux): open the window. */
  onClick: () => void;
  logger: Logger;
}

export class SettleTray {
  private readonly tray: Tray;
  private state: TrayState = { promisesToday: 0, approvalsWaiting: 0, paused: null, syncing: false };
  private refreshing: Promise<void> | null = null;

  constructor(private readonly opts: SettleTrayOptions) {
    this.tray = new Tray(this.image());
    this.tray.on('click', () => opts.onClick());
    this.render();
  }

  setSyncing(syncing: boolean): void {
    if (this.state.syncing === syncing) return;
    this.state = { ...this.state, syncing };
    this.render();
  }

  /** Re-reads the counts (coalesced: one read at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.opts
      .load()
      .then((s) => {
        this.state = { ...s, syncing: this.state.syncing };
        this.render();
      })
      .catch((err: unknown) => this.opts.logger.warn('tray: refresh failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private image(): Electron.NativeImage {
    const img = nativeImage.createFromPath(join(this.opts.iconDir, trayIconFile(trayIconState(this.state), process.platform)));
    if (process.platform === 'darwin') img.setTemplateImage(true);
    return img;
  }

  private render(): void {
    if (this.tray.isDestroyed()) return;
    this.tray.setImage(this.image());
    this.tray.setToolTip(trayTooltip(this.state));
    this.tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(this.state).map((i) => this.toElectron(i))));
  }

  private toElectron(item: TrayMenuItem): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { label: item.label, submenu: item.items.map((i) => this.toElectron(i)) };
    return { id: item.id, label: item.label, enabled: item.enabled, click: () => this.opts.onCommand(item.id) };
  }
}
