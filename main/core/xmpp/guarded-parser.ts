/**
 * The stream parser with the guards @xmpp/xml lacks. Its own tokenizer (ltx)
 * throws out of a socket 'data' handler on an undefined entity (an uncaught
 * exception), swallows the rest of the stream after a DOCTYPE (a hang), and
 * re-copies a pending text on every chunk (a large stanza takes minutes and
 * gigabytes before anything can stop it). So @xmpp/xml's Parser keeps
 * building the element tree and emitting its events, but reads through
 * StreamScanner, which checks every character once and ends the connection
 * with a coded error, through the parser's own 'error' event, which the
 * connection answers with a bad-format stream error and a disconnect.
 */
import { Parser } from '@xmpp/xml';
import { StreamScanner, type PendingStanza, type ScannerLimits } from './stream-scanner.js';
import { StreamGuardError } from './stream-guard-error.js';

export { StreamGuardError, type PendingStanza };

/**
 * Why 256: XMPP payloads are shallow (a roster push is 4 deep, XHTML-IM or
 * an Atom entry in pubsub about 10), and code that walks a tree recursively
 * (ltx's toString and getChild* helpers, our own mapping) uses several stack
 * frames per level: 256 levels stay far from Node's stack limit, while
 * millions of nested elements would overflow it, or fill memory first.
 */
const DEFAULT_MAX_DEPTH = 256;
/**
 * An element costs about 150 bytes of heap, an attribute about 125 (measured
 * with ltx's Element): half a million of them is ~75 MB at worst, while a
 * roster of 100,000 contacts (a jid, name and subscription each, one group)
 * still fits in one result, twice the 50,000 the benchmark targets.
 */
const DEFAULT_MAX_NODES = 500_000;
/** No XMPP element has more than a dozen attributes (the stream header has 7). */
const DEFAULT_MAX_ATTRIBUTES = 256;

export interface ParserLimits {
  /** Largest top-level element accepted, in characters. */
  maxStanzaSize: number;
  /** Deepest nesting inside a stanza (the stanza element is 1). Default 256. */
  maxDepth?: number;
  /** Most elements plus attributes in one stanza. Default 500,000. */
  maxNodes?: number;
  /** Most attributes on one element. Default 256. */
  maxAttributes?: number;
}

/** The parser instances the class below makes; `abort` is for failures found outside it. */
export interface GuardedParser extends Parser {
  /** Ends the stream with this error (emitted once, as 'error'); later input is ignored. */
  abort(error: StreamGuardError): void;
  /** The stanza still arriving (characters, roster items so far), for a progress display. */
  pendingStanza(): PendingStanza;
}

/** A Parser class (constructed by the connection with no arguments) bound to limits. */
export function guardedParserClass(limits: ParserLimits): typeof Parser {
  const scannerLimits: ScannerLimits = {
    maxStanzaSize: limits.maxStanzaSize,
    maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxNodes: limits.maxNodes ?? DEFAULT_MAX_NODES,
    maxAttributes: limits.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
  };
  return class extends Parser implements GuardedParser {
    #failed = false;
    readonly #scanner: StreamScanner;

    constructor() {
      super();
      const scanner = new StreamScanner(scannerLimits, {
        startElement: (name, attrs) => this.onStartElement(name, attrs),
        endElement: (name) => this.onEndElement(name),
        text: (text) => this.onText(text),
      });
      // @xmpp/xml's write() hands each chunk to this.parser: the scanner takes ltx's place.
      (this as unknown as { parser: StreamScanner }).parser = scanner;
      this.#scanner = scanner;
    }

    pendingStanza(): PendingStanza {
      return this.#scanner.pendingStanza();
    }

    override write(data: string): void {
      if (this.#failed) return;
      try {
        super.write(data);
      } catch (error) {
        // The scanner throws StreamGuardError; anything else came out of a
        // listener of the events, and must not escape a socket callback either.
        this.abort(
          error instanceof StreamGuardError
            ? error
            : new StreamGuardError('bad-format', `the server's data could not be handled: ${(error as Error).message}`),
        );
      }
    }

    abort(error: StreamGuardError): void {
      if (this.#failed) return;
      this.#failed = true;
      // A parser the connection already let go of (a restarted stream) has no
      // listener, and an 'error' event without one would throw.
      if (this.listenerCount('error') > 0) this.emit('error', error);
    }
  };
}
