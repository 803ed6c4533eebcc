/**
 * A second stream header inside an open stream (RFC 6120 4.2: a stream is
 * restarted only after STARTTLS or SASL success, and then the parser is new)
 * is parsed by @xmpp/xml as a top-level element that never ends, so every
 * later stanza vanishes into it and each awaited iq waits out its timeout.
 * It is refused at once, as bad-format, through the parser's own 'error'
 * event (which the connection answers with a stream error and a disconnect).
 */
import { StreamGuardError } from './guarded-parser.js';

interface ParserLike {
  root: unknown;
  cursor: { name?: string; parent?: unknown } | null;
  write(data: string): void;
  emit(event: string, ...args: unknown[]): boolean;
}

const STREAM_HEADER = /^(?:[^:]+:)?stream$/;

/** The top-level element being parsed (the ancestor just below the root), if any. */
function topLevelInProgress(parser: ParserLike): { name?: string } | null {
  let node = parser.cursor;
  if (!node || node === parser.root) return null;
  // A top-level element has no parent until it ends (@xmpp/xml sets it then).
  for (let steps = 0; node.parent && node.parent !== parser.root; steps++) {
    if (steps > 10_000) return null; // bounded: the parser's own limits end deeper input
    node = node.parent;
  }
  return node;
}

/** Makes `parser` (a stream parser, once attached) fail on a stream header inside its stream. */
export function refuseSecondStreamHeader(parser: ParserLike): void {
  const write = parser.write.bind(parser);
  let failed = false;
  parser.write = (data: string) => {
    if (failed) return;
    write(data);
    const top = topLevelInProgress(parser);
    if (parser.root && top?.name !== undefined && STREAM_HEADER.test(top.name)) {
      failed = true;
      parser.emit(
        'error',
        new StreamGuardError('bad-format', 'the server sent a second stream header inside the stream'),
      );
    }
  };
}
