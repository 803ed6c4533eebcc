/**
 * Run-time checks of the conversation calls' arguments (issue 10), in the
 * style of ipc-arguments.ts: the renderer is untrusted, so a wrong type, a
 * missing or unexpected field or an oversized value is refused before the
 * message service runs. A body over MESSAGE_LIMITS.bodyChars is refused as
 * 'message-too-long' (what the composer tells the user), not as malformed.
 */
import {
  MESSAGE_LIMITS,
  type ChatStateName,
  type HistoryRequest,
  type MessageSearchRequest,
  type MessageSettings,
} from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import { LIMITS, expectBoolean, expectInteger, expectObject, expectString, nullable } from './ipc-arguments.js';

/** Message and gap ids are ours (UUIDs); far below this. */
export const MESSAGE_ID_CHARS = 200;

const CHAT_STATES: readonly ChatStateName[] = ['active', 'composing', 'paused', 'inactive', 'gone'];
const NOTIFICATIONS: readonly MessageSettings['notifications'][] = ['full', 'private', 'off'];

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BalconyError('invalid-argument', `Invalid argument ${path}: expected one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A message or gap id: non-empty text of bounded length. */
export function expectMessageId(value: unknown, path: string): string {
  const id = expectString(value, path, MESSAGE_ID_CHARS);
  if (id.length === 0) throw new BalconyError('invalid-argument', `Invalid argument ${path}: expected an id.`);
  return id;
}

function jid(value: unknown, path: string): string {
  return expectString(value, path, LIMITS.jid);
}

export function historyRequest(value: unknown): HistoryRequest {
  const o = expectObject(value, 'request', ['jid', 'before', 'limit'], ['jid', 'limit']);
  return {
    jid: jid(o.jid, 'request.jid'),
    before: nullable(o.before, (v) => expectMessageId(v, 'request.before')) ?? null,
    limit: expectInteger(o.limit, 'request.limit', 1, MESSAGE_LIMITS.pageSize),
  };
}

export function sendRequest(value: unknown): { to: string; body: string } {
  const o = expectObject(value, 'request', ['to', 'body'], ['to', 'body']);
  const to = jid(o.to, 'request.to');
  if (typeof o.body !== 'string')
    throw new BalconyError('invalid-argument', 'Invalid argument request.body: expected text.');
  if (o.body.length > MESSAGE_LIMITS.bodyChars) throw new BalconyError('message-too-long');
  return { to, body: o.body };
}

export function markReadRequest(value: unknown): { jid: string; upTo: string } {
  const o = expectObject(value, 'request', ['jid', 'upTo'], ['jid', 'upTo']);
  return { jid: jid(o.jid, 'request.jid'), upTo: expectMessageId(o.upTo, 'request.upTo') };
}

export function chatStateRequest(value: unknown): { jid: string; state: ChatStateName } {
  const o = expectObject(value, 'request', ['jid', 'state'], ['jid', 'state']);
  return { jid: jid(o.jid, 'request.jid'), state: oneOf(o.state, 'request.state', CHAT_STATES) };
}

export function searchRequest(value: unknown): MessageSearchRequest {
  const o = expectObject(value, 'request', ['query', 'jid', 'limit'], ['query', 'limit']);
  return {
    query: expectString(o.query, 'request.query', MESSAGE_LIMITS.queryChars),
    jid: nullable(o.jid, (v) => jid(v, 'request.jid')) ?? null,
    limit: expectInteger(o.limit, 'request.limit', 1, MESSAGE_LIMITS.pageSize),
  };
}

export function messageSettings(value: unknown): MessageSettings {
  const o = expectObject(value, 'settings', ['sendChatStates', 'notifications'], ['sendChatStates', 'notifications']);
  return {
    sendChatStates: expectBoolean(o.sendChatStates, 'settings.sendChatStates'),
    notifications: oneOf(o.notifications, 'settings.notifications', NOTIFICATIONS),
  };
}
