/**
 * The native right-click menu of text fields: Electron glue only. What the
 * menu holds is decided in core/app/text-field-menu.ts.
 */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { textFieldMenu } from './core/app/text-field-menu.js';

export function attachTextFieldMenu(window: BrowserWindow): void {
  window.webContents.on('context-menu', (_event, params) => {
    const entries = textFieldMenu(params);
    if (!entries) return;
    const template: MenuItemConstructorOptions[] = entries.map((entry) =>
      'role' in entry ? { role: entry.role, label: entry.label, enabled: entry.enabled } : { type: 'separator' },
    );
    Menu.buildFromTemplate(template).popup({ window, x: params.x, y: params.y });
  });
}
