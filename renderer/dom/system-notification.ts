import type { MessengerApi } from '../../preload/contract.js';

/** One question at a time for the whole page: two notifiers wanting to show at once ask the user once. */
let asking: Promise<NotificationPermission> | null = null;

/** Whether the page may show notifications; asks the first time one is to be shown, not before. */
async function permitted(): Promise<boolean> {
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  asking ??= Notification.requestPermission();
  const answer = await asking;
  asking = null;
  return answer === 'granted';
}

/** The window is read where it is: shown and focused (what a notification would say is on screen). */
export function windowInView(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * Shows a system notification (the page's Notification API, which Electron
 * shows as the desktop's own), shared by the message and request notifiers.
 * A click brings the window forward, through main (showWindow: the page's
 * window.focus() cannot raise a window hidden in the tray or minimised),
 * then does `onClick` and closes the notification. Nothing when the API is
 * missing or permission is refused.
 */
export async function showSystemNotification(
  messenger: () => MessengerApi | undefined,
  title: string,
  options: { body: string; tag: string },
  onClick: () => void,
): Promise<void> {
  if (typeof Notification === 'undefined' || !(await permitted())) return;
  const notification = new Notification(title, options);
  notification.onclick = () => {
    window.focus();
    void messenger()?.showWindow();
    onClick();
    notification.close();
  };
}
