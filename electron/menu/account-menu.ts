import type { MenuItemConstructorOptions } from 'electron';
import type { MenuPort } from '../ports/electron-ports';
import type { Core } from '../core/index';
import {
  buildAccountMenuModel,
  type AccountMenuCommand,
  type AccountMenuLabels,
  type AccountMenuModel,
} from './account-menu-model';

export interface MenuTemplateOptions {
  platform: NodeJS.Platform;
  appName: string;
  onCommand: (command: AccountMenuCommand) => void;
}

/** The Account menu's items: a direct conversion of the model, nothing decided here. */
export function accountSubmenu(model: AccountMenuModel, onCommand: (c: AccountMenuCommand) => void): MenuItemConstructorOptions[] {
  return model.items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator', id: item.id };
    const base: MenuItemConstructorOptions = {
      id: item.id,
      label: item.label,
      enabled: item.enabled,
      click: () => onCommand(item.command),
    };
    if (item.kind === 'profile') {
      return { ...base, type: 'radio', checked: item.checked, ...(item.sublabel ? { sublabel: item.sublabel } : {}) };
    }
    return { ...base, ...(item.accelerator ? { accelerator: item.accelerator } : {}) };
  });
}

/**
 * The application menu. macOS: the app menu first (About, Hide, Quit: platform
 * conventions via roles), then Edit, Account, Window. Elsewhere: File (Quit), Edit,
 * Account, Window. Edit is there for the text fields' Cut/Copy/Paste shortcuts;
 * there is no View menu, so no Reload or DevTools shortcut in a packaged build.
 */
export function applicationMenuTemplate(model: AccountMenuModel, o: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const account: MenuItemConstructorOptions = { id: 'account', label: model.label, submenu: accountSubmenu(model, o.onCommand) };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  if (o.platform === 'darwin') return [{ role: 'appMenu', label: o.appName }, edit, account, window];
  return [{ role: 'fileMenu' }, edit, account, window];
}

export interface AccountMenuControllerOptions<M> {
  Menu: MenuPort<M>;
  core: Pick<Core, 'profilesOf' | 'activeProfileOf' | 'onProfilesChanged'>;
  platform: NodeJS.Platform;
  appName: string;
  maxProfiles: number;
  /** The menu's words (accountMenuLabelsFor(app.getLocale())); English when absent. */
  labels?: Partial<AccountMenuLabels>;
  /** The focused app window's webContents id, or null when none is focused. */
  focusedSenderId: () => number | null;
  /** Runs a chosen command for the window it was chosen in. */
  onCommand: (senderId: number, command: AccountMenuCommand) => void;
}

/**
 * Keeps the application menu in step with the focused window: rebuilt when that
 * window's sessions change (core.onProfilesChanged) and when focus moves.
 */
export class AccountMenuController<M> {
  private stop: (() => void) | null = null;

  constructor(private readonly o: AccountMenuControllerOptions<M>) {}

  start(): void {
    this.stop = this.o.core.onProfilesChanged((senderId) => {
      if (senderId === this.o.focusedSenderId()) this.rebuild();
    });
    this.rebuild();
  }

  rebuild(): void {
    const senderId = this.o.focusedSenderId();
    const model = buildAccountMenuModel(
      senderId === null ? [] : this.o.core.profilesOf(senderId),
      senderId === null ? null : this.o.core.activeProfileOf(senderId),
      { maxProfiles: this.o.maxProfiles, ...(this.o.labels ? { labels: this.o.labels } : {}) },
    );
    const template = applicationMenuTemplate(model, {
      platform: this.o.platform,
      appName: this.o.appName,
      // The window is looked up when the item is chosen, not when the menu was built.
      onCommand: (command) => {
        const target = this.o.focusedSenderId() ?? senderId;
        if (target !== null) this.o.onCommand(target, command);
      },
    });
    this.o.Menu.setApplicationMenu(this.o.Menu.buildFromTemplate(template));
  }

  dispose(): void {
    this.stop?.();
    this.stop = null;
  }
}
