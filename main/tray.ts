/**
 * The tray icon (issue 13 #1): its tooltip and "attention" dot from the
 * AttentionTracker, the same count on the dock or launcher badge, and a menu
 * (Show Balcony, Status, Quit). Thin glue: what it shows is decided in
 * core/desktop/attention.ts and drawn by core/desktop/tray-icon.ts.
 */
import { Menu, Tray, app, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { OwnPresence } from '../preload/contract.js';
import type { MessengerService } from './core/app/messenger-service.js';
import type { AttentionView } from './core/desktop/attention.js';
import { TRAY_ICON_SIZE, trayIconPixels } from './core/desktop/tray-icon.js';

export interface TrayHooks {
  /** Shows the window (creating it if need be) and brings it forward. */
  show(): void;
  /** A click on the icon: shows a hidden window, hides a shown one. */
  toggle(): void;
  quit(): void;
  log(message: string): void;
}

const STATUSES: { show: OwnPresence['show']; label: string }[] = [
  { show: 'available', label: 'Available' },
  { show: 'away', label: 'Away' },
  { show: 'dnd', label: 'Do not disturb' },
];

function icon(attention: boolean): NativeImage {
  return nativeImage.createFromBitmap(Buffer.from(trayIconPixels(attention)), {
    width: TRAY_ICON_SIZE,
    height: TRAY_ICON_SIZE,
    scaleFactor: 2,
  });
}

/** Our presence as the service has it, or null when no account is active (the Status items are then disabled). */
function ownPresence(service: MessengerService): OwnPresence | null {
  try {
    return service.getPresence().own;
  } catch {
    return null;
  }
}

/**
 * What the tray and badge show now, under a global symbol of the main
 * process: Electron has no API that lists tray icons, so the Electron-only
 * tests (test/electron/tray.electron.test.ts) read it here. The page cannot
 * reach it (sandboxed, context-isolated); nothing reads it back in the app.
 */
export const TRAY_DIAGNOSTIC = Symbol.for('balcony.tray');
export interface TrayDiagnostic {
  present: boolean;
  tooltip: string | null;
  badge: number;
}
function diagnostic(): TrayDiagnostic {
  const g = globalThis as Record<symbol, TrayDiagnostic | undefined>;
  return (g[TRAY_DIAGNOSTIC] ??= { present: false, tooltip: null, badge: 0 });
}

/** The count on the macOS dock and on Linux launchers that speak the Unity API; elsewhere it does nothing. */
export function showBadge(view: AttentionView): void {
  app.setBadgeCount(view.total);
  diagnostic().badge = view.total;
}

export interface BalconyTray {
  /** Draws the tracker's new view (tooltip, icon) and refreshes the menu (the account or connection may differ). */
  update(view: AttentionView): void;
  dispose(): void;
}

/** Creates the tray icon showing `view`; call only where DesktopCapabilities.hasTray. */
export function createTray(service: MessengerService, view: AttentionView, hooks: TrayHooks): BalconyTray {
  const icons = { plain: icon(false), attention: icon(true) };
  const tray = new Tray(icons.plain);

  const setStatus = (show: OwnPresence['show']): void => {
    const own = ownPresence(service);
    // The status text stays: the tray changes only the availability.
    service.setOwnPresence({ show, status: own?.status ?? null }).then(
      () => rebuildMenu(),
      (error: unknown) => hooks.log(`tray: the status could not be set (${(error as Error).message})`),
    );
  };

  const rebuildMenu = (): void => {
    const own = ownPresence(service);
    const template: MenuItemConstructorOptions[] = [
      { label: 'Show Balcony', click: () => hooks.show() },
      { type: 'separator' },
      ...STATUSES.map(({ show, label }): MenuItemConstructorOptions => ({
        label,
        type: 'radio',
        enabled: own !== null,
        checked: own?.show === show,
        click: () => setStatus(show),
      })),
      { type: 'separator' },
      { label: 'Quit Balcony', click: () => hooks.quit() },
    ];
    const menu = Menu.buildFromTemplate(template);
    // The window may have changed our status since: the radio items say what it is when the menu opens
    // (macOS and Windows; AppIndicator menus are rebuilt on the tray's own changes).
    menu.on('menu-will-show', () => {
      const now = ownPresence(service);
      for (const item of menu.items) {
        const status = STATUSES.find((s) => s.label === item.label);
        if (status && item.type === 'radio') item.checked = now?.show === status.show;
      }
    });
    tray.setContextMenu(menu);
  };

  const draw = (next: AttentionView): void => {
    tray.setToolTip(next.tooltip);
    tray.setImage(next.attentionIcon ? icons.attention : icons.plain);
    Object.assign(diagnostic(), { present: true, tooltip: next.tooltip });
  };

  draw(view);
  rebuildMenu();
  // Linux (AppIndicator) never reports clicks: there the menu's "Show Balcony" is the way back.
  tray.on('click', () => hooks.toggle());

  return {
    update(next) {
      draw(next);
      rebuildMenu();
    },
    dispose() {
      tray.destroy();
      Object.assign(diagnostic(), { present: false, tooltip: null });
    },
  };
}
