/**
 * The socket the XMPP stream runs over, made by the session instead of by
 * xmpp.js: the session finds the server (SRV, Direct TLS or STARTTLS, each
 * address in turn) and hands the open socket over with `offer`; the stream's
 * transport then adopts it instead of connecting. Without an offered socket
 * (a see-other-host redirect) it connects over TCP itself, as @xmpp/tcp does.
 * Like @xmpp/tls's socket it wraps the real one (`.socket`): a TLSSocket for
 * Direct TLS (then `secure`), a net.Socket that STARTTLS upgrades otherwise.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { TLSSocket } from 'node:tls';
import type { TransportClass, XmppEntity } from './xmpp-entity.js';

export interface SocketOffer {
  /** The next stream connection adopts this socket (already connected). */
  offer(socket: net.Socket | TLSSocket): void;
}

/** Makes the entity's TCP transport adopt offered sockets; call after `tcp({ entity })`. */
export function adoptOfferedSockets(entity: XmppEntity): SocketOffer {
  let offered: net.Socket | TLSSocket | null = null;
  const take = (): net.Socket | TLSSocket | null => {
    const socket = offered;
    offered = null;
    return socket;
  };

  class StreamSocket extends EventEmitter {
    socket: net.Socket | TLSSocket | null = null;
    secure = false;

    connect(params: { host: string; port: number }): void {
      const adopted = take();
      const socket = adopted ?? net.connect({ host: params.host, port: params.port });
      this.socket = socket;
      this.secure = socket instanceof TLSSocket && socket.authorized;
      socket.on('data', (data: Buffer) => this.emit('data', data));
      socket.on('close', (hadError: boolean) => this.emit('close', hadError));
      // After the stream let go of this socket nobody listens: a late error is dropped, not thrown.
      socket.on('error', (error: Error) => {
        if (this.listenerCount('error') > 0) this.emit('error', error);
      });
      // The stream awaits 'connect' right after this returns.
      if (adopted) process.nextTick(() => this.emit('connect'));
      else socket.once('connect', () => this.emit('connect'));
    }

    get remoteAddress(): string | undefined {
      return this.socket?.remoteAddress;
    }

    write(data: string, callback?: (error?: Error | null) => void): void {
      if (!this.socket || this.socket.destroyed) {
        callback?.(new Error('The connection is closed.'));
        return;
      }
      this.socket.write(data, callback);
    }

    end(): void {
      this.socket?.end();
    }

    destroy(): void {
      this.socket?.destroy();
    }
  }

  // A subclass per entity: the stock transport's prototype is shared by every client.
  // The stock types give these as Connection subclasses; only their constructor matters here.
  const transports = (entity as unknown as { transports: TransportClass[] }).transports;
  transports.forEach((Base, index) => {
    class AdoptingTransport extends Base {}
    (AdoptingTransport.prototype as unknown as { Socket: unknown }).Socket = StreamSocket;
    transports[index] = AdoptingTransport;
  });
  return {
    offer: (socket) => {
      offered?.destroy(); // one never taken is nobody's: free it
      offered = socket;
    },
  };
}

/** The real socket under the stream's (ours or @xmpp/tls's wrapper): what STARTTLS upgrades. */
export function rawSocket(socket: unknown): net.Socket | TLSSocket {
  const inner = (socket as { socket?: unknown } | null)?.socket;
  return (inner instanceof net.Socket ? inner : socket) as net.Socket | TLSSocket;
}
