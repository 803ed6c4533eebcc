/**
 * A loopback TCP proxy that can cut the network: every connection through it
 * is dropped at once (as a lost Wi-Fi would), and new ones are refused until
 * it is let through again. TLS passes through untouched.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #blocked = false;
  connections = 0;

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    // `proxy` is set below once listening: no connection can arrive before that
    const server = createServer((client) => {
      if (proxy.#blocked) {
        client.destroy();
        return;
      }
      proxy.connections += 1;
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        proxy.#sockets.add(s);
        s.on('close', () => proxy.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.#blocked = true;
    for (const s of this.#sockets) s.destroy();
  }

  restore(): void {
    this.#blocked = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
