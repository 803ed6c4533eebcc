import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import iqCaller from '@xmpp/iq/caller.js';
import middlewareFactory from '@xmpp/middleware';
import { guardIqCaller, isFromAddressee, SPOOFED_REPLY_EVENT } from '../../main/core/xmpp/iq-caller-guard.js';

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
        entity.emit(
          'element',
          xml(
            'iq',
            { type: 'error', id: stanza.attrs.id },
            xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' })),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const middleware = middlewareFactory({ entity } as never);
    const caller = iqCaller({ middleware, entity } as never);
    guardIqCaller(caller);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(
        caller.request(xml('iq', { type: 'set' }), 1000),
        (e: { condition?: string }) => e.condition === 'item-not-found',
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('iq reply senders (RFC 6120 8.1.2.1, 10.3)', () => {
  const reply = (from?: string) => xml('iq', from === undefined ? { type: 'result' } : { type: 'result', from });
  const own = 'juliet@example.com/balcony';
  const cases: [to: string | undefined, from: string | undefined, accepted: boolean][] = [
    // to our own account (no 'to'): absent, our bare JID, our full JID
    [undefined, undefined, true],
    [undefined, 'juliet@example.com', true],
    [undefined, 'Juliet@Example.com', true],
    [undefined, own, true],
    [undefined, 'juliet@example.com/other', false],
    [undefined, 'example.com', false],
    [undefined, 'romeo@example.net', false],
    [undefined, 'not a jid@@', false],
    // to our server: the server, or absent
    ['example.com', 'example.com', true],
    ['example.com', undefined, true],
    ['example.com', 'romeo@example.net', false],
    // to a contact: only that contact
    ['romeo@example.net', 'romeo@example.net', true],
    ['romeo@example.net', undefined, false],
    ['romeo@example.net', 'romeo@example.net/phone', false],
    ['romeo@example.net/phone', 'romeo@example.net/phone', true],
    ['romeo@example.net', 'mallory@example.net', false],
  ];
  for (const [to, from, accepted] of cases) {
    it(`issue 11 #3: to ${to ?? '(our account)'}, from ${from ?? '(absent)'}: ${accepted ? 'taken' : 'ignored'}`, () => {
      assert.equal(isFromAddressee(reply(from), to, own), accepted);
    });
  }

  it('issue 11 #3: a spoofed error reply is ignored too, and the real result still resolves the request', async () => {
    const entity = Object.assign(new EventEmitter(), {
      jid: { toString: () => own },
      send: async () => {
        // the reply is injected by the test; nothing goes anywhere
      },
    });
    const middleware = middlewareFactory({ entity } as never);
    const caller = iqCaller({ middleware, entity } as never);
    guardIqCaller(caller);
    const spoofed: unknown[] = [];
    entity.on(SPOOFED_REPLY_EVENT, (s) => spoofed.push(s));
    const request = caller.request(xml('iq', { type: 'get', id: 'r1' }), 1000);
    await new Promise((resolve) => setImmediate(resolve));
    entity.emit(
      'element',
      xml(
        'iq',
        { type: 'error', id: 'r1', from: 'romeo@example.net' },
        xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' })),
      ),
    );
    entity.emit('element', xml('iq', { type: 'result', id: 'r1' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    const result = await request;
    assert.equal(result.attrs.from, undefined);
    assert.deepEqual(spoofed, [{ id: 'r1', from: 'romeo@example.net', to: '' }]);
  });
});
