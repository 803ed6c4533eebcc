/**
 * The handler table behind every IPC channel: arguments validated at run
 * time, the service called, the outcome wrapped in a Result envelope (an
 * Error's code does not survive ipcRenderer.invoke, a plain object does).
 * main/ipc.ts registers this table on ipcMain; the browser tests install the
 * same table behind page.exposeBinding.
 */
import type { ContactInput, InvokeChannel, Result, SignInRequest } from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import {
  LIMITS, expectArity, expectBoolean, expectObject, expectPort, expectString, expectStringList, nullable, optional,
} from './ipc-arguments.js';
import type { MessengerService } from './messenger-service.js';

export type Handler = (args: unknown[]) => Promise<Result<unknown>>;
export type HandlerTable = Record<InvokeChannel, Handler>;

function contactInput(value: unknown): ContactInput {
  const o = expectObject(value, 'contact', ['jid', 'name', 'groups'], ['jid']);
  return {
    jid: expectString(o.jid, 'contact.jid', LIMITS.jid),
    name: nullable(o.name, (v) => expectString(v, 'contact.name', LIMITS.name)),
    groups: optional(o.groups, (v) => expectStringList(v, 'contact.groups', LIMITS.groups, LIMITS.group)),
  };
}

function signInRequest(value: unknown): SignInRequest {
  const o = expectObject(value, 'request', ['jid', 'password', 'host', 'port', 'rememberPassword', 'acceptUnencryptedStorage'], ['jid', 'password', 'rememberPassword']);
  return {
    jid: expectString(o.jid, 'request.jid', LIMITS.jid),
    password: expectString(o.password, 'request.password', LIMITS.password),
    host: nullable(o.host, (v) => expectString(v, 'request.host', LIMITS.host)),
    port: nullable(o.port, (v) => expectPort(v, 'request.port')),
    rememberPassword: expectBoolean(o.rememberPassword, 'request.rememberPassword'),
    acceptUnencryptedStorage: optional(o.acceptUnencryptedStorage, (v) => expectBoolean(v, 'request.acceptUnencryptedStorage')),
  };
}

/** Runs `body`; any throw, validation included, becomes { ok: false, error }. */
function handler(body: (args: unknown[]) => unknown): Handler {
  return async (args) => {
    try {
      return { ok: true, value: await body(args) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  };
}

export function createHandlers(service: MessengerService): HandlerTable {
  return {
    getState: handler((args) => {
      expectArity(args, 0);
      return service.getState();
    }),
    signIn: handler((args) => {
      expectArity(args, 1);
      return service.signIn(signInRequest(args[0]));
    }),
    signOut: handler((args) => {
      expectArity(args, 1);
      const o = expectObject(args[0], 'options', ['forgetAccount'], ['forgetAccount']);
      return service.signOut({ forgetAccount: expectBoolean(o.forgetAccount, 'options.forgetAccount') });
    }),
    getRoster: handler((args) => {
      expectArity(args, 0);
      return service.getRoster();
    }),
    addContact: handler((args) => {
      expectArity(args, 1);
      return service.addContact(contactInput(args[0]));
    }),
    updateContact: handler((args) => {
      expectArity(args, 1);
      return service.updateContact(contactInput(args[0]));
    }),
    removeContact: handler((args) => {
      expectArity(args, 1);
      return service.removeContact(expectString(args[0], 'jid', LIMITS.jid));
    }),
    renameGroup: handler((args) => {
      expectArity(args, 2);
      return service.renameGroup(expectString(args[0], 'from', LIMITS.group), expectString(args[1], 'to', LIMITS.group));
    }),
    cancelEdit: handler((args) => {
      expectArity(args, 1);
      const id = args[0];
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new BalconyError('invalid-argument', 'Invalid argument id: expected an edit id.');
      return service.cancelEdit(id);
    }),
    reconnectNow: handler((args) => {
      expectArity(args, 0);
      return service.reconnectNow();
    }),
  };
}
