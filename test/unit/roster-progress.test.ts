import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { ProgressThrottle, type ThrottleClock } from '../../main/core/roster/progress-throttle.js';
import { guardedParserClass, type GuardedParser } from '../../main/core/xmpp/guarded-parser.js';

const HEADER = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' version='1.0'>`;

function parser(): { parser: GuardedParser; elements: Element[] } {
  const Parser = guardedParserClass({ maxStanzaSize: 1_000_000 });
  const p = new Parser() as GuardedParser;
  const elements: Element[] = [];
  p.on('element', (el: Element) => elements.push(el));
  p.on('error', (e: Error) => assert.fail(e.message));
  return { parser: p, elements };
}

describe('issue 16 #1: the stream scanner counts the stanza still arriving', () => {
  it('counts characters and roster items of a result in pieces, and nothing else', () => {
    const { parser: p, elements } = parser();
    p.write(HEADER);
    assert.deepEqual(p.pendingStanza(), { chars: 0, items: 0 }, 'after the header, nothing is pending');
    const head = `<iq type='result' id='r1'><query xmlns='jabber:iq:roster' ver='v1'>`;
    const item = (i: number): string =>
      `<item jid='c${i}@example.net' name='C ${i}' subscription='both'><group>Friends</group><item/></item>`;
    p.write(head + item(0) + item(1).slice(0, 10));
    // The second <item has started: it counts; the nested <item/> in the first (depth 4) does not.
    assert.deepEqual(p.pendingStanza(), { chars: head.length + item(0).length + 10, items: 2 });
    p.write(item(1).slice(10) + item(2));
    assert.deepEqual(p.pendingStanza(), {
      chars: head.length + item(0).length + item(1).length + item(2).length,
      items: 3,
    });
    p.write(`</query></iq>`);
    assert.equal(elements.length, 1);
    assert.deepEqual(p.pendingStanza(), { chars: 0, items: 0 }, 'a stanza that ended leaves nothing pending');
    // An <item> that is the stanza's own child (depth 2) is no roster item.
    p.write(`<message><item/><body>`);
    assert.deepEqual(p.pendingStanza(), { chars: '<message><item/><body>'.length, items: 0 });
  });

  it('counts the items of the next stanza from zero', () => {
    const { parser: p } = parser();
    p.write(
      HEADER +
        `<iq type='result' id='a'><query xmlns='jabber:iq:roster'><item jid='a@x'/><item jid='b@x'/></query></iq> <iq type='result' id='b'><query xmlns='jabber:iq:roster'><item jid='c@x'/>`,
    );
    assert.equal(p.pendingStanza().items, 1);
  });
});

/** A clock the test moves by hand; timers fire when it passes them. */
function fakeClock(): ThrottleClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((t) => t !== next);
        now = next.at;
        next.callback();
      }
      now = until;
    },
    pending: () => timers.length,
  };
}

describe('issue 16 #1: progress is throttled in the core', () => {
  it('reports the first sample at once, then at most one per 250 ms, the newest held sample last', () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const throttle = new ProgressThrottle<number>((n) => seen.push(n), { clock });
    throttle.push(1);
    assert.deepEqual(seen, [1], 'the first sample is not delayed');
    for (let n = 2; n <= 100; n++) {
      clock.advance(10); // a chunk every 10 ms: 99 samples in 990 ms
      throttle.push(n);
    }
    // 990 ms after the first report: reports at 0, 250, 500, 750; the rest waits for 1000.
    assert.ok(seen.length <= 4, `at most four reports in the first second, got ${seen.length}: ${seen.join(',')}`);
    assert.deepEqual(seen.slice(0, 2), [1, 25]);
    clock.advance(250);
    assert.equal(seen.at(-1), 100, 'the newest sample held back is reported when its interval ends');
    assert.equal(clock.pending(), 0);
    const before = seen.length;
    clock.advance(5_000);
    assert.equal(seen.length, before, 'nothing is reported twice');
  });

  it('reports nothing after stop, not even a held sample', () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const throttle = new ProgressThrottle<number>((n) => seen.push(n), { clock });
    throttle.push(1);
    clock.advance(100);
    throttle.push(2);
    throttle.stop();
    clock.advance(1_000);
    throttle.push(3);
    assert.deepEqual(seen, [1]);
    assert.equal(clock.pending(), 0);
  });
});
