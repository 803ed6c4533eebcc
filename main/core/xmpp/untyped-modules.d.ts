// Minimal declarations for the xmpp.js parts that ship no types. Only what
// create-client.ts and its helpers use is declared.
declare module '@xmpp/tcp' {
  const tcp: (deps: { entity: unknown }) => void;
  export default tcp;
}
declare module '@xmpp/tls/lib/Socket.js' {
  import { EventEmitter } from 'node:events';
  import type { ConnectionOptions, TLSSocket } from 'node:tls';
  export default class Socket extends EventEmitter {
    secure: boolean;
    socket: TLSSocket | null;
    connect(options: ConnectionOptions): void;
    end(): void;
    write(data: string, cb?: (err?: Error) => void): void;
  }
}
