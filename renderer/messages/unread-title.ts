/** The window's own name, as index.html gives it. */
const APP_TITLE = 'Balcony';

let titleShows = -1;
let wanted = 0;
let queued = false;

/**
 * Shows the unread total where the desktop shows a window: "(3) Balcony" in
 * the title (the taskbar, the window switcher), and the dock or taskbar
 * badge where the platform has one (the Badging API; Electron maps it to
 * the macOS dock and Unity launchers).
 *
 * Written once after the task that changed it, not at once: setting the
 * title and the badge costs a few milliseconds (each goes to the browser
 * process), which a received message's paint would otherwise wait for, and
 * an archive catch-up brings thousands of 'conversation' events that need
 * one title, not one each. A timer, not an animation frame: a window in
 * the background draws no frames, yet its title and badge must change.
 */
export function showUnreadTotal(count: number): void {
  wanted = Math.max(0, count);
  if (queued) return;
  queued = true;
  setTimeout(writeUnreadTotal, 0);
}

function writeUnreadTotal(): void {
  queued = false;
  const total = wanted;
  if (total === titleShows) return;
  titleShows = total;
  document.title = total > 0 ? `(${total}) ${APP_TITLE}` : APP_TITLE;
  // Not every runtime has the Badging API; where there is no badge (an uninstalled page) its promise refuses.
  if (!('setAppBadge' in navigator)) return;
  const done = total > 0 ? navigator.setAppBadge(total) : navigator.clearAppBadge();
  done.catch(() => undefined);
}
