/**
 * Instrumentation from outside main/: wraps @xmpp/xml's Parser.prototype.write,
 * which every connection's parser reaches (the guarded parser of
 * main/core/xmpp/guarded-parser.ts checks the chunk and then calls
 * super.write). It gives, in this process:
 * - the time each decoded chunk reached the parser ("received": after TLS
 *   decryption and UTF-8 decoding, before XML parsing);
 * - the time each top-level stanza was complete (a listener prepended to the
 *   parser's 'element' event, so it runs before the connection dispatches it);
 * - the time spent inside write() (XML parsing plus the synchronous dispatch);
 * - optionally the chunks themselves, to replay the same bytes later.
 * When inactive, the wrapper costs one branch per chunk.
 */
import type { EventEmitter } from 'node:events';
import { Parser, type Element } from '@xmpp/xml';

export interface StanzaEvent {
  element: Element;
  /** performance.now() when the chunk that completed the stanza reached the parser. */
  chunkReceivedAt: number;
  /** performance.now() when the stanza was complete, before it was dispatched. */
  completeAt: number;
  /** Time spent in write() since reset(), up to this stanza's completion. */
  writeMsSinceReset: number;
}

class XmlProbe {
  active = false;
  capturing = false;
  chunks: string[] = [];
  /** First chunk received since reset(). */
  firstChunkAt: number | null = null;
  writeMs = 0;
  writes = 0;
  currentChunkAt = 0;
  onStanza: ((event: StanzaEvent) => void) | null = null;
  #installed = false;

  reset(): void {
    this.chunks = [];
    this.firstChunkAt = null;
    this.writeMs = 0;
    this.writes = 0;
  }

  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    const proto = Parser.prototype as unknown as { write: (this: EventEmitter, data: string) => void };
    const original = proto.write;
    const watched = new WeakSet();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched write() has the parser as its own this
    const probe = this;
    proto.write = function write(this: EventEmitter, data: string): void {
      if (!probe.active) {
        original.call(this, data);
        return;
      }
      if (!watched.has(this)) {
        watched.add(this);
        this.prependListener('element', (element: Element) => {
          if (!probe.active || !probe.onStanza) return;
          const completeAt = performance.now();
          probe.onStanza({
            element,
            chunkReceivedAt: probe.currentChunkAt,
            completeAt,
            writeMsSinceReset: probe.writeMs + (completeAt - probe.currentChunkAt),
          });
        });
      }
      const t = performance.now();
      probe.currentChunkAt = t;
      probe.firstChunkAt ??= t;
      if (probe.capturing) probe.chunks.push(data);
      try {
        original.call(this, data);
      } finally {
        probe.writeMs += performance.now() - t;
        probe.writes += 1;
      }
    };
  }
}

export const xmlProbe = new XmlProbe();
