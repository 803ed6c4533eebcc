/**
 * Records the SASL mechanism and channel binding of a sign-in from what
 * went over the wire: the mechanism of our `<auth/>` and the GS2 header of
 * its initial response (`p=tls-exporter,,` names the binding; `n,,` and
 * `y,,` mean none), once the server answered `<success/>`. It fills the
 * report only where the SASL code itself recorded nothing.
 */
import type { Element } from '@xmpp/xml';
import type { ConnectionRecorder } from './connection-recorder.js';
import type { XmppEntity } from './xmpp-entity.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const MAX_MECHANISM = 64;

export function observeSasl(entity: XmppEntity, recorder: ConnectionRecorder): void {
  let sent: { mechanism: string; channelBinding: string | null } | null = null;
  entity.on('send', (element: Element) => {
    if (!element.is('auth', NS_SASL)) return;
    sent = {
      mechanism: String(element.attrs.mechanism ?? '').slice(0, MAX_MECHANISM),
      channelBinding: channelBindingOf(element.text()),
    };
  });
  entity.on('nonza', (element: Element) => {
    if (!element.is('success', NS_SASL) || !sent || recorder.hasSasl()) return;
    recorder.sasl(sent.mechanism, sent.channelBinding);
  });
}

/** The channel binding named in a GS2 header (RFC 5801), or null. */
export function channelBindingOf(initialResponse: string): string | null {
  let text: string;
  try {
    text = Buffer.from(initialResponse.trim(), 'base64').toString('utf8');
  } catch {
    return null;
  }
  const match = /^p=([A-Za-z0-9.-]{1,64}),/.exec(text);
  return match?.[1] ?? null;
}
