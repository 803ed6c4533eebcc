/**
 * What a scripted server must answer since conversations (issue 10): after
 * sign-in the message service enables carbons and asks our account's
 * disco#info (is there an archive?); a real server answers both, and
 * `sync` waits for the archive's catch-up. Refused here, as by a server
 * with neither: no carbons, no archive, and the catch-up ends at once.
 */
import type { ScriptedSession } from './scripted-server.js';

const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';

export async function refuseMessageSetup(session: ScriptedSession, account = 'juliet@localhost'): Promise<void> {
  session.replyError(await session.expectIq('set', NS_CARBONS), 'service-unavailable');
  const disco = await session.expect(
    (el) => el.name === 'iq' && el.attrs.to === account && el.getChild('query', NS_DISCO_INFO) !== undefined,
  );
  session.replyError(disco, 'service-unavailable');
}
