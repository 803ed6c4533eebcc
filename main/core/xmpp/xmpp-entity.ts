import type { Client } from '@xmpp/client-core';
import type { Element } from '@xmpp/xml';

/**
 * The parts of an xmpp.js Client (a Connection) that the guards here use but
 * that @types/xmpp__connection leaves out (they are underscored, yet they are
 * what xmpp.js's own starttls and sasl modules call).
 */
export type XmppEntity = Client & {
  socket: (NodeJS.EventEmitter & { secure?: boolean; destroy?: () => void; end(): void }) | null;
  isSecure(): boolean;
  sendReceive(element: Element, timeout?: number): Promise<Element>;
  restart(): Promise<void>;
  _attachSocket(socket: unknown): void;
};

/** The stream-features registry, typed for the handlers in this folder. */
export interface StreamFeatures {
  use(
    name: string,
    xmlns: string,
    handler: (ctx: { entity: XmppEntity }, next: () => Promise<unknown>, feature: Element) => Promise<unknown> | unknown,
  ): void;
}
