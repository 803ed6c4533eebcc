/**
 * Our address as an `xmpp:` URI (RFC 5122), for "My address" and its QR
 * code. A URI rather than an IRI: every character outside what RFC 5122
 * allows as is (unreserved, and the node's "!$()*+,;=") is percent-encoded
 * as UTF-8, so any reader or scanner takes it whole.
 */

/** RFC 5122 nodeid: unreserved / nodeallow. */
const NODE_KEPT = /[A-Za-z0-9\-._~!$()*+,;=]/;
/** The domain (reg-name): unreserved only; a JID's domain has no sub-delims. */
const DOMAIN_KEPT = /[A-Za-z0-9\-._~]/;

function encode(part: string, kept: RegExp): string {
  let out = '';
  for (const char of part) {
    if (kept.test(char)) out += char;
    else
      for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `xmpp:local@domain` for a bare JID (a resource, if any, is left out: the link names the account). */
export function xmppUri(jid: string): string {
  const bare = jid.split('/')[0] ?? '';
  const at = bare.lastIndexOf('@');
  const local = at >= 0 ? bare.slice(0, at) : '';
  const domain = at >= 0 ? bare.slice(at + 1) : bare;
  // An IPv6 literal keeps its brackets and colons.
  const host = /^\[[0-9A-Fa-f:.]+\]$/.test(domain) ? domain : encode(domain, DOMAIN_KEPT);
  return `xmpp:${local ? `${encode(local, NODE_KEPT)}@` : ''}${host}`;
}
