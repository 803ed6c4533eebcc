import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../main/core/xmpp/backoff.js';

describe('reconnect backoff', () => {
  const opts = { initialMs: 1000, maxMs: 60_000 };
  it('doubles from the initial delay up to the cap, with half of it jittered', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, opts, () => 0)),
      [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000],
    );
    assert.deepEqual(
      [1, 2, 7, 100].map((n) => backoffDelay(n, opts, () => 1)),
      [1000, 2000, 60000, 60000],
    );
  });
  it('stays within [ceiling/2, ceiling] for any random value', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, opts, Math.random);
      assert.ok(d >= 4000 && d <= 8000, String(d));
    }
  });
});
