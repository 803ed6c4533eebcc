import type { Client } from '@xmpp/client-core';
import type { Element } from '@xmpp/xml';

/**
 * The socket under a stream: a net or TLS socket, or xmpp.js's wrapper that
 * holds one as `socket` (its TLS connection after STARTTLS).
 */
export type StreamSocketLike = NodeJS.EventEmitter & {
  secure?: boolean;
  remoteAddress?: string;
  destroy?: () => void;
  end(): void;
  socket?: { remoteAddress?: string; destroy?: () => void };
};

/** A transport class of @xmpp/connection-tcp (constructed by the entity for each connection). */
export type TransportClass = new (...args: never[]) => object;

/**
 * The one typed view of xmpp.js's internals (@xmpp/* 0.14): the parts of a
 * Client (a Connection) that the guards here use but that
 * @types/xmpp__connection leaves out (they are underscored, yet they are what
 * xmpp.js's own starttls and sasl modules call). The casts to it are in
 * create-client.ts; the rest of the core uses these types.
 */
export type XmppEntity = Client & {
  socket: StreamSocketLike | null;
  isSecure(): boolean;
  sendReceive(element: Element, timeout?: number): Promise<Element>;
  restart(): Promise<void>;
  _attachSocket(socket: unknown): void;
  /** Sets `jid` from the bind result's text (@xmpp/resource-binding passes it as given, even null). */
  _jid(id: unknown): unknown;
  /** Attaches the parser of a new stream (every stream header: the first, after STARTTLS, after SASL). */
  _attachParser(parser: unknown): void;
  /** Follows a see-other-host stream error on this same entity. */
  _onSeeOtherHost(error: unknown): Promise<void>;
  sendMany(elements: Element[]): Promise<void>;
  status: string;
  options: { service: string; domain: string; lang?: string };
  connect(service: string): Promise<void>;
  open(options: { domain: string; lang?: string }): Promise<unknown>;
};

/** The stream-features registry, typed for the handlers in this folder. */
export interface StreamFeatures {
  use(
    name: string,
    xmlns: string,
    handler: (ctx: { entity: XmppEntity }, next: () => Promise<unknown>, feature: Element) => unknown, // a promise or a plain value
  ): void;
}
