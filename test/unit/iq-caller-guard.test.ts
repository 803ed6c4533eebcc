import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import iqCaller from '@xmpp/iq/caller.js';
import middlewareFactory from '@xmpp/middleware';
import { guardIqCaller } from '../../main/core/xmpp/iq-caller-guard.js';

/**
 * An error reply that arrives while request() still awaits its own send:
 * without the guard the rejected deferred is unhandled for a moment, which
 * Node treats as fatal.
 */
describe('iq caller guard', () => {
  it('an error reply that beats the send callback is thrown by request(), never unhandled', async () => {
    const entity = Object.assign(new EventEmitter(), {
      send: async (stanza: { attrs: { id: string } }) => {
        // the reply is routed before send() resolves, and a macrotask passes
        entity.emit('element', xml('iq', { type: 'error', id: stanza.attrs.id }, xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const middleware = middlewareFactory({ entity } as never);
    const caller = iqCaller({ middleware, entity } as never);
    guardIqCaller(caller);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(caller.request(xml('iq', { type: 'set' }), 1000), (e: { condition?: string }) => e.condition === 'item-not-found');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
