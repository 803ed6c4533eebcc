/**
 * `xmpp:` URIs (RFC 5122) and their query actions (XEP-0147): what a link
 * leads to. Electron-free; main/index.ts hands every link it sees (argv,
 * second instance, open-url) to DesktopService.openXmppLink, which calls this.
 *
 * A link only ever leads to something the window shows (a pre-filled
 * dialog, a draft, a confirmation): nothing here acts. Anything that cannot
 * be read exactly (a bad escape, bytes that are not UTF-8, an unknown
 * action, a key given twice, a value over its limit) is refused whole with
 * plain words rather than guessed at.
 *
 * What is kept as given: bidirectional formatting characters (U+202E and
 * the like) in a name or a message are text a person may mean, so they pass;
 * the window shows every such value isolated (<bdi>, form fields), so it
 * cannot reorder the text around it. Only the address shown for a refused
 * link has them (and control characters) replaced, since it is shown raw.
 */
import { MESSAGE_LIMITS, type XmppLinkAction } from '../../../preload/contract.js';
import { LIMITS } from '../app/ipc-arguments.js';
import { formatBare, parseJid } from '../jid.js';

/** Longest link looked at, in UTF-16 code units; longer ones are refused unread. */
export const XMPP_URI_MAX = 4096;
/** How much of a refused link is shown, in code points. */
const SHOWN_MAX = 200;
/** More `;key=value` pairs than any action defines, by far (XEP-0147 has at most five per action). */
const PAIRS_MAX = 16;

/** Characters shown as U+FFFD in a refused link: controls, and the bidi controls that could reorder what surrounds it. */
const UNSHOWABLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** An unpaired UTF-16 surrogate: not a character, so not text a link can carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** RFC 3986 `iunreserved` in its ASCII part: what a query type and a key are made of. */
const KEY = /^[A-Za-z0-9._~-]+$/;
/** Controls a message may hold: tab and line breaks. */
const BODY_CONTROL = /[\p{Cc}]/u;
const BODY_ALLOWED_CONTROL = /[\t\n\r]/g;

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** The link as a refusal shows it: cut to a readable length, nothing in it that could hide or reorder text. */
function shown(uri: string): string {
  const points = Array.from(uri.slice(0, SHOWN_MAX * 2));
  const cut = points.length > SHOWN_MAX || uri.length > SHOWN_MAX * 2;
  const text = points.slice(0, SHOWN_MAX).join('').replace(UNSHOWABLE, '\ufffd');
  return cut ? `${text}…` : text;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Percent-decodes `raw` (RFC 3986 2.1) as UTF-8 (RFC 5122 2.7); raw non-ASCII (an IRI) stands for itself. */
function decode(raw: string, what: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length;) {
    if (raw[i] === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) refuse(`the ${what} has a “%” that is not followed by two hex digits`);
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(raw.codePointAt(i) ?? 0);
      for (const byte of encoder.encode(char)) bytes.push(byte);
      i += char.length;
    }
  }
  try {
    return decoder.decode(Uint8Array.from(bytes));
  } catch {
    return refuse(`the ${what} has escaped bytes that are not UTF-8 text`);
  }
}

/** The bare JID the link's path names (RFC 5122 2.2: `[node@]host[/resource]`); the resource is checked, then dropped. */
function target(path: string): string {
  if (path === '') refuse('it has no address');
  const slash = path.indexOf('/');
  const rawBare = slash === -1 ? path : path.slice(0, slash);
  const at = rawBare.indexOf('@');
  // Each part decoded on its own, so an escaped “/” or “@” cannot move the boundaries between them.
  const local = at === -1 ? null : decode(rawBare.slice(0, at), 'address');
  const domain = decode(at === -1 ? rawBare : rawBare.slice(at + 1), 'address');
  // Also spaces: the JID code trims its input, and an escaped space must not vanish into a valid address.
  if ((local !== null && /[@/\s]/.test(local)) || /[@/\s]/.test(domain))
    refuse('the address has a character that is not allowed');
  if (local === '') refuse('the address has nothing before “@”');
  if (domain === '') refuse('the address has no server after “@”');
  try {
    const bare = formatBare(parseJid(local === null ? domain : `${local}@${domain}`));
    if (slash !== -1) parseJid(`${bare}/${decode(path.slice(slash + 1), 'address')}`);
    return bare;
  } catch (error) {
    if (error instanceof Refusal) throw error;
    return refuse('the address in it is not a valid XMPP address');
  }
}

