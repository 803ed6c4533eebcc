/**
 * The handler table behind every IPC channel: arguments validated at run
 * time, the service called, the outcome wrapped in a Result envelope (an
 * Error's code does not survive ipcRenderer.invoke, a plain object does).
 * main/ipc.ts registers this table on ipcMain; the browser tests install the
 * same table behind page.exposeBinding.
 */
import type {
  ContactInput,
  InvokeChannel,
  OwnPresence,
  Result,
  RosterChunkRequest,
  RosterPageRequest,
  SignInRequest,
  SubscriptionAction,
} from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import {
  LIMITS,
  expectArity,
  expectBoolean,
  expectInteger,
  expectLocale,
  expectObject,
  expectPort,
  expectString,
  expectStringList,
  nullable,
  optional,
} from './ipc-arguments.js';
import {
  chatStateRequest,
  expectMessageId,
  historyRequest,
  markReadRequest,
  messageSettings,
  searchRequest,
  sendRequest,
} from './message-arguments.js';
import type { MessengerService } from './messenger-service.js';

export type Handler = (args: unknown[]) => Promise<Result<unknown>>;
export type HandlerTable = Record<InvokeChannel, Handler>;

function contactInput(value: unknown, allowSubscribe: boolean): ContactInput {
  const o = expectObject(
    value,
    'contact',
    allowSubscribe ? ['jid', 'name', 'groups', 'subscribe'] : ['jid', 'name', 'groups'],
    ['jid'],
  );
  const input: ContactInput = {
    jid: expectString(o.jid, 'contact.jid', LIMITS.jid),
    name: nullable(o.name, (v) => expectString(v, 'contact.name', LIMITS.name)),
    groups: optional(o.groups, (v) => expectStringList(v, 'contact.groups', LIMITS.groups, LIMITS.group)),
  };
  const subscribe = optional(o.subscribe, (v) => expectBoolean(v, 'contact.subscribe'));
  if (subscribe !== undefined) input.subscribe = subscribe;
  return input;
}

