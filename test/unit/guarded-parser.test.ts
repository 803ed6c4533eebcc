import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { guardedParserClass, StreamGuardError } from '../../main/core/xmpp/guarded-parser.js';

const HEADER = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' version='1.0'>`;

function feed(chunks: string[], maxStanzaSize = 1000): { elements: Element[]; errors: StreamGuardError[] } {
  const Parser = guardedParserClass({ maxStanzaSize });
  const parser = new Parser();
  const elements: Element[] = [];
  const errors: StreamGuardError[] = [];
  parser.on('element', (el: Element) => elements.push(el));
  parser.on('error', (e: StreamGuardError) => errors.push(e));
  for (const c of chunks) parser.write(c);
  return { elements, errors };
}

describe('guarded stream parser', () => {
  it('parses a normal stream, CDATA included, across chunk edges', () => {
    const { elements, errors } = feed([HEADER.slice(0, 10), HEADER.slice(10), '<message><body><![CDATA[a<b]]></body></mes', 'sage><iq type="result" id="1"/>']);
    assert.deepEqual(errors, []);
    assert.equal(elements.length, 2);
    assert.equal(elements[0]!.getChildText('body'), 'a<b');
  });

  it('turns an undefined entity into a bad-format error instead of throwing', () => {
    const { errors } = feed([HEADER, '<message><body>&nbsp;</body></message>']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'bad-format');
  });

  it('refuses a DOCTYPE, also when split between chunks, and stops parsing', () => {
    const { elements, errors } = feed([`<?xml version='1.0'?><!DOC`, `TYPE x [<!ENTITY a "b">]>`, HEADER, '<iq/>']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'bad-format');
    assert.equal(elements.length, 0);
    const split = feed([HEADER + '<message><', '!-- comment --></message>']);
    assert.equal(split.errors[0]!.code, 'bad-format');
  });

  it('refuses processing instructions after the stream header', () => {
    assert.equal(feed([HEADER, '<?evil?>']).errors[0]!.code, 'bad-format');
  });

  it('ends an oversized stanza, but lets many small ones through', () => {
    const big = feed([HEADER, `<message><body>${'x'.repeat(600)}`, `${'x'.repeat(600)}</body></message>`]);
    assert.equal(big.errors[0]!.code, 'stanza-too-large');
    const many = feed([HEADER, ...Array.from({ length: 50 }, () => `<message><body>${'y'.repeat(500)}</body></message>`)]);
    assert.deepEqual(many.errors, []);
    assert.equal(many.elements.length, 50);
  });
});
