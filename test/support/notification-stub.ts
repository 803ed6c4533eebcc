/**
 * The page's Notification, for tests of Balcony's notifications (components and e2e): a recording class in
 * place of the browser's, and a window whose focus the test decides. Added with `page.addInitScript({ content })`
 * before the app loads. A string, not a function: the test's compiler would wrap a class in a helper the page
 * does not have.
 *
 * In the page: `tst_shown` (every notification made, newest last), `tst_asked` (permission requests),
 * `tst_focusCalls` (window.focus() calls), `tst_focused` (what document.hasFocus() answers; a test may set it).
 */

/** A notification as the page recorded it. */
export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
  onclick: (() => void) | null;
}

/** The browser's NotificationPermission (this file is compiled without the DOM's types). */
export type Permission = 'default' | 'granted' | 'denied';

export interface NotificationStubOptions {
  /** Notification.permission before any request: 'granted' (the default), or 'default' to be asked. */
  permission?: Permission;
  /** What a permission request answers (and then the permission): 'granted' unless said. */
  answer?: Permission;
  /** Whether the window has the focus at first (a person at the window); false: they are elsewhere. */
  focused: boolean;
}

export function notificationStub({
  permission = 'granted',
  answer = 'granted',
  focused,
}: NotificationStubOptions): string {
  return `(() => {
    const answer = ${JSON.stringify(answer)};
    window.tst_shown = [];
    window.tst_asked = 0;
    window.tst_focusCalls = 0;
    window.tst_focused = ${JSON.stringify(focused)};
    class RecordingNotification {
      static permission = ${JSON.stringify(permission)};
      static requestPermission() {
        window.tst_asked += 1;
        RecordingNotification.permission = answer;
        return Promise.resolve(answer);
      }
      constructor(title, options = {}) {
        this.title = title;
        this.body = options.body ?? '';
        this.tag = options.tag ?? '';
        this.closed = false;
        this.onclick = null;
        window.tst_shown.push(this);
      }
      close() {
        this.closed = true;
      }
    }
    Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true, writable: true });
    document.hasFocus = () => window.tst_focused;
    window.focus = () => {
      window.tst_focusCalls += 1;
    };
  })();`;
}
