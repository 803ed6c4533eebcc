import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BalconyError } from '../../main/core/errors.js';
import {
  MAX_NAME_BYTES,
  validateContact,
  validateGroups,
  validateName,
} from '../../main/core/roster/validate-change.js';

const code = (c: string) => (e: unknown) => e instanceof BalconyError && e.code === c;

describe('validating a change before it is sent', () => {
  it('normalises the jid and trims name and groups', () => {
    assert.deepEqual(
      validateContact(
        { jid: ' Nurse@Example.com ', name: '  Nurse ', groups: [' Servants ', 'Servants', 'Staff'] },
        'juliet@example.com',
      ),
      { jid: 'nurse@example.com', name: 'Nurse', groups: ['Servants', 'Staff'] },
    );
  });
  it('refuses an invalid jid and our own', () => {
    assert.throws(() => validateContact({ jid: 'not a jid' }, 'juliet@example.com'), code('invalid-jid'));
    assert.throws(() => validateContact({ jid: 'Juliet@example.com/other' }, 'juliet@example.com'), code('own-jid'));
  });
  it('limits names and groups', () => {
    assert.equal(validateName('x'.repeat(MAX_NAME_BYTES)), 'x'.repeat(MAX_NAME_BYTES));
    assert.throws(() => validateName('x'.repeat(MAX_NAME_BYTES + 1)), code('name-too-long'));
    assert.throws(() => validateName('é'.repeat(600)), code('name-too-long')); // 1200 bytes
    assert.equal(validateName('   '), null);
    assert.throws(() => validateGroups(['ok', '  ']), code('group-invalid'));
    assert.throws(() => validateGroups(['g'.repeat(2000)]), code('group-invalid'));
    assert.throws(() => validateGroups(Array.from({ length: 101 }, (_, i) => `g${i}`)), code('group-invalid'));
    assert.throws(() => validateGroups([42 as unknown as string]), code('invalid-argument'));
  });
});
