import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterItem } from '../../preload/contract.js';
import { planEdit } from '../../main/core/roster/merge-edit.js';
import { viewItems } from '../../main/core/roster/roster-view.js';
import type { OutboxEntry } from '../../main/core/store/outbox-store.js';

const item = (jid: string, extra: Partial<RosterItem> = {}): RosterItem => ({
  jid,
  name: null,
  subscription: 'both',
  ask: null,
  approved: false,
  groups: [],
  ...extra,
});
let nextId = 1;
const entry = (e: Partial<OutboxEntry> & Pick<OutboxEntry, 'op' | 'jid'>): OutboxEntry => ({
  id: nextId++,
  account: 'juliet@example.com',
  base: { exists: true, name: null, groups: [] },
  state: 'waiting',
  error: null,
  createdAt: 0,
  ...e,
});

describe('the conflict rule for offline edits', () => {
  it('a rename is sent when the server did not change the name meanwhile; subscription is never ours', () => {
    const plan = planEdit(
      entry({
        op: 'update',
        jid: 'romeo@x',
        name: 'Romeo M.',
        base: { exists: true, name: 'Romeo', groups: ['Friends'] },
      }),
      item('romeo@x', { name: 'Romeo', groups: ['Friends'], subscription: 'from' }),
    );
    assert.deepEqual(plan, {
      action: 'send-set',
      jid: 'romeo@x',
      name: 'Romeo M.',
      groups: ['Friends'],
      conflicts: [],
    });
  });
  it('the server keeps a field it changed since the edit, and the user is told; the other field is still sent', () => {
    const plan = planEdit(
      entry({
        op: 'update',
        jid: 'romeo@x',
        name: 'Mine',
        groups: ['Lovers'],
        base: { exists: true, name: 'Romeo', groups: ['Friends'] },
      }),
      item('romeo@x', { name: 'Theirs', groups: ['Friends'] }),
    );
    assert.deepEqual(plan, {
      action: 'send-set',
      jid: 'romeo@x',
      name: 'Theirs',
      groups: ['Lovers'],
      conflicts: ['name'],
    });
  });
  it('both fields changed on the server: nothing to send, two conflicts', () => {
    const plan = planEdit(
      entry({
        op: 'update',
        jid: 'romeo@x',
        name: 'Mine',
        groups: ['Lovers'],
        base: { exists: true, name: 'Romeo', groups: ['Friends'] },
      }),
      item('romeo@x', { name: 'Theirs', groups: ['Family'] }),
    );
    assert.deepEqual(plan, { action: 'done', conflicts: ['name', 'groups'] });
  });
  it('a server value equal to ours is no conflict (an edit replayed after a crash)', () => {
    const plan = planEdit(
      entry({ op: 'update', jid: 'romeo@x', name: 'Mine', base: { exists: true, name: 'Romeo', groups: [] } }),
      item('romeo@x', { name: 'Mine' }),
    );
    assert.deepEqual(plan, { action: 'done', conflicts: [] });
  });
  it('an update of a contact removed elsewhere is dropped and told; removing an already removed one is a success', () => {
    assert.deepEqual(planEdit(entry({ op: 'update', jid: 'romeo@x', name: 'R' }), undefined), {
      action: 'done',
      conflicts: ['removed-elsewhere'],
    });
    assert.deepEqual(planEdit(entry({ op: 'remove', jid: 'romeo@x' }), undefined), { action: 'done', conflicts: [] });
    assert.deepEqual(planEdit(entry({ op: 'remove', jid: 'romeo@x' }), item('romeo@x')), {
      action: 'send-remove',
      jid: 'romeo@x',
    });
  });
  it('removed then added again offline: the add is sent as made, no conflict', () => {
    assert.deepEqual(
      planEdit(
        entry({
          op: 'add',
          jid: 'romeo@x',
          name: 'Romeo Montague',
          groups: ['Family'],
          base: { exists: true, name: 'Romeo', groups: ['Friends'] },
        }),
        undefined,
      ),
      { action: 'send-set', jid: 'romeo@x', name: 'Romeo Montague', groups: ['Family'], conflicts: [] },
    );
  });
  it('an add of a new contact sends its name and groups', () => {
    assert.deepEqual(
      planEdit(
        entry({
          op: 'add',
          jid: 'nurse@x',
          name: 'Nurse',
          groups: ['Servants'],
          base: { exists: false, name: null, groups: [] },
        }),
        undefined,
      ),
      { action: 'send-set', jid: 'nurse@x', name: 'Nurse', groups: ['Servants'], conflicts: [] },
    );
  });
});

describe('the roster as shown: cache plus waiting edits', () => {
  const cached = [item('a@x', { name: 'A' }), item('b@x', { name: 'B' })];
  it('waiting edits are applied and marked; failed ones are rolled back but keep their mark', () => {
    const rename = entry({ op: 'update', jid: 'a@x', name: 'A2' });
    const failed = entry({
      op: 'update',
      jid: 'b@x',
      name: 'B2',
      state: 'failed',
      error: { code: 'forbidden', message: 'no' },
    });
    const added = entry({ op: 'add', jid: 'c@x', name: 'C', groups: ['G'] });
    const view = viewItems(cached, [rename, failed, added]);
    assert.deepEqual(
      view.map((i) => [i.jid, i.name, i.pending?.op, i.pending?.state]),
      [
        ['a@x', 'A2', 'update', 'waiting'],
        ['b@x', 'B', 'update', 'failed'],
        ['c@x', 'C', 'add', 'waiting'],
      ],
    );
  });
  it('a waiting removal stays visible, marked', () => {
    const view = viewItems(cached, [entry({ op: 'remove', jid: 'a@x' })]);
    assert.equal(view[0]!.pending?.op, 'remove');
    assert.equal(view.length, 2);
  });
  it('with an empty outbox the cache is returned as it is', () => {
    assert.equal(viewItems(cached, []), cached);
  });
});
