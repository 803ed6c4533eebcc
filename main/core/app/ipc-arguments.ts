/**
 * Run-time checks of what the renderer sends. The renderer is untrusted: an
 * argument list of the wrong length, a wrong type, an oversized string or an
 * unexpected key is refused with 'invalid-argument' before anything runs.
 */
import { BalconyError } from '../errors.js';

/** Generous bounds: far above any real value, far below a memory problem. */
export const LIMITS = {
  jid: 3 * 1024,
  password: 1024,
  host: 255,
  name: 4 * 1024,
  group: 4 * 1024,
  groups: 100,
  /** Addresses in one block or unblock. */
  blockJids: 500,
  /** Rows of a first page: a tall window at a small zoom shows a few hundred at most. */
  pageRows: 500,
  foldedGroups: 10_000,
  /** Contacts per roster chunk: a few hundred KB of IPC at most. */
  chunkItems: 5000,
  token: 4 * 1024,
  locale: 100,
  /** A web address opened in the browser (browsers themselves refuse far longer ones). */
  url: 8 * 1024,
} as const;

function bad(path: string, what: string): BalconyError {
  return new BalconyError('invalid-argument', `Invalid argument ${path}: ${what}.`);
}

export function expectArity(args: unknown[], count: number): void {
  if (args.length !== count) throw bad('list', `expected ${count} argument(s), got ${args.length}`);
}

export function expectString(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') throw bad(path, 'expected text');
  if (value.length > max) throw bad(path, `longer than ${max} characters`);
  return value;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw bad(path, 'expected true or false');
  return value;
}

export function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

export function nullable<T>(value: unknown, check: (v: unknown) => T): T | null | undefined {
  if (value === null) return null;
  return optional(value, check);
}

export function expectInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw bad(path, `expected a whole number from ${min} to ${max}`);
  return value;
}

/** A BCP 47 language tag Intl accepts (e.g. 'en-US', 'de-u-co-phonebk'). */
export function expectLocale(value: unknown, path: string): string {
  const tag = expectString(value, path, LIMITS.locale);
  try {
    if (Intl.getCanonicalLocales(tag).length === 1) return tag;
  } catch {
    // refused below
  }
  throw bad(path, 'expected a language tag such as en-US');
}

export function expectPort(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
    throw bad(path, 'expected a port from 1 to 65535');
  return value;
}

export function expectStringList(value: unknown, path: string, maxItems: number, maxLength: number): string[] {
  if (!Array.isArray(value)) throw bad(path, 'expected a list');
  if (value.length > maxItems) throw bad(path, `more than ${maxItems} entries`);
  return value.map((v, i) => expectString(v, `${path}[${i}]`, maxLength));
}

/** A plain object with only `allowed` keys; returns it typed as a record. */
export function expectObject(
  value: unknown,
  path: string,
  allowed: readonly string[],
  required: readonly string[],
): Record<string, unknown> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.getPrototypeOf(value) !== Object.prototype
  ) {
    throw bad(path, 'expected an object');
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw bad(`${path}.${key}`, 'not an expected field');
  }
  for (const key of required) {
    if (!(key in record)) throw bad(`${path}.${key}`, 'missing');
  }
  return record;
}
