/** The window's own name, as index.html gives it. */
const APP_TITLE = 'Balcony';

let titleShows = -1;

/**
 * Shows the unread total where the desktop shows a window: "(3) Balcony" in
 * the title (the taskbar, the window switcher), and the dock or taskbar
 * badge where the platform has one (the Badging API; Electron maps it to
 * the macOS dock and Unity launchers).
 */
export function showUnreadTotal(count: number): void {
  const total = Math.max(0, count);
  if (total === titleShows) return;
  titleShows = total;
  document.title = total > 0 ? `(${total}) ${APP_TITLE}` : APP_TITLE;
  // Not every runtime has the Badging API; where there is no badge (an uninstalled page) its promise refuses.
  if (!('setAppBadge' in navigator)) return;
  const done = total > 0 ? navigator.setAppBadge(total) : navigator.clearAppBadge();
  done.catch(() => undefined);
}
