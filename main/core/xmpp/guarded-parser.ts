/**
 * The stream parser with the guards @xmpp/xml lacks. Without them an
 * undefined entity throws out of a socket 'data' handler (an uncaught
 * exception), a DOCTYPE makes the parser swallow the rest of the stream (a
 * hang), and a stanza may grow without bound. Each now ends the connection
 * with a coded error, through the parser's own 'error' event, which the
 * connection answers with a bad-format stream error and a disconnect.
 */
import { Parser } from '@xmpp/xml';

/** An error from the incoming stream; `code` is an ErrorCode. */
export class StreamGuardError extends Error {
  constructor(readonly code: 'bad-format' | 'stanza-too-large', message: string) {
    super(message);
    this.name = 'StreamGuardError';
  }
}

// RFC 6120 11.1: no DTDs, comments or processing instructions in a stream.
// CDATA sections are allowed.
const FORBIDDEN_MARKUP = /<!(?!\[CDATA\[)|<\?/;
const FORBIDDEN_LOOKBEHIND = 8; // longest prefix needed to decide: "<![CDATA"

export interface ParserLimits {
  /** Largest top-level element accepted, in characters. */
  maxStanzaSize: number;
}

/** A Parser class (constructed by the connection with no arguments) bound to limits. */
export function guardedParserClass(limits: ParserLimits): typeof Parser {
  return class GuardedParser extends Parser {
    #pendingSize = 0;
    #tail = '';
    #failed = false;

    constructor() {
      super();
      // A finished top-level element starts the next size budget.
      this.on('element', () => {
        this.#pendingSize = 0;
      });
    }

    #fail(error: StreamGuardError): void {
      this.#failed = true;
      this.emit('error', error);
    }

    override write(data: string): void {
      if (this.#failed) return;
      const window = this.#tail + data;
      const forbidden = FORBIDDEN_MARKUP.exec(window);
      // The XML declaration before the stream header is the one allowed "<?".
      if (forbidden && !(forbidden[0] === '<?' && this.root === null && window.startsWith('<?xml', forbidden.index))) {
        this.#fail(new StreamGuardError('bad-format', 'the server sent a DOCTYPE, comment or processing instruction'));
        return;
      }
      this.#tail = window.slice(-FORBIDDEN_LOOKBEHIND);
      this.#pendingSize += data.length;
      if (this.#pendingSize > limits.maxStanzaSize) {
        this.#fail(new StreamGuardError('stanza-too-large', `the server sent a stanza larger than ${limits.maxStanzaSize} characters`));
        return;
      }
      try {
        super.write(data);
      } catch (error) {
        // ltx throws on undefined entities and illegal character references.
        this.#fail(new StreamGuardError('bad-format', `the server sent malformed XML: ${(error as Error).message}`));
      }
    }
  };
}
