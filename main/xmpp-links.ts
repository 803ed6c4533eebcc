/**
 * Electron glue for `xmpp:` links (issue 13 #4): registers Balcony as the
 * scheme's handler and hears links from the three places they come from
 * (the first launch's argv, a second instance's argv, macOS's open-url).
 * Links that come before the service exists are kept (a few) and handed
 * over once it does. The picking and parsing live in main/core/desktop.
 */
import type { App } from 'electron';
import { resolve } from 'node:path';
import { xmppLinksInArgv } from './core/desktop/launch-args.js';

/** Links kept before the service is up; the service itself keeps a bounded list after that. */
const EARLY_LIMIT = 20;

export interface XmppLinkSource {
  /** From now on every link goes to `open`, and `show` brings the window forward; early links go at once. */
  deliverTo(open: (uri: string) => void, show: () => void): void;
}

/** Call before `app.whenReady()`: macOS sends the link that launched the app as an open-url before ready. */
export function listenForXmppLinks(app: App, argv: readonly string[]): XmppLinkSource {
  const early = xmppLinksInArgv(argv);
  let deliver: ((uri: string) => void) | null = null;
  const take = (uri: string): void => {
    if (deliver) deliver(uri);
    else if (early.length < EARLY_LIMIT) early.push(uri);
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    take(url);
  });
  app.on('second-instance', (_event, secondArgv) => {
    for (const uri of xmppLinksInArgv(secondArgv)) take(uri);
  });
  // Per Electron's deep-link guide: run from a checkout (`electron .`), the OS must start Electron with our app's path.
  const argvPath = process.argv[1];
  if (process.defaultApp) {
    if (argvPath) app.setAsDefaultProtocolClient('xmpp', process.execPath, [resolve(argvPath)]);
  } else app.setAsDefaultProtocolClient('xmpp');
  return {
    deliverTo(open, show) {
      deliver = (uri) => {
        open(uri);
        show();
      };
      for (const uri of early.splice(0)) open(uri);
    },
  };
}