/** `;key=value` pairs (XEP-0147 2), decoded; a key given twice is refused, since which one was meant is unknown. */
function pairs(segments: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const given = segments.filter((segment) => segment !== '');
  if (given.length > PAIRS_MAX) refuse(`it has too many parameters (${given.length}; at most ${PAIRS_MAX})`);
  for (const segment of given) {
    const equals = segment.indexOf('=');
    const key = equals === -1 ? segment : segment.slice(0, equals);
    if (equals === -1 || !KEY.test(key)) refuse('a parameter in it is not of the form key=value');
    if (found.has(key)) refuse(`it gives “${key}” more than once`);
    found.set(key, decode(segment.slice(equals + 1), `“${key}” value`));
  }
  return found;
}

/** An optional one-line value (a name, a group): empty is none; controls refused; at most `max` characters. */
function label(value: string | undefined, what: string, max: number): string | null {
  if (value === undefined || value.trim() === '') return null;
  if (/\p{Cc}/u.test(value)) refuse(`the ${what} has a control character`);
  if (value.length > max) refuse(`the ${what} is too long (at most ${max.toLocaleString('en-US')} characters)`);
  return value.trim();
}

function body(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (BODY_CONTROL.test(value.replace(BODY_ALLOWED_CONTROL, ''))) refuse('the message text has a control character');
  const max = MESSAGE_LIMITS.bodyChars;
  if (value.length > max) refuse(`the message text is too long (at most ${max.toLocaleString('en-US')} characters)`);
  return value;
}

function action(jid: string, query: string | null): XmppLinkAction {
  if (query === null) return { kind: 'message', jid, body: null };
  const [rawType = '', ...segments] = query.split(';');
  const type = rawType.toLowerCase();
  if (type !== '' && !KEY.test(type)) refuse('its action is not a plain word');
  const values = pairs(segments);
  switch (type) {
    // “xmpp:romeo@example.net?” names no action: as with no query, a conversation.
    case '':
    case 'message':
      // subject, thread, type, id and from (XEP-0147 3.3) have nothing to fill in a chat's composer.
      return { kind: 'message', jid, body: body(values.get('body')) };
    case 'roster':
    case 'subscribe':
      return {
        kind: 'add-contact',
        jid,
        name: label(values.get('name'), 'name', LIMITS.name),
        group: label(values.get('group'), 'group', LIMITS.group),
        subscribe: type === 'subscribe',
      };
    case 'remove':
      return { kind: 'remove', jid };
    case 'unsubscribe':
      return { kind: 'unsubscribe', jid };
    default:
      return refuse(`Balcony does not handle “${shown(type)}” links`);
  }
}

/**
 * What `uri` leads to. Never throws: anything that is not a link Balcony
 * can follow exactly is `{ kind: 'invalid', uri, reason }`, `reason` in
 * plain words for the window to show.
 */
export function xmppLinkAction(uri: string): XmppLinkAction {
  if (typeof uri !== 'string') return { kind: 'invalid', uri: '', reason: 'The link is not text.' };
  try {
    if (uri.length > XMPP_URI_MAX)
      refuse(
        `it is too long (${uri.length.toLocaleString('en-US')} characters; at most ${XMPP_URI_MAX.toLocaleString('en-US')})`,
      );
    const link = uri.trim();
    if (!/^xmpp:/i.test(link)) refuse('it is not an xmpp: link');
    if (LONE_SURROGATE.test(link)) refuse('it has a character that is not text');
    if (/\p{Cc}/u.test(link)) refuse('it has a control character');
    let rest = link.slice('xmpp:'.length);
    const hash = rest.indexOf('#');
    if (hash !== -1) rest = rest.slice(0, hash); // the fragment names nothing an action uses
    const question = rest.indexOf('?');
    const query = question === -1 ? null : rest.slice(question + 1);
    let path = question === -1 ? rest : rest.slice(0, question);
    if (path.startsWith('//')) {
      // xmpp://guest@example.com/romeo@example.net: the authority names the account to use (RFC 5122 2.3); the path is the target.
      const slash = path.indexOf('/', 2);
      if (slash === -1) refuse('it names an account to use but no address to open');
      path = path.slice(slash + 1);
    }
    return action(target(path), query);
  } catch (error) {
    const reason = error instanceof Refusal ? error.message : 'it could not be read';
    return { kind: 'invalid', uri: shown(uri), reason: `This link cannot be opened: ${reason}.` };
  }
}
