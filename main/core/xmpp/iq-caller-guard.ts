/**
 * @xmpp/iq's caller rejects a request's deferred as soon as an error reply
 * arrives, and that can happen before request() awaits it (the reply beats
 * the socket's write callback, common over TLS). The rejection is then
 * "unhandled" for a moment, which kills a Node process by default: a server
 * could crash us just by answering fast. Marking each deferred as handled
 * when it is registered keeps the rejection for request() to throw.
 */
interface DeferredLike {
  promise: Promise<unknown>;
}

export function guardIqCaller(caller: unknown): void {
  const handlers = (caller as { handlers: Map<string, DeferredLike> }).handlers;
  const set = handlers.set.bind(handlers);
  handlers.set = (id: string, deferred: DeferredLike) => {
    deferred.promise.catch(() => {});
    return set(id, deferred);
  };
}
