/**
 * The application menu: Electron glue only. What it holds is decided in
 * core/desktop/app-menu-template.ts; a command goes to the window as a
 * `{ type: 'command' }` event, the profile folder is opened here.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand, MessengerEvent } from '../preload/contract.js';
import type { MessengerService } from './core/app/messenger-service.js';
import { appMenuTemplate, type MenuItemDescription } from './core/desktop/app-menu-template.js';

export interface AppMenuOptions {
  service: MessengerService;
  allowDevTools: boolean;
  /** Brings the window forward before it is asked to act (macOS keeps the menu with no window in front). */
  showWindow?: () => void;
  log?: (message: string) => void;
}

export function installAppMenu(options: AppMenuOptions): void {
  const { service, log } = options;
  const run = (command: NonNullable<MenuItemDescription['command']>): void => {
    if (command === 'open-profile-folder') {
      service.desktop.openProfileFolder().catch((error: unknown) => log?.(`open profile folder: ${String(error)}`));
      return;
    }
    options.showWindow?.();
    const event: MessengerEvent = { type: 'command', command: command satisfies AppCommand };
    service.emit('event', event);
  };
  const toElectron = (item: MenuItemDescription): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const { command } = item;
    return {
      label: item.label,
      role: item.role,
      accelerator: item.accelerator,
      registerAccelerator: item.registerAccelerator,
      submenu: item.submenu?.map(toElectron),
      click: command ? () => run(command) : undefined,
    };
  };
  const template = appMenuTemplate({ platform: process.platform, allowDevTools: options.allowDevTools });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map(toElectron)));
}
