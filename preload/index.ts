/**
 * The sandboxed preload: exposes `window.messenger`, which implements the
 * contract and nothing else (no ipcRenderer, no generic send). No logic here:
 * main validates every argument.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type MessengerApi, type MessengerEvent } from './contract.js';

const api: MessengerApi = {
  getState: () => ipcRenderer.invoke(CHANNELS.getState),
  signIn: (request) => ipcRenderer.invoke(CHANNELS.signIn, request),
  signOut: (options) => ipcRenderer.invoke(CHANNELS.signOut, options),
  getRoster: () => ipcRenderer.invoke(CHANNELS.getRoster),
  getRosterPage: (request) => ipcRenderer.invoke(CHANNELS.getRosterPage, request),
  getRosterChunk: (request) => ipcRenderer.invoke(CHANNELS.getRosterChunk, request),
  addContact: (input) => ipcRenderer.invoke(CHANNELS.addContact, input),
  updateContact: (input) => ipcRenderer.invoke(CHANNELS.updateContact, input),
  removeContact: (jid) => ipcRenderer.invoke(CHANNELS.removeContact, jid),
  renameGroup: (from, to) => ipcRenderer.invoke(CHANNELS.renameGroup, from, to),
  cancelEdit: (id) => ipcRenderer.invoke(CHANNELS.cancelEdit, id),
  reconnectNow: () => ipcRenderer.invoke(CHANNELS.reconnectNow),
  getPresence: () => ipcRenderer.invoke(CHANNELS.getPresence),
  approveRequest: (jid, options) => ipcRenderer.invoke(CHANNELS.approveRequest, jid, options),
  denyRequest: (jid) => ipcRenderer.invoke(CHANNELS.denyRequest, jid),
  changeSubscription: (jid, action) => ipcRenderer.invoke(CHANNELS.changeSubscription, jid, action),
  listDeniedRequests: () => ipcRenderer.invoke(CHANNELS.listDeniedRequests),
  undoDenial: (jid) => ipcRenderer.invoke(CHANNELS.undoDenial, jid),
  setOwnPresence: (presence) => ipcRenderer.invoke(CHANNELS.setOwnPresence, presence),
  getConnectionReport: () => ipcRenderer.invoke(CHANNELS.getConnectionReport),
  resyncRoster: () => ipcRenderer.invoke(CHANNELS.resyncRoster),
  getBlocklist: () => ipcRenderer.invoke(CHANNELS.getBlocklist),
  block: (jids) => ipcRenderer.invoke(CHANNELS.block, jids),
  unblock: (jids) => ipcRenderer.invoke(CHANNELS.unblock, jids),
  denyAndBlock: (jid) => ipcRenderer.invoke(CHANNELS.denyAndBlock, jid),
  dismissBlockingFailure: (id) => ipcRenderer.invoke(CHANNELS.dismissBlockingFailure, id),
  getConversations: () => ipcRenderer.invoke(CHANNELS.getConversations),
  getHistory: (request) => ipcRenderer.invoke(CHANNELS.getHistory, request),
  sendMessage: (request) => ipcRenderer.invoke(CHANNELS.sendMessage, request),
  retryMessage: (id) => ipcRenderer.invoke(CHANNELS.retryMessage, id),
  markRead: (request) => ipcRenderer.invoke(CHANNELS.markRead, request),
  setChatState: (request) => ipcRenderer.invoke(CHANNELS.setChatState, request),
  searchMessages: (request) => ipcRenderer.invoke(CHANNELS.searchMessages, request),
  getMessageSettings: () => ipcRenderer.invoke(CHANNELS.getMessageSettings),
  setMessageSettings: (settings) => ipcRenderer.invoke(CHANNELS.setMessageSettings, settings),
  getDesktopSettings: () => ipcRenderer.invoke(CHANNELS.getDesktopSettings),
  setDesktopSettings: (settings) => ipcRenderer.invoke(CHANNELS.setDesktopSettings, settings),
  getAbout: () => ipcRenderer.invoke(CHANNELS.getAbout),
  takeXmppLinks: () => ipcRenderer.invoke(CHANNELS.takeXmppLinks),
  openExternal: (request) => ipcRenderer.invoke(CHANNELS.openExternal, request),
  openProfileFolder: () => ipcRenderer.invoke(CHANNELS.openProfileFolder),
  showWindow: () => ipcRenderer.invoke(CHANNELS.showWindow),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: MessengerEvent): void => listener(payload);
    ipcRenderer.on(CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('messenger', api);
