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
import { DispatchQueue, type DispatchStats } from './stanza-dispatch.js';
import { StreamScanner, type PendingStanza, type ScannerLimits } from './stream-scanner.js';
import { StreamGuardError } from './stream-guard-error.js';

export { StreamGuardError, type DispatchStats, type PendingStanza };

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
 * with ltx's Element). A roster item of the benchmark's kind (a jid,
 * subscription and mostly a name, 0 to 3 groups) is about 5.5 nodes, so
 * 100,000 contacts, the largest size the benchmark runs (issue 14 #5), are
 * about 550,000: past the old limit of 500,000. 800,000 holds 100,000
 * contacts of up to 3 groups each (7 nodes), while a hostile flood of empty
 * elements is still cut at ~145 MB of extra heap (the hostile-stream test
 * holds the whole client under 300 MB RSS; 1,500,000 took it to 364 MB).
 */
const DEFAULT_MAX_NODES = 800_000;
/** No XMPP element has more than a dozen attributes (the stream header has 7). */
const DEFAULT_MAX_ATTRIBUTES = 256;

export interface ParserLimits {
  /** Largest top-level element accepted, in characters. */
  maxStanzaSize: number;
  /** Deepest nesting inside a stanza (the stanza element is 1). Default 256. */
  maxDepth?: number;
  /** Most elements plus attributes in one stanza. Default 800,000. */
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
  /** Called with true when reading should stop (the handlers are behind), false when it may go on. */
  setBackpressure(handler: ((pause: boolean) => void) | null): void;
  /** What the dispatch queue saw (./stanza-dispatch.ts). */
  dispatchStats(): DispatchStats;
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
    // Every event the parser emits goes through it, handled within a time budget (issue 14 #2).
    readonly #queue = new DispatchQueue((error) => {
      this.abort(
        new StreamGuardError('bad-format', `the server's data could not be handled: ${(error as Error).message}`),
      );
    });

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

    setBackpressure(handler: ((pause: boolean) => void) | null): void {
      this.#queue.backpressure = handler;
    }

    dispatchStats(): DispatchStats {
      return this.#queue.stats();
    }

    /** Queued, not emitted: the queue hands it to the listeners in order, within its budget. */
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      this.#queue.push(() => {
        // An 'error' with no listener throws: the connection may have let go of this parser meanwhile.
        if (event === 'error' && this.listenerCount('error') === 0) return;
        super.emit(event, ...args);
      });
      return true;
    }

    override write(data: string): void {
      if (this.#failed) return;
      this.#queue.beginTask();
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
      // Handled after the stanzas read before it, at once when none is waiting.
      this.#queue.beginTask();
      this.emit('error', error);
    }
  };
}
