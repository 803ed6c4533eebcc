/**
 * An incremental scanner for the XML of one incoming XMPP stream. It takes
 * ltx's place under @xmpp/xml's Parser because ltx cannot be guarded from the
 * outside: it re-copies a pending text on every chunk (a 32 MiB text takes
 * half a minute of CPU before any size check can trip), accepts DOCTYPEs,
 * comments and processing instructions, and decides markup split between
 * chunks by guessing. Here one pass over each character decides everything
 * exactly, whatever the chunking: well-formedness, RFC 6120's restrictions
 * (11.1: no DTD, comment or processing instruction; 11.6: UTF-8 only), XML
 * 1.0's Char production, and the limits that keep memory bounded (characters,
 * depth and nodes per stanza). Each chunk costs time linear in its length,
 * and pending text is kept in pieces, never re-copied.
 *
 * Failures are thrown as StreamGuardError; the caller turns the throw into
 * the parser's 'error' event and writes nothing more.
 */
import { StreamGuardError } from './stream-guard-error.js';

export interface ScannerLimits {
  /** Characters from the end of one top-level element to the end of the next. */
  maxStanzaSize: number;
  /** Nesting below the stream header; the stanza element is depth 1. */
  maxDepth: number;
  /** Elements plus attributes in one stanza. */
  maxNodes: number;
  /** Attributes on one element. */
  maxAttributes: number;
}

/** How far the top-level element being received has come (see StreamScanner.pendingStanza). */
export interface PendingStanza {
  /** Characters of it read so far; 0 between stanzas. */
  chars: number;
  /** Its depth-3 `<item>` elements started so far: the items of an iq's roster query (RFC 6121 2.1.4). */
  items: number;
}

export interface ScanEvents {
  startElement(name: string, attrs: Record<string, string>): void;
  endElement(name: string): void;
  /** Character data inside a stanza, references resolved; never empty. */
  text(text: string): void;
}

// Where the scanner is between two characters.
const TEXT = 0;
const TAG_OPEN = 1; // after '<'
const START_NAME = 2;
const IN_TAG = 3; // between attributes
const ATTR_NAME = 4;
const AFTER_ATTR_NAME = 5; // expects '='
const BEFORE_ATTR_VALUE = 6; // expects a quote
const ATTR_VALUE = 7;
const SELF_CLOSE = 8; // after '/' in a start tag, expects '>'
const END_NAME = 9;
const AFTER_END_NAME = 10; // expects '>'
const MARKUP = 11; // after '<!', only '[CDATA[' may follow
const CDATA = 12;
const PI_TARGET = 13; // after '<?', only the XML declaration may follow
const DECLARATION = 14;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const RIGHT_BRACKET = 0x5d;

const CDATA_OPENING = '[CDATA[';
const DECLARATION_TARGET = 'xml';
const MAX_DECLARATION = 256;

