import { Parser } from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

/** One element from XML text, parsed by the same parser the client uses. */
export function parseXml(xmlText: string): Element {
  const parser = new Parser();
  let root: Element | undefined;
  parser.on('start', (el: Element) => {
    root = el;
  });
  parser.on('element', (el: Element) => root!.append(el));
  parser.write(`<wrap>${xmlText}</wrap>`);
  return root!.getChildElements()[0]!;
}