const SUBSCRIPTION_ACTIONS: readonly SubscriptionAction[] = [
  'subscribe',
  'cancel-request',
  'stop-sharing',
  'stop-receiving',
  'pre-approve',
];
const OWN_SHOWS: readonly OwnPresence['show'][] = ['available', 'away', 'dnd', 'xa'];
const MAX_STATUS = 1024;

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BalconyError('invalid-argument', `Invalid argument ${path}: expected one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

function signInRequest(value: unknown): SignInRequest {
  const o = expectObject(
    value,
    'request',
    ['jid', 'password', 'host', 'port', 'directTls', 'rememberPassword', 'acceptUnencryptedStorage', 'acceptDowngrade'],
    ['jid', 'password', 'rememberPassword'],
  );
  return {
    jid: expectString(o.jid, 'request.jid', LIMITS.jid),
    password: expectString(o.password, 'request.password', LIMITS.password),
    host: nullable(o.host, (v) => expectString(v, 'request.host', LIMITS.host)),
    port: nullable(o.port, (v) => expectPort(v, 'request.port')),
    directTls: optional(o.directTls, (v) => expectBoolean(v, 'request.directTls')),
    rememberPassword: expectBoolean(o.rememberPassword, 'request.rememberPassword'),
    acceptUnencryptedStorage: optional(o.acceptUnencryptedStorage, (v) =>
      expectBoolean(v, 'request.acceptUnencryptedStorage'),
    ),
    acceptDowngrade: optional(o.acceptDowngrade, (v) => expectBoolean(v, 'request.acceptDowngrade')),
  };
}

/** A list of addresses to block or unblock: one at least (an empty unblock would mean everyone). */
function blockJids(value: unknown): string[] {
  const jids = expectStringList(value, 'jids', LIMITS.blockJids, LIMITS.jid);
  if (jids.length === 0)
    throw new BalconyError('invalid-argument', 'Invalid argument jids: expected at least one address.');
  return jids;
}

/** An outbox id (a positive integer). */
function expectId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new BalconyError('invalid-argument', 'Invalid argument id: expected an id.');
  return value;
}

function rosterPageRequest(value: unknown): RosterPageRequest {
  const o = expectObject(value, 'request', ['rows', 'folded', 'locale'], ['rows', 'folded', 'locale']);
  return {
    rows: expectInteger(o.rows, 'request.rows', 1, LIMITS.pageRows),
    folded: expectStringList(o.folded, 'request.folded', LIMITS.foldedGroups, LIMITS.group),
    locale: expectLocale(o.locale, 'request.locale'),
  };
}

function rosterChunkRequest(value: unknown): RosterChunkRequest {
  const o = expectObject(value, 'request', ['token', 'after', 'limit'], ['token', 'after', 'limit']);
  return {
    token: expectString(o.token, 'request.token', LIMITS.token),
    after: nullable(o.after, (v) => expectString(v, 'request.after', LIMITS.jid)) ?? null,
    limit: expectInteger(o.limit, 'request.limit', 1, LIMITS.chunkItems),
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
    getRosterPage: handler((args) => {
      expectArity(args, 1);
      return service.getRosterPage(rosterPageRequest(args[0]));
    }),
    getRosterChunk: handler((args) => {
      expectArity(args, 1);
      return service.getRosterChunk(rosterChunkRequest(args[0]));
    }),
    addContact: handler((args) => {
      expectArity(args, 1);
      return service.addContact(contactInput(args[0], true));
    }),
    updateContact: handler((args) => {
      expectArity(args, 1);
      return service.updateContact(contactInput(args[0], false));
    }),
    removeContact: handler((args) => {
      expectArity(args, 1);
      return service.removeContact(expectString(args[0], 'jid', LIMITS.jid));
    }),
    renameGroup: handler((args) => {
      expectArity(args, 2);
      return service.renameGroup(
        expectString(args[0], 'from', LIMITS.group),
        expectString(args[1], 'to', LIMITS.group),
      );
    }),
    cancelEdit: handler((args) => {
      expectArity(args, 1);
      const id = args[0];
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
        throw new BalconyError('invalid-argument', 'Invalid argument id: expected an edit id.');
      return service.cancelEdit(id);
    }),
    reconnectNow: handler((args) => {
      expectArity(args, 0);
      return service.reconnectNow();
    }),
    getPresence: handler((args) => {
      expectArity(args, 0);
      return service.getPresence();
    }),
    approveRequest: handler((args) => {
      expectArity(args, 2);
      const o = expectObject(args[1], 'options', ['askBack', 'name', 'groups'], ['askBack']);
      const name = nullable(o.name, (v) => expectString(v, 'options.name', LIMITS.name));
      const groups = optional(o.groups, (v) => expectStringList(v, 'options.groups', LIMITS.groups, LIMITS.group));
      return service.approveRequest(expectString(args[0], 'jid', LIMITS.jid), {
        askBack: expectBoolean(o.askBack, 'options.askBack'),
        ...(name !== undefined && { name }),
        ...(groups !== undefined && { groups }),
      });
    }),
    listDeniedRequests: handler((args) => {
      expectArity(args, 0);
      return service.listDeniedRequests();
    }),
    undoDenial: handler((args) => {
      expectArity(args, 1);
      return service.undoDenial(expectString(args[0], 'jid', LIMITS.jid));
    }),
    denyRequest: handler((args) => {
      expectArity(args, 1);
      return service.denyRequest(expectString(args[0], 'jid', LIMITS.jid));
    }),
    changeSubscription: handler((args) => {
      expectArity(args, 2);
      return service.changeSubscription(
        expectString(args[0], 'jid', LIMITS.jid),
        oneOf(args[1], 'action', SUBSCRIPTION_ACTIONS),
      );
    }),
    getConnectionReport: handler((args) => {
      expectArity(args, 0);
      return service.getConnectionReport();
    }),
    resyncRoster: handler((args) => {
      expectArity(args, 0);
      return service.resyncRoster();
    }),
    getBlocklist: handler((args) => {
      expectArity(args, 0);
      return service.getBlocklist();
    }),
    block: handler((args) => {
      expectArity(args, 1);
      return service.block(blockJids(args[0]));
    }),
    unblock: handler((args) => {
      expectArity(args, 1);
      return service.unblock(blockJids(args[0]));
    }),
    denyAndBlock: handler((args) => {
      expectArity(args, 1);
      return service.denyAndBlock(expectString(args[0], 'jid', LIMITS.jid));
    }),
    dismissBlockingFailure: handler((args) => {
      expectArity(args, 1);
      return service.dismissBlockingFailure(expectId(args[0]));
    }),
    setOwnPresence: handler((args) => {
      expectArity(args, 1);
      const o = expectObject(args[0], 'presence', ['show', 'status'], ['show', 'status']);
      return service.setOwnPresence({
        show: oneOf(o.show, 'presence.show', OWN_SHOWS),
        status: nullable(o.status, (v) => expectString(v, 'presence.status', MAX_STATUS)) ?? null,
      });
    }),
    // issue 10: conversations (message-arguments.ts checks each request)
    getConversations: handler((args) => {
      expectArity(args, 0);
      return service.getConversations();
    }),
    getHistory: handler((args) => {
      expectArity(args, 1);
      return service.getHistory(historyRequest(args[0]));
    }),
    sendMessage: handler((args) => {
      expectArity(args, 1);
      return service.sendMessage(sendRequest(args[0]));
    }),
    retryMessage: handler((args) => {
      expectArity(args, 1);
      return service.retryMessage(expectMessageId(args[0], 'id'));
    }),
    markRead: handler((args) => {
      expectArity(args, 1);
      return service.markRead(markReadRequest(args[0]));
    }),
    setChatState: handler((args) => {
      expectArity(args, 1);
      return service.setChatState(chatStateRequest(args[0]));
    }),
    searchMessages: handler((args) => {
      expectArity(args, 1);
      return service.searchMessages(searchRequest(args[0]));
    }),
    getMessageSettings: handler((args) => {
      expectArity(args, 0);
      return service.getMessageSettings();
    }),
    setMessageSettings: handler((args) => {
      expectArity(args, 1);
      return service.setMessageSettings(messageSettings(args[0]));
    }),
    getDesktopSettings: handler((args) => {
      expectArity(args, 0);
      return { settings: service.desktop.settings(), capabilities: service.desktop.capabilities };
    }),
    setDesktopSettings: handler((args) => {
      expectArity(args, 1);
      return service.desktop.setSettings(args[0]); // checked whole by desktop-settings.ts
    }),
    getAbout: handler((args) => {
      expectArity(args, 0);
      return service.desktop.about();
    }),
    takeXmppLinks: handler((args) => {
      expectArity(args, 0);
      return service.desktop.takeXmppLinks();
    }),
    openExternal: handler((args) => {
      expectArity(args, 1);
      const o = expectObject(args[0], 'request', ['url'], ['url']);
      return service.desktop.openExternal(expectString(o.url, 'request.url', LIMITS.url));
    }),
    openProfileFolder: handler((args) => {
      expectArity(args, 0);
      return service.desktop.openProfileFolder();
    }),
    showWindow: handler((args) => {
      expectArity(args, 0);
      return service.desktop.showWindow();
    }),
  };
}