// Anything outside XML 1.0's Char production (2.2): C0 controls but tab, LF
// and CR; U+FFFE and U+FFFF; a surrogate that is not half of a pair (with the
// u flag a valid pair is one code point, so \p{Cs} only matches lone halves;
// that slower test only runs on chunks that hold surrogates at all).
// eslint-disable-next-line no-control-regex -- refusing these control characters is the point
const FORBIDDEN_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /\p{Cs}/u;
const ONLY_WHITESPACE = /^[ \t\r\n]*$/;
// XML 1.0 Name (2.3).
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
// Most names are ASCII: this one decides them without the u flag's cost.
const ASCII_NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*$/;
// eslint-disable-next-line no-misleading-character-class -- XML 1.0 lists U+200C and U+200D as name characters on their own
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*$`, 'u');
// A reference (4.1), at a '&'; a '&' that starts none is not well-formed.
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z_:][-A-Za-z0-9._:]{0,31}));/y;
/** The longest reference REFERENCE matches: '&', a name of 32, ';'. */
const MAX_REFERENCE = 34;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// The declaration's pseudo-attributes (2.8), after '<?xml' and before '?>'.
const DECLARATION_BODY =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*$/;

export class StreamScanner {
  readonly #limits: ScannerLimits;
  readonly #events: ScanEvents;
  #state = TEXT;
  /** Names of the open elements, the stream header first. */
  readonly #open: string[] = [];
  /** A name or the declaration being read (short). */
  #buf = '';
  /** Text, an attribute value or a CDATA section being read, in pieces (references resolved). */
  #parts: string[] = [];
  /** The start of a reference cut off by the end of a chunk ('&am'), resolved with the next. */
  #pendingReference = '';
  #attrCount = 0;
  #tagName = '';
  #attrs: Record<string, string> = {};
  #attrName = '';
  #quote = '';
  #sawSpace = false;
  /** Characters of '[CDATA[' or 'xml' matched so far. */
  #matched = 0;
  /** In CDATA: how many ']' were just read (0 to 2). */
  #brackets = 0;
  #declared = false;
  #ended = false;
  /** Where the current stanza (or the header) began, relative to the chunk being read. */
  #stanzaStart = 0;
  /** Characters of the current stanza read before this chunk. */
  #used = 0;
  /** Elements and attributes of the current stanza. */
  #nodes = 0;
  /** Depth-3 `<item>` elements of the current stanza (progress of a large roster result). */
  #items = 0;

  constructor(limits: ScannerLimits, events: ScanEvents) {
    this.#limits = limits;
    this.#events = events;
  }

  /** Read through a call: #step sets #ended (at </stream:stream>), which narrowing does not see. */
  #streamEnded(): boolean {
    return this.#ended;
  }

  /** Reads one chunk of whole characters (surrogate pairs unsplit). Throws StreamGuardError. */
  write(chunk: string): void {
    if (this.#ended) return;
    if (FORBIDDEN_CHAR.test(chunk) || (SURROGATE.test(chunk) && LONE_SURROGATE.test(chunk))) {
      throw badFormat(
        'a character XML does not allow (a control character such as ESC or NUL, U+FFFE, U+FFFF, or half a surrogate pair)',
      );
    }
    this.#stanzaStart = -this.#used;
    const limit = this.#limits.maxStanzaSize;
    let pos = 0;
    while (pos < chunk.length && !this.#streamEnded()) {
      if (pos - this.#stanzaStart >= limit) throw this.#tooLarge();
      pos = this.#step(chunk, pos);
    }
    this.#used = chunk.length - this.#stanzaStart;
  }

  /**
   * The stanza still arriving, as of the end of the last write: two counters
   * the scan keeps anyway, read between chunks (a progress bar), never per
   * element.
   */
  pendingStanza(): PendingStanza {
    return this.#open.length >= 2 ? { chars: this.#used, items: this.#items } : { chars: 0, items: 0 };
  }

  /** Reads from pos in the current state; returns where to go on. */
  #step(chunk: string, pos: number): number {
    switch (this.#state) {
      case TEXT:
        return this.#readText(chunk, pos);
      case TAG_OPEN:
        return this.#readTagOpen(chunk, pos);
      case START_NAME:
      case ATTR_NAME:
      case END_NAME:
        return this.#readName(chunk, pos);
      case IN_TAG:
        return this.#readInTag(chunk, pos);
      case AFTER_ATTR_NAME:
        return this.#expect(chunk, pos, EQUALS, BEFORE_ATTR_VALUE, 'an attribute without "="');
      case BEFORE_ATTR_VALUE:
        return this.#readQuote(chunk, pos);
      case ATTR_VALUE:
        return this.#readAttrValue(chunk, pos);
      case SELF_CLOSE:
        return this.#readSelfClose(chunk, pos);
      case AFTER_END_NAME:
        return this.#readEndTagClose(chunk, pos);
      case MARKUP:
        return this.#readMarkup(chunk, pos);
      case CDATA:
        return this.#readCdata(chunk, pos);
      case PI_TARGET:
        return this.#readPiTarget(chunk, pos);
      case DECLARATION:
        return this.#readDeclaration(chunk, pos);
      default:
        throw new Error(`stream scanner: unknown state ${this.#state}`);
    }
  }

  #readText(chunk: string, pos: number): number {
    const lt = chunk.indexOf('<', pos);
    const end = lt === -1 ? chunk.length : lt;
    this.#checkSize(end);
    if (end > pos) {
      const piece = chunk.slice(pos, end);
      if (this.#open.length >= 2) {
        this.#pushText(piece);
      } else if (!ONLY_WHITESPACE.test(piece)) {
        // RFC 6120 4.1: a stream holds elements (and white space) only.
        throw badFormat(
          this.#open.length === 0
            ? `the server did not open an XML stream; it sent ${preview(piece)}`
            : `text outside any stanza: ${preview(piece)}`,
        );
      }
    }
    if (lt === -1) return chunk.length;
    this.#flushText();
    this.#state = TAG_OPEN;
    return lt + 1;
  }

  #readTagOpen(chunk: string, pos: number): number {
    const c = chunk.charCodeAt(pos);
    this.#matched = 0;
    if (c === SLASH) {
      this.#state = END_NAME;
      return pos + 1;
    }
    if (c === BANG) {
      this.#state = MARKUP;
      return pos + 1;
    }
    if (c === QUESTION) {
      this.#state = PI_TARGET;
      return pos + 1;
    }
    this.#state = START_NAME;
    return pos;
  }

  #readName(chunk: string, pos: number): number {
    let end = pos;
    while (end < chunk.length && !endsName(chunk.charCodeAt(end))) end++;
    this.#checkSize(end);
    this.#buf = this.#buf === '' ? chunk.slice(pos, end) : this.#buf + chunk.slice(pos, end);
    if (end === chunk.length) return end;
    const name = this.#buf;
    this.#buf = '';
    // An end tag's name needs no test: it must equal a start tag's, which had one.
    if (this.#state !== END_NAME && !ASCII_NAME.test(name) && !XML_NAME.test(name)) {
      throw badFormat(`${preview(name)} is not an XML name`);
    }
    if (this.#state === START_NAME) {
      this.#openingElement(name);
    } else if (this.#state === ATTR_NAME) {
      if (Object.hasOwn(this.#attrs, name)) throw badFormat(`the attribute ${preview(name)} appears twice`);
      if (++this.#attrCount > this.#limits.maxAttributes) {
        throw new StreamGuardError(
          'stanza-too-large',
          `the server sent an element with more than ${this.#limits.maxAttributes} attributes`,
        );
      }
      this.#attrName = name;
      this.#state = AFTER_ATTR_NAME;
      // The usual a='v' in one step rather than two.
      const quote = chunk.charCodeAt(end + 1);
      if (chunk.charCodeAt(end) === EQUALS && (quote === APOSTROPHE || quote === QUOTE)) {
        this.#quote = quote === QUOTE ? '"' : "'";
        this.#state = ATTR_VALUE;
        return end + 2;
      }
    } else {
      this.#tagName = name;
      this.#state = AFTER_END_NAME;
    }
    return end;
  }

  /** The name of a start tag is read: depth and node limits apply before any attribute. */
  #openingElement(name: string): void {
    // The stream header is depth 0, the stanza depth 1.
    if (this.#open.length > this.#limits.maxDepth) {
      throw new StreamGuardError(
        'stanza-too-large',
        `the server sent a stanza nested deeper than ${this.#limits.maxDepth} elements`,
      );
    }
    this.#countNode();
    // Header, stanza, query: an element opened with three open is a query's child.
    if (this.#open.length === 3 && name === 'item') this.#items++;
    this.#tagName = name;
    // A plain object, as ltx made (the tree copies it; a prototype-less one is
    // slow to copy). An attribute named __proto__ is then dropped, harmlessly.
    this.#attrs = {};
    this.#attrCount = 0;
    this.#sawSpace = false;
    this.#state = IN_TAG;
  }

  #readInTag(chunk: string, pos: number): number {
    const c = chunk.charCodeAt(pos);
    if (isSpace(c)) {
      this.#sawSpace = true;
      while (++pos < chunk.length && isSpace(chunk.charCodeAt(pos)));
      return pos;
    }
    if (c === GT) {
      this.#startTag(pos, false);
      return pos + 1;
    }
    if (c === SLASH) {
      this.#state = SELF_CLOSE;
      return pos + 1;
    }
    if (!this.#sawSpace) throw badFormat(`attributes of <${this.#tagName}> not separated by white space`);
    this.#state = ATTR_NAME;
    return pos;
  }

  #expect(chunk: string, pos: number, wanted: number, next: number, what: string): number {
    const c = chunk.charCodeAt(pos);
    if (isSpace(c)) return pos + 1;
    if (c !== wanted) throw badFormat(`${what} in <${this.#tagName}>`);
    this.#state = next;
    return pos + 1;
  }

  #readQuote(chunk: string, pos: number): number {
    const c = chunk.charCodeAt(pos);
    if (isSpace(c)) return pos + 1;
    if (c !== QUOTE && c !== APOSTROPHE) throw badFormat(`an attribute value without quotes in <${this.#tagName}>`);
    this.#quote = c === QUOTE ? '"' : "'";
    this.#state = ATTR_VALUE;
    return pos + 1;
  }

  #readAttrValue(chunk: string, pos: number): number {
    const close = chunk.indexOf(this.#quote, pos);
    const end = close === -1 ? chunk.length : close;
    this.#checkSize(end);
    if (end > pos) {
      const piece = chunk.slice(pos, end);
      if (piece.includes('<')) throw badFormat(`"<" in an attribute value of <${this.#tagName}>`);
      this.#pushText(piece);
    }
    if (close === -1) return end;
    this.#attrs[this.#attrName] = this.#takeText();
    this.#countNode();
    this.#sawSpace = false;
    this.#state = IN_TAG;
    return close + 1;
  }

  #readSelfClose(chunk: string, pos: number): number {
    if (chunk.charCodeAt(pos) !== GT) throw badFormat(`"/" not followed by ">" in <${this.#tagName}>`);
    this.#startTag(pos, true);
    return pos + 1;
  }

  #readEndTagClose(chunk: string, pos: number): number {
    const c = chunk.charCodeAt(pos);
    if (isSpace(c)) return pos + 1;
    if (c !== GT) throw badFormat(`an end tag </${this.#tagName}> with more than a name`);
    this.#state = TEXT;
    this.#endTag(this.#tagName, pos);
    return pos + 1;
  }

  /** The start tag ends at gtAt. */
  #startTag(gtAt: number, selfClosing: boolean): void {
    const name = this.#tagName;
    this.#state = TEXT;
    this.#events.startElement(name, this.#attrs);
    this.#open.push(name);
    if (this.#open.length === 1) this.#newBudget(gtAt); // the header is read; the first stanza starts
    if (selfClosing) this.#endTag(name, gtAt);
  }

  /** The end tag (or self-closing start tag) ends at gtAt. */
  #endTag(name: string, gtAt: number): void {
    const open = this.#open[this.#open.length - 1];
    if (open === undefined) throw badFormat(`</${name}> before the stream header`);
    if (open !== name) throw badFormat(`</${name}> where </${open}> was expected`);
    this.#open.pop();
    this.#events.endElement(name);
    if (this.#open.length === 1) this.#newBudget(gtAt); // a stanza ended; the next one starts
    if (this.#open.length === 0) this.#ended = true; // </stream:stream>: nothing more is read
  }

  #readMarkup(chunk: string, pos: number): number {
    while (pos < chunk.length && this.#matched < CDATA_OPENING.length) {
      if (chunk[pos] !== CDATA_OPENING[this.#matched]) {
        throw badFormat('a DOCTYPE, comment or other markup declaration, which XMPP forbids (RFC 6120 11.1)');
      }
      this.#matched++;
      pos++;
    }
    if (this.#matched === CDATA_OPENING.length) {
      if (this.#open.length < 2) throw badFormat('a CDATA section outside any stanza');
      this.#brackets = 0;
      this.#state = CDATA;
    }
    return pos;
  }

  // The section ends at ']]>', which may be split anywhere between chunks:
  // every character goes into #parts, the ']' included, and #brackets counts
  // the ']' just read, so a '>' after two of them ends it wherever it falls.
  #readCdata(chunk: string, pos: number): number {
    if (this.#brackets >= 2 && chunk.charCodeAt(pos) === GT) return this.#endCdata(pos);
    if (this.#brackets >= 1 && chunk.startsWith(']>', pos)) {
      this.#parts.push(']');
      return this.#endCdata(pos + 1);
    }
    const close = chunk.indexOf(']]>', pos);
    const end = close === -1 ? chunk.length : close + 2;
    this.#checkSize(end);
    this.#parts.push(chunk.slice(pos, end));
    if (close !== -1) return this.#endCdata(close + 2);
    let trailing = 0;
    while (trailing < 2 && end - 1 - trailing >= pos && chunk.charCodeAt(end - 1 - trailing) === RIGHT_BRACKET)
      trailing++;
    this.#brackets = trailing === end - pos ? Math.min(2, this.#brackets + trailing) : trailing;
    return end;
  }

  /** The '>' of ']]>' is at gtAt; #parts ends with the ']]'. */
  #endCdata(gtAt: number): number {
    const text = this.#takeParts().slice(0, -2);
    if (text !== '') this.#events.text(text);
    this.#brackets = 0;
    this.#state = TEXT;
    return gtAt + 1;
  }

  #readPiTarget(chunk: string, pos: number): number {
    while (pos < chunk.length && this.#matched < DECLARATION_TARGET.length) {
      if (chunk[pos] !== DECLARATION_TARGET[this.#matched]) throw forbiddenInstruction();
      this.#matched++;
      pos++;
    }
    if (pos === chunk.length) return pos;
    // '<?xml-stylesheet' or '<?xmlfoo' is a processing instruction, not the declaration.
    if (!isSpace(chunk.charCodeAt(pos))) throw forbiddenInstruction();
    if (this.#declared || this.#open.length > 0) throw badFormat('an XML declaration after the start of the stream');
    this.#declared = true;
    this.#buf = '';
    this.#state = DECLARATION;
    return pos;
  }

  #readDeclaration(chunk: string, pos: number): number {
    while (pos < chunk.length) {
      const c = chunk.charCodeAt(pos++);
      if (c === GT && this.#buf.endsWith('?')) {
        const body = this.#buf.slice(0, -1);
        this.#buf = '';
        this.#state = TEXT;
        checkDeclaration(body);
        return pos;
      }
      this.#buf += String.fromCharCode(c);
      if (this.#buf.length > MAX_DECLARATION) throw badFormat('an XML declaration that does not end');
    }
    return pos;
  }

  #flushText(): void {
    if (this.#parts.length === 0 && this.#pendingReference === '') return;
    const text = this.#takeText();
    if (text !== '') this.#events.text(text);
  }

  // References are resolved chunk by chunk, as the text arrives: resolving a
  // whole 30 MB text of references at its end would hold millions of pieces.
  #pushText(piece: string): void {
    if (this.#pendingReference !== '') {
      piece = this.#pendingReference + piece;
      this.#pendingReference = '';
    }
    const amp = piece.lastIndexOf('&');
    if (amp !== -1 && piece.length - amp < MAX_REFERENCE && !piece.includes(';', amp)) {
      this.#pendingReference = piece.slice(amp);
      piece = piece.slice(0, amp);
    }
    if (piece !== '') this.#parts.push(resolveReferences(piece));
  }

  /** The text or attribute value read so far; a reference left unfinished is not well-formed. */
  #takeText(): string {
    if (this.#pendingReference !== '') {
      this.#parts.push(resolveReferences(this.#pendingReference)); // throws
      this.#pendingReference = '';
    }
    return this.#takeParts();
  }

  #takeParts(): string {
    const parts = this.#parts;
    this.#parts = [];
    const [first] = parts;
    return parts.length === 1 && first !== undefined ? first : parts.join('');
  }

  #newBudget(gtAt: number): void {
    this.#stanzaStart = gtAt + 1;
    this.#nodes = 0;
    this.#items = 0;
  }

  /** Characters up to (not including) end are read. */
  #checkSize(end: number): void {
    if (end - this.#stanzaStart > this.#limits.maxStanzaSize) throw this.#tooLarge();
  }

  #tooLarge(): StreamGuardError {
    return new StreamGuardError(
      'stanza-too-large',
      `the server sent a stanza larger than ${this.#limits.maxStanzaSize} characters`,
    );
  }

  #countNode(): void {
    if (++this.#nodes > this.#limits.maxNodes) {
      throw new StreamGuardError(
        'stanza-too-large',
        `the server sent a stanza of more than ${this.#limits.maxNodes} elements and attributes`,
      );
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function endsName(c: number): boolean {
  return isSpace(c) || c === GT || c === SLASH || c === EQUALS || c === LT;
}

/** XML 1.0 Char (2.2), for character references. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function resolveReferences(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let resolved = '';
  let segments: string[] = [];
  let from = 0;
  while (amp !== -1) {
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(text);
    if (!match) throw badFormat(`a "&" that starts no reference: ${preview(text.slice(amp, amp + 12))}`);
    segments.push(text.slice(from, amp), referenced(match));
    from = REFERENCE.lastIndex;
    // Joined now and then, so that a text of millions of references never holds millions of pieces.
    if (segments.length >= 4096) {
      resolved += segments.join('');
      segments = [];
    }
    amp = text.indexOf('&', from);
  }
  segments.push(text.slice(from));
  return resolved + segments.join('');
}

function referenced([whole, hex, decimal, name]: RegExpExecArray): string {
  if (name !== undefined) {
    const value = PREDEFINED[name];
    if (value === undefined) throw badFormat(`the undefined entity &${name}; (XMPP knows only the five of XML 1.0)`);
    return value;
  }
  const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal ?? '', 10); // no name: REFERENCE matched hex or decimal
  if (!isXmlChar(cp)) throw badFormat(`the character reference ${whole} names a character XML does not allow`);
  return String.fromCodePoint(cp);
}

function checkDeclaration(body: string): void {
  const match = DECLARATION_BODY.exec(body);
  if (!match) throw badFormat(`a malformed XML declaration: ${preview(`<?xml${body}?>`)}`);
  const encoding = match[3];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
    throw badFormat(`the stream declares the encoding ${preview(encoding)}; XMPP is UTF-8 only (RFC 6120 11.6)`);
  }
}

function badFormat(what: string): StreamGuardError {
  return new StreamGuardError('bad-format', `the server sent malformed XML: ${what}`);
}

function forbiddenInstruction(): StreamGuardError {
  return badFormat('a processing instruction, which XMPP forbids (RFC 6120 11.1)');
}

/** A short quotation of what the server sent, control characters escaped. */
function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
