/**
 * `xmpp:` URIs (RFC 5122) and their query actions (XEP-0147): what a link
 * leads to. Electron-free; main/index.ts hands every link it sees (argv,
 * second instance, open-url) to DesktopService.openXmppLink, which calls this.
 *
 * PLACEHOLDER: refuses every link until the parser lands (issue 13 #4).
 */
import type { XmppLinkAction } from '../../../preload/contract.js';

/** Longest link looked at, in UTF-16 code units; longer ones are refused unread. */
export const XMPP_URI_MAX = 4096;

export function xmppLinkAction(uri: string): XmppLinkAction {
  return { kind: 'invalid', uri: uri.slice(0, 200), reason: 'xmpp: links are not handled yet.' };
}
