/**
 * The application menu (issue 13 #3) as plain data: Balcony's own menu in
 * place of Electron's default (whose Help > "Learn More" opens
 * electronjs.org). Electron-free so that it is unit-tested; main/app-menu.ts
 * turns it into Electron's Menu. An item has a `role` (Electron does it:
 * copy, zoom, quit) or a `command` (the window does it: main sends
 * `{ type: 'command' }`, or, for the profile folder, main itself).
 */
import type { AppCommand } from '../../../preload/contract.js';

/** What a menu click asks for: a command for the window, or one main carries out itself. */
export type MenuCommand = AppCommand | 'open-profile-folder';

/** The Electron roles the menu uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'reload'
  | 'toggleDevTools'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit';

export interface MenuItemDescription {
  type?: 'separator';
  label?: string;
  role?: MenuRole;
  command?: MenuCommand;
  /** Electron's accelerator syntax ("CmdOrCtrl+,"). */
  accelerator?: string;
  /**
   * False: the key is shown but the page handles it (Ctrl+N, "?"), so that
   * it keeps the page's rules (not while a dialog is open, not in a text field).
   */
  registerAccelerator?: boolean;
  submenu?: MenuItemDescription[];
}

export interface AppMenuOptions {
  /** process.platform: 'darwin' gets the macOS app menu. */
  platform: string;
  /** Reload and the developer tools (only when not packaged, or behind an explicit flag). */
  allowDevTools?: boolean;
}

const separator: MenuItemDescription = { type: 'separator' };

export function appMenuTemplate(options: AppMenuOptions): MenuItemDescription[] {
  const mac = options.platform === 'darwin';
  const about: MenuItemDescription = { label: 'About Balcony', command: 'about' };
  const settings: MenuItemDescription = {
    label: 'Settings…',
    command: 'settings',
    accelerator: 'CmdOrCtrl+,',
  };
  const contacts: MenuItemDescription[] = [
    { label: 'Add Contact…', command: 'add-contact', accelerator: 'CmdOrCtrl+N', registerAccelerator: false },
    { label: 'Copy My Address', command: 'copy-address' },
    { label: 'Show My Address…', command: 'show-address' },
  ];
  const edit: MenuItemDescription = {
    label: 'Edit',
    submenu: [
      { role: 'undo', label: 'Undo' },
      { role: 'redo', label: 'Redo' },
      separator,
      { role: 'cut', label: 'Cut' },
      { role: 'copy', label: 'Copy' },
      { role: 'paste', label: 'Paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle', label: 'Paste and Match Style' } as const] : []),
      { role: 'selectAll', label: 'Select All' },
    ],
  };
  const view: MenuItemDescription = {
    label: 'View',
    submenu: [
      { role: 'resetZoom', label: 'Actual Size' },
      { role: 'zoomIn', label: 'Zoom In' },
      { role: 'zoomOut', label: 'Zoom Out' },
      separator,
      { role: 'togglefullscreen', label: 'Full Screen' },
      ...(options.allowDevTools
        ? [
            separator,
            { role: 'reload', label: 'Reload' } as const,
            { role: 'toggleDevTools', label: 'Developer Tools' } as const,
          ]
        : []),
    ],
  };
  const help: MenuItemDescription = {
    label: 'Help',
    submenu: [
      { label: 'Keyboard Shortcuts', command: 'keyboard-help', accelerator: '?', registerAccelerator: false },
      { label: 'Connection Report…', command: 'connection-report' },
      { label: 'Open the Profile Folder', command: 'open-profile-folder' },
      ...(mac ? [] : [separator, about]),
    ],
  };
  if (mac) {
    return [
      {
        label: 'Balcony',
        submenu: [
          about,
          separator,
          settings,
          separator,
          { role: 'services', label: 'Services' },
          separator,
          { role: 'hide', label: 'Hide Balcony' },
          { role: 'hideOthers', label: 'Hide Others' },
          { role: 'unhide', label: 'Show All' },
          separator,
          { role: 'quit', label: 'Quit Balcony' },
        ],
      },
      { label: 'File', submenu: [...contacts, separator, { role: 'close', label: 'Close Window' }] },
      edit,
      view,
      {
        label: 'Window',
        submenu: [
          { role: 'minimize', label: 'Minimize' },
          { role: 'zoom', label: 'Zoom' },
          separator,
          { role: 'front', label: 'Bring All to Front' },
        ],
      },
      help,
    ];
  }
  return [
    {
      label: 'Balcony',
      submenu: [
        ...contacts,
        separator,
        settings,
        separator,
        { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    edit,
    view,
    help,
  ];
}

/** Every item of the menu, submenus flattened in order (for tests and the glue's checks). */
export function menuItems(template: readonly MenuItemDescription[]): MenuItemDescription[] {
  return template.flatMap((item) => [item, ...menuItems(item.submenu ?? [])]);
}
