/** planStep: when a stored subscription step may go, against roster edits and the retrieved roster. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterItem } from '../../preload/contract.js';
import { planStep } from '../../main/core/presence/step-plan.js';
import type { OutboxEntry } from '../../main/core/store/outbox-store.js';
import type { PresenceStep, StepType } from '../../main/core/store/presence-outbox-store.js';

const JID = 'romeo@example.net';
const step = (type: StepType, extra: Partial<PresenceStep> = {}): PresenceStep => ({
  id: 1,
  account: 'juliet@example.com',
  type,
  jid: JID,
  afterEdit: 5,
  sentAt: null,
  createdAt: 0,
  ...extra,
});
const edit = (id: number, op: OutboxEntry['op'], extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id,
  account: 'juliet@example.com',
  op,
  jid: JID,
  base: { exists: false, name: null, groups: [] },
  state: 'waiting',
  error: null,
  createdAt: 0,
  ...extra,
});
const item = (extra: Partial<RosterItem> = {}): RosterItem => ({
  jid: JID,
  name: null,
  subscription: 'none',
  ask: null,
  approved: false,
  groups: [],
  ...extra,
});

test('issue 11 #16: a step waits for the roster edits of its contact made before it, and a later removal supersedes it', () => {
  assert.equal(planStep(step('subscribed'), undefined, []), 'send');
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(5, 'add')]),
    'wait',
    'add then approve: the add goes first',
  );
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(5, 'add', { state: 'failed' })]),
    'send',
    'a refused edit holds nothing back',
  );
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(4, 'add', { jid: 'paris@example.com' })]),
    'send',
    "another contact's edit",
  );
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(6, 'update')]),
    'send',
    'a later add or update does not touch subscriptions',
  );
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(6, 'remove')]),
    'drop',
    'approve then remove: the removal wins',
  );
  assert.equal(
    planStep(step('subscribed'), undefined, [edit(5, 'remove')]),
    'wait',
    'remove then approve: after the removal',
  );
});

test('issue 11 #16: a step written before (maybe lost) is not sent again when the retrieved roster shows it arrived', () => {
  const sent = { sentAt: 1 };
  const cases: [StepType, RosterItem | undefined, 'send' | 'done'][] = [
    ['subscribed', item({ subscription: 'from' }), 'done'],
    ['subscribed', item({ subscription: 'none' }), 'send'],
    ['subscribe', item({ ask: 'subscribe' }), 'done'],
    ['subscribe', item({ subscription: 'to' }), 'done'],
    ['subscribe', undefined, 'send'],
    ['unsubscribed', item({ subscription: 'to' }), 'done'],
    ['unsubscribed', item({ subscription: 'both' }), 'send'],
    ['unsubscribed', undefined, 'send'],
    ['unsubscribe', item({ subscription: 'from' }), 'done'],
    ['unsubscribe', item({ subscription: 'none', ask: 'subscribe' }), 'send'],
  ];
  for (const [type, current, expected] of cases) {
    assert.equal(planStep(step(type, sent), current, []), expected, `${type} with ${JSON.stringify(current)}`);
    assert.equal(planStep(step(type), current, []), 'send', `${type} never written: always sent`);
  }
});
