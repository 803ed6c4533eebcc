/**
 * A loopback TCP proxy for message fault tests (issue 10). Like TcpProxy it
 * can cut the network (every connection dropped at once, new ones refused
 * until `restore()`); it can also hold back what the server sends
 * (`holdReplies()`): the client's bytes still reach the server, the server's
 * answers (a XEP-0198 <a/>, an iq result) wait in the proxy. A cut while
 * holding drops them, which is "the connection died before the ack came".
 * `holdRequests()` is the other way: what the client writes never reaches
 * the server ("lost on the way").
 * TLS passes through untouched: the proxy never reads the stream.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  /** Server bytes held while `holding`, in order. */
  held: Buffer[];
  /** Client bytes held while `holdingRequests`, in order. */
  heldRequests: Buffer[];
}

export class FaultProxy {
  readonly #server: Server;
  readonly #links = new Set<Link>();
  #blocked = false;
  #holding = false;
  #holdingRequests = false;
  /** Connections accepted (not refused) so far. */
  connections = 0;
  /** Cuts made so far (each `cut()` that dropped at least one connection counts). */
  cuts = 0;

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  static async start(targetPort: number): Promise<FaultProxy> {
    // `proxy` is set below once listening: no connection can arrive before that
    const server = createServer((client) => {
      proxy.#accept(client, targetPort);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FaultProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  #accept(client: Socket, targetPort: number): void {
    if (this.#blocked) {
      client.destroy();
      return;
    }
    this.connections += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    const link: Link = { client, upstream, held: [], heldRequests: [] };
    this.#links.add(link);
    for (const s of [client, upstream]) s.on('error', () => undefined);
    client.on('data', (chunk: Buffer) => {
      if (this.#holdingRequests) link.heldRequests.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.#holding) link.held.push(chunk);
      else client.write(chunk);
    });
    const drop = (): void => {
      this.#links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
  }

  /** Open connections right now. */
  get open(): number {
    return this.#links.size;
  }

  /** From now on the server's bytes wait in the proxy (the client's still go through). */
  holdReplies(): void {
    this.#holding = true;
  }

  /** Delivers what was held, in order, and stops holding. */
  releaseReplies(): void {
    this.#holding = false;
    for (const link of this.#links) {
      for (const chunk of link.held.splice(0)) link.client.write(chunk);
    }
  }

  /** From now on the client's bytes wait in the proxy: nothing written reaches the server. */
  holdRequests(): void {
    this.#holdingRequests = true;
  }

  /** Drops every connection (and whatever was held) and refuses new ones until `restore()`. */
  cut(): void {
    this.#blocked = true;
    this.#holding = false;
    this.#holdingRequests = false;
    if (this.#links.size > 0) this.cuts += 1;
    for (const link of [...this.#links]) {
      link.held.length = 0;
      link.heldRequests.length = 0;
      link.client.destroy();
      link.upstream.destroy();
    }
    this.#links.clear();
  }

  restore(): void {
    this.#blocked = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
