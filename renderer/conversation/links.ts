/**
 * Finds the addresses in a message body that may become links: http, https
 * and xmpp only (no javascript:, file:, data: or anything else), each
 * checked by the URL parser. Everything else stays text. The body is never
 * parsed as HTML: the parts are drawn with Lit text bindings.
 */
export type BodyPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

const CANDIDATE = /\b(?:https?:\/\/|xmpp:)[^\s<>"]+/giu;
/** Trailing punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?'’”*_~]+$/u;
const ALLOWED = new Set(['http:', 'https:', 'xmpp:']);

/** The address a candidate stands for, or null when it is not one we open. */
export function linkTarget(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!ALLOWED.has(url.protocol)) return null;
  if (url.protocol !== 'xmpp:' && url.hostname === '') return null;
  if (url.protocol === 'xmpp:' && url.pathname.length === 0) return null;
  return url.href;
}

/** Cuts a closing bracket the address did not open: "(see https://x.example/a)" keeps the ")" as text. */
function trimUnbalanced(text: string): string {
  let result = text;
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (result.endsWith(close) && result.split(open).length < result.split(close).length)
      result = result.slice(0, -1);
  }
  return result;
}

export function bodyParts(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(CANDIDATE)) {
    const start = match.index;
    const text = trimUnbalanced(match[0].replace(TRAILING, ''));
    const url = linkTarget(text);
    if (!url) continue;
    if (start > last) parts.push({ kind: 'text', text: body.slice(last, start) });
    parts.push({ kind: 'link', text, url });
    last = start + text.length;
  }
  if (last < body.length) parts.push({ kind: 'text', text: body.slice(last) });
  return parts;
}
