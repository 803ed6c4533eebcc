import assert from 'node:assert/strict';
import type { ErrorCode } from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';

/** For assert.rejects / assert.throws: the error is a BalconyError with `code`. */
export function isCode(code: ErrorCode): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof BalconyError, `a BalconyError, got ${String(e)}`);
    assert.equal(e.code, code, `code ${code}, got ${e.code}: ${e.message}`);
    return true;
  };
}
