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
    const { elements, errors } = feed([
      HEADER.slice(0, 10),
      HEADER.slice(10),
      '<message><body><![CDATA[a<b]]></body></mes',
      'sage><iq type="result" id="1"/>',
    ]);
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
    const many = feed([
      HEADER,
      ...Array.from({ length: 50 }, () => `<message><body>${'y'.repeat(500)}</body></message>`),
    ]);
    assert.deepEqual(many.errors, []);
    assert.equal(many.elements.length, 50);
  });
});

/** Feeds the text in pieces of `size` characters. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const STANZA =
  "<message from='romeo@example.net' to='juliet@localhost/r' id='m1'><body a='1' b=\"&apos;\">Hi &amp; &#x263A; &#128512;<![CDATA[ <b>]] ]]]></body><x xmlns='urn:x'/></message>";

describe('issue 11 #4: characters outside XML 1.0 Char', () => {
  for (const [what, text] of [
    ['ESC in text', '<message><body>\x1b[31mred</body></message>'],
    ['BEL in text', '<message><body>ring\x07</body></message>'],
    ['BS in an attribute', "<presence from='x@y'><status n='a\bb'/></presence>"],
    ['NUL in a name', "<iq type='result'><query><item jid='romeo@example.net' name='Ro\0meo'/></query></iq>"],
    ['U+FFFE', '<message><body>\uFFFE</body></message>'],
    ['a lone surrogate', '<message><body>\uD800x</body></message>'],
    ['ESC in a CDATA section', '<message><body><![CDATA[\x1b]]></body></message>'],
  ] as const) {
    it(`issue 11 #4: raw ${what} is refused with bad-format, nothing delivered`, () => {
      const { elements, errors } = feed([HEADER, text]);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.code, 'bad-format');
      assert.equal(elements.length, 0);
    });
  }

  for (const ref of ['&#x1b;', '&#27;', '&#x7;', '&#0;', '&#x8;', '&#xFFFE;', '&#xFFFF;', '&#xD800;', '&#x110000;']) {
    it(`issue 11 #4: the character reference ${ref} is refused with bad-format, in text and in attributes`, () => {
      const inText = feed([HEADER, `<message><body>a${ref}b</body></message>`]);
      assert.equal(inText.errors[0]?.code, 'bad-format');
      assert.equal(inText.elements.length, 0);
      const inAttr = feed([HEADER, `<iq type='result'><query><item jid='x@y' name='a${ref}b'/></query></iq>`]);
      assert.equal(inAttr.errors[0]?.code, 'bad-format');
      assert.equal(inAttr.elements.length, 0);
    });
  }

  it('issue 11 #4: tab, line feed, carriage return and astral characters pass, raw and as references', () => {
    const { elements, errors } = feed([
      HEADER,
      "<message><body t='&#9;&#xA;'>a\tb\nc\rd &#x1F600; \u{1F600} é</body></message>",
    ]);
    assert.deepEqual(errors, []);
    assert.equal(elements[0]!.getChildText('body'), 'a\tb\nc\rd \u{1F600} \u{1F600} é');
    assert.equal(elements[0]!.getChild('body')!.attrs.t, '\t\n');
  });
});

describe('issue 11 #6: markup split anywhere between chunks', () => {
  it('issue 11 #6: the XML declaration split in two, or one character at a time, parses', () => {
    const stream = HEADER + STANZA;
    for (const at of [1, 2, 3, 5, 6, 10, 19, 20, 21]) {
      const { elements, errors } = feed([stream.slice(0, at), stream.slice(at)]);
      assert.deepEqual(errors, [], `split at ${at}`);
      assert.equal(elements.length, 1, `split at ${at}`);
    }
    const bytewise = feed(pieces(stream, 1));
    assert.deepEqual(bytewise.errors, []);
    assert.equal(bytewise.elements.length, 1);
  });

  it('issue 11 #6: a stanza with CDATA, references and attributes gives the same tree at every split point', () => {
    const whole = feed([HEADER, STANZA]);
    assert.deepEqual(whole.errors, []);
    const expected = whole.elements[0]!.toString();
    assert.equal(whole.elements[0]!.getChildText('body'), 'Hi & \u263A \u{1F600} <b>]] ]');
    for (let at = 1; at < STANZA.length; at++) {
      const split = feed([HEADER, STANZA.slice(0, at), STANZA.slice(at)]);
      assert.deepEqual(split.errors, [], `split at ${at}: ${STANZA.slice(0, at)}|`);
      assert.equal(split.elements[0]!.toString(), expected, `split at ${at}`);
    }
    const bytewise = feed([HEADER, ...pieces(STANZA, 1)]);
    assert.equal(bytewise.elements[0]!.toString(), expected);
  });

  it('issue 11 #6: a CDATA section split right after "<!" parses (CDATA is allowed)', () => {
    const { elements, errors } = feed([HEADER, '<message><body><!', '[CDATA[x<y]', ']', '></body></message>']);
    assert.deepEqual(errors, []);
    assert.equal(elements[0]!.getChildText('body'), 'x<y');
  });

  it('issue 11 #6: a comment or DOCTYPE split right after "<!" is still refused', () => {
    assert.equal(feed([HEADER, '<message><!', '-- x --></message>']).errors[0]?.code, 'bad-format');
    assert.equal(feed(['<!', 'DOCTYPE stream>']).errors[0]?.code, 'bad-format');
    assert.equal(feed([HEADER, '<message><![CDAT', 'X[x]]></message>']).errors[0]?.code, 'bad-format');
  });

  it('issue 11 #6: an HTTP answer instead of a stream is bad-format at the first chunk', () => {
    const { elements, errors } = feed([
      'HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n',
      '<html><body>Bad</body></html>',
    ]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'bad-format');
    assert.match(errors[0]!.message, /HTTP\/1\.1 400/);
    assert.doesNotMatch(errors[0]!.message, /[\r\n]/, 'the message quotes the answer on one line');
    assert.equal(elements.length, 0);
  });

  it('issue 11 #6: after a refusal nothing more is emitted, and a parser without listeners never throws', () => {
    const Parser = guardedParserClass({ maxStanzaSize: 1000 });
    const parser = new Parser();
    let errors = 0;
    parser.on('error', () => {
      errors += 1;
    });
    parser.write('HTTP/1.1 400 Bad Request\r\n\r\n<html></head></html>');
    parser.write('</x></y>');
    assert.equal(errors, 1);
    const orphan = new Parser(); // the connection has let go of it: no 'error' listener
    assert.doesNotThrow(() => orphan.write('HTTP/1.1 400 Bad Request\r\n\r\n</head>'));
  });

  it('issue 11 #6: other processing instructions and a second declaration are refused', () => {
    assert.equal(feed(["<?xml-stylesheet href='x'?>", HEADER]).errors[0]?.code, 'bad-format');
    assert.equal(feed([HEADER, "<?xml version='1.0'?>"]).errors[0]?.code, 'bad-format');
    assert.equal(feed(["<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream>"]).errors[0]?.code, 'bad-format');
  });

  it('refuses what ltx let through: mismatched tags, bare "&", duplicate attributes, text between stanzas', () => {
    for (const bad of [
      '<a></b>',
      '<a>x & y</a>',
      "<a b='1' b='2'/>",
      "<a b='1'c='2'/>",
      "<a b='<'/>",
      'junk<a/>',
      '<a b=1/>',
      '< a/>',
    ]) {
      assert.equal(feed([HEADER, bad]).errors[0]?.code, 'bad-format', bad);
    }
    const ok = feed([HEADER, ' \n\t', '<a/>', '  ', '<b/>', '</stream:stream>', 'ignored after the end']);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.elements.length, 2);
  });
});

describe('issue 11 #7: limits that limit', () => {
  it('issue 11 #7: a 40 MiB stanza fails with stanza-too-large as soon as 32 MiB are passed, in time linear in its size', () => {
    const limit = 32 * 1024 * 1024;
    const Parser = guardedParserClass({ maxStanzaSize: limit });
    const parser = new Parser();
    const errors: StreamGuardError[] = [];
    parser.on('error', (e: StreamGuardError) => errors.push(e));
    parser.write(HEADER);
    parser.write('<message><body>');
    const chunk = 'x'.repeat(64 * 1024);
    const started = performance.now();
    let written = 0;
    while (errors.length === 0 && written < 40 * 1024 * 1024) {
      parser.write(chunk);
      written += chunk.length;
    }
    const ms = performance.now() - started;
    assert.equal(errors[0]?.code, 'stanza-too-large');
    assert.ok(written > limit - chunk.length && written <= limit + chunk.length, `failed after ${written} characters`);
    // ltx re-copied the pending text on every chunk: ~30 s here. Linear: well under a second.
    assert.ok(ms < 3_000, `took ${Math.round(ms)} ms`);
  });

  it('issue 11 #7: the size limit trips inside one huge chunk, not after it', () => {
    const { errors } = feed([HEADER, `<message><body>${'x'.repeat(5_000)}`], 1_000);
    assert.equal(errors[0]?.code, 'stanza-too-large');
    const inName = feed([HEADER, `<${'n'.repeat(5_000)}`], 1_000);
    assert.equal(inName.errors[0]?.code, 'stanza-too-large');
    const inAttr = feed([HEADER, `<a b='${'v'.repeat(5_000)}`], 1_000);
    assert.equal(inAttr.errors[0]?.code, 'stanza-too-large');
  });

  it('issue 11 #7: 10 million nested elements fail with stanza-too-large at depth 257, at once', () => {
    const Parser = guardedParserClass({ maxStanzaSize: 32 * 1024 * 1024 });
    const parser = new Parser();
    const errors: StreamGuardError[] = [];
    parser.on('error', (e: StreamGuardError) => errors.push(e));
    parser.write(HEADER);
    const chunk = '<a>'.repeat(20_000);
    let written = 0;
    for (let i = 0; i < 500 && errors.length === 0; i++) {
      parser.write(chunk);
      written += 20_000;
    }
    assert.equal(errors[0]?.code, 'stanza-too-large');
    assert.match(errors[0].message, /deeper than 256/);
    assert.equal(written, 20_000, 'refused within the first chunk');
    // 256 levels are fine.
    const ok = feed([HEADER, '<a>'.repeat(256) + '</a>'.repeat(256)], 10_000);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.elements.length, 1);
  });

  it('issue 11 #7: more elements and attributes than maxNodes in one stanza fail with stanza-too-large', () => {
    const elements = feed([HEADER, `<iq>${'<a/>'.repeat(1_001)}</iq>`], 1_000_000);
    assert.deepEqual(elements.errors, []);
    const tooMany = guardedParserClass({ maxStanzaSize: 1_000_000, maxNodes: 1_000 });
    const attributes = Array.from({ length: 100 }, (_, i) => ` a${i}=''`).join('');
    for (const stanza of [`<iq>${'<a/>'.repeat(1_000)}</iq>`, `<iq>${`<a${attributes}/>`.repeat(10)}</iq>`]) {
      const parser = new tooMany();
      const errors: StreamGuardError[] = [];
      parser.on('error', (e: StreamGuardError) => errors.push(e));
      parser.write(HEADER);
      parser.write(stanza);
      assert.equal(errors[0]?.code, 'stanza-too-large', stanza.slice(0, 30));
    }
    // The budget is per stanza: many stanzas of 900 nodes each pass.
    const perStanza = new tooMany();
    const errors: StreamGuardError[] = [];
    perStanza.on('error', (e: StreamGuardError) => errors.push(e));
    perStanza.write(HEADER);
    for (let i = 0; i < 20; i++) perStanza.write(`<iq>${'<a/>'.repeat(899)}</iq>`);
    assert.deepEqual(errors, []);
  });
});

describe('guarded stream parser: references and attributes', () => {
  it('issue 11 #7: more than 256 attributes on one element fail with stanza-too-large at once', () => {
    const attributes = (n: number): string => Array.from({ length: n }, (_, i) => ` a${i}=''`).join('');
    assert.deepEqual(feed([HEADER, `<a${attributes(256)}/>`], 100_000).errors, []);
    assert.equal(feed([HEADER, `<a${attributes(257)}/>`], 100_000).errors[0]?.code, 'stanza-too-large');
  });

  it('a reference cut by a chunk edge at any point resolves; an unfinished one is bad-format', () => {
    const stanza = "<m a='x&#x263A;y'>p&amp;q&#128512;r&lt;</m>";
    for (let at = 1; at < stanza.length; at++) {
      const { elements, errors } = feed([HEADER, stanza.slice(0, at), stanza.slice(at)]);
      assert.deepEqual(errors, [], `split at ${at}`);
      assert.equal(elements[0]!.text(), 'p&q\u{1F600}r<', `split at ${at}`);
      assert.equal(elements[0]!.attrs.a, 'x\u263Ay', `split at ${at}`);
    }
    assert.equal(feed([HEADER, '<m>x &amp', '</m>']).errors[0]?.code, 'bad-format');
    assert.equal(feed([HEADER, "<m a='&amp'/>"]).errors[0]?.code, 'bad-format');
    assert.equal(feed([HEADER, `<m>&${'a'.repeat(40)}`, ';</m>']).errors[0]?.code, 'bad-format');
  });
});
